//go:build corosrc

package orphan // want `generated file orphan_coro.go is stale: its source has no async functions any more; run corogen \(go generate\), which removes it`

// Job was async once.
func Job(n int) int { return n }
