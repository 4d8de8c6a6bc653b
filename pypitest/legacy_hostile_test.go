package pypitest

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// bigForm streams a multipart form: action (if not ""), then n text
// fields of size bytes each.
func bigForm(action string, n, size int) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		var err error
		if action != "" {
			err = mw.WriteField(":action", action)
		}
		chunk := bytes.Repeat([]byte("d"), 1<<20)
		for i := 0; i < n && err == nil; i++ {
			var w io.Writer
			if w, err = mw.CreateFormField("description"); err != nil {
				break
			}
			for left := size; left > 0 && err == nil; left -= len(chunk) {
				_, err = w.Write(chunk[:min(left, len(chunk))])
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr, mw.FormDataContentType()
}

func postForm(t *testing.T, srv *Server, body io.Reader, contentType, auth string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/legacy/", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestUnauthenticatedFormsCostNothing sends three uploads of 20 fields
// of 16 MiB each without credentials: they are refused without keeping
// their fields, so the heap hardly grows and the log holds none of them.
// Not parallel: it measures the heap of the whole test binary.
func TestUnauthenticatedFormsCostNothing(t *testing.T) {
	srv := newIndexServer(t)
	stop := heapPeak()
	for _, auth := range []string{"", tokenAuth("pypi-unknown"), "Basic " + "dXNlcjpwYXNz"} {
		body, ct := bigForm("file_upload", 20, maxTextPart)
		if resp := postForm(t, srv, body, ct, auth); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%q: status %d; want 403", auth, resp.StatusCode)
		}
	}
	growth := stop()
	t.Logf("heap growth %.1f MiB for 3 refused uploads of 320 MiB of fields", float64(growth)/(1<<20))
	if growth > 16<<20 {
		t.Errorf("heap grew by %d MiB; want under 16 MiB", growth>>20)
	}
	for _, u := range srv.Uploads() {
		for _, f := range u.Fields {
			if f.Name != ":action" {
				t.Errorf("the log kept the field %q of a refused upload", f.Name)
			}
		}
	}
}

// TestUnauthenticatedRouting: a refused request is still routed by its
// :action, as Warehouse routes it before judging credentials.
func TestUnauthenticatedRouting(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	for action, want := range map[string]int{"": http.StatusOK, "submit": http.StatusGone, "file_upload": http.StatusForbidden, strings.Repeat("x", maxAction+1): http.StatusOK} {
		body, ct := bigForm(action, 1, 10)
		if resp := postForm(t, srv, body, ct, ""); resp.StatusCode != want {
			t.Errorf(":action %.10q: status %d; want %d", action, resp.StatusCode, want)
		}
	}
}

// TestFormBounds: an authorised request's text fields are bounded in
// total and in number.
func TestFormBounds(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	for name, form := range map[string][2]int{"size": {3, maxTextPart}, "count": {maxParts + 1, 1}} {
		body, ct := bigForm("file_upload", form[0], form[1])
		resp := postForm(t, srv, body, ct, tokenAuth(uploadToken))
		if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(resp.Status, "400 Invalid form: ") {
			t.Errorf("%s: %s; want 400 Invalid form", name, resp.Status)
		}
	}
}
