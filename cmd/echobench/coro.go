//go:build corosrc

package main

import (
	"errors"
	"net"
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

// coroServe is the echo server on the loop: a task per connection, each
// with its own buffer of bufSize bytes, as the goroutine server has.
//
//coro:async
func coroServe(ln *rt.Listener) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		for {
			s, err := rt.Try(ln.Accept())
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			if err != nil {
				rt.Await(rt.Sleep(10 * time.Millisecond)) // EMFILE: let descriptors free up
				continue
			}
			_ = rt.Spawn(coroEcho(s))
		}
	})
}

//coro:async
func coroEcho(s *rt.Stream) rt.Coro[rt.Void] {
	return rt.Do(func() {
		defer rt.Await(s.Close())
		buf := make([]byte, bufSize)
		for {
			n, err := rt.Try(s.Read(buf))
			if err != nil {
				return
			}
			if _, err := rt.Try(s.Write(buf[:n])); err != nil {
				return
			}
		}
	})
}

// coroServeOn listens on addr, calls ready with the address, and serves.
//
//coro:async
func coroServeOn(addr string, ready func(string)) rt.Coro[rt.Void] {
	return rt.Do(func() {
		ln := rt.Await(rt.Listen("tcp", addr))
		ready(ln.Addr().String())
		rt.Await(coroServe(ln))
	})
}

// loadConn is one connection of the load generator: it sends size bytes,
// reads the echo, and again, until st.stop; it records the requests (and
// their latencies) completed while st.measuring.
//
//coro:async
func loadConn(addr string, size int, st *loadStats) rt.Coro[rt.Void] {
	return rt.Do(func() {
		s := rt.Await(rt.Dial("tcp", addr))
		defer rt.Await(s.Close())
		st.connected++
		msg := make([]byte, size)
		for i := range msg {
			msg[i] = byte(i)
		}
		buf := make([]byte, size)
		for !st.stop {
			t0 := time.Now()
			rt.Await(s.Write(msg))
			for got := 0; got < size; {
				got += rt.Await(s.Read(buf[got:]))
			}
			if st.measuring {
				st.lat = append(st.lat, time.Since(t0))
			}
		}
	})
}

// load runs conns connections for warm, then measures for dur (calling
// begin and end around the measurement).
//
//coro:async
func load(addr string, conns, size int, warm, dur time.Duration, st *loadStats, begin, end func()) rt.Coro[rt.Void] {
	return rt.Do(func() {
		var tasks []rt.Awaitable[rt.Void]
		for range conns {
			tasks = append(tasks, rt.Spawn(loadConn(addr, size, st)))
		}
		rt.Await(rt.Sleep(warm))
		if st.connected != conns {
			panic("echobench: not every connection was made during the warm-up")
		}
		st.measuring = true
		st.start = time.Now()
		begin()
		rt.Await(rt.Sleep(dur))
		end()
		st.elapsed = time.Since(st.start)
		st.measuring = false
		st.stop = true
		rt.Await(rt.Gather(tasks...))
	})
}

// idleConns opens n connections (batch at a time), makes one round trip of
// size bytes on each, calls measure while all are open, and closes them.
//
//coro:async
func idleConns(addr string, n, batch, size int, measure func()) rt.Coro[rt.Void] {
	return rt.Do(func() {
		conns := make([]*rt.Stream, 0, n)
		msg := make([]byte, size)
		for len(conns) < n {
			var dials []rt.Awaitable[*rt.Stream]
			for range min(batch, n-len(conns)) {
				dials = append(dials, rt.Dial("tcp", addr))
			}
			conns = append(conns, rt.Await(rt.Gather(dials...))...)
		}
		var trips []rt.Awaitable[rt.Void]
		for _, s := range conns {
			trips = append(trips, rt.Do(func() {
				rt.Await(s.Write(msg))
				rt.Await(s.ReadExactly(size))
			}))
		}
		rt.Await(rt.Gather(trips...))
		rt.Await(rt.Sleep(200 * time.Millisecond)) // let the server settle
		measure()
		for _, s := range conns {
			rt.Await(s.Close())
		}
	})
}
