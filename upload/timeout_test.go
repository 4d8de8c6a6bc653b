package upload

import (
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/trustpub/pypi/internal/deadline"
)

const testTimeout = 200 * time.Millisecond

// stallingIndex is an index whose first uploads stall: the handler
// never answers. store says whether a stalled upload is kept all the same.
func stallingIndex(t *testing.T, stalls int, store bool) *index {
	hold := make(chan struct{})
	var ix *index
	ix = newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		if store {
			ix.store(rec)
		}
		if n <= stalls {
			<-hold
			return
		}
		ix.store(rec)
	})
	t.Cleanup(func() { close(hold) }) // before the server's Close, which waits for handlers
	return ix
}

func TestStalledAttemptIsRetried(t *testing.T) {
	t.Parallel()
	ix := stallingIndex(t, 1, false)
	c := ix.client()
	c.Timeout = testTimeout
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("content"), nil)
	res, err := c.Upload(t.Context(), d, Options{})
	if err != nil || res.Outcome != OutcomeUploaded || res.Attempts != 2 {
		t.Fatalf("Upload = %v, %+v; want uploaded at the second attempt", err, res)
	}
	if ix.simpleCount() == 0 {
		t.Error("the index was not asked for the file before the retry")
	}
}

func TestStalledAttemptFoundOnIndex(t *testing.T) {
	t.Parallel()
	ix := stallingIndex(t, 4, true)
	c := ix.client()
	c.Timeout = testTimeout
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("content"), nil)
	res, err := c.Upload(t.Context(), d, Options{})
	if err != nil || res.Outcome != OutcomeAlreadyPresent || res.Attempts != 1 {
		t.Fatalf("Upload = %v, %+v; want the file found on the index after the stalled attempt", err, res)
	}
}

func TestStalledEveryTimeFails(t *testing.T) {
	t.Parallel()
	ix := stallingIndex(t, 10, false)
	c := ix.client()
	c.Timeout = testTimeout
	c.Retry.Attempts = 2
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("content"), nil)
	res, err := c.Upload(t.Context(), d, Options{})
	var de *deadline.Error
	var ne net.Error
	if !errors.As(err, &de) || !errors.As(err, &ne) || !ne.Timeout() || res.Attempts != 2 {
		t.Fatalf("Upload = %v, %+v; want a timeout after 2 attempts", err, res)
	}
}
