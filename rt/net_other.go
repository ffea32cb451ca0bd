//go:build !linux

package rt

import "net"

// Network I/O on the loop needs epoll: on other systems the API exists so
// that programs build, and Dial and Listen fail with ErrNetUnsupported.

// Stream is a connected socket on the loop (Linux only).
type Stream struct{ pd pollDesc }

// Listener is a listening socket on the loop (Linux only).
type Listener struct{}

type (
	ReadOp      struct{}
	ReadBytesOp struct{}
	WriteOp     struct{}
	CloseOp     struct{}
	DialOp      struct{}
	ListenOp    struct{}
	AcceptOp    struct{}
)

func Dial(network, addr string) DialOp     { return DialOp{} }
func Listen(network, addr string) ListenOp { return ListenOp{} }

func (s *Stream) LocalAddr() net.Addr                { return nil }
func (s *Stream) RemoteAddr() net.Addr               { return nil }
func (s *Stream) Limit() int                         { return DefaultLimit }
func (s *Stream) SetLimit(n int)                     {}
func (s *Stream) Buffered() int                      { return 0 }
func (s *Stream) Closed() bool                       { return true }
func (s *Stream) Read(p []byte) ReadOp               { return ReadOp{} }
func (s *Stream) ReadLine() ReadBytesOp              { return ReadBytesOp{} }
func (s *Stream) ReadUntil(delim []byte) ReadBytesOp { return ReadBytesOp{} }
func (s *Stream) ReadExactly(n int) ReadBytesOp      { return ReadBytesOp{} }
func (s *Stream) Write(p []byte) WriteOp             { return WriteOp{} }
func (s *Stream) Close() CloseOp                     { return CloseOp{} }
func (s *Stream) CloseWrite() CloseOp                { return CloseOp{} }
func (s *Stream) Abort() CloseOp                     { return CloseOp{} }
func (ln *Listener) Addr() net.Addr                  { return nil }
func (ln *Listener) Accept() AcceptOp                { return AcceptOp{} }
func (ln *Listener) Close() CloseOp                  { return CloseOp{} }

func (ReadOp) Poll(cx *Ctx) bool                    { return true }
func (ReadOp) Outcome(cx *Ctx) (int, error)         { return 0, ErrNetUnsupported }
func (ReadBytesOp) Poll(cx *Ctx) bool               { return true }
func (ReadBytesOp) Outcome(cx *Ctx) ([]byte, error) { return nil, ErrNetUnsupported }
func (WriteOp) Poll(cx *Ctx) bool                   { return true }
func (WriteOp) Outcome(cx *Ctx) (Void, error)       { return Void{}, ErrNetUnsupported }
func (CloseOp) Poll(cx *Ctx) bool                   { return true }
func (CloseOp) Outcome(cx *Ctx) (Void, error)       { return Void{}, nil }
func (DialOp) Poll(cx *Ctx) bool                    { return true }
func (DialOp) Outcome(cx *Ctx) (*Stream, error)     { return nil, ErrNetUnsupported }
func (ListenOp) Poll(cx *Ctx) bool                  { return true }
func (ListenOp) Outcome(cx *Ctx) (*Listener, error) { return nil, ErrNetUnsupported }
func (AcceptOp) Poll(cx *Ctx) bool                  { return true }
func (AcceptOp) Outcome(cx *Ctx) (*Stream, error)   { return nil, ErrNetUnsupported }
