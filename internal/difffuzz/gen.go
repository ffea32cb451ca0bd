package difffuzz

import (
	"fmt"
	"go/format"
	"os"
	"sort"
	"strconv"
	"strings"
)

// The grammar. A program is a package main with helper functions (say logs
// an event with rt.Now(), note logs the evaluation of a plain call, show
// formats errors and panic values without stacks), async functions
// F0..Fn-1 and Main, and a main that runs Main under the virtual clock (with
// eager tasks for one input in 16) and prints its result. Fi may await Fj only for j > i, and Main any of them,
// so there is no recursion; every function has a cost budget (the number of
// events it can cause, counting loops and callees) so that programs stay
// small.
//
//	func     = "//coro:async" func F(params) rt.Coro[T] { return rt.Async|AsyncErr|Do|DoErr(func() ... { block; return }) }
//	block    = { stmt }
//	stmt     = say | assign | decl | multi-assign | sleep | await-call | try-call
//	         | if | for3 | while | forever | range-int | range-slice | range-array
//	         | range-string | range-map | range-sorted-keys | switch | tagless-switch
//	         | break/continue [label] | return | panic | nil-map panic
//	         | spawn | spawn-inline | spawn-into-list | cancel | await-task | try-task
//	         | cancel-and-try | task-result | gather | try-gather | gather-list
//	         | defer-call | defer-args | defer-await | defer-literal | defer-literal-args
//	         | defer-recover | closure | mutating closure | closure-list | inline await
//	         | inline try | inline do | block | slice ops | map ops | coroutine variable
//	         | print task/coroutine | try-sleep (catching cancellation) | current task
//	int-expr = literal | variable | rune variable | len | a op b | note(id, e)
//	         | rt.Await(Fj(args)) | rt.Await(task) | rt.Await(rt.Async(func() int {...}))
//	         | closure() | sumFns(fs) | at(s, e) | m[key] | min/max
//	bool-exp = a < b | a == b | a%2 == 0 | !b | b && b | b || b | task.Done() | task.Cancelled()
//
// Rules that keep a program's behaviour specified by Go:
//   - Variables of an enclosing function are read-only inside inline
//     coroutines, and mutating closures are only called as statements, so no
//     call in an expression writes a variable that the expression reads.
//   - A range over a map only adds to an accumulator that stays invisible
//     until the loop ends, and its body cannot leave the loop, so that the
//     iteration order cannot reach the output.
//   - Loops have constant bounds (or min(3, e)); while and infinite loops
//     advance their counter first; tasks await only tasks created before
//     them and task variables are never reassigned, so nothing deadlocks.
//   - A coroutine variable is awaited or spawned at most once.

// rng turns the input bytes into choices. Once the input is exhausted every
// choice is the first (simplest) one and every chance is false, so blocks
// end.
type rng struct {
	data []byte
	pos  int
}

func (r *rng) next() (byte, bool) {
	if r.pos >= len(r.data) {
		return 0, false
	}
	b := r.data[r.pos]
	r.pos++
	return b, true
}

// intn returns a number in [0, n).
func (r *rng) intn(n int) int {
	if n <= 1 {
		return 0
	}
	b, _ := r.next()
	if n <= 256 {
		return int(b) % n
	}
	c, _ := r.next()
	return (int(b)<<8 | int(c)) % n
}

// chance is true with probability num/den (false once the input is exhausted).
func (r *rng) chance(num, den int) bool {
	b, ok := r.next()
	return ok && int(b)%den < num
}

type kind int

const (
	kInt      kind = iota
	kRune          // rune, from a range over a string
	kStr           // string, from a range over sorted keys
	kSlice         // []int
	kMap           // map[string]int
	kTask          // *rt.Task[int]
	kVoidTask      // *rt.Task[rt.Void]
	kPure          // func() int that writes nothing
	kMut           // func() that writes variables
	kFns           // []func() int
	kAws           // []rt.Awaitable[int]
	kCoro          // rt.Coro[int], awaited or spawned at most once
)

type variable struct {
	name      string
	kind      kind
	level     int  // the body (async function or inline coroutine) that owns it
	readonly  bool // loop counters, tasks
	immutable bool // never written once the code that sees it starts (range variables, tasks)
	result    bool // a named result: never shadowed
	used      bool // read somewhere (a Go "use")
	minLen    int  // slices: a lower bound of len
	consumed  bool // coroutine variables
	loopDepth int  // coroutine variables: loops around the declaration
}

type scope struct {
	parent *scope
	vars   []*variable
}

// visible lists the variables in scope, innermost first, without the
// shadowed ones.
func (s *scope) visible() []*variable {
	seen := map[string]bool{}
	var out []*variable
	for ; s != nil; s = s.parent {
		for i := len(s.vars) - 1; i >= 0; i-- {
			v := s.vars[i]
			if !seen[v.name] {
				seen[v.name] = true
				out = append(out, v)
			}
		}
	}
	return out
}

type bodyKind int

const (
	bAsync    bodyKind = iota // rt.Async(func() int)
	bAsyncErr                 // rt.AsyncErr(func() (int, error))
	bDo                       // rt.Do(func())
	bDoErr                    // rt.DoErr(func() error)
	bDefer                    // a deferred function literal
)

func (k bodyKind) intResult() bool { return k == bAsync || k == bAsyncErr }

// asyncFunc is a top-level async function.
type asyncFunc struct {
	name   string
	index  int // may await functions with a greater index; Main is -1
	kind   bodyKind
	params int
	cost   int // events one call causes (an estimate that bounds the program)
	budget int
}

// body is a function body being generated: an async function, an inline
// coroutine or a deferred literal.
type body struct {
	kind   bodyKind
	res    *variable // named int result, or nil
	errRes *variable // named error result, or nil
	level  int       // variables of lower levels are read-only here
	fn     *asyncFunc
}

type loop struct {
	label         string
	used          bool
	awaitingRange bool // a range loop whose operand awaits (bug 6)
}

// ctx is where a statement goes; nested blocks copy it.
type ctx struct {
	b         *body
	sc        *scope
	loops     []*loop // enclosing loops of this body
	floor     int     // loops[:floor] cannot be left (a map range is inside)
	noEscape  bool    // in a map range body: no return, panic, break or continue out
	inSwitch  bool
	depth     int
	mult      int // how often this code runs per call of the function
	loopDepth int
}

func (c *ctx) nested() *ctx {
	n := *c
	n.sc = &scope{parent: c.sc}
	n.depth++
	return &n
}

// Program is a generated program.
type Program struct {
	Source string
	Hits   map[string]int // productions used
}

type gen struct {
	r     *rng
	out   []any // string or func() string, rendered at the end
	funcs []*asyncFunc
	cur   *asyncFunc
	names int
	ids   int
	hits  map[string]int
	lits  []string // the inline coroutines generated in the current body
}

// Generate turns data into a program. The same data always gives the same
// program.
func Generate(data []byte) *Program {
	g := &gen{r: &rng{data: data}, hits: map[string]int{}}
	src := g.program()
	formatted, err := format.Source([]byte(src))
	if err != nil {
		panic(fmt.Sprintf("difffuzz: generated invalid syntax: %v\n%s", err, numbered(src)))
	}
	return &Program{Source: string(formatted), Hits: g.hits}
}

func numbered(src string) string {
	var b strings.Builder
	for i, l := range strings.Split(src, "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	return b.String()
}

func (g *gen) hit(name string) { g.hits[name]++ }

func (g *gen) emit(s string)                 { g.out = append(g.out, s) }
func (g *gen) emitf(f string, args ...any)   { g.out = append(g.out, fmt.Sprintf(f, args...)) }
func (g *gen) lazy(f func() string)          { g.out = append(g.out, f) }
func (g *gen) fresh(prefix string) string    { g.names++; return prefix + strconv.Itoa(g.names) }
func (g *gen) id(prefix string) string       { g.ids++; return prefix + strconv.Itoa(g.ids) }
func (g *gen) lit() string                   { return strconv.Itoa(g.r.intn(10)) }
func (g *gen) durLit() string                { return []string{"0", "1", "2", "3", "5", "1"}[g.r.intn(6)] }
func (g *gen) quote(s string) string         { return strconv.Quote(s) }
func (g *gen) pick(xs []*variable) *variable { return xs[g.r.intn(len(xs))] }

// render turns pieces into text, resolving the lazy ones now.
func render(pieces []any) string {
	var b strings.Builder
	for _, p := range pieces {
		switch p := p.(type) {
		case string:
			b.WriteString(p)
		case func() string:
			b.WriteString(p())
		}
	}
	return b.String()
}

// capture generates into a separate buffer and returns its text (for
// function literals inside expressions). The variables declared inside are
// not visible outside, so their lazy uses can be resolved now.
func (g *gen) capture(f func()) string {
	saved := g.out
	g.out = nil
	f()
	s := render(g.out)
	g.out = saved
	return s
}

// declare adds v to the current scope and makes sure Go sees it used.
func (g *gen) declare(c *ctx, v *variable) {
	c.sc.vars = append(c.sc.vars, v)
	g.useLater(v)
}

func (g *gen) useLater(v *variable) {
	g.lazy(func() string {
		if v.used {
			return ""
		}
		return "_ = " + v.name + "\n"
	})
}

// newName returns a fresh name, or sometimes the name of a variable of an
// enclosing scope, to shadow it.
func (g *gen) newName(c *ctx, prefix string) string {
	if c.sc.parent != nil && g.r.chance(1, 8) {
		var outer []*variable
		inner := map[string]bool{}
		for _, v := range c.sc.vars {
			inner[v.name] = true
		}
		for _, v := range c.sc.visible() {
			if !inner[v.name] && !v.result {
				outer = append(outer, v)
			}
		}
		if len(outer) > 0 {
			g.hit("shadow")
			return g.pick(outer).name
		}
	}
	return g.fresh(prefix)
}

func (g *gen) vars(c *ctx, k kind) []*variable {
	var out []*variable
	for _, v := range c.sc.visible() {
		if v.kind == k && !(k == kCoro && (v.consumed || v.loopDepth != c.loopDepth || v.level != c.b.level)) {
			out = append(out, v)
		}
	}
	return out
}

// readable lists the variables of kind k that this body may read bare
// in an expression: an inline coroutine may run as a task while the body
// that owns a variable writes it, so it sees only the immutable ones of
// enclosing bodies (and the others through closures, whose calls are
// ordered).
func (g *gen) readable(c *ctx, k kind) []*variable {
	var out []*variable
	for _, v := range g.vars(c, k) {
		if v.level >= c.b.level || v.immutable {
			out = append(out, v)
		}
	}
	return out
}

// own lists the variables of kind k that belong to this body.
func (g *gen) own(c *ctx, k kind) []*variable {
	var out []*variable
	for _, v := range g.vars(c, k) {
		if v.level == c.b.level {
			out = append(out, v)
		}
	}
	return out
}

// writable lists the variables of kind k that this body may assign.
func (g *gen) writable(c *ctx, k kind) []*variable {
	var out []*variable
	for _, v := range g.vars(c, k) {
		if !v.readonly && v.level == c.b.level {
			out = append(out, v)
		}
	}
	return out
}

// mutClosures are the mutating closures this body may call.
func (g *gen) mutClosures(c *ctx) []*variable {
	var out []*variable
	for _, v := range g.vars(c, kMut) {
		if v.level == c.b.level {
			out = append(out, v)
		}
	}
	return out
}

func (g *gen) afford(c *ctx, cost int) bool {
	return g.cur.cost+c.mult*cost <= g.cur.budget
}

func (g *gen) spend(c *ctx, cost int) { g.cur.cost += c.mult * cost }

// callees are the async functions this body may await, with int results
// only when ints is set.
func (g *gen) callees(c *ctx, ints bool) []*asyncFunc {
	var out []*asyncFunc
	for _, f := range g.funcs {
		if f.index > g.cur.index && (!ints || f.kind.intResult()) && g.afford(c, f.cost+1) {
			out = append(out, f)
		}
	}
	return out
}

// call returns a call of f with argument expressions, and pays for it.
func (g *gen) call(c *ctx, f *asyncFunc, d int) string {
	g.spend(c, f.cost+1)
	args := make([]string, f.params)
	for i := range args {
		args[i] = g.intExpr(c, d)
	}
	return f.name + "(" + strings.Join(args, ", ") + ")"
}

// ---- the program

func (g *gen) program() string {
	// One input in 16 runs its tasks eagerly (rt.WithEagerTasks): read from
	// the high bits of the first byte without consuming it, so that the
	// program is otherwise the same as the input's without the option.
	eager := len(g.r.data) > 0 && g.r.data[0] >= 0xF0
	n := 1 + g.r.intn(4)
	g.funcs = make([]*asyncFunc, n)
	for i := range n {
		f := &asyncFunc{name: "F" + strconv.Itoa(i), index: i, kind: bodyKind(g.r.intn(4)), params: g.r.intn(3)}
		f.budget = 12 + 12*(n-i) + g.r.intn(20)
		g.funcs[i] = f
	}
	// The rest of the input is split: Main gets the first 40%, the other
	// functions equal parts of the rest, so that a change of the input
	// changes one function.
	rest := g.r.data[min(g.r.pos, len(g.r.data)):]
	chunks := make([][]byte, n+1)
	mainLen := len(rest) * 2 / 5
	chunks[n], rest = rest[:mainLen], rest[mainLen:]
	for i := range n {
		l := len(rest) / (n - i)
		chunks[i], rest = rest[:l], rest[l:]
	}
	bodies := make([]string, n)
	for i := n - 1; i >= 0; i-- {
		g.r = &rng{data: chunks[i]}
		bodies[i] = g.capture(func() { g.function(g.funcs[i]) })
	}
	g.r = &rng{data: chunks[n]}
	main := &asyncFunc{name: "Main", index: -1, kind: bAsync, budget: 250}
	mainBody := g.capture(func() { g.function(main) })
	var b strings.Builder
	if eager {
		g.hit("eager")
		b.WriteString(eagerPrelude)
	} else {
		b.WriteString(prelude)
	}
	b.WriteString(mainBody)
	for _, s := range bodies {
		b.WriteString(s)
	}
	return b.String()
}

// eagerPrelude is prelude with Main run under eager tasks.
var eagerPrelude = func() string {
	const run = "rt.Run(Main(), rt.WithVirtualClock())"
	if strings.Count(prelude, run) != 1 {
		panic("difffuzz: the prelude no longer runs Main with " + run)
	}
	return strings.Replace(prelude, run, "rt.Run(Main(), rt.WithVirtualClock(), rt.WithEagerTasks())", 1)
}()

const prelude = `//go:build corosrc

// Code generated by difffuzz for a differential test.

package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/corogen/corogen/rt"
)

var _ = time.Second

// say logs an event with the loop's virtual time.
func say(format string, args ...any) {
	fmt.Printf("[%v] "+format+"\n", append([]any{rt.Now()}, args...)...)
}

// note logs the evaluation of a plain call and returns v.
func note(id string, v int) int {
	say("eval %s = %d", id, v)
	return v
}

// show formats an error or a panic value without goroutine stacks.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case *rt.PanicError:
		return "PanicError(" + show(x.Value) + ")"
	case error:
		var pe *rt.PanicError
		if errors.As(x, &pe) {
			return "error wrapping PanicError(" + show(pe.Value) + ")"
		}
		return fmt.Sprintf("error(%v, cancelled=%v)", x, errors.Is(x, rt.ErrCancelled))
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

func at(s []int, i int) int {
	if len(s) == 0 {
		return -1
	}
	i %= len(s)
	if i < 0 {
		i += len(s)
	}
	return s[i]
}

func idx(i, n int) int {
	if n == 0 {
		return 0
	}
	i %= n
	if i < 0 {
		i += n
	}
	return i
}

func sumFns(fs []func() int) int {
	t := 0
	for _, f := range fs {
		t = t*3 + f()
	}
	return t
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func main() {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("main panicked: %s\n", show(r))
			os.Exit(3)
		}
	}()
	v, err := rt.Run(Main(), rt.WithVirtualClock())
	fmt.Printf("result %v, error %s\n", v, show(err))
}

`

func (g *gen) function(f *asyncFunc) {
	g.cur = f
	g.lits = nil
	g.hit("func." + [...]string{"async", "asyncerr", "do", "doerr"}[f.kind])
	b := &body{kind: f.kind, level: 0, fn: f}
	c := &ctx{b: b, sc: &scope{}, mult: 1}
	var params []string
	for i := range f.params {
		p := &variable{name: string(rune('a' + i)), kind: kInt}
		params = append(params, p.name+" int")
		c.sc.vars = append(c.sc.vars, p)
	}
	resT := "int"
	if !f.kind.intResult() {
		resT = "rt.Void"
	}
	g.emitf("//coro:async\nfunc %s(%s) rt.Coro[%s] {\n", f.name, strings.Join(params, ", "), resT)
	g.emit("return " + g.literal(c, f.kind, true) + "\n}\n\n")
}

// literal returns rt.Async(func() ... {...}) (or the other three) with a
// generated body, in the body context c (whose scope it extends).
func (g *gen) literal(c *ctx, k bodyKind, top bool) string {
	b := &body{kind: k, level: c.b.level, fn: g.cur}
	if !top {
		b.level = c.b.level + 1
	}
	inner := &ctx{b: b, sc: &scope{parent: c.sc}, mult: c.mult, depth: c.depth, loopDepth: 0}
	named := k.intResult() && g.r.chance(1, 3)
	var head string
	switch k {
	case bAsync:
		head = "rt.Async(func() int {\n"
		if named {
			b.res = &variable{name: "res", kind: kInt, level: b.level, result: true}
			head = "rt.Async(func() (res int) {\n"
		}
	case bAsyncErr:
		head = "rt.AsyncErr(func() (int, error) {\n"
		if named {
			b.res = &variable{name: "res", kind: kInt, level: b.level, result: true}
			b.errRes = &variable{name: "err", level: b.level, result: true}
			head = "rt.AsyncErr(func() (res int, err error) {\n"
		}
	case bDo:
		head = "rt.Do(func() {\n"
	case bDoErr:
		head = "rt.DoErr(func() error {\n"
	}
	if named {
		g.hit("named-result")
		inner.sc.vars = append(inner.sc.vars, b.res)
	}
	outer := g.lits
	g.lits = nil
	text := g.capture(func() {
		if g.r.chance(1, 5) {
			fs := &variable{name: g.fresh("fs"), kind: kFns, level: b.level}
			g.emitf("var %s []func() int\n", fs.name)
			g.declare(inner, fs)
		}
		if g.r.chance(1, 6) {
			aws := &variable{name: g.fresh("aws"), kind: kAws, level: b.level}
			g.emitf("var %s []rt.Awaitable[int]\n", aws.name)
			g.declare(inner, aws)
		}
		if !g.block(inner, 10) {
			if top {
				g.callNext(inner)
			}
			g.finalReturn(inner)
		}
	})
	g.markTryOnly(text)
	g.lits = append(outer, head+text+"})")
	return head + text + "})"
}

// markTryOnly records a function body (text) whose only awaits are rt.Try
// (bug 2 of testdata/known_divergences.md).
func (g *gen) markTryOnly(text string) {
	own := text // without the inline coroutines inside
	for _, t := range g.lits {
		own = strings.Replace(own, t, "", 1)
	}
	if strings.Contains(own, "rt.Try(") && !strings.Contains(own, "rt.Await(") {
		g.hit("try-only-body")
	}
}

// rawLit records an inline coroutine written out by hand.
func (g *gen) rawLit(s string) string {
	g.lits = append(g.lits, s)
	return s
}

// callNext ends Main with a call of F0, and Fi sometimes with one of
// Fi+1, so that most functions run.
func (g *gen) callNext(c *ctx) {
	next := g.cur.index + 1
	if next >= len(g.funcs) || g.cur.index >= 0 && !g.r.chance(1, 2) {
		return
	}
	f := g.funcs[next]
	if !g.afford(c, f.cost+1) {
		return
	}
	g.hit("call-next")
	g.tryOf(c, g.call(c, f, 1), f.kind.intResult())
}

// finalReturn ends a body that did not end with a terminating statement.
func (g *gen) finalReturn(c *ctx) {
	switch c.b.kind {
	case bAsync:
		if c.b.res != nil && g.r.chance(1, 2) {
			g.emit("return\n")
			return
		}
		g.emit("return " + g.intExpr(c, 2) + "\n")
	case bAsyncErr:
		if c.b.res != nil && g.r.chance(1, 2) {
			g.emit("return\n")
			return
		}
		if g.r.chance(1, 4) {
			g.hit("return.error")
			g.emitf("return %s, fmt.Errorf(%q, %s)\n", g.intExpr(c, 1), g.id("e")+" %d", g.intExpr(c, 1))
			return
		}
		if g.r.chance(1, 5) {
			g.hit("return.try")
			g.emitf("return rt.Try(%s)\n", g.awaitable(c))
			return
		}
		g.emit("return " + g.intExpr(c, 2) + ", nil\n")
	case bDoErr:
		if g.r.chance(1, 4) {
			g.hit("return.error")
			g.emitf("return fmt.Errorf(%q, %s)\n", g.id("e")+" %d", g.intExpr(c, 1))
			return
		}
		g.emit("return nil\n")
	}
}

// block generates up to max statements into the current block and reports
// whether it ended with a terminating statement.
func (g *gen) block(c *ctx, max int) bool {
	if c.depth > 5 {
		max = 1
	}
	num, den := 5, 6
	if c.depth == 0 {
		num, den = 9, 10 // a function's own body is longer
	}
	for i := 0; i < max && g.r.chance(num, den); i++ {
		if g.stmt(c) {
			return true
		}
	}
	return false
}

// nestedBlock generates a { block } with a new scope.
func (g *gen) nestedBlock(c *ctx, max int) bool {
	return g.block(c.nested(), max)
}

type option struct {
	name string
	w    int
	f    func() bool
}

func (g *gen) choose(opts []option) bool {
	total := 0
	for _, o := range opts {
		total += o.w
	}
	k := g.r.intn(total)
	for _, o := range opts {
		if k < o.w {
			g.hit(o.name)
			return o.f()
		}
		k -= o.w
	}
	panic("unreachable")
}

// stmt generates one statement and reports whether it terminates the block.
func (g *gen) stmt(c *ctx) bool {
	var opts []option
	add := func(name string, w int, ok bool, f func() bool) {
		if ok {
			opts = append(opts, option{name, w, f})
		}
	}
	none := func(f func()) func() bool { return func() bool { f(); return false } }
	deep := c.depth < 4
	inLoop := len(c.loops) > c.floor
	ints := g.writable(c, kInt)
	if c.b.res != nil && c.b.res.level == c.b.level {
		// named results are writable (the deferred literals set them)
	}
	add("say", 6, true, none(func() { g.say(c) }))
	add("decl", 4, true, none(func() { g.declInt(c) }))
	add("assign", 4, len(ints) > 0, none(func() { g.assign(c, ints) }))
	add("multi-assign", 1, len(ints) > 1, none(func() { g.multiAssign(c, ints) }))
	add("sleep", 4, g.afford(c, 1), none(func() { g.spend(c, 1); g.emitf("rt.Await(rt.Sleep(%s))\n", g.duration(c)) }))
	add("await-call", 4, len(g.callees(c, false)) > 0, none(func() { g.awaitCall(c) }))
	add("try-call", 3, len(g.callees(c, false)) > 0, none(func() { g.tryCall(c) }))
	add("if", 4, deep, func() bool { return g.ifStmt(c) })
	add("for3", 2, deep, none(func() { g.for3(c) }))
	add("while", 2, deep, none(func() { g.while(c) }))
	add("forever", 2, deep, none(func() { g.forever(c) }))
	add("range-int", 2, deep, none(func() { g.rangeInt(c) }))
	add("range-slice", 2, deep, none(func() { g.rangeSlice(c) }))
	add("range-string", 1, deep, none(func() { g.rangeString(c) }))
	add("range-map", 1, deep && len(g.readable(c, kMap)) > 0, none(func() { g.rangeMap(c) }))
	add("range-keys", 1, deep && len(g.readable(c, kMap)) > 0, none(func() { g.rangeKeys(c) }))
	add("switch", 3, deep, func() bool { return g.switchStmt(c) })
	add("tagless-switch", 2, deep, func() bool { return g.taglessSwitch(c) })
	add("branch", 3, inLoop && !c.noEscape, func() bool { return g.branch(c) })
	add("return", 2, !c.noEscape && c.b.kind != bDefer, func() bool { return g.ret(c) })
	add("panic", 1, !c.noEscape, func() bool { return g.panicStmt(c) })
	add("spawn", 3, len(g.callees(c, false)) > 0, none(func() { g.spawn(c) }))
	add("spawn-inline", 2, deep && g.afford(c, 3), none(func() { g.spawnInline(c) }))
	add("spawn-list", 2, len(g.own(c, kAws)) > 0 && g.afford(c, 3), none(func() { g.spawnList(c) }))
	tasks := append(g.vars(c, kTask), g.vars(c, kVoidTask)...)
	add("cancel", 2, len(tasks) > 0, none(func() { g.cancel(c, tasks) }))
	add("await-task", 2, len(tasks) > 0, none(func() { g.awaitTask(c, tasks) }))
	add("cancel-try", 2, len(tasks) > 0, none(func() { g.cancelTry(c, tasks) }))
	add("task-result", 1, len(tasks) > 0, none(func() { g.taskResult(c, tasks) }))
	add("gather", 2, true, none(func() { g.gather(c, false) }))
	add("try-gather", 1, true, none(func() { g.gather(c, true) }))
	add("gather-list", 1, len(g.own(c, kAws)) > 0, none(func() { g.gatherList(c) }))
	add("gather-void", 1, true, none(func() { g.gatherVoid(c) }))
	add("defer", 4, deep && !c.noEscape, none(func() { g.deferStmt(c) }))
	add("closure", 2, true, none(func() { g.closure(c) }))
	add("mut-closure", 2, len(ints) > 0 || len(g.writable(c, kSlice)) > 0, none(func() { g.mutClosure(c, ints) }))
	add("call-mut", 2, len(g.mutClosures(c)) > 0, none(func() { g.emitf("%s()\n", g.pickUse(g.mutClosures(c))) }))
	add("fns-append", 2, len(g.own(c, kFns)) > 0, none(func() { g.fnsAppend(c) }))
	add("inline-await", 2, deep && g.afford(c, 2), none(func() { g.inlineAwait(c) }))
	add("inline-try", 1, deep && g.afford(c, 2), none(func() { g.inlineTry(c) }))
	add("inline-do", 1, deep && g.afford(c, 2), none(func() { g.inlineDo(c) }))
	add("block", 1, deep, func() bool {
		g.emit("{\n")
		t := g.nestedBlock(c, 4)
		g.emit("}\n")
		return t
	})
	add("slice", 3, true, none(func() { g.sliceStmt(c) }))
	add("map", 2, true, none(func() { g.mapStmt(c) }))
	add("coro-var", 2, len(g.callees(c, true)) > 0, none(func() { g.coroVar(c) }))
	add("coro-use", 2, len(g.vars(c, kCoro)) > 0, none(func() { g.coroUse(c) }))
	add("try-sleep", 2, g.afford(c, 2), none(func() { g.trySleep(c) }))
	add("current-task", 1, true, none(func() { g.emitf("say(%q, rt.CurrentTask())\n", g.id("ct")+" %v") }))
	return g.choose(opts)
}

// pickUse picks a variable and marks it used.
func (g *gen) pickUse(vs []*variable) string {
	v := g.pick(vs)
	v.used = true
	return v.name
}

func (g *gen) duration(c *ctx) string {
	if g.r.chance(1, 5) {
		g.hit("sleep.computed")
		return "time.Duration(idx(" + g.intExpr(c, 1) + ", 4))"
	}
	return g.durLit()
}

// ---- expressions

// intExpr returns an int expression of nesting at most d.
func (g *gen) intExpr(c *ctx, d int) string {
	var opts []option
	var res string
	add := func(name string, w int, ok bool, f func() string) {
		if ok {
			opts = append(opts, option{name, w, func() bool { res = f(); return false }})
		}
	}
	add("e.lit", 4, true, g.lit)
	ints := g.readable(c, kInt)
	add("e.var", 6, len(ints) > 0, func() string { return g.pickUse(ints) })
	runes := g.readable(c, kRune)
	add("e.rune", 2, len(runes) > 0, func() string { return "int(" + g.pickUse(runes) + ")" })
	strs := g.readable(c, kStr)
	add("e.strlen", 1, len(strs) > 0, func() string { return "len(" + g.pickUse(strs) + ")" })
	if d > 0 {
		add("e.binary", 4, true, func() string {
			op := []string{"+", "-", "*"}[g.r.intn(3)]
			return "(" + g.intExpr(c, d-1) + " " + op + " " + g.intExpr(c, d-1) + ")"
		})
		add("e.note", 3, true, func() string {
			g.spend(c, 1)
			return fmt.Sprintf("note(%q, %s)", g.id("n"), g.intExpr(c, d-1))
		})
		add("e.minmax", 1, true, func() string {
			return []string{"min", "max"}[g.r.intn(2)] + "(" + g.intExpr(c, d-1) + ", " + g.intExpr(c, d-1) + ")"
		})
		fs := g.callees(c, true)
		add("e.await-call", 5, len(fs) > 0, func() string {
			return "rt.Await(" + g.call(c, fs[g.r.intn(len(fs))], d-1) + ")"
		})
		tasks := g.vars(c, kTask)
		add("e.await-task", 2, len(tasks) > 0, func() string { return "rt.Await(" + g.pickUse(tasks) + ")" })
		add("e.await-inline", 1, c.depth < 4 && g.afford(c, 2), func() string {
			return "rt.Await(" + g.literal(c, bAsync, false) + ")"
		})
		slices := g.readable(c, kSlice)
		add("e.at", 2, len(slices) > 0, func() string {
			return "at(" + g.pickUse(slices) + ", " + g.intExpr(c, d-1) + ")"
		})
		add("e.len", 1, len(slices) > 0, func() string { return "len(" + g.pickUse(slices) + ")" })
		maps := g.readable(c, kMap)
		add("e.map", 2, len(maps) > 0, func() string { return g.pickUse(maps) + "[" + g.key() + "]" })
		pures := g.vars(c, kPure)
		add("e.closure", 2, len(pures) > 0, func() string { return g.pickUse(pures) + "()" })
		fns := g.readable(c, kFns)
		add("e.sumfns", 1, len(fns) > 0, func() string { return "sumFns(" + g.pickUse(fns) + ")" })
	}
	g.choose(opts)
	return res
}

// nonConst returns an int expression that is not a constant (for case
// lists, where duplicate constants do not compile).
func (g *gen) nonConst(c *ctx, d int) string {
	e := g.intExpr(c, d)
	if isConst(e) {
		g.spend(c, 1)
		return fmt.Sprintf("note(%q, %s)", g.id("n"), e)
	}
	return e
}

// isConst reports whether e is made only of literals and operators.
func isConst(e string) bool {
	e = strings.NewReplacer("min(", "", "max(", "", ",", "").Replace(e)
	return strings.Trim(e, "0123456789()+-* ") == ""
}

func (g *gen) key() string { return strconv.Quote(string(rune('a' + g.r.intn(5)))) }

func (g *gen) boolExpr(c *ctx, d int) string {
	var opts []option
	var res string
	add := func(name string, w int, ok bool, f func() string) {
		if ok {
			opts = append(opts, option{name, w, func() bool { res = f(); return false }})
		}
	}
	add("b.cmp", 6, true, func() string {
		op := []string{"<", "<=", "==", "!=", ">"}[g.r.intn(5)]
		return g.intExpr(c, d) + " " + op + " " + g.intExpr(c, d)
	})
	add("b.even", 3, true, func() string { return g.intExpr(c, d) + "%2 == 0" })
	tasks := append(g.vars(c, kTask), g.vars(c, kVoidTask)...)
	add("b.task", 1, len(tasks) > 0, func() string {
		return g.pickUse(tasks) + []string{".Done()", ".Cancelled()"}[g.r.intn(2)]
	})
	if d > 0 {
		add("b.not", 1, true, func() string { return "!(" + g.boolExpr(c, d-1) + ")" })
		add("b.andor", 3, true, func() string {
			op := []string{"&&", "||"}[g.r.intn(2)]
			return "(" + g.boolExpr(c, d-1) + " " + op + " " + g.boolExpr(c, d-1) + ")"
		})
	}
	g.choose(opts)
	return res
}

// ---- simple statements

func (g *gen) say(c *ctx) {
	id := g.id("s")
	format := id
	var args []string
	n := g.r.intn(3)
	for range n {
		format += " %d"
		args = append(args, g.intExpr(c, 2))
	}
	var opts []option
	add := func(name string, k kind, verb string, wrap func(string) string) {
		vs := g.readable(c, k)
		if len(vs) > 0 {
			opts = append(opts, option{name, 1, func() bool {
				format += " " + verb
				args = append(args, wrap(g.pickUse(vs)))
				return false
			}})
		}
	}
	same := func(s string) string { return s }
	add("say.slice", kSlice, "%v", same)
	add("say.map", kMap, "%v", same)
	add("say.task", kTask, "%v", same)
	add("say.voidtask", kVoidTask, "%v", same)
	add("say.coro", kCoro, "%v", same)
	add("say.str", kStr, "%q", same)
	add("say.rune", kRune, "%q", same)
	add("say.taskstate", kTask, "%v", func(s string) string { return "[]bool{" + s + ".Done(), " + s + ".Cancelled()}" })
	if len(opts) > 0 && g.r.chance(1, 3) {
		g.choose(opts)
	}
	g.spend(c, 1)
	g.emitf("say(%q%s)\n", format, prefixComma(args))
}

func prefixComma(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return ", " + strings.Join(args, ", ")
}

func (g *gen) declInt(c *ctx) {
	e := g.intExpr(c, 2)
	v := &variable{name: g.newName(c, "x"), kind: kInt, level: c.b.level}
	g.emitf("%s := %s\n", v.name, e)
	g.declare(c, v)
}

func (g *gen) assign(c *ctx, ints []*variable) {
	v := g.pick(ints)
	switch g.r.intn(4) {
	case 0:
		e := g.intExpr(c, 2)
		if e == v.name {
			e += " + 1" // not a self-assignment, which vet reports
		}
		g.emitf("%s = %s\n", v.name, e)
	case 1:
		g.emitf("%s %s= %s\n", v.name, []string{"+", "-", "*"}[g.r.intn(3)], g.intExpr(c, 2))
	case 2:
		g.emitf("%s++\n", v.name)
	default:
		// a named result, or a three-clause loop counter moved forward
		if c.b.res != nil && c.b.res.level == c.b.level && g.r.chance(1, 2) {
			g.emitf("res = %s\n", g.intExpr(c, 2))
			return
		}
		g.emitf("%s += %s\n", v.name, g.intExpr(c, 1))
	}
}

func (g *gen) multiAssign(c *ctx, ints []*variable) {
	i := g.r.intn(len(ints))
	j := g.r.intn(len(ints) - 1)
	if j >= i {
		j++
	}
	a, b := ints[i], ints[j]
	if g.r.chance(1, 2) {
		b.used, a.used = true, true
		g.emitf("%s, %s = %s, %s\n", a.name, b.name, b.name, a.name)
		return
	}
	g.emitf("%s, %s = %s, %s\n", a.name, b.name, g.intExpr(c, 2), g.intExpr(c, 2))
}

func (g *gen) awaitCall(c *ctx) {
	fs := g.callees(c, false)
	f := fs[g.r.intn(len(fs))]
	g.emitf("rt.Await(%s)\n", g.call(c, f, 1))
}

func (g *gen) tryCall(c *ctx) {
	fs := g.callees(c, false)
	f := fs[g.r.intn(len(fs))]
	g.tryOf(c, g.call(c, f, 1), f.kind.intResult())
}

// tryOf emits v, err := rt.Try(a) and logs both.
func (g *gen) tryOf(c *ctx, a string, hasInt bool) {
	e := g.fresh("err")
	if hasInt {
		v := g.fresh("v")
		g.emitf("%s, %s := rt.Try(%s)\n", v, e, a)
		g.emitf("say(%q, %s, show(%s))\n", g.id("t")+" try %d %s", v, e)
		return
	}
	if g.r.chance(1, 2) {
		g.hit("try.if")
		g.emitf("if _, %s := rt.Try(%s); %s != nil {\n", e, a, e)
		g.emitf("say(%q, show(%s))\n", g.id("t")+" failed %s", e)
		if !c.noEscape && c.b.kind != bDefer && g.r.chance(1, 3) {
			g.ret(c)
		}
		g.emit("}\n")
		return
	}
	g.emitf("_, %s := rt.Try(%s)\n", e, a)
	g.emitf("say(%q, show(%s))\n", g.id("t")+" try %s", e)
}

func (g *gen) trySleep(c *ctx) {
	g.spend(c, 2)
	e := g.fresh("err")
	g.emitf("if _, %s := rt.Try(rt.Sleep(%s)); %s != nil {\n", e, g.durLit(), e)
	g.emitf("say(%q, show(%s))\n", g.id("c")+" caught %s", e)
	g.emit("}\n")
}

// ---- control flow

func (g *gen) ifStmt(c *ctx) bool {
	inner := c.nested()
	g.emit("if ")
	if g.r.chance(1, 3) {
		g.hit("if.init")
		v := &variable{name: g.newName(inner, "y"), kind: kInt, level: c.b.level}
		g.emitf("%s := %s; ", v.name, g.intExpr(c, 2))
		inner.sc.vars = append(inner.sc.vars, v)
		g.emit(g.boolExpr(inner, 1) + " {\n")
		g.useLater(v)
	} else {
		g.emit(g.boolExpr(c, 1) + " {\n")
	}
	t1 := g.block(inner.nested(), 4)
	if !g.r.chance(1, 2) {
		g.emit("}\n")
		return false
	}
	if g.r.chance(1, 3) {
		g.hit("if.elseif")
		g.emit("} else if " + g.boolExpr(inner, 1) + " {\n")
		g.block(inner.nested(), 3)
		g.emit("}\n")
		return false
	}
	g.emit("} else {\n")
	t2 := g.block(inner.nested(), 4)
	g.emit("}\n")
	return t1 && t2
}

// loopBody generates a loop body with the loop on the stack; label is
// emitted before the loop header only if a branch uses it.
func (g *gen) loopBody(c *ctx, trips int, head string, pre func(in *ctx)) {
	l := &loop{label: g.fresh("L")}
	l.awaitingRange = strings.Contains(head, " range ") && (strings.Contains(head, "rt.Await(") || strings.Contains(head, "rt.Try("))
	g.lazy(func() string {
		if l.used {
			return l.label + ":\n"
		}
		return ""
	})
	g.emit(head + " {\n")
	in := c.nested()
	in.loops = append(append([]*loop(nil), c.loops...), l)
	in.mult = c.mult * max(trips, 1)
	in.loopDepth++
	in.inSwitch = false
	if pre != nil {
		pre(in)
	}
	g.block(in, 5)
	g.emit("}\n")
}

func (g *gen) trips() int { return g.r.intn(4) }

func (g *gen) for3(c *ctx) {
	n := g.trips()
	i := &variable{name: g.fresh("i"), kind: kInt, level: c.b.level, readonly: true, immutable: true, used: true}
	hc := c.nested()
	cond := strconv.Itoa(n)
	if g.r.chance(1, 3) {
		g.hit("for3.awaitcond")
		n = 3
		cm := *hc
		cm.mult = c.mult * 4
		cond = "min(3, " + g.intExpr(&cm, 1) + ")"
	}
	post := i.name + "++"
	if g.r.chance(1, 4) {
		g.hit("for3.awaitpost")
		cm := *hc
		cm.mult = c.mult * 4
		post = i.name + " += max(1, " + g.intExpr(&cm, 1) + ")"
	}
	hc.sc.vars = append(hc.sc.vars, i)
	g.loopBody(hc, n, fmt.Sprintf("for %s := 0; %s < %s; %s", i.name, i.name, cond, post), func(in *ctx) {
		if g.r.chance(1, 4) {
			// move the counter forward: Go 1.22 copies it per iteration
			g.hit("for3.bump")
			g.emitf("%s++\n", i.name)
		}
	})
}

func (g *gen) while(c *ctx) {
	n := g.trips()
	w := &variable{name: g.fresh("w"), kind: kInt, level: c.b.level, readonly: true, used: true}
	g.emitf("%s := 0\n", w.name)
	c.sc.vars = append(c.sc.vars, w)
	g.loopBody(c, n, fmt.Sprintf("for %s < %d", w.name, n), func(in *ctx) { g.emitf("%s++\n", w.name) })
}

func (g *gen) forever(c *ctx) {
	n := g.trips()
	k := &variable{name: g.fresh("k"), kind: kInt, level: c.b.level, readonly: true, used: true}
	g.emitf("%s := 0\n", k.name)
	c.sc.vars = append(c.sc.vars, k)
	g.loopBody(c, n, "for", func(in *ctx) {
		g.emitf("if %s >= %d {\nbreak\n}\n%s++\n", k.name, n, k.name)
	})
}

func (g *gen) rangeInt(c *ctx) {
	n := g.trips()
	hc := c.nested()
	x := strconv.Itoa(n)
	if g.r.chance(1, 3) {
		g.hit("range-int.expr")
		n = 3
		x = "min(3, " + g.intExpr(c, 1) + ")"
	}
	if g.r.chance(1, 4) {
		g.loopBody(hc, n, "for range "+x, nil)
		return
	}
	i := &variable{name: g.fresh("i"), kind: kInt, level: c.b.level, readonly: true, immutable: true}
	hc.sc.vars = append(hc.sc.vars, i)
	g.loopBody(hc, n, "for "+i.name+" := range "+x, func(in *ctx) { g.useLater(i) })
}

func (g *gen) rangeSlice(c *ctx) {
	hc := c.nested()
	var x string
	n := 3
	slices := g.readable(c, kSlice)
	switch {
	case len(slices) > 0 && g.r.chance(1, 2):
		s := g.pick(slices)
		s.used = true
		x = s.name + "[:min(len(" + s.name + "), 3)]"
	case g.r.chance(1, 3):
		g.hit("range-array")
		n = 1 + g.r.intn(3)
		var es []string
		for range n {
			es = append(es, g.intExpr(c, 1))
		}
		x = fmt.Sprintf("[%d]int{%s}", n, strings.Join(es, ", "))
	default:
		n = g.r.intn(4)
		var es []string
		for range n {
			es = append(es, g.intExpr(c, 1))
		}
		x = "[]int{" + strings.Join(es, ", ") + "}"
	}
	i := &variable{name: g.fresh("i"), kind: kInt, level: c.b.level, readonly: true, immutable: true}
	v := &variable{name: g.fresh("v"), kind: kInt, level: c.b.level, readonly: true, immutable: true}
	var head string
	var vs []*variable
	form := g.r.intn(3)
	if form == 2 && strings.HasPrefix(x, "[") && !strings.HasPrefix(x, "[]") {
		g.hit("range-array.key") // bug 3
	}
	switch form {
	case 0:
		head = "for " + i.name + ", " + v.name + " := range " + x
		vs = []*variable{i, v}
	case 1:
		head = "for _, " + v.name + " := range " + x
		vs = []*variable{v}
	default:
		head = "for " + i.name + " := range " + x
		vs = []*variable{i}
	}
	hc.sc.vars = append(hc.sc.vars, vs...)
	g.loopBody(hc, n, head, func(in *ctx) {
		for _, v := range vs {
			g.useLater(v)
		}
	})
}

var rangeStrings = []string{"", "a", "héj", "ab\u00e9", "日本", "x\xffy", "😀!"}

func (g *gen) rangeString(c *ctx) {
	s := rangeStrings[g.r.intn(len(rangeStrings))]
	hc := c.nested()
	i := &variable{name: g.fresh("i"), kind: kInt, level: c.b.level, readonly: true, immutable: true}
	r := &variable{name: g.fresh("r"), kind: kRune, level: c.b.level, readonly: true, immutable: true}
	hc.sc.vars = append(hc.sc.vars, i, r)
	g.loopBody(hc, 3, fmt.Sprintf("for %s, %s := range %q", i.name, r.name, s), func(in *ctx) {
		g.useLater(i)
		g.useLater(r)
	})
}

// rangeMap ranges over a map in Go's random order: the key and value only
// reach an accumulator, hidden from the body and visible after the loop,
// and the body cannot leave the loop.
func (g *gen) rangeMap(c *ctx) {
	m := g.pick(g.readable(c, kMap))
	m.used = true
	// the body must not add or delete keys while the loop runs
	wasReadonly := m.readonly
	m.readonly = true
	defer func() { m.readonly = wasReadonly }()
	acc := &variable{name: g.fresh("acc"), kind: kInt, level: c.b.level}
	k, v := g.fresh("k"), g.fresh("v")
	g.emitf("%s := 0\n", acc.name)
	l := &loop{label: g.fresh("L")}
	g.emitf("for %s, %s := range %s {\n", k, v, m.name)
	g.emitf("%s += int(%s[0])*100 + %s\n", acc.name, k, v)
	in := c.nested()
	in.loops = append(append([]*loop(nil), c.loops...), l)
	in.floor = len(in.loops)
	in.noEscape = true
	in.mult = c.mult * 5
	in.loopDepth++
	in.inSwitch = false
	g.block(in, 4)
	g.emit("}\n")
	c.sc.vars = append(c.sc.vars, acc)
	g.useLater(acc)
}

func (g *gen) rangeKeys(c *ctx) {
	m := g.pick(g.readable(c, kMap))
	m.used = true
	hc := c.nested()
	k := &variable{name: g.fresh("key"), kind: kStr, level: c.b.level, readonly: true, immutable: true}
	hc.sc.vars = append(hc.sc.vars, k)
	g.loopBody(hc, 5, "for _, "+k.name+" := range sortedKeys("+m.name+")", func(in *ctx) {
		k.used = true
		g.emitf("say(%q, %s, %s[%s])\n", g.id("k")+" %s=%d", k.name, m.name, k.name)
	})
}

func (g *gen) switchStmt(c *ctx) bool {
	start := g.mark()
	hc := c.nested()
	head := "switch "
	if g.r.chance(1, 4) {
		g.hit("switch.init")
		v := &variable{name: g.newName(hc, "sw"), kind: kInt, level: c.b.level}
		head += v.name + " := " + g.intExpr(c, 1) + "; "
		hc.sc.vars = append(hc.sc.vars, v)
		head += v.name
		v.used = true
	} else {
		head += g.intExpr(c, 2)
	}
	g.emit(head + " {\n")
	hc.inSwitch = true
	fell := new(bool)
	consts := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	nclauses := 1 + g.r.intn(4)
	def := -1
	if g.r.chance(1, 2) {
		def = g.r.intn(nclauses)
	}
	allTerm := def >= 0
	for i := range nclauses {
		if i == def {
			g.emit("default:\n")
		} else {
			var es []string
			for range 1 + g.r.intn(3) {
				if len(consts) > 0 && g.r.chance(1, 2) {
					j := g.r.intn(len(consts))
					es = append(es, strconv.Itoa(consts[j]))
					consts = append(consts[:j], consts[j+1:]...)
				} else {
					es = append(es, g.nonConst(hc, 1))
				}
			}
			g.emit("case " + strings.Join(es, ", ") + ":\n")
		}
		t := g.block(hc.nested(), 3)
		if !t && i < nclauses-1 && g.r.chance(1, 3) {
			g.fallThrough(fell)
			t = true
		}
		allTerm = allTerm && t
	}
	g.emit("}\n")
	g.endSwitch(start, *fell)
	_ = allTerm // a switch with breaks inside is not terminating; keep it simple
	return false
}

func (g *gen) taglessSwitch(c *ctx) bool {
	start := g.mark()
	fell := new(bool)
	hc := c.nested()
	hc.inSwitch = true
	g.emit("switch {\n")
	n := 1 + g.r.intn(3)
	def := -1
	if g.r.chance(1, 2) {
		def = g.r.intn(n)
	}
	for i := range n {
		if i == def {
			g.emit("default:\n")
		} else {
			// never a constant: a var, a call or an await is in it
			g.emit("case " + g.nonConst(hc, 1) + " " + []string{"<", ">", "=="}[g.r.intn(3)] + " " + g.intExpr(hc, 1) + ":\n")
		}
		t := g.block(hc.nested(), 3)
		if !t && i < n-1 && g.r.chance(1, 4) {
			g.fallThrough(fell)
		}
	}
	g.emit("}\n")
	g.endSwitch(start, *fell)
	return false
}

type mark struct{ out, lits int }

func (g *gen) mark() mark { return mark{len(g.out), len(g.lits)} }

// awaitsSince reports whether the code generated since m awaits itself
// (not only inside inline coroutines or deferred literals).
func (g *gen) awaitsSince(m mark) bool {
	var b strings.Builder
	for _, p := range g.out[m.out:] {
		if s, ok := p.(string); ok {
			b.WriteString(s)
		}
	}
	own := b.String()
	for _, l := range g.lits[m.lits:] {
		own = strings.Replace(own, l, "", 1)
	}
	return strings.Contains(own, "rt.Await(") || strings.Contains(own, "rt.Try(")
}

// fallThrough ends a case clause with fallthrough.
func (g *gen) fallThrough(fell *bool) {
	g.hit("fallthrough")
	*fell = true
	g.emit("fallthrough\n")
}

// endSwitch records a switch with a fallthrough that does not await
// itself (bug 5).
func (g *gen) endSwitch(start mark, fell bool) {
	if fell && !g.awaitsSince(start) {
		g.hit("fallthrough.plain")
	}
}

// branch emits break or continue, labeled or not, usually under an if.
func (g *gen) branch(c *ctx) bool {
	tok := []string{"break", "continue"}[g.r.intn(2)]
	target := ""
	if g.r.chance(1, 2) {
		l := c.loops[c.floor+g.r.intn(len(c.loops)-c.floor)]
		l.used = true
		target = " " + l.label
		g.hit("branch.labeled")
		if l.awaitingRange {
			g.hit("branch.labeled-awaiting-range")
		}
	} else if tok == "break" && c.inSwitch {
		g.hit("branch.switch")
	}
	if g.r.chance(2, 3) {
		g.emitf("if %s {\n%s%s\n}\n", g.boolExpr(c, 1), tok, target)
		return false
	}
	g.emitf("%s%s\n", tok, target)
	return true
}

func (g *gen) ret(c *ctx) bool {
	guard := g.r.chance(2, 3)
	if guard {
		g.emitf("if %s {\n", g.boolExpr(c, 1))
	}
	g.finalReturn(c)
	if c.b.kind == bDo {
		g.emit("return\n")
	}
	if guard {
		g.emit("}\n")
		return false
	}
	return true
}

func (g *gen) panicStmt(c *ctx) bool {
	guard := g.r.chance(3, 4)
	if guard {
		g.emitf("if %s {\n", g.boolExpr(c, 1))
	}
	switch g.r.intn(4) {
	case 0:
		g.hit("panic.error")
		g.emitf("panic(fmt.Errorf(%q, %s))\n", g.id("p")+" %d", g.intExpr(c, 1))
	case 1:
		g.hit("panic.nilmap")
		nm := g.fresh("nm")
		g.emitf("var %s map[string]int\n%s[%s] = %s\n", nm, nm, g.key(), g.intExpr(c, 1))
		if !guard {
			return false // not a terminating statement for Go
		}
	default:
		g.emitf("panic(fmt.Sprintf(%q, %s))\n", g.id("p")+" %d", g.intExpr(c, 1))
	}
	if guard {
		g.emit("}\n")
		return false
	}
	return true
}

// ---- tasks

func (g *gen) spawn(c *ctx) {
	fs := g.callees(c, false)
	f := fs[g.r.intn(len(fs))]
	k := kTask
	if !f.kind.intResult() {
		k = kVoidTask
	}
	t := &variable{name: g.fresh("t"), kind: k, level: c.b.level, readonly: true, immutable: true}
	g.emitf("%s := rt.Spawn(%s)\n", t.name, g.call(c, f, 1))
	g.declare(c, t)
}

func (g *gen) inlineKind() bodyKind { return bodyKind(g.r.intn(4)) }

func (g *gen) spawnInline(c *ctx) {
	k := g.inlineKind()
	kv := kTask
	if !k.intResult() {
		kv = kVoidTask
	}
	t := &variable{name: g.fresh("t"), kind: kv, level: c.b.level, readonly: true, immutable: true}
	g.emitf("%s := rt.Spawn(%s)\n", t.name, g.literal(c, k, false))
	g.declare(c, t)
}

func (g *gen) spawnList(c *ctx) {
	aws := g.pick(g.own(c, kAws))
	aws.used = true
	var what string
	if fs := g.callees(c, true); len(fs) > 0 && g.r.chance(1, 2) {
		what = g.call(c, fs[g.r.intn(len(fs))], 1)
	} else {
		what = g.literal(c, []bodyKind{bAsync, bAsyncErr}[g.r.intn(2)], false)
	}
	if g.r.chance(1, 4) {
		g.hit("spawn-list.coro")
		g.emitf("%s = append(%s, %s)\n", aws.name, aws.name, what) // gathered as a coroutine
		return
	}
	g.emitf("%s = append(%s, rt.Spawn(%s))\n", aws.name, aws.name, what)
}

func (g *gen) cancel(c *ctx, tasks []*variable) {
	t := g.pickUse(tasks)
	if g.r.chance(1, 2) {
		g.emitf("%s.Cancel()\n", t)
		return
	}
	g.emitf("say(%q, %s.Cancel(), %s)\n", g.id("x")+" cancel %v %v", t, t)
}

func (g *gen) awaitTask(c *ctx, tasks []*variable) {
	t := g.pick(tasks)
	t.used = true
	if g.r.chance(1, 2) {
		g.tryOf(c, t.name, t.kind == kTask)
		return
	}
	if t.kind == kTask && g.r.chance(1, 2) {
		g.emitf("say(%q, rt.Await(%s))\n", g.id("a")+" awaited %d", t.name)
		return
	}
	g.emitf("rt.Await(%s)\n", t.name)
}

func (g *gen) cancelTry(c *ctx, tasks []*variable) {
	t := g.pick(tasks)
	t.used = true
	g.emitf("say(%q, %s.Cancel())\n", g.id("x")+" cancel %v", t.name)
	g.tryOf(c, t.name, t.kind == kTask)
	g.emitf("say(%q, %s.Done(), %s.Cancelled())\n", g.id("x")+" done %v cancelled %v", t.name, t.name)
}

func (g *gen) taskResult(c *ctx, tasks []*variable) {
	t := g.pick(tasks)
	t.used = true
	v, e := "_", g.fresh("err")
	if t.kind == kTask {
		v = g.fresh("v")
		g.emitf("%s, %s := %s.Result()\n", v, e, t.name)
		g.emitf("say(%q, %s, show(%s))\n", g.id("r")+" result %d %s", v, e)
		return
	}
	g.emitf("_, %s := %s.Result()\n", e, t.name)
	g.emitf("say(%q, show(%s))\n", g.id("r")+" result %s", e)
}

// awaitable returns an expression of type rt.Awaitable[int].
func (g *gen) awaitable(c *ctx) string {
	var opts []option
	var res string
	add := func(name string, w int, ok bool, f func() string) {
		if ok {
			opts = append(opts, option{name, w, func() bool { res = f(); return false }})
		}
	}
	fs := g.callees(c, true)
	add("aw.call", 4, len(fs) > 0, func() string { return g.call(c, fs[g.r.intn(len(fs))], 1) })
	tasks := g.vars(c, kTask)
	add("aw.task", 3, len(tasks) > 0, func() string { return g.pickUse(tasks) })
	add("aw.inline", 2, c.depth < 4 && g.afford(c, 2), func() string {
		return g.literal(c, []bodyKind{bAsync, bAsyncErr}[g.r.intn(2)], false)
	})
	add("aw.sleepy", 1, true, func() string {
		g.spend(c, 1)
		return g.rawLit("rt.Async(func() int { rt.Await(rt.Sleep(" + g.durLit() + ")); return " + g.lit() + " })")
	})
	g.choose(opts)
	return res
}

// knownBugs are the open bugs of testdata/known_divergences.md: the
// generator steers around them (where avoid is called) so that the fuzzer
// finds new ones. Delete a number once its bug is fixed; DIFFFUZZ_KNOWN=none
// turns them all off, to check whether they still stand.
var knownBugs = map[int]bool{}

// bugProductions are the productions that exist only in programs that
// meet an open bug: no seed has to use them.
var bugProductions = map[string]int{}

func init() {
	if os.Getenv("DIFFFUZZ_KNOWN") == "none" {
		knownBugs = nil
	}
}

func avoid(bug int) bool { return knownBugs[bug] }

func (g *gen) gather(c *ctx, try bool) {
	var as []string
	n := g.r.intn(4)
	if n == 0 {
		g.hit("gather.empty") // bug 1
	}
	for range n {
		as = append(as, g.awaitable(c))
	}
	rs := &variable{name: g.fresh("rs"), kind: kSlice, level: c.b.level, minLen: len(as)}
	x := "rt.Gather[int](" + strings.Join(as, ", ") + ")"
	if try {
		e := g.fresh("err")
		g.emitf("%s, %s := rt.Try(%s)\n", rs.name, e, x)
		g.emitf("say(%q, %s, show(%s))\n", g.id("g")+" gathered %v %s", rs.name, e)
		rs.minLen = 0
	} else {
		g.emitf("%s := rt.Await(%s)\n", rs.name, x)
		g.emitf("say(%q, %s)\n", g.id("g")+" gathered %v", rs.name)
	}
	rs.used = true
	g.declare(c, rs)
}

func (g *gen) gatherList(c *ctx) {
	aws := g.pick(g.own(c, kAws))
	aws.used = true
	rs := &variable{name: g.fresh("rs"), kind: kSlice, level: c.b.level}
	// Both spellings of gathering a slice, chosen without a draw (which
	// would change every later choice of the committed seeds' programs).
	if g.names%2 == 0 {
		g.hit("gather-list.all")
		g.emitf("%s := rt.Await(rt.GatherAll(%s))\n", rs.name, aws.name)
	} else {
		g.emitf("%s := rt.Await(rt.Gather(%s...))\n", rs.name, aws.name)
	}
	g.emitf("say(%q, %s)\n%s = nil\n", g.id("g")+" gathered list %v", rs.name, aws.name)
	rs.used = true
	g.declare(c, rs)
}

func (g *gen) gatherVoid(c *ctx) {
	var as []string
	vts := g.vars(c, kVoidTask)
	var voids []*asyncFunc
	for _, f := range g.callees(c, false) {
		if !f.kind.intResult() {
			voids = append(voids, f)
		}
	}
	n := g.r.intn(3)
	if n == 0 {
		g.hit("gather.empty") // bug 1
	}
	for range n {
		switch {
		case len(vts) > 0 && g.r.chance(1, 2):
			as = append(as, g.pickUse(vts))
		case len(voids) > 0 && g.r.chance(2, 3):
			as = append(as, g.call(c, voids[g.r.intn(len(voids))], 1))
		default:
			g.spend(c, 1)
			as = append(as, g.rawLit("rt.Do(func() { rt.Await(rt.Sleep("+g.durLit()+")) })"))
		}
	}
	e := g.fresh("err")
	g.emitf("if _, %s := rt.Try(rt.Gather[rt.Void](%s)); %s != nil {\n", e, strings.Join(as, ", "), e)
	g.emitf("say(%q, show(%s))\n}\n", g.id("g")+" void gather %s", e)
}

// ---- defers

func (g *gen) deferStmt(c *ctx) {
	var opts []option
	add := func(name string, w int, ok bool, f func()) {
		if ok {
			opts = append(opts, option{name, w, func() bool { f(); return false }})
		}
	}
	add("defer.say", 3, true, func() {
		g.emitf("defer say(%q, %s)\n", g.id("d")+" deferred %d", g.intExpr(c, 1))
	})
	add("defer.note", 1, true, func() {
		g.emitf("defer note(%q, %s)\n", g.id("d"), g.intExpr(c, 1))
	})
	fs := g.callees(c, false)
	add("defer.await", 2, len(fs) > 0, func() {
		g.emitf("defer rt.Await(%s)\n", g.call(c, fs[g.r.intn(len(fs))], 1))
	})
	add("defer.await-sleep", 1, g.afford(c, 1), func() {
		g.spend(c, 1)
		g.emitf("defer rt.Await(rt.Sleep(%s))\n", g.durLit())
	})
	lits := g.afford(c, 2)
	add("defer.literal", 4, lits, func() { g.deferLiteral(c, false) })
	add("defer.literal-args", 2, lits, func() { g.deferLiteral(c, true) })
	add("defer.recover", 3, lits, func() { g.deferRecover(c) })
	muts := g.mutClosures(c)
	add("defer.mut", 1, len(muts) > 0, func() { g.emitf("defer %s()\n", g.pickUse(muts)) })
	tasks := append(g.vars(c, kTask), g.vars(c, kVoidTask)...)
	add("defer.cancel", 1, len(tasks) > 0, func() { g.emitf("defer %s.Cancel()\n", g.pickUse(tasks)) })
	g.choose(opts)
}

// deferBody returns a ctx for the body of a deferred literal.
func (g *gen) deferBody(c *ctx) *ctx {
	b := &body{kind: bDefer, level: c.b.level, fn: g.cur, res: c.b.res, errRes: c.b.errRes}
	in := &ctx{b: b, sc: &scope{parent: c.sc}, mult: c.mult, depth: c.depth + 1, loopDepth: c.loopDepth}
	return in
}

func (g *gen) deferLiteral(c *ctx, args bool) {
	if c.b.kind == bDefer {
		g.hit("defer.nested-literal") // bug 8, fixed
	}
	in := g.deferBody(c)
	if args {
		p := &variable{name: g.fresh("p"), kind: kInt, level: c.b.level}
		in.sc.vars = append(in.sc.vars, p)
		arg := g.intExpr(c, 1)
		body := g.capture(func() {
			g.useLater(p)
			g.block(in, 4)
		})
		g.markTryOnly(body)
		g.lits = append(g.lits, body)
		g.emitf("defer func(%s int) {\n%s}(%s)\n", p.name, body, arg)
		return
	}
	body := g.capture(func() { g.block(in, 4) })
	g.markTryOnly(body)
	g.lits = append(g.lits, body)
	g.emitf("defer func() {\n%s}()\n", body)
}

// deferRecover emits a deferred literal that recovers, maybe after an
// await, and may set the named results.
func (g *gen) deferRecover(c *ctx) {
	if c.b.kind == bDefer {
		g.hit("defer.nested-literal") // bug 8, fixed
	}
	in := g.deferBody(c)
	body := g.capture(func() {
		if g.r.chance(1, 2) {
			g.hit("recover.after-await")
			g.block(in, 2)
			g.spend(in, 1)
			g.emitf("rt.Await(rt.Sleep(%s))\n", g.durLit())
		}
		r := g.fresh("r")
		if g.r.chance(1, 4) {
			g.emitf("say(%q, show(recover()))\n", g.id("rc")+" recovered %s")
			return
		}
		g.emitf("if %s := recover(); %s != nil {\n", r, r)
		g.emitf("say(%q, show(%s))\n", g.id("rc")+" recovered %s", r)
		if in.b.res != nil && g.r.chance(2, 3) {
			g.hit("recover.set-result")
			g.emitf("res = %s\n", g.intExpr(in, 1))
		}
		if in.b.errRes != nil && g.r.chance(1, 2) {
			g.emitf("err = fmt.Errorf(%q, show(%s))\n", g.id("re")+" recovered: %s", r)
		}
		if g.r.chance(1, 6) {
			g.hit("recover.repanic")
			g.emitf("panic(fmt.Sprint(%q, show(%s)))\n", g.id("rp")+" again ", r)
		}
		g.emit("}\n")
		g.block(in, 2)
	})
	g.markTryOnly(body)
	g.lits = append(g.lits, body)
	g.emitf("defer func() {\n%s}()\n", body)
}

// ---- closures and inline coroutines

func (g *gen) closure(c *ctx) {
	// the body sees no awaits: it is not a coroutine
	in := c.nested()
	in.b = &body{kind: bDefer, level: c.b.level + 1, fn: g.cur}
	e := g.pureExpr(in)
	v := &variable{name: g.newName(c, "c"), kind: kPure, level: c.b.level}
	g.emitf("%s := func() int { return %s }\n", v.name, e)
	g.declare(c, v)
}

// pureExpr is an int expression without awaits.
func (g *gen) pureExpr(c *ctx) string {
	var opts []option
	var res string
	add := func(name string, w int, ok bool, f func() string) {
		if ok {
			opts = append(opts, option{name, w, func() bool { res = f(); return false }})
		}
	}
	ints := g.vars(c, kInt)
	add("p.var", 4, len(ints) > 0, func() string { return g.pickUse(ints) + "*10 + " + g.lit() })
	add("p.lit", 1, true, g.lit)
	add("p.note", 2, len(ints) > 0, func() string {
		return fmt.Sprintf("note(%q, %s)", g.id("n"), g.pickUse(ints))
	})
	add("p.sum", 2, len(ints) > 1, func() string { return g.pickUse(ints) + " + " + g.pickUse(ints) })
	runes := g.vars(c, kRune)
	add("p.rune", 1, len(runes) > 0, func() string { return "int(" + g.pickUse(runes) + ")" })
	g.choose(opts)
	return res
}

func (g *gen) mutClosure(c *ctx, ints []*variable) {
	v := &variable{name: g.newName(c, "m"), kind: kMut, level: c.b.level}
	slices := g.writable(c, kSlice)
	in := c.nested()
	in.b = &body{kind: bDefer, level: c.b.level + 1, fn: g.cur}
	if len(slices) > 0 && (len(ints) == 0 || g.r.chance(1, 3)) {
		s := g.pick(slices)
		s.used = true
		g.emitf("%s := func() { %s = append(%s, %s) }\n", v.name, s.name, s.name, g.pureExpr(in))
	} else {
		x := g.pick(ints)
		g.emitf("%s := func() { %s += %s }\n", v.name, x.name, g.pureExpr(in))
	}
	g.declare(c, v)
}

// fnsAppend appends a closure over the variables in scope (loop variables
// included) to a list called later.
func (g *gen) fnsAppend(c *ctx) {
	fs := g.pick(g.own(c, kFns))
	fs.used = true
	in := c.nested()
	in.b = &body{kind: bDefer, level: c.b.level + 1, fn: g.cur}
	g.emitf("%s = append(%s, func() int { return %s })\n", fs.name, fs.name, g.pureExpr(in))
}

func (g *gen) inlineAwait(c *ctx) {
	k := g.inlineKind()
	if k.intResult() {
		v := &variable{name: g.newName(c, "x"), kind: kInt, level: c.b.level}
		g.emitf("%s := rt.Await(%s)\n", v.name, g.literal(c, k, false))
		g.declare(c, v)
		return
	}
	g.emitf("rt.Await(%s)\n", g.literal(c, k, false))
}

func (g *gen) inlineTry(c *ctx) {
	k := []bodyKind{bAsyncErr, bDoErr, bAsync}[g.r.intn(3)]
	g.tryOf(c, g.literal(c, k, false), k.intResult())
}

func (g *gen) inlineDo(c *ctx) {
	g.emitf("rt.Await(%s)\n", g.literal(c, bDo, false))
}

// ---- slices, maps, coroutine variables

func (g *gen) sliceStmt(c *ctx) {
	slices := g.writable(c, kSlice)
	if len(slices) == 0 || g.r.chance(1, 4) {
		n := 1 + g.r.intn(3)
		var es []string
		for range n {
			es = append(es, g.intExpr(c, 1))
		}
		s := &variable{name: g.newName(c, "s"), kind: kSlice, level: c.b.level, minLen: n}
		g.emitf("%s := []int{%s}\n", s.name, strings.Join(es, ", "))
		g.declare(c, s)
		return
	}
	s := g.pick(slices)
	s.used = true
	if s.minLen > 0 && g.r.chance(1, 2) {
		g.hit("slice.index-assign")
		op := []string{"", "+", "-"}[g.r.intn(3)]
		g.emitf("%s[idx(%s, len(%s))] %s= %s\n", s.name, g.intExpr(c, 1), s.name, op, g.intExpr(c, 1))
		return
	}
	g.hit("slice.append")
	g.emitf("%s = append(%s, %s)\n", s.name, s.name, g.intExpr(c, 1))
}

func (g *gen) mapStmt(c *ctx) {
	maps := g.writable(c, kMap)
	if len(maps) == 0 || g.r.chance(1, 4) {
		var es []string
		used := map[string]bool{}
		for range 1 + g.r.intn(3) {
			k := g.key()
			if !used[k] {
				used[k] = true
				es = append(es, k+": "+g.intExpr(c, 1))
			}
		}
		m := &variable{name: g.newName(c, "mp"), kind: kMap, level: c.b.level}
		g.emitf("%s := map[string]int{%s}\n", m.name, strings.Join(es, ", "))
		g.declare(c, m)
		return
	}
	m := g.pick(maps)
	m.used = true
	switch g.r.intn(3) {
	case 0:
		g.emitf("%s[%s] = %s\n", m.name, g.key(), g.intExpr(c, 1))
	case 1:
		g.emitf("%s[%s] += %s\n", m.name, g.key(), g.intExpr(c, 1))
	default:
		g.hit("map.delete")
		g.emitf("delete(%s, %s)\n", m.name, g.key())
	}
}

func (g *gen) coroVar(c *ctx) {
	fs := g.callees(c, true)
	f := fs[g.r.intn(len(fs))]
	v := &variable{name: g.newName(c, "co"), kind: kCoro, level: c.b.level, loopDepth: c.loopDepth}
	g.emitf("%s := %s\n", v.name, g.call(c, f, 1))
	g.declare(c, v)
}

func (g *gen) coroUse(c *ctx) {
	v := g.pick(g.vars(c, kCoro))
	v.used = true
	v.consumed = true
	switch g.r.intn(3) {
	case 0:
		g.emitf("say(%q, rt.Await(%s))\n", g.id("o")+" coroutine gave %d", v.name)
	case 1:
		g.tryOf(c, v.name, true)
	default:
		t := &variable{name: g.fresh("t"), kind: kTask, level: c.b.level, readonly: true, immutable: true}
		g.emitf("%s := rt.Spawn(%s)\n", t.name, v.name)
		g.declare(c, t)
	}
}

var _ = sort.Strings
