package rt

import (
	"errors"
	"strconv"
)

// ErrBrokenBarrier is the error of a Barrier.Wait when the barrier is
// broken by Abort or reset by Reset while tasks wait (asyncio's
// BrokenBarrierError).
var ErrBrokenBarrier = errors.New("rt: broken barrier")

type barrierState uint8

const (
	barrierFilling   barrierState = iota // tasks arrive
	barrierDraining                      // the barrier was passed; the tasks leave
	barrierResetting                     // Reset while tasks waited; they leave with ErrBrokenBarrier
	barrierBroken                        // Abort
)

var barrierStates = [...]string{"filling", "draining", "resetting", "broken"}

// Barrier makes a fixed number of tasks wait for each other
// (asyncio.Barrier): each calls Wait, and once parties tasks wait they are
// all released together.
//
// It behaves as asyncio's, which is built on a Condition: a task that
// arrives while the previous round is still leaving (draining) or being
// reset waits for that to finish first; a task cancelled while it waits
// leaves the barrier (it no longer counts among the waiters, and the
// barrier is not broken); Abort breaks it for good, Reset makes the tasks
// waiting fail with ErrBrokenBarrier and refills it once they have left.
type Barrier struct {
	parties int
	count   int // tasks in the barrier: arrived and not yet left
	state   barrierState
	waiters waitList // the condition's waiters

	// Poll hands the outcome of a Wait to Outcome here.
	index int
	err   error
}

// NewBarrier returns a barrier for parties tasks. It panics if parties is
// less than 1 (asyncio raises ValueError).
func NewBarrier(parties int) *Barrier {
	if parties < 1 {
		panic("rt: NewBarrier needs at least 1 party")
	}
	return &Barrier{parties: parties}
}

// Parties returns the number of tasks needed to pass the barrier.
func (b *Barrier) Parties() int { return b.parties }

// NWaiting returns the number of tasks waiting in the barrier while it
// fills (asyncio's n_waiting), 0 while it drains or resets.
func (b *Barrier) NWaiting() int {
	if b.state == barrierFilling {
		return b.count
	}
	return 0
}

// Broken reports whether the barrier is broken (by Abort).
func (b *Barrier) Broken() bool { return b.state == barrierBroken }

// Wait returns an awaitable that waits until parties tasks wait on the
// barrier and then returns the task's arrival index, 0 to parties-1
// (asyncio's Barrier.wait). The task that completes the barrier returns at
// once; the others on the loop's next turn, in the order they arrived. The
// await fails with ErrBrokenBarrier if the barrier is broken or is reset
// while the task waits, and with ErrCancelled if the task is cancelled.
func (b *Barrier) Wait() BarrierWait { return BarrierWait{b} }

// Reset returns the barrier to its initial state (asyncio's
// Barrier.reset): tasks waiting in it fail with ErrBrokenBarrier, and it
// fills again once they have left; it also repairs a broken barrier. In
// asyncio it is a coroutine only because it takes the condition's lock,
// which is never held across an await; here it is a plain method.
func (b *Barrier) Reset() {
	if b.count > 0 {
		b.state = barrierResetting
	} else {
		b.state = barrierFilling
	}
	b.notifyAll()
}

// Abort breaks the barrier (asyncio's Barrier.abort): tasks waiting in it,
// and every later Wait, fail with ErrBrokenBarrier until Reset.
func (b *Barrier) Abort() {
	b.state = barrierBroken
	b.notifyAll()
}

// String returns "barrier <state>, waiters:<n>/<parties>", as asyncio's
// repr.
func (b *Barrier) String() string {
	s := "barrier " + barrierStates[b.state]
	if b.state != barrierBroken {
		s += ", waiters:" + strconv.Itoa(b.NWaiting()) + "/" + strconv.Itoa(b.parties)
	}
	return s
}

func (b *Barrier) notifyAll() { b.waiters.wakeAll(wWoken) }

// The steps of a Barrier.Wait that waits on the condition: before it
// enters the barrier (the previous round drains or resets), and in it.
const (
	barrierBlock uint8 = iota
	barrierInside
)

// wait puts the task to wait on the condition at the given step.
func (b *Barrier) wait(cx *Ctx, phase uint8, index int) bool {
	w := b.waiters.push(cx, "wait", b)
	w.phase, w.index = phase, index
	cx.suspend(w)
	return false
}

// done ends a Wait with the index or an error, for Outcome.
func (b *Barrier) done(index int, err error) bool {
	b.index, b.err = index, err
	return true
}

// enter runs Wait from the point where the task may enter the barrier.
func (b *Barrier) enter(cx *Ctx) bool {
	if b.state == barrierDraining || b.state == barrierResetting {
		return b.wait(cx, barrierBlock, 0)
	}
	if b.state == barrierBroken {
		return b.done(0, ErrBrokenBarrier)
	}
	index := b.count
	b.count++
	if index+1 == b.parties {
		b.state = barrierDraining
		b.notifyAll()
		return b.leave(index, nil)
	}
	return b.inside(cx, index)
}

// inside waits in the barrier until it is passed, broken or reset.
func (b *Barrier) inside(cx *Ctx, index int) bool {
	switch b.state {
	case barrierFilling:
		return b.wait(cx, barrierInside, index)
	case barrierBroken, barrierResetting:
		return b.leave(index, ErrBrokenBarrier)
	}
	return b.leave(index, nil)
}

// leave is the task's exit from the barrier: the last to leave after the
// barrier was passed or reset lets it fill again.
func (b *Barrier) leave(index int, err error) bool {
	b.count--
	if b.count == 0 {
		if b.state == barrierResetting || b.state == barrierDraining {
			b.state = barrierFilling
		}
		b.notifyAll()
	}
	return b.done(index, err)
}

// BarrierWait is the awaitable Barrier.Wait returns.
type BarrierWait struct{ b *Barrier }

// Poll enters the barrier and waits (the await protocol).
func (a BarrierWait) Poll(cx *Ctx) bool {
	b := a.b
	if !cx.resumed() {
		return b.enter(cx)
	}
	w := resumeWaiter(cx)
	if w == nil {
		return false
	}
	phase, index := w.phase, w.index
	b.waiters.release(w)
	if cx.delivered() {
		// asyncio's Condition.wait notifies another waiter in place of a
		// cancelled one, which re-checks its state and waits again.
		b.waiters.wakeFirst(wWoken)
		if phase == barrierBlock {
			return b.done(0, ErrCancelled)
		}
		return b.leave(index, ErrCancelled)
	}
	if phase == barrierBlock {
		return b.enter(cx)
	}
	return b.inside(cx, index)
}

// Outcome returns the task's arrival index, or the error the wait ended
// with.
func (a BarrierWait) Outcome(cx *Ctx) (int, error) {
	b := a.b
	index, err := b.index, b.err
	b.index, b.err = 0, nil
	return index, err
}
