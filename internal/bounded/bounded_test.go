package bounded

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, body string) *http.Response {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	t.Cleanup(srv.Close)
	u := strings.Replace(srv.URL, "http://", "http://user:pw@", 1) + "/simple/x/"
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestReadAll(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body  string
		limit int64
		ok    bool
	}{
		{"", 0, true},
		{"abc", 3, true},
		{"abcd", 3, false},
		{strings.Repeat("x", 3<<10), 2 << 10, false},
		{strings.Repeat("x", 1<<20), 1 << 20, true},
		{strings.Repeat("x", 1<<20+1), 1 << 20, false},
	} {
		got, err := ReadAll(get(t, tt.body), tt.limit)
		var e *Error
		switch {
		case tt.ok && (err != nil || string(got) != tt.body):
			t.Errorf("%d bytes, cap %d: %d bytes, %v; want it all", len(tt.body), tt.limit, len(got), err)
		case !tt.ok && (!errors.As(err, &e) || int64(len(got)) != tt.limit || !strings.HasSuffix(e.URL, "/simple/x/") || strings.Contains(e.Error(), "pw")):
			t.Errorf("%d bytes, cap %d: %d bytes, %v; want the cap's error naming the URL without its password", len(tt.body), tt.limit, len(got), err)
		}
	}
	_, err := ReadAll(get(t, strings.Repeat("x", 3<<20)), 2<<20)
	if err == nil || !strings.HasSuffix(err.Error(), "/simple/x/: the answer is longer than the 2 MiB cap") {
		t.Errorf("err = %v", err)
	}
}
