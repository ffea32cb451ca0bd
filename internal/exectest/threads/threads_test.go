package threads

import (
	"errors"
	"fmt"
	"testing"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

func TestVirtualClock(t *testing.T) { exectest.Run(t, VirtualClock, &out) }
func TestFailures(t *testing.T)     { exectest.Run(t, Failures, &out) }
func TestCancel(t *testing.T)       { exectest.Run(t, Cancel, &out) }
func TestHold(t *testing.T)         { exectest.Run(t, Hold, &out) }

// TestNotBlocking runs under the real clock: a thread sleeps for 80ms while
// a task ticks every 5ms.
func TestNotBlocking(t *testing.T) {
	out.Reset()
	_, err := rt.Run(NotBlocking())
	exectest.Compare(t, fmt.Sprintf("%serror: %v\n", &out, err))
}

func TestNoHold(t *testing.T) {
	_, err := rt.Run(NoHold(), rt.WithVirtualClock())
	if !errors.Is(err, rt.ErrDeadlock) {
		t.Fatalf("got %v, want a deadlock", err)
	}
}

func TestLimit(t *testing.T) {
	out.Reset()
	_, err := rt.Run(Limit(), rt.WithVirtualClock(), rt.WithThreadLimit(2))
	exectest.Compare(t, fmt.Sprintf("%serror: %v\n", &out, err))
}
