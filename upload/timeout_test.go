package upload

import (
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/trustpub/pypi/internal/deadline"
)

// testTimeout is short, yet long enough for a busy machine not to stall a
// healthy upload for that long.
const testTimeout = 500 * time.Millisecond

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

// TestStalledAttempts: an attempt on which nothing moves for the
// timeout fails as a transport error, and goes through the retry path:
// the index is asked for the file, then the file is sent again.
func TestStalledAttempts(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		stalls   int
		store    bool // the stalled attempts stored the file all the same
		outcome  Outcome
		attempts int
	}{
		{"retried", 1, false, OutcomeUploaded, 2},
		{"found on the index", 4, true, OutcomeAlreadyPresent, 1},
		{"stalled every time", 10, false, OutcomeFailed, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ix := stallingIndex(t, tt.stalls, tt.store)
			c := ix.client()
			c.Timeout, c.Retry.Attempts = testTimeout, 2
			d := newDist(t, "", "pkg-1.0.tar.gz", []byte("content"), nil)
			res, err := c.Upload(t.Context(), d, Options{})
			if res.Outcome != tt.outcome || res.Attempts != tt.attempts {
				t.Fatalf("Upload = %v, %+v; want %v after %d attempts", err, res, tt.outcome, tt.attempts)
			}
			if ix.simpleCount() == 0 {
				t.Error("the index was not asked for the file after the stalled attempt")
			}
			var de *deadline.Error
			var ne net.Error
			if tt.outcome == OutcomeFailed && (!errors.As(err, &de) || !errors.As(err, &ne) || !ne.Timeout()) {
				t.Errorf("err = %v; want the inactivity timeout", err)
			}
		})
	}
}
