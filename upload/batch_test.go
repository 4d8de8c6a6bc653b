package upload

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
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

func TestUploadAllOrderAndParallelism(t *testing.T) {
	t.Parallel()
	var (
		mu             sync.Mutex
		active, most   int
		started, ended []string
	)
	ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		mu.Lock()
		active++
		most = max(most, active)
		started = append(started, rec.Filename)
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		active--
		ended = append(ended, rec.Filename)
		mu.Unlock()
	})
	ds := batch(t)
	results := ix.client().UploadAll(t.Context(), ds, Options{Parallel: 3})
	for i, r := range results {
		if r.Dist != ds[i] || r.Err != nil || r.Outcome != OutcomeUploaded {
			t.Errorf("result %d: %s %v %v; want %s uploaded", i, r.File, r.Outcome, r.Err, baseName(ds[i]))
		}
	}
	// The first wheel of each release goes alone, before anything else.
	first := []string{"pkg-1.0-py3-none-linux_x86_64.whl", "pkg-2.0-py3-none-linux_x86_64.whl"}
	if !slices.Equal(started[:2], first) || !slices.Equal(ended[:2], first) {
		t.Errorf("started %v, ended %v; want %v first, one at a time", started, ended, first)
	}
	if most != 3 {
		t.Errorf("at most %d uploads at once, want 3", most)
	}
	for _, sdist := range []string{"pkg-1.0.tar.gz", "pkg-2.0.tar.gz"} {
		if i := slices.Index(started, sdist); i < len(started)-3 {
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
	results := ix.client().UploadAll(t.Context(), ds, Options{Parallel: 1})
	for i, r := range results {
		if (r.Err != nil) != (r.File == "pkg-1.0-py3-none-win_amd64.whl") {
			t.Errorf("result %d: %s %v", i, r.File, r.Err)
		}
	}

	ix = newIndex(t, refuse)
	results = ix.client().UploadAll(t.Context(), ds, Options{Parallel: 1, FailFast: true})
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

func TestUploadOrder(t *testing.T) {
	t.Parallel()
	ds := batch(t)
	first, rest := uploadOrder(ds)
	names := func(idx []int) (out []string) {
		for _, i := range idx {
			out = append(out, baseName(ds[i]))
		}
		return out
	}
	want := []string{"pkg-1.0-py3-none-linux_x86_64.whl", "pkg-2.0-py3-none-linux_x86_64.whl"}
	if got := names(first); !slices.Equal(got, want) {
		t.Errorf("first = %v, want %v", got, want)
	}
	if got := names(rest); got[len(got)-1] != "pkg-2.0.tar.gz" || got[len(got)-2] != "pkg-1.0.tar.gz" || len(got) != 8 {
		t.Errorf("rest = %v, want the 6 other wheels then the sdists", got)
	}
}
