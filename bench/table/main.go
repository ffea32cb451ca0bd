// Command table turns the raw lines of a peers run (run.sh's
// results-<date>.txt) into the Markdown table of BENCHMARKS.md: per
// (workload, peer, n), the number of good runs, the median and min–max of
// ns_per_op, bytes_per_task and peak RSS, and each row's ratio to go-coro.
//
//	go run ./bench/table results-<date>.txt > table.md
//
// The ratio is row ÷ go-coro, so 10× reads "ten times go-coro's time (or
// bytes)". It is taken against the go-coro row of the same workload and the
// same n; where go-coro has no row at that n it uses the go-coro row with
// the nearest n and marks the ratio with † (fine for ns per await, task or
// level; sleepers' ns_per_op depends on n and is only compared at equal n).
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

type key struct {
	workload, peer string
	n              int
}

type row struct {
	key
	ns, bytes, rss []float64
	fails          int
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Sorted(slices.Values(v))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func num(v float64, prec int) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

func ratio(v, ref float64, approx bool) string {
	if math.IsNaN(v) || math.IsNaN(ref) || ref == 0 {
		return "-"
	}
	r := v / ref
	s := ""
	switch {
	case r >= 10:
		s = fmt.Sprintf("%.0f×", r)
	case r >= 1:
		s = fmt.Sprintf("%.1f×", r)
	default:
		s = fmt.Sprintf("%.2f×", r)
	}
	if approx {
		s += "†"
	}
	return s
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: table results-<date>.txt")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	rows := map[key]*row{}
	var order []key
	get := func(k key) *row {
		r, ok := rows[k]
		if !ok {
			r = &row{key: k}
			rows[k] = r
			order = append(order, k)
		}
		return r
	}
	var header []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fail := strings.HasPrefix(line, "# FAIL ")
		if strings.HasPrefix(line, "#") && !fail {
			header = append(header, strings.TrimSpace(strings.TrimPrefix(line, "#")))
			continue
		}
		fields := map[string]string{}
		for _, kv := range strings.Fields(strings.TrimPrefix(line, "# FAIL ")) {
			if k, v, ok := strings.Cut(kv, "="); ok {
				fields[k] = strings.TrimSuffix(v, ":")
			}
		}
		n, err := strconv.Atoi(fields["n"])
		if err != nil || fields["workload"] == "" {
			continue
		}
		r := get(key{fields["workload"], fields["peer"], n})
		if fail {
			r.fails++
			continue
		}
		for name, dst := range map[string]*[]float64{"ns_per_op": &r.ns, "bytes_per_task": &r.bytes, "peak_rss_kib": &r.rss} {
			if v, err := strconv.ParseFloat(fields[name], 64); err == nil {
				*dst = append(*dst, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	// ref finds the go-coro row for a row: same workload and n, else the
	// nearest n.
	ref := func(k key) (*row, bool) {
		if r, ok := rows[key{k.workload, "go-coro", k.n}]; ok {
			return r, false
		}
		var best *row
		for _, o := range order {
			if o.workload != k.workload || o.peer != "go-coro" {
				continue
			}
			if best == nil || math.Abs(math.Log(float64(o.n)/float64(k.n))) < math.Abs(math.Log(float64(best.n)/float64(k.n))) {
				best = rows[o]
			}
		}
		return best, true
	}

	for _, h := range header {
		fmt.Printf("<!-- %s -->\n", h)
	}
	fmt.Println("| workload | peer | n | ok runs | ns/op median | ns/op min–max | ns/op ÷ go-coro | bytes/task median | bytes/task ÷ go-coro | peak RSS KiB median |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	// Group by workload in order of first appearance, then by n, then peers in order.
	var workloads []string
	for _, k := range order {
		if !slices.Contains(workloads, k.workload) {
			workloads = append(workloads, k.workload)
		}
	}
	for _, w := range workloads {
		var ks []key
		for _, k := range order {
			if k.workload == w {
				ks = append(ks, k)
			}
		}
		slices.SortStableFunc(ks, func(a, b key) int {
			if a.n != b.n {
				return a.n - b.n
			}
			// go-coro rows first within an n
			ac, bc := strings.HasPrefix(a.peer, "go-coro"), strings.HasPrefix(b.peer, "go-coro")
			switch {
			case ac && !bc:
				return -1
			case bc && !ac:
				return 1
			}
			return 0
		})
		for _, k := range ks {
			r := rows[k]
			ok := len(r.ns)
			nsRatio, bRatio := "-", "-"
			if rf, approx := ref(k); rf != nil && rf != r {
				if k.workload == "sleepers" && approx {
					nsRatio = "-"
				} else {
					nsRatio = ratio(median(r.ns), median(rf.ns), approx)
				}
				bRatio = ratio(median(r.bytes), median(rf.bytes), approx)
			} else if rf == r {
				nsRatio, bRatio = "1×", "-"
				if len(r.bytes) > 0 {
					bRatio = "1×"
				}
			}
			minmax := "-"
			if ok > 0 {
				minmax = num(slices.Min(r.ns), 1) + "–" + num(slices.Max(r.ns), 1)
			}
			peer := r.peer
			if strings.HasPrefix(peer, "go-coro") {
				peer = "**" + peer + "**"
			}
			fmt.Printf("| %s | %s | %d | %d/%d | %s | %s | %s | %s | %s | %s |\n",
				k.workload, peer, k.n, ok, ok+r.fails, num(median(r.ns), 1), minmax, nsRatio,
				num(median(r.bytes), 1), bRatio, num(median(r.rss), 0))
		}
	}
}
