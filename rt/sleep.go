package rt

import "time"

// Sleeper is the awaitable Sleep returns.
type Sleeper struct{ d time.Duration }

// Sleep returns an awaitable that completes after d on the loop's clock
// (asyncio.sleep). Sleep(0) (or less) yields to the loop for exactly one
// turn, letting every other ready task run.
func Sleep(d time.Duration) Sleeper { return Sleeper{d} }

// Poll suspends the task until the sleep is over (the await protocol).
// It is small enough to be inlined into generated machines. Only the poll
// that begins the sleep reads the duration: resuming needs nothing of the
// Sleeper (the task's timer holds the wait), so generated machines keep it
// in a local of Poll rather than in a field.
func (s Sleeper) Poll(cx *Ctx) bool {
	if cx.flags&(fWaiting|fCancelPending) == fWaiting {
		// Resuming, not cancelled: the common case, inline.
		cx.flags &^= fWaiting | fSleeping
		return true
	}
	return cx.sleep(s.d)
}

// sleep begins a sleep of d (one turn if d <= 0), or ends one.
func (cx *Ctx) sleep(d time.Duration) bool {
	switch {
	case cx.resumed():
		cx.resume()
		return true
	case d <= 0:
		cx.yield()
	default:
		cx.setTimer(d)
		cx.suspend(&cx.timer)
	}
	return false
}

// Outcome reports ErrCancelled if the task was cancelled while asleep.
func (s Sleeper) Outcome(cx *Ctx) (Void, error) {
	if cx.delivered() {
		return Void{}, ErrCancelled
	}
	return Void{}, nil
}

// cancelWait ends a sleep early: the task wakes at once to be cancelled.
func (t *timer) cancelWait(cx *Ctx) {
	cx.loop.timers.remove(t)
	cx.schedule()
}
