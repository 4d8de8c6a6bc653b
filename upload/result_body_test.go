package upload

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trustpub/pypi/internal/redact"
	"github.com/trustpub/pypi/pypitest"
)

// The result keeps the start of the index's answer, for a verbose log,
// with the token redacted.
func TestResultKeepsBody(t *testing.T) {
	t.Parallel()
	srv, c := fakePyPI(t)
	res, err := c.Upload(t.Context(), wheelOf(t, "demo", "1.0"), Options{})
	if err != nil || res.Status != 200 || len(res.Body) != 0 {
		t.Fatalf("accepted upload: status %d, body %q, err %v; want 200 with Warehouse's empty body", res.Status, res.Body, err)
	}

	// A long answer holding the token, cut inside a two-byte rune.
	text := "400 The token " + testToken + " is refused\n" + strings.Repeat("é", MaxResultBody)
	srv.FailUploads(1, &pypitest.Reply{Status: 400, ContentType: "text/plain; charset=utf-8", Body: text})
	res, _ = c.Upload(t.Context(), wheelOf(t, "demo", "2.0"), Options{})
	want := "400 The token " + redact.Placeholder + " is refused\n"
	body := string(res.Body)
	if res.Status != 400 || !strings.HasPrefix(body, want) || strings.Contains(body, testToken) {
		t.Errorf("rejected upload: status %d, body starts %q; want 400 and %q", res.Status, body[:min(len(body), 80)], want)
	}
	if len(body) > MaxResultBody || len(body) < MaxResultBody-1 || !utf8.ValidString(body) {
		t.Errorf("body of %d bytes (valid UTF-8: %v), want the first %d bytes cut at a rune", len(body), utf8.ValidString(body), MaxResultBody)
	}
}
