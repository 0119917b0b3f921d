package testkit

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
)

// PipeServer serves an http.Handler over in-memory connections (net.Pipe)
// instead of a loopback port. Inside a testing/synctest bubble every wait
// on it is one the bubble's fake clock can see past, so a test of retries
// and rate-limit waits runs its hours of backoff in no time, exactly.
type PipeServer struct {
	// URL is a loopback address that no dial ever reaches: Transport
	// connects every request to the handler in memory.
	URL       string
	Transport *http.Transport
	srv       *http.Server
	ln        *pipeListener
}

// NewPipeServer starts serving h. Close it when done (inside the bubble,
// when it was started in one).
func NewPipeServer(h http.Handler) *PipeServer {
	ln := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	s := &PipeServer{URL: "http://127.0.0.1:1", srv: &http.Server{Handler: h}, ln: ln}
	s.Transport = &http.Transport{DialContext: ln.dial}
	go s.srv.Serve(ln)
	return s
}

// Close stops the server and drops every connection, the client's idle
// ones included, so that no goroutine outlives it.
func (s *PipeServer) Close() {
	s.Transport.CloseIdleConnections()
	s.srv.Close()
}

type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, errors.New("testkit: pipe server closed")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
