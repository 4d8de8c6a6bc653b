package upload

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trustpub/pypi/internal/redact"
)

const testJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm93bmVyL3JlcG86cmVmOnJlZnMvaGVhZHMvbWFpbiJ9.c2lnbmF0dXJlLW9mLXRoZS10ZXN0"

// echoShapes returns secret as a hostile index may echo it.
func echoShapes(secret string) map[string]string {
	split := func(every int) string {
		var b strings.Builder
		for i := 0; i < len(secret); i += every {
			b.WriteString("<i>" + secret[i:min(i+every, len(secret))] + "</i>")
		}
		return b.String()
	}
	out := map[string]string{
		"raw":           secret,
		"percent":       url.QueryEscape(secret),
		"percent-all":   strings.ToUpper(fmt.Sprintf("%x", secret)),
		"html-split-3":  split(3),
		"html-split-1":  split(1),
		"basic":         base64.StdEncoding.EncodeToString([]byte("__token__:" + secret)),
		"b64url-nopad":  base64.RawURLEncoding.EncodeToString([]byte(secret)),
		"b64std-align1": base64.StdEncoding.EncodeToString([]byte("x" + secret)),
		"b64url-align2": base64.URLEncoding.EncodeToString([]byte("xy" + secret)),
	}
	// hex "percent-all" above is turned into %XX below
	var b strings.Builder
	for i := range len(secret) {
		fmt.Fprintf(&b, "%%%02X", secret[i])
	}
	out["percent-all"] = b.String()
	return out
}

// windows returns every redact.Window-long piece of s.
func windows(s string) []string {
	var out []string
	for i := 0; i+redact.Window <= len(s); i++ {
		out = append(out, s[i:i+redact.Window])
	}
	return out
}

// showsSecret reports a piece of a secret that text shows, raw or with
// the HTML tags taken out.
func showsSecret(text string, secrets ...string) string {
	stripped := tagRe.ReplaceAllString(text, "")
	for _, s := range secrets {
		for _, w := range windows(s) {
			if strings.Contains(text, w) || strings.Contains(stripped, w) {
				return w
			}
		}
	}
	return ""
}

// TestErrorsRedactEveryShape has the index echo the token and the
// identity token (known through Client.Secrets) in every shape, in the
// body as HTML, JSON and text, in the reason phrase and Location, and cut
// at the point where the message is truncated.
func TestErrorsRedactEveryShape(t *testing.T) {
	t.Parallel()
	for _, secret := range []string{testToken, testJWT} {
		for name, shape := range echoShapes(secret) {
			for _, form := range []struct{ ct, body string }{
				{"text/html", "<html><body><h1>400 Bad Request</h1>The server could not comply.<br/><br/>" + shape + "</body></html>"},
				{"application/json", `{"code": "400 ` + strings.ReplaceAll(shape, `"`, `\"`) + `"}`},
				{"text/plain", shape},
				{"text/plain", strings.Repeat("a", maxMessageText-redact.Window) + shape},
			} {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
						conn, buf, _ := http.NewResponseController(w).Hijack()
						defer conn.Close()
						fmt.Fprintf(buf, "HTTP/1.1 400 %s\r\nLocation: /x/%s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
							shape, url.PathEscape(shape), form.ct, len(form.body), form.body)
						buf.Flush()
					})
					c := ix.client()
					c.Secrets = func() []string { return []string{testJWT} }
					d := newDist(t, "", "pkg-1.0.tar.gz", []byte("x"), nil)
					res, err := c.Upload(t.Context(), d, Options{})
					var e *Error
					if !errors.As(err, &e) {
						t.Fatalf("err = %v; want an *Error", err)
					}
					for _, s := range []string{err.Error(), fmt.Sprintf("%v %+v", err, res), e.Message, string(e.Body), e.Location} {
						if w := showsSecret(s, testToken, testJWT); w != "" {
							t.Errorf("%s (%s) shows %q:\n%s", name, form.ct, w, s)
						}
					}
				})
			}
		}
	}
}
