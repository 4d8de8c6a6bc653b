package deadline

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"time"
)

// watch gives each request through rt its own inactivity timeout: the
// request is cancelled once neither its body nor its answer's has moved
// a byte for idle, whatever other requests on the same HTTP/2 connection
// do. The error is then an *Error.
type watch struct {
	rt   *http.Transport
	idle time.Duration
}

func (w *watch) RoundTrip(req *http.Request) (*http.Response, error) {
	stall := &Error{Op: "receive", Idle: w.idle}
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(w.idle, func() { cancel(stall) })
	// Until the request has its connection, the dial's own timeout and
	// the TLS handshake's apply: the timer starts with the connection.
	timer.Stop()
	t := &timed{timer: timer, idle: w.idle, ctx: ctx, stall: stall}
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { timer.Reset(w.idle) }})
	req = req.WithContext(ctx)
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = &timedBody{rc: req.Body, t: t}
	}
	resp, err := w.rt.RoundTrip(req)
	if err != nil {
		timer.Stop()
		cancel(nil)
		return nil, t.check(err)
	}
	timer.Reset(w.idle) // the answer's head moved
	resp.Body = &timedBody{rc: resp.Body, t: t, done: func() { timer.Stop(); cancel(nil) }}
	return resp, nil
}

// timed is one request's timer.
type timed struct {
	timer *time.Timer
	idle  time.Duration
	ctx   context.Context
	stall *Error
}

// check turns the error of a request cancelled by its timer into the
// timer's *Error.
func (t *timed) check(err error) error {
	if err != nil && context.Cause(t.ctx) == t.stall {
		return t.stall
	}
	return err
}

// timedBody pushes its request's timer with every byte read, and runs
// done, if any, on Close.
type timedBody struct {
	rc   io.ReadCloser
	t    *timed
	done func()
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.t.timer.Reset(b.t.idle)
	}
	if err == io.EOF {
		return n, err
	}
	return n, b.t.check(err)
}

func (b *timedBody) Close() error {
	if b.done != nil {
		b.done()
	}
	return b.rc.Close()
}
