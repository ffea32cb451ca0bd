//go:build corosrc

package blocking

import (
	"io"
	"net"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/corogen/corogen/rt"
)

// Slow and Conn.Recv block; the test adds them with -blocking.
func Slow() {}

type Conn struct{}

func (*Conn) Recv() []byte { return nil }

type guarded struct {
	sync.Mutex
	n int
}

//coro:async
func Sleepy(d time.Duration) rt.Coro[rt.Void] { // want Sleepy:"async"
	return rt.Do(func() {
		time.Sleep(d)           // want `time.Sleep blocks the event loop, so no other task runs until it returns: write rt.Await\(rt.Sleep\(d\)\)`
		defer time.Sleep(2 * d) // want `time.Sleep blocks the event loop`
		f := func() {
			time.Sleep(d) // want `time.Sleep blocks the event loop`
		}
		f()
		go time.Sleep(d) // on its own goroutine: fine
		go func() {
			time.Sleep(d) // fine
		}()
		rt.Await(rt.ToThread(func() int {
			time.Sleep(d) // fine
			return 0
		}))
		rt.Await(rt.ToThreadErr(func() (int, error) {
			time.Sleep(d) // fine
			return 0, nil
		}))
		rt.Await(rt.Sleep(d))
	})
}

//coro:async
func Locks(g *guarded, mu *sync.RWMutex, wg *sync.WaitGroup, c *sync.Cond) rt.Coro[int] { // want Locks:"async"
	return rt.Async(func() int {
		g.Lock() // want `sync.Mutex.Lock blocks the event loop, so no other task runs until it returns: tasks of one loop need no lock between awaits`
		g.n++
		g.Unlock()
		mu.RLock() // want `sync.RWMutex.RLock blocks the event loop`
		mu.RUnlock()
		mu.Lock() // want `sync.RWMutex.Lock blocks the event loop`
		mu.Unlock()
		wg.Go(func() {
			g.Lock() // on another goroutine: fine
			g.Unlock()
		})
		wg.Wait() // want `sync.WaitGroup.Wait blocks the event loop, so no other task runs until it returns: spawn the work as tasks and await them`
		c.Wait()  // want `sync.Cond.Wait blocks the event loop`
		return g.n
	})
}

//coro:async
func Chans(in chan int, out chan<- int) rt.Coro[int] { // want Chans:"async"
	return rt.Async(func() int {
		out <- 1  // want `a channel send blocks the event loop`
		v := <-in // want `a channel receive blocks the event loop`
		<-in      // want `a channel receive blocks the event loop`
		v += <-in // want `a channel receive blocks the event loop`
		select {  // want `a select without a default case blocks the event loop`
		case x := <-in:
			v += x
		case out <- v:
		}
		select {
		case x := <-in:
			v += x
		case out <- v:
		default:
			rt.Await(rt.Sleep(1))
		}
		for x := range in { // want `a range over a channel blocks the event loop`
			v += x
		}
		go func() {
			out <- <-in // fine
		}()
		return v
	})
}

//coro:async
func IO(cmd *exec.Cmd, f *os.File, c *Conn) rt.Coro[int] { // want IO:"async"
	return rt.AsyncErr(func() (int, error) {
		conn, err := net.Dial("tcp", "localhost:1") // want `net.Dial blocks the event loop, so no other task runs until it returns: connect with the loop.s own streams, s, err := rt.Try\(rt.Dial\(network, addr\)\)`
		if err == nil {
			conn.Close()
		}
		b, _ := os.ReadFile("/etc/hosts") // want `os.ReadFile blocks the event loop`
		n, _ := f.Read(b)                 // want `os.File.Read blocks the event loop`
		f.Write(b)                        // want `os.File.Write blocks the event loop`
		io.ReadAll(f)                     // want `io.ReadAll blocks the event loop`
		cmd.Run()                         // want `exec.Cmd.Run blocks the event loop`
		out, _ := cmd.Output()            // want `exec.Cmd.Output blocks the event loop`
		Slow()                            // want `blocking.Slow blocks the event loop, so no other task runs until it returns: run it in a function passed to rt.ToThread \(it is listed by -blocking\)`
		c.Recv()                          // want `blocking.Conn.Recv blocks the event loop`
		f.Close()                         // not blocking
		return n + len(out), nil
	})
}

// Plain code may block: it is not known to run on the loop.
func Plain(in chan int) {
	time.Sleep(time.Millisecond)
	<-in
	os.ReadFile("/etc/hosts")
}
