package upload

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustpub/pypi/dist"
)

// batch builds wheels and an sdist of two releases, sdists first in the
// input, so the order must change.
func batch(t *testing.T) []*dist.Distribution {
	var ds []*dist.Distribution
	for _, v := range []string{"1.0", "2.0"} {
		ds = append(ds, newDist(t, "", "pkg-"+v+".tar.gz", []byte("sdist "+v), nil))
		for _, plat := range []string{"linux_x86_64", "win_amd64", "macosx_11_0_arm64", "any"} {
			ds = append(ds, newDist(t, "", fmt.Sprintf("pkg-%s-py3-none-%s.whl", v, plat), []byte(plat+v), nil))
		}
	}
	return ds
}

// TestUploadAllOrderAndParallelism holds every upload at the server
// until the test lets it end, oldest first, and counts the uploads that
// start after each: the first wheels of both releases alone, then the
// other files, 3 at a time, wheels before sdists.
func TestUploadAllOrderAndParallelism(t *testing.T) {
	t.Parallel()
	var (
		mu             sync.Mutex
		active, most   int
		started, ended []string
	)
	ds := batch(t)
	arrived := make(chan string, len(ds))
	gates := map[string]chan struct{}{}
	for _, d := range ds {
		gates[baseName(d)] = make(chan struct{})
	}
	stop := make(chan struct{})
	ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		mu.Lock()
		active++
		most = max(most, active)
		started = append(started, rec.Filename)
		mu.Unlock()
		arrived <- rec.Filename
		select {
		case <-gates[rec.Filename]:
		case <-stop:
		}
		mu.Lock()
		active--
		ended = append(ended, rec.Filename)
		mu.Unlock()
	})
	t.Cleanup(func() { close(stop) }) // before the server closes
	done := make(chan []*Result)
	go func() { done <- ix.client().UploadAll(t.Context(), ds, Options{Concurrency: 3}) }()
	var held []string
	take := func(n int) {
		for range n {
			select {
			case f := <-arrived:
				held = append(held, f)
			case <-time.After(10 * time.Second):
				t.Fatalf("%d uploads held (%v), and no other started; want %d more", len(held), held, n)
			}
		}
	}
	take(2) // the first wheels, alone
	// Ending the first wheel frees its release's 4 other files, 2 of which
	// may start; from then on, each upload that ends lets one start,
	// until none is left.
	for _, more := range []int{2, 1, 1, 1, 1, 1, 1, 0, 0, 0} {
		close(gates[held[0]])
		held = held[1:]
		take(more)
	}
	results := <-done
	for i, r := range results {
		if r.Dist != ds[i] || r.Err != nil || r.Outcome != OutcomeUploaded {
			t.Errorf("result %d: %s %v %v; want %s uploaded", i, r.File, r.Outcome, r.Err, baseName(ds[i]))
		}
	}
	first := []string{"pkg-1.0-py3-none-linux_x86_64.whl", "pkg-2.0-py3-none-linux_x86_64.whl"}
	if got := slices.Sorted(slices.Values(started[:2])); !slices.Equal(got, first) {
		t.Errorf("started %v; want %v first", started, first)
	}
	if most != 3 {
		t.Errorf("at most %d uploads at once, want 3", most)
	}
	for _, sdist := range []string{"pkg-1.0.tar.gz", "pkg-2.0.tar.gz"} {
		if i := slices.Index(started, sdist); i < len(started)-2 {
			t.Errorf("%s started %d of %d: want sdists after the wheels", sdist, i+1, len(started))
		}
	}
}

func TestUploadAllFailures(t *testing.T) {
	t.Parallel()
	refuse := func(w http.ResponseWriter, rec *received, n int) {
		if rec.Filename == "pkg-1.0-py3-none-win_amd64.whl" {
			answer(w, 400, "Binary wheel has an unsupported platform tag.", "text/plain", "")
		}
	}
	ix := newIndex(t, refuse)
	ds := batch(t)
	results := ix.client().UploadAll(t.Context(), ds, Options{Concurrency: 1})
	for i, r := range results {
		if (r.Err != nil) != (r.File == "pkg-1.0-py3-none-win_amd64.whl") {
			t.Errorf("result %d: %s %v", i, r.File, r.Err)
		}
	}

	ix = newIndex(t, refuse)
	results = ix.client().UploadAll(t.Context(), ds, Options{Concurrency: 1, FailFast: true})
	var aborted int
	for _, r := range results {
		if errors.Is(r.Err, ErrAborted) {
			aborted++
		}
	}
	// sequential order: the 2 first wheels, then 1.0's win_amd64
	if aborted != len(ds)-3 || ix.count() != 3 {
		t.Errorf("FailFast: %d aborted, %d sent; want %d aborted after 3 sent", aborted, ix.count(), len(ds)-3)
	}
}

func TestReleaseQueue(t *testing.T) {
	t.Parallel()
	ds := batch(t)
	q := newReleaseQueue(ds)
	take := func() (out []string) {
		for i, ok := q.next(); ok; i, ok = q.next() {
			out = append(out, baseName(ds[i]))
		}
		return out
	}
	index := func(name string) int {
		return slices.IndexFunc(ds, func(d *dist.Distribution) bool { return baseName(d) == name })
	}
	// Other files come by rank (wheels first), whatever order their
	// releases' first files finished in.
	steps := []struct {
		done []string // files reported done before taking
		want []string
	}{
		{nil, []string{"pkg-1.0-py3-none-linux_x86_64.whl", "pkg-2.0-py3-none-linux_x86_64.whl"}},
		{[]string{"pkg-2.0-py3-none-linux_x86_64.whl", "pkg-1.0-py3-none-linux_x86_64.whl"}, []string{
			"pkg-1.0-py3-none-win_amd64.whl", "pkg-1.0-py3-none-macosx_11_0_arm64.whl", "pkg-1.0-py3-none-any.whl",
			"pkg-2.0-py3-none-win_amd64.whl", "pkg-2.0-py3-none-macosx_11_0_arm64.whl", "pkg-2.0-py3-none-any.whl",
			"pkg-1.0.tar.gz", "pkg-2.0.tar.gz",
		}},
	}
	for _, step := range steps {
		for _, name := range step.done {
			q.done(index(name))
		}
		if got := take(); !slices.Equal(got, step.want) {
			t.Errorf("after %v done: got %v, want %v", step.done, got, step.want)
		}
	}
}

// TestUploadAllReleasesOverlap uploads a wheel and an sdist of each of 6
// projects, 4 at a time, to a server that holds each request until 4 are
// in progress (or 2 s have passed).
func TestUploadAllReleasesOverlap(t *testing.T) {
	t.Parallel()
	const parallel = 4
	var (
		mu       sync.Mutex
		active   int
		most     int
		events   []string // "start name" and "end name", in order
		gate     = make(chan struct{})
		openGate sync.Once
	)
	ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		mu.Lock()
		active++
		most = max(most, active)
		events = append(events, "start "+rec.Filename)
		if active == parallel {
			openGate.Do(func() { close(gate) })
		}
		mu.Unlock()
		select {
		case <-gate:
		case <-time.After(2 * time.Second):
		}
		mu.Lock()
		active--
		events = append(events, "end "+rec.Filename)
		mu.Unlock()
	})
	var ds []*dist.Distribution
	for p := range 6 {
		ds = append(ds,
			newDist(t, "", fmt.Sprintf("proj%d-1.0.tar.gz", p), []byte("sdist"), nil),
			newDist(t, "", fmt.Sprintf("proj%d-1.0-py3-none-any.whl", p), []byte("wheel"), nil))
	}
	results := ix.client().UploadAll(t.Context(), ds, Options{Concurrency: parallel})
	for i, r := range results {
		if r.Dist != ds[i] || r.Err != nil || r.Outcome != OutcomeUploaded {
			t.Errorf("result %d: %s %v %v; want %s uploaded", i, r.File, r.Outcome, r.Err, baseName(ds[i]))
		}
	}
	if most != parallel {
		t.Errorf("at most %d uploads at once, want %d", most, parallel)
	}
	for i, e := range events[:parallel] {
		if !strings.HasPrefix(e, "start ") || !strings.HasSuffix(e, ".whl") {
			t.Errorf("event %d is %q, want the first %d to start the first wheels together", i, e, parallel)
		}
	}
	for p := range 6 {
		wheelEnd := slices.Index(events, fmt.Sprintf("end proj%d-1.0-py3-none-any.whl", p))
		sdistStart := slices.Index(events, fmt.Sprintf("start proj%d-1.0.tar.gz", p))
		if sdistStart < wheelEnd {
			t.Errorf("proj%d's sdist started before its wheel ended: %v", p, events)
		}
	}
}

// TestUploadAllReleaseWaitsOnlyForItsFirst checks that a release's second
// file does not wait for another release's first file: the server holds
// b's wheel until a's sdist arrives (or 2 s have passed).
func TestUploadAllReleaseWaitsOnlyForItsFirst(t *testing.T) {
	t.Parallel()
	sdistIn := make(chan struct{})
	var heldTooLong atomic.Bool
	ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		switch rec.Filename {
		case "a-1.0.tar.gz":
			close(sdistIn)
		case "b-1.0-py3-none-any.whl":
			select {
			case <-sdistIn:
			case <-time.After(2 * time.Second):
				heldTooLong.Store(true)
			}
		}
	})
	ds := []*dist.Distribution{
		newDist(t, "", "a-1.0-py3-none-any.whl", []byte("a wheel"), nil),
		newDist(t, "", "a-1.0.tar.gz", []byte("a sdist"), nil),
		newDist(t, "", "b-1.0-py3-none-any.whl", []byte("b wheel"), nil),
	}
	for _, r := range ix.client().UploadAll(t.Context(), ds, Options{Concurrency: 2}) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.File, r.Err)
		}
	}
	if heldTooLong.Load() {
		t.Error("a's sdist did not start while b's wheel was in progress")
	}
}

// TestBatchReusesConnections: a batch keeps as many connections open as
// it sends files at once, and reuses them, instead of dialling anew
// whenever more finish together than a transport keeps idle by default
// (two per host).
func TestBatchReusesConnections(t *testing.T) {
	t.Parallel()
	var (
		dials   atomic.Int32
		mu      sync.Mutex
		waiting []chan struct{}
	)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		// Answer in rounds of four at once, the worst case for the pool.
		ch := make(chan struct{})
		mu.Lock()
		if waiting = append(waiting, ch); len(waiting) == 4 {
			for _, c := range waiting {
				close(c)
			}
			waiting = nil
		}
		mu.Unlock()
		select {
		case <-ch:
		case <-time.After(time.Second): // a round that never fills
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	var ds []*dist.Distribution
	dir := t.TempDir()
	for i := range 24 {
		ds = append(ds, newDist(t, dir, fmt.Sprintf("pkg%d-1.0-py3-none-any.whl", i), []byte("x"), nil))
	}
	c := &Client{URL: srv.URL + "/legacy/", Username: "u", Password: "p"}
	for _, r := range c.UploadAll(t.Context(), ds, Options{Concurrency: 4}) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if n := dials.Load(); n > 4 {
		t.Errorf("24 uploads, 4 at a time, opened %d connections; want at most 4", n)
	}
}
