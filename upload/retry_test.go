package upload

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestRetry5xxThenSuccess(t *testing.T) {
	t.Parallel()
	ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		if n <= 3 {
			answer(w, 503, "Service Unavailable", "text/plain", "busy")
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("sdist"), nil)
	var retries []int
	res, _ := ix.client().Upload(t.Context(), d, Options{Retrying: func(file string, attempt int, wait time.Duration, err error) {
		retries = append(retries, attempt)
		if file != "pkg-1.0.tar.gz" || !strings.Contains(err.Error(), "503") {
			t.Errorf("Retrying(%q, %v)", file, err)
		}
	}})
	if diff := diffResult(outcome{Outcome: OutcomeUploaded, Attempts: 4}, res); diff != "" {
		t.Fatalf("result (-want +got):\n%s", diff)
	}
	if fmt.Sprint(retries) != "[1 2 3]" {
		t.Errorf("Retrying called for attempts %v", retries)
	}
	if ix.simpleCount() != 3 {
		t.Errorf("index checked %d times, want once before each retry", ix.simpleNo)
	}
}

func TestRetryGivesUp(t *testing.T) {
	t.Parallel()
	ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		answer(w, 502, "Bad Gateway", "text/html", "<h1>oops</h1>")
	})
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("sdist"), nil)
	c := ix.client()
	c.Retry.Attempts = 3
	_, err := c.Upload(t.Context(), d, Options{})
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 502 || ix.count() != 3 {
		t.Errorf("err = %v after %d attempts; want the 502 after 3", err, ix.count())
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	})
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("sdist"), nil)
	var waited time.Duration
	res, err := ix.client().Upload(t.Context(), d, Options{Retrying: func(_ string, _ int, wait time.Duration, _ error) { waited = wait }})
	if err != nil || res.Attempts != 2 || waited != time.Second {
		t.Errorf("result %+v, err %v, waited %v; want success on attempt 2 after the 1 s asked for", res, err, waited)
	}

	r := Retry{MaxRetryAfter: time.Minute}
	if _, ok := r.wait(1, time.Hour); ok {
		t.Error("a Retry-After of an hour was honoured with MaxRetryAfter 1 min")
	}
}

func TestRetryWaitBounds(t *testing.T) {
	t.Parallel()
	r := Retry{MinDelay: time.Second, MaxDelay: 8 * time.Second}
	for n, hi := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 10: 8 * time.Second} {
		for range 50 {
			if d, ok := r.wait(n, 0); !ok || d < hi/2 || d > hi {
				t.Fatalf("wait(%d) = %v, want within [%v, %v]", n, d, hi/2, hi)
			}
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}
	if got := retryAfter(h, now); got != 90*time.Second {
		t.Errorf("retryAfter(date) = %v, want 90s", got)
	}
}

func TestRetryFindsFileStoredButAnswerLost(t *testing.T) {
	t.Parallel()
	var ix *index
	ix = newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		ix.store(rec) // stored, then the connection dies
		conn, _, _ := http.NewResponseController(w).Hijack()
		conn.Close()
	})
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("sdist"), nil)
	res, _ := ix.client().Upload(t.Context(), d, Options{})
	if diff := diffResult(outcome{Outcome: OutcomeAlreadyPresent, Attempts: 1}, res); diff != "" || ix.count() != 1 {
		t.Errorf("%d uploads, want 1; result (-want +got):\n%s", ix.count(), diff)
	}
}

func TestExistsAnswerCheckedByHash(t *testing.T) {
	t.Parallel()
	const msg = "File already exists ('pkg-1.0.tar.gz', with blake2_256 hash 'x'). See https://pypi.org/help/#file-name-reuse for more information."
	for _, tc := range []struct {
		name     string
		listed   string // sha256 the index lists; "same" for ours
		skip     bool
		want     Outcome
		wantType any
	}{
		{"same bytes listed", "same", false, OutcomeAlreadyPresent, nil},
		{"other bytes listed", strings.Repeat("0", 64), false, OutcomeFailed, &MismatchError{}},
		{"other bytes listed, skip", strings.Repeat("0", 64), true, OutcomeFailed, &MismatchError{}},
		{"not listed", "", false, OutcomeFailed, &Error{}},
		{"not listed, skip", "", true, OutcomeSkipped, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := newDist(t, "", "pkg-1.0.tar.gz", []byte("sdist"), nil)
			ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) { answer(w, 400, msg, "text/plain", "") })
			if tc.listed == "same" {
				tc.listed = sums(t, d).SHA256
			}
			// listed only after the pre-check, as if another job raced us
			ix.mux.HandleFunc("GET /pypi/{name}/json", func(w http.ResponseWriter, r *http.Request) {
				if ix.count() == 0 || tc.listed == "" {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"releases": {"1.0": [{"filename": "pkg-1.0.tar.gz", "digests": {"sha256": %q}}]}, "urls": []}`, tc.listed)
			})
			res, err := ix.client().Upload(t.Context(), d, Options{SkipExisting: tc.skip})
			if res.Outcome != tc.want {
				t.Errorf("outcome %v (err %v), want %v", res.Outcome, err, tc.want)
			}
			if !errors.Is(err, ErrFileExists) && tc.wantType != nil {
				t.Errorf("err = %v, want ErrFileExists", err)
			}
			var me *MismatchError
			if _, want := tc.wantType.(*MismatchError); want != errors.As(err, &me) {
				t.Errorf("err = %v (%T), want %T", err, err, tc.wantType)
			} else if want && (!strings.Contains(err.Error(), sums(t, d).SHA256) || !strings.Contains(err.Error(), tc.listed)) {
				t.Errorf("mismatch error %q does not name both digests", err)
			}
		})
	}
}

func TestSkipExistingChecksFirst(t *testing.T) {
	t.Parallel()
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("sdist"), nil)
	ix := newIndex(t, nil)
	ix.list(baseName(d), sums(t, d).SHA256)
	res, _ := ix.client().Upload(t.Context(), d, Options{SkipExisting: true})
	if diff := diffResult(outcome{Outcome: OutcomeAlreadyPresent}, res); diff != "" || ix.count() != 0 {
		t.Errorf("same file listed: %d uploads, want none; result (-want +got):\n%s", ix.count(), diff)
	}

	ix.list(baseName(d), strings.Repeat("a", 64))
	_, err := ix.client().Upload(t.Context(), d, Options{SkipExisting: true})
	var me *MismatchError
	if !errors.As(err, &me) || me.IndexSHA256 != strings.Repeat("a", 64) || ix.count() != 0 {
		t.Errorf("other file listed: err %v, %d uploads; want a mismatch, nothing sent", err, ix.count())
	}

	ix.list(baseName(d), "")
	ix.list("pkg-0.9.tar.gz", strings.Repeat("b", 64))
	res, _ = ix.client().Upload(t.Context(), d, Options{SkipExisting: true})
	if diff := diffResult(outcome{Outcome: OutcomeUploaded, Attempts: 1}, res); diff != "" || ix.count() != 1 {
		t.Errorf("not listed: %d uploads, want 1; result (-want +got):\n%s", ix.count(), diff)
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	var elsewhere int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere++ }))
	t.Cleanup(other.Close)
	ix := newIndex(t, nil)
	ix.mux.HandleFunc("POST /legacy", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/legacy/", http.StatusPermanentRedirect)
	})
	ix.mux.HandleFunc("POST /moved/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/legacy/", http.StatusTemporaryRedirect)
	})
	ix.mux.HandleFunc("POST /path/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere/", http.StatusTemporaryRedirect)
	})
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("sdist"), nil)

	c := ix.client()
	c.URL = ix.srv.URL + "/legacy"
	res, _ := c.Upload(t.Context(), d, Options{})
	if diff := diffResult(outcome{Outcome: OutcomeUploaded, Attempts: 1}, res); diff != "" || ix.count() != 1 {
		t.Errorf("/legacy: %d uploads, want the /legacy/ fix-up to upload once; result (-want +got):\n%s", ix.count(), diff)
	}

	for path, hint := range map[string]string{"/moved/": other.URL + "/legacy/", "/path/": "If you trust these URLs"} {
		c.URL = ix.srv.URL + path
		_, err := c.Upload(t.Context(), d, Options{})
		var e *Error
		if !errors.Is(err, errRedirect) || !errors.As(err, &e) || !strings.Contains(e.Hint, hint) {
			t.Errorf("%s: err = %v, want errRedirect with a hint naming %q", path, err, hint)
		}
	}
	if elsewhere != 0 || ix.count() != 1 {
		t.Errorf("a redirected upload was followed: %d requests elsewhere", elsewhere)
	}
}

func TestNoSecretInErrors(t *testing.T) {
	t.Parallel()
	basic := "Basic " + "X19fdG9rZW5fXz" // prefix of base64("__token__:...")
	ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
		auth := rec.Header.Get("Authorization")
		answer(w, 403, "Invalid API Token: "+testToken+" "+auth, "text/plain", "you sent "+auth+" i.e. "+testToken)
	})
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("x"), nil)
	res, err := ix.client().Upload(t.Context(), d, Options{})
	if err == nil {
		t.Fatal("upload succeeded")
	}
	var e *Error
	errors.As(err, &e)
	for _, s := range []string{err.Error(), fmt.Sprintf("%v %+v %#v", err, res, res), e.Message, string(e.Body)} {
		if strings.Contains(s, testToken) || strings.Contains(s, basic) {
			t.Errorf("the token leaked: %s", s)
		}
	}
	if !strings.Contains(e.Message, "[redacted]") {
		t.Errorf("message %q: want the echoed token redacted", e.Message)
	}

	// the same holds for a token source's own error and the password
	c := &Client{URL: ix.srv.URL + "/legacy/", HTTPClient: ix.srv.Client(), Retry: fastRetry,
		Token: oauth2.ReuseTokenSource(nil, failingSource{})}
	_, err = c.Upload(t.Context(), d, Options{})
	if err == nil || !strings.Contains(err.Error(), "getting the upload token") {
		t.Errorf("err = %v, want the token source's failure", err)
	}
}

func TestClientPrintsNoSecret(t *testing.T) {
	t.Parallel()
	c := &Client{URL: PyPIURL, Username: "u", Password: "secret-pass",
		Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testToken})}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{c, *c} {
			if s := fmt.Sprintf(format, v); strings.Contains(s, "secret-pass") || strings.Contains(s, testToken) || !strings.Contains(s, PyPIURL) {
				t.Errorf("%s: %s", format, s)
			}
		}
	}
}

type failingSource struct{}

func (failingSource) Token() (*oauth2.Token, error) {
	return nil, errors.New("mint: no ambient credentials")
}

func TestNoRetryForPermanentFailures(t *testing.T) {
	t.Parallel()
	// a certificate the client does not trust
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(tlsSrv.Close)
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("sdist"), nil)
	c := &Client{URL: tlsSrv.URL + "/legacy/", HTTPClient: &http.Client{}, Retry: fastRetry}
	res, err := c.Upload(t.Context(), d, Options{})
	if err == nil || res.Attempts != 1 {
		t.Errorf("untrusted certificate: %d attempts, err %v; want one failed attempt", res.Attempts, err)
	}

	// the file changed since it was opened
	ix := newIndex(t, nil)
	if err := os.WriteFile(d.Path, []byte("sdist, longer now"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = ix.client().Upload(t.Context(), d, Options{})
	if err == nil || res.Attempts != 1 || !strings.Contains(err.Error(), "pkg-1.0.tar.gz") || ix.count() != 0 {
		t.Errorf("changed file: %d attempts, err %v", res.Attempts, err)
	}

	// cancelled while waiting to retry
	ix = newIndex(t, func(w http.ResponseWriter, rec *received, n int) { w.WriteHeader(http.StatusServiceUnavailable) })
	ctx, cancel := context.WithCancel(t.Context())
	c = ix.client()
	c.Retry = Retry{MinDelay: time.Hour, MaxDelay: time.Hour}
	d = newDist(t, "", "pkg-1.0.tar.gz", []byte("sdist"), nil)
	_, err = c.Upload(ctx, d, Options{Retrying: func(string, int, time.Duration, error) { cancel() }})
	if !errors.Is(err, context.Canceled) || ix.count() != 1 {
		t.Errorf("cancelled: err %v after %d uploads", err, ix.count())
	}
}

func TestReadAPIURLOption(t *testing.T) {
	t.Parallel()
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("sdist"), nil)
	ix := newIndex(t, nil)
	ix.list(baseName(d), sums(t, d).SHA256)
	// uploads go to a server that knows nothing; the listing to ix
	blank := newIndex(t, nil)
	c := blank.client()
	c.ReadAPIURL = ix.srv.URL
	res, err := c.Upload(t.Context(), d, Options{SkipExisting: true})
	if err != nil || res.Outcome != OutcomeAlreadyPresent || blank.count() != 0 || ix.simpleCount() != 1 {
		t.Errorf("%v %v: want the file found through ReadAPIURL", res.Outcome, err)
	}
}
