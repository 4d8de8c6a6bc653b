package origin

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestClientStaysOnOrigin(t *testing.T) {
	t.Parallel()
	var leaked atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, _ := io.ReadAll(r.Body); strings.Contains(string(b), "jwt") {
			leaked.Add(1)
		}
	}))
	defer other.Close()
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/here", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+"/ok", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { io.Copy(w, r.Body) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusTemporaryRedirect)
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()
	c := Client(nil)

	_, err := c.Post(srv.URL+"/away", "text/plain", strings.NewReader("jwt"))
	var re *RedirectError
	if !errors.As(err, &re) || re.To != other.URL+"/steal" || leaked.Load() != 0 {
		t.Errorf("err = %v, %d leaks; want the cross-origin redirect refused", err, leaked.Load())
	}
	resp, err := c.Post(srv.URL+"/here", "text/plain", strings.NewReader("jwt"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "jwt" {
		t.Errorf("same-origin redirect: body %q; want it followed", b)
	}
	if _, err := c.Get(srv.URL + "/loop"); err == nil || !strings.Contains(err.Error(), "stopped after 5 redirects") {
		t.Errorf("err = %v; want the redirects bounded", err)
	}
}
