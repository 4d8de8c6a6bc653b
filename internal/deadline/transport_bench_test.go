package deadline

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// BenchmarkParallelUploads compares one multiplexed HTTP/2 connection
// with a pool of HTTP/1.1 connections for the shapes of upload a
// publisher makes, over TLS on loopback, against a Go server offering
// both (as PyPI does) that reads and discards each body, then answers
// after the latency. Files are uploaded as the CLI does: the first alone,
// then the rest parallel at a time, by a new client each time (a run of
// the CLI). Client's choice of protocol by body size (smallBody) comes
// from these figures.
func BenchmarkParallelUploads(b *testing.B) {
	shapes := []struct {
		name     string
		files    int
		size     int64
		parallel int
		latency  time.Duration
	}{
		{"4x256MiB", 4, 256 << 20, 4, 0},
		{"12x2MiB-50ms", 12, 2 << 20, 4, 50 * time.Millisecond},
		{"200x16KiB", 200, 16 << 10, 4, 0},
	}
	for _, sh := range shapes {
		if testing.Short() { // a smoke run: the same shapes, tiny
			sh.size /= 64
		}
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			time.Sleep(sh.latency)
		}))
		srv.EnableHTTP2 = true
		srv.StartTLS()
		for _, h2 := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/%s", sh.name, protoName(h2)), func(b *testing.B) {
				b.SetBytes(int64(sh.files) * sh.size)
				for b.Loop() {
					base := srv.Client().Transport.(*http.Transport)
					c := &http.Client{Transport: withTimeout(clone(base), time.Minute, h2)}
					post := func() {
						req, _ := http.NewRequest(http.MethodPost, srv.URL, &zeros{left: sh.size})
						req.ContentLength = sh.size
						resp, err := c.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if (resp.ProtoMajor == 2) != h2 {
							b.Errorf("answered over %s", resp.Proto)
						}
					}
					post()
					var wg sync.WaitGroup
					work := make(chan struct{})
					for range sh.parallel {
						wg.Go(func() {
							for range work {
								post()
							}
						})
					}
					for range sh.files - 1 {
						work <- struct{}{}
					}
					close(work)
					wg.Wait()
					c.CloseIdleConnections()
				}
			})
		}
		srv.Close()
	}
}

func protoName(h2 bool) string {
	if h2 {
		return "http2"
	}
	return "http1.1"
}

// zeros is a body of left zero bytes.
type zeros struct{ left int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.left == 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), z.left))
	clear(p[:n])
	z.left -= int64(n)
	return n, nil
}
