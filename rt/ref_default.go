//go:build !corosrc

package rt

// refList is the reference runtime's list of a loop's live coroutine
// goroutines (ref_machine.go, -tags corosrc). A default build runs no
// coroutine on a goroutine, so it is empty and Close has nothing to end.
type refList struct{}

// closeRefs ends the coroutine goroutines still alive when the loop closes;
// nothing to do in a default build.
func (l *Loop) closeRefs() {}
