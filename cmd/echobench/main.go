// Command echobench measures echo servers over loopback TCP: corogen's
// (rt.Listen, a task per connection, the loop's own epoll poller) against a
// goroutine-per-connection net server, at GOMAXPROCS=1 and 2, and, when
// /usr/bin/python3 has uvloop, uvloop's (asyncio streams and a Protocol),
// in one run. See BENCHMARKS.md.
//
//	echobench run [flags]       the whole matrix: prints raw lines, then a Markdown table
//	echobench server -impl I    one server (coro, goroutine); prints "listening <addr>"
//	echobench load -addr A      the load generator alone, against a server at A (for profiling)
//
// Workload: conns connections each send size bytes, read the echo, and
// again, for -dur after a -warm warm-up (closed loop). Reported per server
// and workload: requests/s, the latency of a request (write to the last
// byte of its echo) at p50 and p99, and the server's CPU time per request
// (all its threads, from /proc: comparable even where the load generator
// is the bottleneck). Then -idle connections are opened to each server,
// each makes one 1 KiB round trip, and the server's RSS growth divided by
// their number is the memory per idle connection.
//
// The load generator is this program, on one loop of rt (GOMAXPROCS=1, so
// it takes one of the machine's cores): the same for every server. Servers
// run in their own processes. Rounds are interleaved (-reps) and medians
// reported.
package main

import (
	"bufio"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/corogen/corogen/rt"
)

// bufSize is the read buffer of a server connection (both Go servers).
const bufSize = 16 << 10

//go:embed uvloop_echo.py
var uvloopScript []byte

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: echobench run [flags] | echobench server -impl coro|goroutine [-addr a]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "server":
		server(os.Args[2:])
	case "run":
		run(os.Args[2:])
	case "load":
		loadCmd(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "echobench: unknown command", os.Args[1])
		os.Exit(2)
	}
}

func server(args []string) {
	fs := flag.NewFlagSet("server", flag.ExitOnError)
	impl := fs.String("impl", "coro", "coro or goroutine")
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	fs.Parse(args)
	ready := func(a string) { fmt.Printf("listening %s\n", a) }
	switch *impl {
	case "coro":
		if _, err := rt.Run(coroServeOn(*addr, ready)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "goroutine":
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ready(ln.Addr().String())
		for {
			c, err := ln.Accept()
			if err != nil {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			go goEcho(c)
		}
	default:
		fmt.Fprintln(os.Stderr, "echobench: unknown server", *impl)
		os.Exit(2)
	}
}

// goEcho is the goroutine server's connection handler.
func goEcho(c net.Conn) {
	defer c.Close()
	buf := make([]byte, bufSize)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		if _, err := c.Write(buf[:n]); err != nil {
			return
		}
	}
}

// loadStats is what the load generator's connections share (one loop: no
// locks).
type loadStats struct {
	connected       int
	measuring, stop bool
	lat             []time.Duration
	start           time.Time
	elapsed         time.Duration
}

// A serverSpec is a server to start: a name, and a command.
type serverSpec struct {
	name string
	cmd  func() *exec.Cmd
}

type proc struct {
	cmd  *exec.Cmd
	addr string
	pid  int
}

func startServer(s serverSpec) (*proc, error) {
	cmd := s.cmd()
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("%s: no address (%q, %v)", s.name, line, err)
	}
	go io.Copy(io.Discard, out)
	return &proc{cmd: cmd, addr: addr, pid: cmd.Process.Pid}, nil
}

func (p *proc) stop() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// cpuNs is the process's CPU time so far, all threads (schedstat).
func cpuNs(pid int) int64 {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		f := strings.Fields(string(b))
		if len(f) > 0 {
			n, _ := strconv.ParseInt(f[0], 10, 64)
			total += n
		}
	}
	return total
}

// statusKiB reads a field (VmRSS, VmHWM) of /proc/pid/status.
func statusKiB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return -1
}

type result struct {
	server      string
	size, conns int
	reqS        float64
	p50, p99    time.Duration
	cpuPerReq   time.Duration
	ok          bool
}

func measure(p *proc, name string, conns, size int, warm, dur time.Duration) result {
	st := &loadStats{lat: make([]time.Duration, 0, 1<<20)}
	var cpu0, cpu1 int64
	_, err := rt.Run(load(p.addr, conns, size, warm, dur, st,
		func() { cpu0 = cpuNs(p.pid) }, func() { cpu1 = cpuNs(p.pid) }))
	r := result{server: name, size: size, conns: conns}
	if err != nil || len(st.lat) == 0 {
		fmt.Fprintf(os.Stderr, "echobench: %s size=%d conns=%d: %v\n", name, size, conns, err)
		return r
	}
	slices.Sort(st.lat)
	n := len(st.lat)
	r.reqS = float64(n) / st.elapsed.Seconds()
	r.p50, r.p99 = st.lat[n/2], st.lat[n*99/100]
	r.cpuPerReq = time.Duration((cpu1 - cpu0) / int64(n))
	r.ok = true
	return r
}

func run(args []string) {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	reps := fs.Int("reps", 3, "rounds (interleaved); medians are reported")
	warm := fs.Duration("warm", 500*time.Millisecond, "warm-up of each measurement")
	dur := fs.Duration("dur", 2*time.Second, "measured time of each measurement")
	idle := fs.Int("idle", 10000, "idle connections for the memory measurement (0: none)")
	only := fs.String("only", "", "only servers whose name matches this regexp")
	fs.Parse(args)
	runtime.GOMAXPROCS(1)
	self, err := os.Executable()
	if err != nil {
		panic(err)
	}
	goServer := func(impl string, procs int) serverSpec {
		return serverSpec{fmt.Sprintf("%s-%dP", impl, procs), func() *exec.Cmd {
			cmd := exec.Command(self, "server", "-impl", impl)
			cmd.Env = append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", procs))
			return cmd
		}}
	}
	servers := []serverSpec{goServer("coro", 1), goServer("goroutine", 1), goServer("coro", 2), goServer("goroutine", 2)}
	if exec.Command("/usr/bin/python3", "-c", "import uvloop").Run() == nil {
		script := filepath.Join(os.TempDir(), fmt.Sprintf("echobench-uvloop-%d.py", os.Getpid()))
		if err := os.WriteFile(script, uvloopScript, 0o644); err != nil {
			panic(err)
		}
		defer os.Remove(script)
		for _, mode := range []string{"streams", "protocol"} {
			servers = append(servers, serverSpec{"uvloop-" + mode, func() *exec.Cmd {
				return exec.Command("/usr/bin/python3", script, mode)
			}})
		}
	} else {
		fmt.Fprintln(os.Stderr, "echobench: /usr/bin/python3 without uvloop: its rows are left out (apt-get install python3-uvloop)")
	}
	if *only != "" {
		re := regexp.MustCompile(*only)
		servers = slices.DeleteFunc(servers, func(s serverSpec) bool { return !re.MatchString(s.name) })
	}
	type load struct{ size, conns int }
	loads := []load{{1024, 10}, {1024, 1000}, {16 << 10, 10}, {16 << 10, 1000}}
	printEnv()
	results := map[string][]result{}
	key := func(s string, l load) string { return fmt.Sprintf("%s/%d/%d", s, l.size, l.conns) }
	for rep := 1; rep <= *reps; rep++ {
		for _, l := range loads {
			for _, s := range servers {
				p, err := startServer(s)
				if err != nil {
					fmt.Fprintln(os.Stderr, "echobench:", err)
					continue
				}
				r := measure(p, s.name, l.conns, l.size, *warm, *dur)
				rss := statusKiB(p.pid, "VmHWM")
				p.stop()
				fmt.Printf("echo server=%s size=%d conns=%d rep=%d ok=%v req_s=%.0f p50_us=%.1f p99_us=%.1f server_cpu_us_per_req=%.2f server_peak_rss_kib=%d\n",
					s.name, l.size, l.conns, rep, r.ok, r.reqS, us(r.p50), us(r.p99), us(r.cpuPerReq), rss)
				if r.ok {
					results[key(s.name, l)] = append(results[key(s.name, l)], r)
				}
			}
		}
	}
	idleBytes := map[string][]float64{}
	if *idle > 0 {
		for rep := 1; rep <= *reps; rep++ {
			for _, s := range servers {
				if strings.HasSuffix(s.name, "-2P") {
					continue // the same memory as 1P
				}
				b, rss0, rss1, err := idleMemory(s, *idle)
				if err != nil {
					fmt.Fprintf(os.Stderr, "echobench: idle %s: %v\n", s.name, err)
					continue
				}
				fmt.Printf("idle server=%s conns=%d rep=%d rss_before_kib=%d rss_after_kib=%d bytes_per_conn=%.0f\n", s.name, *idle, rep, rss0, rss1, b)
				idleBytes[s.name] = append(idleBytes[s.name], b)
			}
		}
	}
	table(servers, loads, results, idleBytes, key, *idle)
}

func loadCmd(args []string) {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	addr := fs.String("addr", "", "the server's address")
	conns := fs.Int("conns", 10, "connections")
	size := fs.Int("size", 1024, "message size")
	warm := fs.Duration("warm", 500*time.Millisecond, "warm-up")
	dur := fs.Duration("dur", 5*time.Second, "measured time")
	fs.Parse(args)
	runtime.GOMAXPROCS(1)
	r := measure(&proc{addr: *addr}, *addr, *conns, *size, *warm, *dur)
	fmt.Printf("req_s=%.0f p50_us=%.1f p99_us=%.1f\n", r.reqS, us(r.p50), us(r.p99))
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func idleMemory(s serverSpec, n int) (perConn float64, rss0, rss1 int64, err error) {
	p, err := startServer(s)
	if err != nil {
		return 0, 0, 0, err
	}
	defer p.stop()
	// Warm the server up (first connection, first allocations).
	if _, err := rt.Run(idleConns(p.addr, 10, 10, 1024, func() {})); err != nil {
		return 0, 0, 0, err
	}
	time.Sleep(100 * time.Millisecond)
	rss0 = statusKiB(p.pid, "VmRSS")
	_, err = rt.Run(idleConns(p.addr, n, 1000, 1024, func() { rss1 = statusKiB(p.pid, "VmRSS") }))
	if err != nil {
		return 0, 0, 0, err
	}
	return float64(rss1-rss0) * 1024 / float64(n), rss0, rss1, nil
}

func printEnv() {
	fmt.Printf("# %s %s/%s, %d CPUs; load average %s", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), loadavg())
	if out, err := exec.Command("/usr/bin/python3", "-c", "import sys, uvloop; print(sys.version.split()[0], uvloop.__version__)").Output(); err == nil {
		fmt.Printf("# python %s", out)
	}
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return string(b)
}

func median[T any](xs []T, f func(T) float64) float64 {
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	slices.Sort(v)
	if len(v) == 0 {
		return 0
	}
	return v[len(v)/2]
}

func table[L any](servers []serverSpec, loads []L, results map[string][]result, idle map[string][]float64, key func(string, L) string, nIdle int) {
	fmt.Printf("# end: load average %s\n", loadavg())
	fmt.Println("| message | conns | server | req/s | ÷ goroutine-1P | ÷ goroutine-2P | p50 µs | p99 µs | server CPU µs/req |")
	fmt.Println("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
	for _, l := range loads {
		base1 := median(results[key("goroutine-1P", l)], func(r result) float64 { return r.reqS })
		base2 := median(results[key("goroutine-2P", l)], func(r result) float64 { return r.reqS })
		for _, s := range servers {
			rs := results[key(s.name, l)]
			if len(rs) == 0 {
				continue
			}
			req := median(rs, func(r result) float64 { return r.reqS })
			ratio := func(b float64) string {
				if b == 0 {
					return "-"
				}
				return fmt.Sprintf("%.2f×", req/b)
			}
			name := s.name
			if strings.HasPrefix(name, "coro") {
				name = "**" + name + "**"
			}
			fmt.Printf("| %d B | %d | %s | %.0f | %s | %s | %.0f | %.0f | %.2f |\n", rs[0].size, rs[0].conns, name, req, ratio(base1), ratio(base2),
				median(rs, func(r result) float64 { return us(r.p50) }),
				median(rs, func(r result) float64 { return us(r.p99) }),
				median(rs, func(r result) float64 { return us(r.cpuPerReq) }))
		}
	}
	if len(idle) == 0 {
		return
	}
	fmt.Printf("\n| server | bytes per idle connection (RSS, %d connections) | ÷ coro |\n|---|---:|---:|\n", nIdle)
	coro := median(idle["coro-1P"], func(b float64) float64 { return b })
	for _, s := range servers {
		if bs, ok := idle[s.name]; ok {
			b := median(bs, func(b float64) float64 { return b })
			fmt.Printf("| %s | %.0f | %.1f× |\n", s.name, b, b/coro)
		}
	}
}
