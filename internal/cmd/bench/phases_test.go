package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime/pprof"
	"testing"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/pypitest"
	"github.com/trustpub/pypi/upload"
)

// BenchmarkPhases splits the work of one upload of a wheel as our CLI
// does it into its phases, to explain the scenarios' wall times: open
// (the wheel's metadata; its digests are not computed there), check
// (PyPI's rules), the upload to a server that only reads the body (the
// file opened afresh each time, so that it is hashed while it is sent, as
// a first upload is), and the upload to pypitest, whose
// judging of the file (on the same cores, in the scenarios) both clients
// wait for. Run with -cpuprofile on one phase to see where its time goes:
// the samples of each phase carry the label phase=<name>, and those of
// the indexes side=index (goroutines inherit labels, so a server started
// under one labels the handlers it runs and the goroutines they start),
// for pprof -tagfocus.
func BenchmarkPhases(b *testing.B) {
	for _, size := range []int64{8 << 20, 256 << 20} {
		path, err := writeWheel(b.TempDir(), wheelSpec{project: "benchpkg", tag: "py3-none-any", payload: size, seed: 7})
		if err != nil {
			b.Fatal(err)
		}
		d, err := dist.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		name := sizeText(size)
		phase(b, name, "open", func(b *testing.B) {
			b.SetBytes(d.Size)
			for b.Loop() {
				if _, err := dist.Open(path); err != nil {
					b.Fatal(err)
				}
			}
		})
		phase(b, name, "check", func(b *testing.B) {
			b.SetBytes(d.Size)
			for b.Loop() {
				if ps := d.Check(dist.PyPI); len(ps) > 0 {
					b.Fatal(ps)
				}
			}
		})
		phase(b, name, "upload-discard", func(b *testing.B) {
			var srv *httptest.Server
			asIndex(func() {
				srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					io.Copy(io.Discard, r.Body)
				}))
			})
			defer srv.Close()
			uploadLoop(b, &upload.Client{URL: srv.URL + "/legacy/", Username: "u", Password: "p"}, path)
		})
		phase(b, name, "upload-pypitest", func(b *testing.B) {
			var srv *pypitest.Server
			asIndex(func() { srv = pypitest.NewServer() })
			defer srv.Close()
			srv.AddAPIToken("bench", token)
			srv.SetMaxFileSize(2 << 30)
			uploadLoop(b, &upload.Client{URL: srv.URL + "/legacy/", Username: "__token__", Password: token}, path)
		})
	}
}

// phase runs f as the sub-benchmark size/name, its samples labelled
// phase=name.
func phase(b *testing.B, size, name string, f func(*testing.B)) {
	b.Run(size+"/"+name, func(b *testing.B) {
		pprof.Do(b.Context(), pprof.Labels("phase", name), func(context.Context) { f(b) })
	})
}

// asIndex runs f, which starts a server, with the label side=index.
func asIndex(f func()) {
	pprof.Do(context.Background(), pprof.Labels("side", "index"), func(context.Context) { f() })
}

// uploadLoop opens the file at path and uploads it, again and again;
// after the first time pypitest answers 200 for an identical re-upload,
// having judged it again.
func uploadLoop(b *testing.B, c *upload.Client, path string) {
	for b.Loop() {
		d, err := dist.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(d.Size)
		r, err := c.Upload(b.Context(), d, upload.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if r.Outcome != upload.OutcomeUploaded {
			b.Fatal(fmt.Sprint(r.Outcome))
		}
	}
}
