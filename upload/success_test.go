package upload

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

const signInPage = "<html><head><title>Sign in</title></head><body><h1>Sign in to continue</h1><form></form></body></html>"

// TestSuccessIsChecked: a 2xx that is not the index's success answer
// (an HTML page) counts only if the index lists the file.
func TestSuccessIsChecked(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		contentType string
		body        string
		store       bool
		want        Outcome
		wantErr     error
		listings    int // asks of the index listing
	}{
		{"warehouse's empty 200", "text/html", "", false, OutcomeUploaded, nil, 0},
		{"plain text 200", "text/plain", "OK", false, OutcomeUploaded, nil, 0},
		{"a page, not stored", "text/html; charset=utf-8", signInPage, false, OutcomeFailed, errNotStored, 1},
		{"a page without its type, not stored", "", signInPage, false, OutcomeFailed, errNotStored, 1},
		{"a page, but stored", "text/html", signInPage, true, OutcomeUploaded, nil, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var ix *index
			ix = newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
				if tt.store {
					ix.store(rec)
				}
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				} else {
					w.Header()["Content-Type"] = nil
				}
				w.Write([]byte(tt.body))
			})
			ix.list("other-1.0.tar.gz", strings.Repeat("0", 64)) // the listing exists
			d := newDist(t, "", "pkg-1.0.tar.gz", []byte("content"), nil)
			res, err := ix.client().Upload(t.Context(), d, Options{})
			if res.Outcome != tt.want || !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
				t.Fatalf("Upload = %v, %v; want %v, %v", res.Outcome, err, tt.want, tt.wantErr)
			}
			if got := ix.simpleCount(); got != tt.listings {
				t.Errorf("the listing was asked %d times; want %d", got, tt.listings)
			}
			var e *Error
			if err != nil && (!errors.As(err, &e) || !strings.Contains(err.Error(), "the index answered 200 but the file is not there") || !strings.Contains(e.Hint, "Sign in to continue")) {
				t.Errorf("err = %v; want it to say the file is not there, and its hint what the page said", err)
			}
		})
	}
}

// TestSuccessUnconfirmed: a page answered to an upload, from an index
// whose listing cannot be had, is not taken as success either.
func TestSuccessUnconfirmed(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /legacy/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(signInPage)) })
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) })
	ix := newIndex(t, nil)
	ix.srv.Config.Handler = mux
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("content"), nil)
	res, err := ix.client().Upload(t.Context(), d, Options{})
	if res.Outcome != OutcomeFailed || !errors.Is(err, errNotStored) || !strings.Contains(err.Error(), "cannot confirm") {
		t.Fatalf("Upload = %v, %v; want errNotStored, unconfirmed", res.Outcome, err)
	}
}
