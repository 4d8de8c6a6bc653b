package pypi_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/internal/deadline"
	"github.com/trustpub/pypi/pypitest"
)

// stallingServer accepts requests and never answers them.
func stallingServer(t *testing.T) *httptest.Server {
	hold := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hold }))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(hold) }) // runs first: Close waits for the handlers
	return srv
}

// TestPublishTimesOutOnSilentIndex: an upload to an index that never
// answers fails after Options.Timeout and is retried (the run is
// cancelled at the first retry, which the log reports).
func TestPublishTimesOutOnSilentIndex(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0.0")
	srv := stallingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	retried := make(chan string, 2)
	opts := f.options()
	opts.Repository, opts.HTTPClient = srv.URL+"/legacy/", srv.Client()
	opts.Token, opts.TrustedPublishing = "pypi-test-token", pypi.TrustedPublishingNever
	opts.Timeout = 200 * time.Millisecond
	opts.Logger = slog.New(handlerFunc(func(r slog.Record) {
		if r.Message == "pypi: retrying" {
			r.Attrs(func(a slog.Attr) bool {
				if a.Key == "err" {
					select {
					case retried <- a.Value.String():
					default:
					}
				}
				return true
			})
			cancel()
		}
	}))
	_, err := pypi.Publish(ctx, opts)
	if !errors.Is(err, pypi.ErrUploadFailed) {
		t.Fatalf("err = %v; want ErrUploadFailed", err)
	}
	select {
	case msg := <-retried:
		if !strings.Contains(msg, "no byte sent or received for 200ms") {
			t.Errorf("retried after %q; want the inactivity timeout", msg)
		}
	default:
		t.Error("the stalled upload was not retried")
	}
}

// handlerFunc is a slog.Handler that calls itself with each record.
type handlerFunc func(slog.Record)

func (h handlerFunc) Enabled(context.Context, slog.Level) bool      { return true }
func (h handlerFunc) Handle(_ context.Context, r slog.Record) error { h(r); return nil }
func (h handlerFunc) WithAttrs([]slog.Attr) slog.Handler            { return h }
func (h handlerFunc) WithGroup(string) slog.Handler                 { return h }

// TestPublishTimeoutFromEnv: UV_HTTP_TIMEOUT bounds the calls of Trusted
// Publishing (here the audience request, which alone would wait 5 s).
func TestPublishTimeoutFromEnv(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0.0")
	srv := stallingServer(t)
	f.env["UV_HTTP_TIMEOUT"] = "1"
	opts := f.options()
	opts.Repository, opts.HTTPClient = srv.URL+"/legacy/", srv.Client()
	_, err := pypi.Publish(context.Background(), opts)
	var de *deadline.Error
	if !errors.As(err, &de) || de.Idle != time.Second {
		t.Fatalf("err = %v; want the 1 s inactivity timeout", err)
	}

	f.env["UV_HTTP_TIMEOUT"] = "soon"
	opts.DryRun = true
	if _, err := pypi.Publish(context.Background(), opts); err == nil || !strings.Contains(err.Error(), `UV_HTTP_TIMEOUT "soon"`) {
		t.Errorf("err = %v; want UV_HTTP_TIMEOUT refused", err)
	}
}
