package upload

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/pypitest"
)

// digestPlace says where an upload's digest fields were: "after" the
// file, "before" it, or "none"; and their values.
func digestPlace(rec *received) (string, []Field) {
	var got []Field
	place := "none"
	for i, f := range rec.Fields {
		if strings.HasSuffix(f.Name, "_digest") {
			got = append(got, f)
			place = "after"
			if i < rec.FieldsBefore {
				place = "before"
			}
		}
	}
	return place, got
}

// TestDigestsPlace: a wheel's digests are computed while it is sent and
// follow it; then the Distribution knows them, and the next upload sends
// them first, as it does an sdist's, which Open hashed. md5 only on
// request.
func TestDigestsPlace(t *testing.T) {
	t.Parallel()
	ix := newIndex(t, nil)
	c := ix.client()
	dir := t.TempDir()
	sdistName, sdist := pypitest.Dist{Name: "demo", Version: "1.0", Sdist: true}.Build()
	wheelName, wheel := pypitest.Dist{Name: "demo", Version: "1.0"}.Build()
	sd, whl := openNew(t, dir, sdistName, sdist), openNew(t, dir, wheelName, wheel)
	md5Name, md5Wheel := pypitest.Dist{Name: "md5", Version: "1.0"}.Build()
	md5d := openNew(t, dir, md5Name, md5Wheel)
	if _, known := whl.KnownDigests(false); known {
		t.Fatal("Open hashed the wheel")
	}
	for _, tc := range []struct {
		d     *dist.Distribution
		opts  Options
		place string
	}{
		{whl, Options{}, "after"},
		{whl, Options{}, "before"},
		{sd, Options{}, "before"},
		{md5d, Options{MD5: true}, "after"},
	} {
		if _, err := c.Upload(t.Context(), tc.d, tc.opts); err != nil {
			t.Fatal(err)
		}
		place, got := digestPlace(ix.upload(ix.count() - 1))
		s := sums(t, tc.d)
		want := []Field{{"sha256_digest", s.SHA256}, {"blake2_256_digest", s.BLAKE2b256}}
		if tc.opts.MD5 {
			want = append(want, Field{"md5_digest", s.MD5})
		}
		if diff := cmp.Diff(want, got); diff != "" || place != tc.place {
			t.Errorf("%s: digests %s the file, want %s; fields (-want +got):\n%s", baseName(tc.d), place, tc.place, diff)
		}
		if known, ok := tc.d.KnownDigests(tc.opts.MD5); !ok || known.SHA256 != s.SHA256 {
			t.Errorf("%s: after the upload, KnownDigests = %+v, %v", baseName(tc.d), known, ok)
		}
	}
}

// TestRetrySendsDigestsFirst: the attempt after a failure sends the
// digests the first one computed before the file.
func TestRetrySendsDigestsFirst(t *testing.T) {
	t.Parallel()
	ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	c := ix.client()
	c.Retry = fastRetry
	d := wheelOf(t, "demo", "1.0")
	res, err := c.Upload(t.Context(), d, Options{})
	if err != nil || res.Attempts != 2 {
		t.Fatalf("Upload = %d attempts, %v", res.Attempts, err)
	}
	var places []string
	for i := range ix.count() {
		place, _ := digestPlace(ix.upload(i))
		places = append(places, place)
	}
	if !slices.Equal(places, []string{"after", "before"}) {
		t.Errorf("digests were %v the file, want after, then before", places)
	}
}

// TestIndexNeedingDigestsFirst: an index that judges the form before
// reading the body's end refuses one whose digests follow the file, in
// Warehouse's words; the file is sent again with the digests first, and
// so are the batch's later files.
func TestIndexNeedingDigestsFirst(t *testing.T) {
	t.Parallel()
	var ix *index
	ix = newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		if place, _ := digestPlace(rec); place != "before" {
			answer(w, http.StatusBadRequest, "Error: Include at least one message digest.", "text/plain", "")
			return
		}
		ix.store(rec)
	})
	ds := []*dist.Distribution{wheelOf(t, "one", "1.0"), wheelOf(t, "two", "1.0")}
	for _, r := range ix.client().UploadAll(t.Context(), ds, Options{Concurrency: 1}) {
		if r.Err != nil || r.Outcome != OutcomeUploaded {
			t.Errorf("%s: %v, %v", r.File, r.Outcome, r.Err)
		}
	}
	var got []string
	for i := range ix.count() {
		place, _ := digestPlace(ix.upload(i))
		got = append(got, ix.upload(i).Filename+" "+place)
	}
	want := []string{"one-1.0-py3-none-any.whl after", "one-1.0-py3-none-any.whl before", "two-1.0-py3-none-any.whl before"}
	if !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}
