//go:build corosrc

// Echo is an echo server on the loop's own poller, and a client that fans
// out many concurrent requests to it, each on a connection of its own.
//
//	go run ./examples/echo                      # server and 1000 clients in one loop
//	go run ./examples/echo -listen 127.0.0.1:7000   # only the server
//	go run ./examples/echo -connect 127.0.0.1:7000 -n 5000 -size 1024
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

// Serve accepts connections until the listener is closed (or the task
// cancelled), echoing each on a task of its own; then it waits for the
// connections it has to end.
//
//coro:async
func Serve(ln *rt.Listener) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		live := map[*rt.Stream]*rt.Task[rt.Void]{}
		for {
			s, err := rt.Try(ln.Accept())
			switch {
			case errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE):
				// Out of descriptors: the connection waits in the backlog.
				log.Print(err)
				rt.Await(rt.Sleep(10 * time.Millisecond))
				continue
			case errors.Is(err, net.ErrClosed):
				var rest []rt.Awaitable[rt.Void]
				for _, t := range live {
					rest = append(rest, t)
				}
				rt.Await(rt.Gather(rest...))
				return nil
			case err != nil:
				return err
			}
			live[s] = rt.Spawn(rt.Do(func() {
				defer delete(live, s)
				rt.Await(Echo(s))
			}))
		}
	})
}

// Echo sends back what it reads until the peer closes its side.
//
//coro:async
func Echo(s *rt.Stream) rt.Coro[rt.Void] {
	return rt.Do(func() {
		defer rt.Await(s.Close())
		buf := make([]byte, 16<<10)
		for {
			n, err := rt.Try(s.Read(buf))
			if err != nil {
				return // io.EOF, a reset, a cancellation
			}
			if _, err := rt.Try(s.Write(buf[:n])); err != nil {
				return
			}
		}
	})
}

// Request sends msg on a new connection, half-closes it and reads the echo.
//
//coro:async
func Request(addr string, msg []byte) rt.Coro[[]byte] {
	return rt.AsyncErr(func() ([]byte, error) {
		s, err := rt.Try(rt.Dial("tcp", addr))
		if err != nil {
			return nil, err
		}
		defer rt.Await(s.Close())
		rt.Await(s.Write(msg))
		rt.Await(s.CloseWrite())
		echo, err := rt.Try(s.ReadExactly(len(msg)))
		return echo, err
	})
}

// FanOut makes n concurrent requests of size bytes each and checks every
// echo; it returns the number of bytes echoed.
//
//coro:async
func FanOut(addr string, n, size int) rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		reqs := make([]rt.Awaitable[[]byte], n)
		msgs := make([][]byte, n)
		for i := range n {
			msgs[i] = bytes.Repeat([]byte{byte('a' + i%26)}, size)
			reqs[i] = Request(addr, msgs[i])
		}
		echoes := rt.Await(rt.Gather(reqs...))
		total := 0
		for i, e := range echoes {
			if !bytes.Equal(e, msgs[i]) {
				return 0, fmt.Errorf("request %d: echo differs", i)
			}
			total += len(e)
		}
		return total, nil
	})
}

// Main runs the server and the clients on one loop.
//
//coro:async
func Main(n, size int) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		ln, err := rt.Try(rt.Listen("tcp", "127.0.0.1:0"))
		if err != nil {
			return err
		}
		server := rt.Spawn(Serve(ln))
		total, err := rt.Try(FanOut(ln.Addr().String(), n, size))
		if err != nil {
			return err
		}
		fmt.Printf("%d requests of %d bytes echoed (%d bytes)\n", n, size, total)
		rt.Await(ln.Close())
		rt.Await(server)
		return nil
	})
}

// ServeOn serves on addr until the process is killed.
//
//coro:async
func ServeOn(addr string) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		ln, err := rt.Try(rt.Listen("tcp", addr))
		if err != nil {
			return err
		}
		fmt.Printf("echo server on %v\n", ln.Addr())
		_, err = rt.Try(Serve(ln))
		return err
	})
}

func main() {
	listen := flag.String("listen", "", "only serve, on this address")
	connect := flag.String("connect", "", "only run the clients, against this server")
	n := flag.Int("n", 1000, "concurrent requests")
	size := flag.Int("size", 1024, "bytes per request")
	flag.Parse()
	var err error
	switch {
	case *listen != "":
		_, err = rt.Run(ServeOn(*listen))
	case *connect != "":
		var total int
		total, err = rt.Run(FanOut(*connect, *n, *size))
		fmt.Printf("%d requests of %d bytes echoed (%d bytes)\n", *n, *size, total)
	default:
		_, err = rt.Run(Main(*n, *size))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
