//go:build corosrc

package blocking

import (
	"bufio"
	"database/sql"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"

	"github.com/corogen/corogen/rt"
)

//coro:async
func Files(cmd *exec.Cmd, client *http.Client, req *http.Request) rt.Coro[int] { // want Files:"async"
	return rt.AsyncErr(func() (int, error) {
		f, err := os.Open("/etc/hosts") // want `os.Open blocks the event loop, so no other task runs until it returns: run it in a function passed to rt.ToThread`
		if err != nil {
			return 0, err
		}
		defer f.Close()
		s := bufio.NewScanner(f)
		for s.Scan() { // want `bufio.Scanner.Scan blocks the event loop, so no other task runs until it returns: run it in a function passed to rt.ToThread`
		}
		n, _ := io.Copy(io.Discard, f)               // want `io.Copy blocks the event loop, so no other task runs until it returns: run it in a function passed to rt.ToThread`
		cmd.Wait()                                   // want `exec.Cmd.Wait blocks the event loop, so no other task runs until it returns: run it in a function passed to rt.ToThread`
		resp, err := http.Get("http://localhost:1/") // want `http.Get blocks the event loop, so no other task runs until it returns: run it in a function passed to rt.ToThread`
		if err == nil {
			resp.Body.Close()
		}
		resp, err = client.Do(req) // want `http.Client.Do blocks the event loop, so no other task runs until it returns: run it in a function passed to rt.ToThread`
		if err == nil {
			resp.Body.Close()
		}
		return int(n), nil
	})
}

//coro:async
func Net(conn net.Conn, tcp *net.TCPConn, ln net.Listener, d *net.Dialer, db *sql.DB) rt.Coro[int] { // want Net:"async"
	return rt.AsyncErr(func() (int, error) {
		b := make([]byte, 8)
		n, _ := conn.Read(b)  // want `net.Conn.Read blocks the event loop, so no other task runs until it returns: use a stream of the loop instead \(from rt.Dial, or Accept of rt.Listen's listener\): rt.Await\(s.Read\(p\)\), rt.Await\(s.Write\(p\)\)`
		conn.Write(b)         // want `net.Conn.Write blocks the event loop, .*: use a stream of the loop instead`
		tcp.Read(b)           // want `net.TCPConn.Read blocks the event loop, .*: use a stream of the loop instead`
		tcp.Write(b)          // want `net.TCPConn.Write blocks the event loop, .*: use a stream of the loop instead`
		tcp.Close()           // not blocking
		c, err := ln.Accept() // want `net.Listener.Accept blocks the event loop, .*: listen with the loop's own listener, ln, err := rt.Try\(rt.Listen\(network, addr\)\), and accept with rt.Await\(ln.Accept\(\)\)`
		if err == nil {
			c.Close()
		}
		c, err = d.Dial("tcp", "localhost:1") // want `net.Dialer.Dial blocks the event loop, .*: connect with the loop's own streams, s, err := rt.Try\(rt.Dial\(network, addr\)\)`
		if err == nil {
			c.Close()
		}
		http.ListenAndServe(":0", nil)    // want `http.ListenAndServe blocks the event loop, .*: serve on its own goroutine, go http.ListenAndServe\(addr, h\) \(or in a function passed to rt.ToThread\)`
		rows, err := db.Query("SELECT 1") // want `sql.DB.Query blocks the event loop, .*: run it in a function passed to rt.ToThread`
		if err == nil {
			rows.Close()
		}
		db.QueryRow("SELECT 1")  // want `sql.DB.QueryRow blocks the event loop`
		db.Exec("DELETE FROM t") // want `sql.DB.Exec blocks the event loop`
		rt.Await(rt.ToThread(func() int {
			n, _ := conn.Read(b) // on a thread: fine
			return n
		}))
		go http.ListenAndServe(":0", nil) // on its own goroutine: fine
		return n, nil
	})
}
