//go:build !linux

package rt

// poller: network I/O on the loop is implemented with epoll (Linux); other
// systems wait on a channel and a timer (waitFallback) and cannot register
// sockets.
type poller struct {
	waiting int // tasks suspended on a descriptor: always 0 here
	ready   bool
}

func (l *Loop) closePoller() {}

// wakeIdle wakes the loop if it waits in idle; called with l.ext.mu held.
func (l *Loop) wakeIdle() {
	if l.ext.sleeping.Load() {
		l.wakeFallback()
	}
}

func (l *Loop) closeFd(pd *pollDesc) error { pd.fd = -1; return nil }

// pollWait waits for a wake-up from another goroutine or timeout
// nanoseconds (negative: no limit; 0: return at once).
func (l *Loop) pollWait(timeout int64) {
	if timeout != 0 {
		l.waitFallback(timeout)
	}
}
