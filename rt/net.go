package rt

import (
	"fmt"
	"io"
)

// The parts of the network API that do not depend on the system; the
// implementation is in *_linux.go, stubs for other systems in net_other.go.

// ErrNetUnsupported is the error of Dial and Listen where the loop has no
// poller for sockets (systems other than Linux).
var ErrNetUnsupported = errorString("rt: network I/O on the loop is implemented on Linux only")

// DefaultLimit is a new stream's limit (asyncio's default): the longest
// line ReadLine and ReadUntil return, delimiter included.
const DefaultLimit = 64 << 10

// ErrStreamBusy is the error of a read (or write) on a stream that another
// task is already suspended reading from (or writing to).
var ErrStreamBusy = errorString("rt: another task is already reading from (or writing to) this stream")

// ErrLimitOverrun: ReadUntil or ReadLine found no delimiter within the
// stream's limit (asyncio's LimitOverrunError). ReadUntil leaves the data in
// the buffer; ReadLine discards the overlong line, as asyncio's readline.
var ErrLimitOverrun = errorString("rt: the delimiter was not found within the stream's limit")

type errorString string

func (e errorString) Error() string { return string(e) }

// IncompleteReadError: the stream ended (io.EOF) before ReadExactly got
// its n bytes or ReadUntil its delimiter (asyncio's IncompleteReadError).
// Partial holds the bytes that came; errors.Is(err, io.ErrUnexpectedEOF)
// holds. A stream that ends with nothing buffered gives io.EOF instead.
type IncompleteReadError struct {
	Partial  []byte
	Expected int // ReadExactly's n; 0 for ReadUntil
}

func (e *IncompleteReadError) Error() string {
	if e.Expected > 0 {
		return fmt.Sprintf("rt: stream ended after %d of %d bytes", len(e.Partial), e.Expected)
	}
	return fmt.Sprintf("rt: stream ended after %d bytes without the delimiter", len(e.Partial))
}

func (e *IncompleteReadError) Unwrap() error { return io.ErrUnexpectedEOF }
