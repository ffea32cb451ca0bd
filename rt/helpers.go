package rt

// Helpers that generated code calls.

// MapKeys returns the keys of m: a range loop over a map that awaits in its
// body iterates over them, looking each key up again so that a key deleted
// before it is reached is skipped, as Go's range does.
func MapKeys[M ~map[K]V, K comparable, V any](m M) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// NewIteration returns a new variable holding *p: the next iteration's copy
// of a loop variable that closures capture (Go 1.22 per-iteration loop
// variables) in a lowered three-clause for loop.
func NewIteration[T any](p *T) *T {
	q := new(T)
	*q = *p
	return q
}

// Awaitables converts a slice of one awaitable type — tasks, typically —
// into a []Awaitable[T], the type of Gather's arguments, for a function
// that takes or returns one. To gather the slice, GatherAll takes it as
// it is:
//
//	results := rt.Await(rt.GatherAll(tasks))
func Awaitables[T any, A Awaitable[T]](xs []A) []Awaitable[T] {
	out := make([]Awaitable[T], len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
