//go:build corosrc

// KV is a small key-value store server on the loop, speaking a line-based
// protocol, with many concurrent clients.
//
// One command per line, one reply line per command:
//
//	SET key value   OK
//	GET key         VALUE value  or  NOT_FOUND
//	DEL key         DELETED      or  NOT_FOUND
//	LEN             LEN n        (the number of keys)
//	QUIT            BYE          (the server closes the connection)
//	...             ERROR reason
//
// A connection idle for longer than the server's timeout is told
// "BYE idle" and closed.
//
//	go run ./examples/kv                           # server and 100 clients in one loop
//	go run ./examples/kv -listen 127.0.0.1:7001    # only the server
//	go run ./examples/kv -connect 127.0.0.1:7001 -clients 1000 -ops 100
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

// Store is the server's state. Every connection's task uses it directly:
// they all run on one loop, one at a time, so it needs no lock.
type Store struct {
	data    map[string]string
	idle    time.Duration // a connection idle this long is closed
	clients int           // connections open
}

// NewStore returns an empty store whose connections time out after idle.
func NewStore(idle time.Duration) *Store {
	return &Store{data: map[string]string{}, idle: idle}
}

// Serve accepts connections until the listener is closed; then it waits
// for the connections it has to end.
//
//coro:async
func (st *Store) Serve(ln *rt.Listener) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		live := map[*rt.Stream]*rt.Task[rt.Void]{}
		for {
			s, err := rt.Try(ln.Accept())
			switch {
			case errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE):
				log.Print(err) // the connection waits in the backlog
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
				rt.Await(st.Handle(s))
			}))
		}
	})
}

// Handle serves one connection: a command, a reply, until QUIT, the end of
// the stream, or the idle timeout.
//
//coro:async
func (st *Store) Handle(s *rt.Stream) rt.Coro[rt.Void] {
	return rt.Do(func() {
		st.clients++
		defer func() { st.clients-- }()
		defer rt.Await(s.Close())
		s.SetLimit(4096)
		for {
			line, err := rt.Try(rt.WaitFor(s.ReadLine(), st.idle))
			switch {
			case errors.Is(err, rt.ErrTimeout):
				_, _ = rt.Try(s.Write([]byte("BYE idle\n")))
				return
			case errors.Is(err, rt.ErrLimitOverrun):
				line = nil // answered below
			case err != nil:
				return // io.EOF, a reset
			}
			reply, quit := st.Exec(line)
			if _, err := rt.Try(s.Write(reply)); err != nil || quit {
				return
			}
		}
	})
}

// Exec runs one command line and returns the reply line, and whether the
// connection ends.
func (st *Store) Exec(line []byte) (reply []byte, quit bool) {
	if line == nil {
		return []byte("ERROR line too long\n"), false
	}
	// The command, the key, and the value: the rest of the line.
	f := strings.SplitN(strings.TrimSpace(string(line)), " ", 3)
	switch {
	case f[0] == "SET" && len(f) == 3:
		st.data[f[1]] = f[2]
		return []byte("OK\n"), false
	case f[0] == "GET" && len(f) == 2:
		if v, ok := st.data[f[1]]; ok {
			return []byte("VALUE " + v + "\n"), false
		}
		return []byte("NOT_FOUND\n"), false
	case f[0] == "DEL" && len(f) == 2:
		if _, ok := st.data[f[1]]; ok {
			delete(st.data, f[1])
			return []byte("DELETED\n"), false
		}
		return []byte("NOT_FOUND\n"), false
	case f[0] == "LEN" && len(f) == 1:
		return []byte("LEN " + strconv.Itoa(len(st.data)) + "\n"), false
	case f[0] == "QUIT" && len(f) == 1:
		return []byte("BYE\n"), true
	case f[0] == "":
		return []byte("ERROR empty command\n"), false
	}
	return []byte(fmt.Sprintf("ERROR bad command %q\n", line)), false
}

// Call sends one command and reads its reply, without the newline.
//
//coro:async
func Call(s *rt.Stream, cmd string) rt.Coro[string] {
	return rt.Async(func() string {
		rt.Await(s.Write([]byte(cmd + "\n")))
		reply := rt.Await(s.ReadLine())
		return string(bytes.TrimSuffix(reply, []byte("\n")))
	})
}

// Client connects to addr and runs ops rounds of SET, GET (checking the
// value) and, every third round, DEL, on keys of its own; it returns the
// number of replies it checked.
//
//coro:async
func Client(addr string, id, ops int) rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		s := rt.Await(rt.Dial("tcp", addr))
		defer rt.Await(s.Close())
		checked := 0
		expect := func(got, want string) error {
			if got != want {
				return fmt.Errorf("client %d: got %q, want %q", id, got, want)
			}
			checked++
			return nil
		}
		for i := range ops {
			key := fmt.Sprintf("k%d.%d", id, i)
			val := fmt.Sprintf("value %d of client %d", i, id)
			if err := expect(rt.Await(Call(s, "SET "+key+" "+val)), "OK"); err != nil {
				return checked, err
			}
			if err := expect(rt.Await(Call(s, "GET "+key)), "VALUE "+val); err != nil {
				return checked, err
			}
			if i%3 == 0 {
				if err := expect(rt.Await(Call(s, "DEL "+key)), "DELETED"); err != nil {
					return checked, err
				}
				if err := expect(rt.Await(Call(s, "GET "+key)), "NOT_FOUND"); err != nil {
					return checked, err
				}
			}
		}
		if err := expect(rt.Await(Call(s, "QUIT")), "BYE"); err != nil {
			return checked, err
		}
		return checked, nil
	})
}

// Clients runs n clients concurrently and returns the replies checked.
//
//coro:async
func Clients(addr string, n, ops int) rt.Coro[int] {
	return rt.Async(func() int {
		var cs []rt.Awaitable[int]
		for id := range n {
			cs = append(cs, Client(addr, id, ops))
		}
		total := 0
		for _, c := range rt.Await(rt.Gather(cs...)) {
			total += c
		}
		return total
	})
}

// Idle connects, sends nothing, and returns what the server says and how
// long it took to say it.
//
//coro:async
func Idle(addr string) rt.Coro[string] {
	return rt.Async(func() string {
		s := rt.Await(rt.Dial("tcp", addr))
		defer rt.Await(s.Close())
		start := rt.Now()
		bye := rt.Await(s.ReadLine())
		return fmt.Sprintf("%q after %v", bye, rt.Now()-start)
	})
}

// Main runs the server (with an idle timeout of idle), then n clients of
// ops rounds each, then one idle client, on one loop.
//
//coro:async
func Main(n, ops int, idle time.Duration) rt.Coro[rt.Void] {
	return rt.Do(func() {
		st := NewStore(idle)
		ln := rt.Await(rt.Listen("tcp", "127.0.0.1:0"))
		server := rt.Spawn(st.Serve(ln))
		addr := ln.Addr().String()
		checked := rt.Await(Clients(addr, n, ops))
		fmt.Printf("%d clients, %d replies checked, %d keys left\n", n, checked, len(st.data))
		fmt.Printf("an idle client was told %s\n", rt.Await(Idle(addr)))
		rt.Await(ln.Close())
		rt.Await(server)
	})
}

// ServeOn serves on addr until the process is killed.
//
//coro:async
func ServeOn(addr string, idle time.Duration) rt.Coro[rt.Void] {
	return rt.Do(func() {
		ln := rt.Await(rt.Listen("tcp", addr))
		fmt.Printf("kv server on %v\n", ln.Addr())
		rt.Await(NewStore(idle).Serve(ln))
	})
}

func main() {
	listen := flag.String("listen", "", "only serve, on this address")
	connect := flag.String("connect", "", "only run the clients, against this server")
	clients := flag.Int("clients", 100, "concurrent clients")
	ops := flag.Int("ops", 20, "rounds per client")
	idle := flag.Duration("idle", 2*time.Second, "the server's idle timeout")
	flag.Parse()
	var err error
	switch {
	case *listen != "":
		_, err = rt.Run(ServeOn(*listen, *idle))
	case *connect != "":
		var checked int
		checked, err = rt.Run(Clients(*connect, *clients, *ops))
		fmt.Printf("%d clients, %d replies checked\n", *clients, checked)
	default:
		_, err = rt.Run(Main(*clients, *ops, *idle))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
