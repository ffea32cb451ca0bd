//go:build corosrc

package difffuzz

// The harness builds every program in both modes itself, so the seeds need
// not run again under go test -tags corosrc.
func init() { refMode = true }
