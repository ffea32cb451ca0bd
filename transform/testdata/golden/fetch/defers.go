//go:build corosrc

package fetch

import (
	"errors"
	"io"

	"github.com/corogen/corogen/rt"
)

// Conn is a connection whose Close awaits.
type Conn struct{ closed bool }

//coro:async
func (c *Conn) Close() rt.Coro[rt.Void] {
	return rt.Do(func() {
		rt.Await(rt.Sleep(0))
		c.closed = true
	})
}

//coro:async
func (c *Conn) Read(buf []byte) rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		if c.closed {
			return 0, io.EOF
		}
		rt.Await(rt.Sleep(1))
		return copy(buf, "hello"), nil
	})
}

// ReadAll reads until the connection fails, closing it on the way out.
//
//coro:async
func ReadAll(c *Conn) rt.Coro[[]byte] {
	return rt.AsyncErr(func() (data []byte, err error) {
		defer rt.Await(c.Close())
		defer func() {
			if errors.Is(err, io.EOF) {
				err = nil
			}
		}()
		buf := make([]byte, 8)
		for len(data) < 20 {
			n := rt.Await(c.Read(buf))
			data = append(data, buf[:n]...)
		}
		return data, nil
	})
}
