// Package deadline gives HTTP clients a connect timeout and an inactivity
// timeout: a connection (on HTTP/2, a request) on which no byte moves,
// either way, for the timeout fails with a [net.Error] whose Timeout
// method reports true.
// Every byte read or written pushes the deadline forward, so a large
// upload on a slow link is never cut off while it moves, and a server that
// accepts and never answers, answers a byte at a time slower than the
// timeout, or stalls in the middle of a body, is given up on. The name
// localhost is dialled as a loopback address, never looked up.
package deadline

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"
)

const (
	// maxWrite bounds each write to the connection, so that a write to a
	// slow reader shows progress (and pushes the deadline) as it goes.
	maxWrite = 16 << 10
	// sendBuffer bounds the kernel's send buffer. Bytes written wait
	// there; once the last is written, the wait for the answer includes
	// the time the buffer takes to drain, which must stay well within
	// the timeout on a slow link (1 MiB, as Linux doubles it, at 20 kB/s
	// is 50 s) while leaving fast links their speed.
	sendBuffer = 512 << 10
	// idleConnsPerHost is how many idle connections to one host the
	// pool keeps: more than any sensible number of parallel uploads.
	idleConnsPerHost = 32
)

// Client returns a copy of base (nil means a zero http.Client) whose
// transport dials within timeout and gives up on a request when no byte
// of it moves for timeout, and dials the name localhost as 127.0.0.1,
// then ::1, without asking DNS. The transport must be nil
// (http.DefaultTransport) or an *http.Transport, which is cloned, never
// changed; any other RoundTripper is kept as it is, with whatever
// timeouts it has. A timeout of zero or less sets no timeout.
//
// With a timeout, a request whose body is at most smallBody bytes goes
// by HTTP/2 where the server offers it: many small requests share one
// connection's handshake and framing. A larger body goes by HTTP/1.1,
// on a connection of its own: parallel large bodies on one HTTP/2
// connection share its flow-control window and its writes, and took 1.2
// to 1.8 times as long (BENCHMARKS.md). On HTTP/1.1 the
// connection's own inactivity is the request's; on HTTP/2, where one
// request moving would hide another that stalls, each request has its
// own timer, pushed by every byte of its body either way.
func Client(base *http.Client, timeout time.Duration) *http.Client {
	c := &http.Client{}
	if base != nil {
		*c = *base
	}
	rt := c.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	t, ok := rt.(*http.Transport)
	if !ok {
		return c
	}
	if timeout <= 0 {
		c.Transport = clone(t)
		return c
	}
	c.Transport = &split{
		small: &watch{rt: withTimeout(clone(t), timeout, true), idle: timeout},
		large: withTimeout(clone(t), timeout, false),
	}
	return c
}

// smallBody is the largest request body sent by HTTP/2. Measured
// (BenchmarkParallelUploads), HTTP/2 took 0.47 to 0.91 times as long for
// 200 bodies of 16 KiB, 1.03 times for 12 of 2 MiB, 1.2 to 1.8 times
// for 4 parallel ones of 256 MiB.
const smallBody = 1 << 20

// clone copies base, dialling localhost without DNS.
func clone(base *http.Transport) *http.Transport {
	t := base.Clone()
	dial := t.DialContext
	if dial == nil {
		dial = (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext
	}
	t.DialContext = localhost(dial)
	if t.DialTLSContext != nil {
		t.DialTLSContext = localhost(t.DialTLSContext)
	}
	return t
}

// withTimeout gives t the timeout, and HTTP/2 where the server offers
// it if http2, HTTP/1.1 only otherwise.
func withTimeout(t *http.Transport, timeout time.Duration, http2 bool) *http.Transport {
	t.DialContext = wrap(t.DialContext, timeout)
	if t.DialTLSContext != nil {
		t.DialTLSContext = wrap(t.DialTLSContext, timeout)
	}
	t.ForceAttemptHTTP2 = http2
	if !http2 {
		t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
		// A base whose TLS configuration already offers h2 (one that has
		// made an HTTPS request, or httptest's) would let the server
		// choose it, then speak HTTP/1.1 to it.
		if cfg := t.TLSClientConfig; cfg != nil { // Clone's copy; its NextProtos is the base's
			cfg.NextProtos = slices.DeleteFunc(slices.Clone(cfg.NextProtos), func(p string) bool { return p == "h2" })
		}
	}
	t.TLSHandshakeTimeout = timeout
	// A publisher sends several files at once to one host; the default
	// pool keeps 2 of their connections and closes the others after each
	// request, so every later file would pay a new connection and TLS
	// handshake.
	t.MaxIdleConnsPerHost = max(t.MaxIdleConnsPerHost, idleConnsPerHost)
	// A pooled connection times out when idle; drop it from the pool
	// before that, so that no request picks it up as it closes.
	if t.IdleConnTimeout == 0 || t.IdleConnTimeout > timeout/2 {
		t.IdleConnTimeout = timeout / 2
	}
	return t
}

// split sends small requests one way and large ones the other.
type split struct {
	small *watch
	large *http.Transport
}

func (s *split) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.ContentLength < 0 || req.ContentLength > smallBody { // < 0: unknown
		return s.large.RoundTrip(req)
	}
	return s.small.RoundTrip(req)
}

// CloseIdleConnections closes both transports' idle connections, as
// http.Client.CloseIdleConnections asks.
func (s *split) CloseIdleConnections() {
	s.small.rt.CloseIdleConnections()
	s.large.CloseIdleConnections()
}

// localhost makes dial take the name localhost to the loopback
// addresses themselves (RFC 6761): DNS, or a hosts file, may say
// otherwise, and plain http is allowed there.
func localhost(dial dialFunc) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil || !strings.EqualFold(host, "localhost") {
			return dial(ctx, network, addr)
		}
		nc, err := dial(ctx, network, net.JoinHostPort("127.0.0.1", port))
		if err != nil && ctx.Err() == nil {
			if nc6, err6 := dial(ctx, network, net.JoinHostPort("::1", port)); err6 == nil {
				return nc6, nil
			}
		}
		return nc, err
	}
}

type dialFunc = func(ctx context.Context, network, addr string) (net.Conn, error)

// wrap bounds dial to timeout and wraps the connections it makes.
func wrap(dial dialFunc, timeout time.Duration) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		tooLong := &Error{Op: "connect to " + addr, Idle: timeout}
		ctx, cancel := context.WithTimeoutCause(ctx, timeout, tooLong)
		defer cancel()
		nc, err := dial(ctx, network, addr)
		if err != nil {
			if context.Cause(ctx) == tooLong { // not the caller's own deadline
				return nil, tooLong
			}
			return nil, err
		}
		return NewConn(nc, timeout), nil
	}
}

// NewConn returns nc with the inactivity timeout idle: each read or
// write that moves a byte pushes nc's deadline to idle from now.
func NewConn(nc net.Conn, idle time.Duration) net.Conn {
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.SetWriteBuffer(sendBuffer)
	}
	c := &conn{Conn: nc, idle: idle}
	c.extend()
	return c
}

type conn struct {
	net.Conn
	idle time.Duration
}

func (c *conn) extend() { c.Conn.SetDeadline(time.Now().Add(c.idle)) }

func (c *conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.extend()
	}
	return n, c.check("receive", err)
}

func (c *conn) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		n, err := c.Conn.Write(p[:min(len(p), maxWrite)])
		written += n
		if n > 0 {
			c.extend()
		}
		if err != nil {
			return written, c.check("send", err)
		}
		p = p[n:]
	}
	return written, nil
}

// check turns the deadline's expiry into an *Error.
func (c *conn) check(op string, err error) error {
	if err != nil && os.IsTimeout(err) {
		return &Error{Op: op, Idle: c.idle}
	}
	return err
}

// Error is a connection given up on: nothing moved for Idle.
type Error struct {
	Op   string // "connect to <addr>", "send" or "receive"
	Idle time.Duration
}

// Error says what stalled and for how long.
func (e *Error) Error() string {
	if e.Op == "send" || e.Op == "receive" {
		return fmt.Sprintf("timeout: no byte sent or received for %v", e.Idle)
	}
	return fmt.Sprintf("timeout: could not %s within %v", e.Op, e.Idle)
}

// Timeout reports true.
func (e *Error) Timeout() bool { return true }

// Temporary reports true: a new connection may do better (it completes
// the net.Error interface).
func (e *Error) Temporary() bool { return true }

// Is matches os.ErrDeadlineExceeded, as the expired deadline it stands for.
func (e *Error) Is(target error) bool { return target == os.ErrDeadlineExceeded }
