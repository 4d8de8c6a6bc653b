package deadline

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const idle = 200 * time.Millisecond

// serve accepts connections on a loopback port and hands each to handle.
func serve(t *testing.T, handle func(c *net.TCPConn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				handle(c.(*net.TCPConn))
			}()
		}
	}()
	return "http://" + l.Addr().String() + "/"
}

// readRequest reads a request's head and its body of Content-Length.
func readRequest(c net.Conn, r *bufio.Reader, bodyRate func([]byte)) error {
	req, err := http.ReadRequest(r)
	if err != nil {
		return err
	}
	buf := make([]byte, 16<<10)
	for {
		n, err := req.Body.Read(buf)
		if n > 0 && bodyRate != nil {
			bodyRate(buf[:n])
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func wantTimeout(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Idle != idle {
		t.Fatalf("err = %v; want a deadline *Error after %v", err, idle)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("err = %v; want a net.Error that is a timeout", err)
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	t.Parallel()
	hold := make(chan struct{})
	t.Cleanup(func() { close(hold) })
	u := serve(t, func(c *net.TCPConn) { <-hold }) // accepts, never answers
	_, err := Client(nil, idle).Get(u)
	wantTimeout(t, err)
}

func TestStalledBodyTimesOut(t *testing.T) {
	t.Parallel()
	hold := make(chan struct{})
	t.Cleanup(func() { close(hold) })
	u := serve(t, func(c *net.TCPConn) {
		readRequest(c, bufio.NewReader(c), nil)
		fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst bytes")
		<-hold
	})
	resp, err := Client(nil, idle).Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if string(body) != "first bytes" {
		t.Errorf("body = %q", body)
	}
	wantTimeout(t, err)
}

// TestTrickleWithinTimeoutIsKept: an answer taking twice the timeout in
// all, a byte at a time, each well within it, is read whole. The
// timeout leaves room for a busy machine's scheduling delays.
func TestTrickleWithinTimeoutIsKept(t *testing.T) {
	t.Parallel()
	const (
		timeout = 2 * time.Second
		body    = "0123456789abcdefghij"
	)
	u := serve(t, func(c *net.TCPConn) {
		readRequest(c, bufio.NewReader(c), nil)
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len(body))
		for i := range len(body) {
			time.Sleep(timeout / 10)
			c.Write([]byte{body[i]})
		}
	})
	resp, err := Client(nil, timeout).Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil || string(got) != body {
		t.Errorf("body = %q, %v; want %q", got, err, body)
	}
}

// TestSlowUploadIsKept: a request body the server reads slower than the
// timeout allows for the whole, but steadily, gets through.
func TestSlowUploadIsKept(t *testing.T) {
	t.Parallel()
	const (
		timeout = 5 * time.Second // far above one 16 KiB write's wait, on a busy machine too
		size    = 6 << 20         // at 0.8 MB/s at most: 7.7 seconds, well over the timeout
	)
	u := serve(t, func(c *net.TCPConn) {
		c.SetReadBuffer(32 << 10) // a slow link: little in flight
		r := bufio.NewReaderSize(c, 1024)
		got := 0
		err := readRequest(c, r, func(b []byte) {
			got += len(b)
			time.Sleep(20 * time.Millisecond) // after each 16 KiB at most
		})
		if err != nil || got != size {
			fmt.Fprintf(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
			return
		}
		fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	})
	resp, err := Client(nil, timeout).Post(u, "application/octet-stream", bytes.NewReader(make([]byte, size)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d; want the whole body received", resp.StatusCode)
	}
}

func TestConnectTimeout(t *testing.T) {
	t.Parallel()
	blackHole := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			<-ctx.Done() // a SYN that is never answered
			return nil, ctx.Err()
		},
	}}
	_, err := Client(blackHole, idle).Get("http://127.0.0.1:9/")
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Error(), "could not connect to 127.0.0.1:9 within 200ms") {
		t.Errorf("err = %v; want the connect timeout", err)
	}
	// The caller's own, shorter, deadline is not reported as this timeout.
	ctx, cancel := context.WithTimeout(t.Context(), idle/4)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:9/", nil)
	if _, err := Client(blackHole, time.Hour).Do(req); errors.As(err, &e) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v; want the caller's deadline", err)
	}
}

func TestOtherTransportsAndZeroKept(t *testing.T) {
	t.Parallel()
	rt := roundTripper(func(*http.Request) (*http.Response, error) { return nil, errors.New("mine") })
	if c := Client(&http.Client{Transport: rt}, idle); c.Transport == nil {
		t.Error("a custom RoundTripper was dropped")
	} else if _, err := c.Get("http://example.com/"); err == nil || !strings.Contains(err.Error(), "mine") {
		t.Errorf("err = %v; want the custom RoundTripper's", err)
	}
	if c := Client(nil, 0).Transport.(*http.Transport); !c.ForceAttemptHTTP2 || c.IdleConnTimeout != http.DefaultTransport.(*http.Transport).IdleConnTimeout {
		t.Error("a zero timeout set timeouts")
	}
	base := http.DefaultTransport.(*http.Transport)
	c := Client(nil, idle).Transport.(*split)
	small, large := c.small.rt, c.large
	if small == base || large == base || base.DialContext == nil || !small.ForceAttemptHTTP2 || large.ForceAttemptHTTP2 ||
		small.IdleConnTimeout != idle/2 || large.IdleConnTimeout != idle/2 {
		t.Errorf("transports %+v and %+v; want clones, HTTP/2 for small requests, HTTP/1.1 only for large ones, "+
			"idle connections dropped at half the timeout", small, large)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestLocalhostWithoutDNS(t *testing.T) {
	t.Parallel()
	u := serve(t, func(c *net.TCPConn) {
		readRequest(c, bufio.NewReader(c), nil)
		fmt.Fprint(c, "HTTP/1.1 204 No Content\r\n\r\n")
	})
	_, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(u, "http://"), "/"))
	for _, timeout := range []time.Duration{0, idle} {
		var asked []string
		var d net.Dialer
		c := Client(&http.Client{Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				asked = append(asked, addr)
				return d.DialContext(ctx, network, addr)
			},
		}}, timeout)
		resp, err := c.Get("http://LocalHost:" + port + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := "127.0.0.1:" + port; len(asked) != 1 || asked[0] != want {
			t.Errorf("timeout %v: dialled %q; want %q alone", timeout, asked, want)
		}
	}
}

// tlsServer serves handler over TLS on loopback, offering HTTP/2 and
// HTTP/1.1 as PyPI does.
func tlsServer(t *testing.T, handler http.HandlerFunc) *httptest.Server {
	srv := httptest.NewUnstartedServer(handler)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// TestProtocolBySize: a small request goes by HTTP/2, a large body by
// HTTP/1.1, also from a base client whose TLS configuration already lists
// h2 (httptest's, or any transport that has spoken HTTP/2): its HTTP/1.1
// transport no longer offers h2, instead of letting the server pick h2
// and then speaking HTTP/1.1 to it.
func TestProtocolBySize(t *testing.T) {
	t.Parallel()
	srv := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fmt.Fprint(w, r.Proto)
	})
	c := Client(srv.Client(), idle)
	for _, size := range []int{0, smallBody, smallBody + 1} {
		resp, err := c.Post(srv.URL, "application/octet-stream", bytes.NewReader(make([]byte, size)))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := map[bool]string{true: "HTTP/2.0", false: "HTTP/1.1"}[size <= smallBody]; string(body) != want {
			t.Errorf("a body of %d bytes went by %s; want %s", size, body, want)
		}
	}
}

// TestHTTP2StalledRequestTimesOut: on one HTTP/2 connection, a request
// whose answer stalls, and one never answered, fail after the timeout
// while another request's answer keeps the connection busy, a byte at a
// time, and arrives whole.
func TestHTTP2StalledRequestTimesOut(t *testing.T) {
	t.Parallel()
	const (
		timeout = time.Second // far above the trickle's steps, on a busy machine too
		steps   = 50          // 5 timeouts in all
	)
	hold := make(chan struct{})
	srv := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/silent":
			select {
			case <-hold:
			case <-r.Context().Done():
			}
		case "/stall":
			w.WriteHeader(http.StatusOK)
			w.Write([]byte("first bytes"))
			w.(http.Flusher).Flush()
			select {
			case <-hold:
			case <-r.Context().Done():
			}
		case "/trickle":
			for range steps {
				w.Write([]byte("."))
				w.(http.Flusher).Flush()
				time.Sleep(timeout / 10)
			}
		}
	})
	t.Cleanup(func() { close(hold) })
	c := Client(srv.Client(), timeout)
	if resp, err := c.Get(srv.URL + "/warm"); err != nil { // the connection both share
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	trickled := make(chan string)
	go func() {
		resp, err := c.Get(srv.URL + "/trickle")
		if err != nil {
			trickled <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		trickled <- fmt.Sprintf("%s %s %v", resp.Proto, b, err)
	}()
	resp, err := c.Get(srv.URL + "/stall")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Fatalf("answered over %s; want HTTP/2", resp.Proto)
	}
	body, err := io.ReadAll(resp.Body)
	if string(body) != "first bytes" {
		t.Errorf("body = %q", body)
	}
	var e *Error
	if !errors.As(err, &e) || e.Idle != timeout {
		t.Errorf("err = %v; want a deadline *Error after %v", err, timeout)
	}
	if _, err := c.Get(srv.URL + "/silent"); !errors.As(err, &e) || e.Idle != timeout {
		t.Errorf("a request never answered: err = %v; want a deadline *Error after %v", err, timeout)
	}
	select {
	case <-trickled: // the connection went quiet: its own timeout, not the request's
		t.Fatal("the stalled request failed only once the other request's answer had ended")
	default:
	}
	if got, want := <-trickled, "HTTP/2.0 "+strings.Repeat(".", steps)+" <nil>"; got != want {
		t.Errorf("the trickled answer: %q; want %q", got, want)
	}
}
