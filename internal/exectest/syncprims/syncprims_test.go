package syncprims

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestLockOrder(t *testing.T)  { exectest.Run(t, LockOrder, &out) }
func TestLockCancel(t *testing.T) { exectest.Run(t, LockCancel, &out) }
func TestEvent(t *testing.T)      { exectest.Run(t, EventMain, &out) }
func TestCondition(t *testing.T)  { exectest.Run(t, CondMain, &out) }
func TestCondCancel(t *testing.T) { exectest.Run(t, CondCancel, &out) }
func TestSemaphore(t *testing.T)  { exectest.Run(t, SemMain, &out) }
func TestBarrier(t *testing.T)    { exectest.Run(t, BarrierMain, &out) }
func TestTimeouts(t *testing.T)   { exectest.Run(t, Timeouts, &out) }
func TestSemStress(t *testing.T)  { exectest.Run(t, SemStress, &out) }
