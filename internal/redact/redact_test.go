package redact

import (
	"bytes"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

const (
	token = "pypi-AgEIcHlwaS5vcmcCJGQ4Y2U5ZmY3LTk0ZTAtNDc4Ni1hYzBjLWQ2NDAwMWQ0N2NmNAACKlszLCJi+/x"
	jwt   = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm93bmVyL3JlcG8ifQ.c2lnbmF0dXJl"
)

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s       string
		secrets []string
		want    string
	}{
		{"body has pypi-abc twice: pypi-abc", []string{"pypi-abc"}, "body has [redacted] twice: [redacted]"},
		{"no secret here", []string{"pypi-abc"}, "no secret here"},
		{"empty secrets are ignored", []string{""}, "empty secrets are ignored"},
		{"jwt a.b.c and token t1", []string{"a.b.c", "t1"}, "jwt [redacted] and token [redacted]"},
		{"split: pypi-<b>abc</b>def!", []string{"pypi-abcdef"}, "split: [redacted]!"},
		{"escaped: pypi%2Dabc%64ef!", []string{"pypi-abcdef"}, "escaped: [redacted]!"},
		{"entities: pypi&#45;abc&amp;def!", []string{"pypi-abc&def"}, "entities: [redacted]!"},
		{"json: a\\/b\\u002dcdefghijklmn!", []string{"a/b-cdefghijklmn"}, "json: [redacted]!"},
		{"a secret in brackets: <pypi-abcdef>", []string{"pypi-abcdef"}, "a secret in brackets: <[redacted]>"},
		{"a raw password with escapes: p%41ss&amp;", []string{"p%41ss&amp;"}, "a raw password with escapes: [redacted]"},
	}
	for _, tt := range tests {
		if got := String(tt.s, tt.secrets...); got != tt.want {
			t.Errorf("String(%q, %q) = %q; want %q", tt.s, tt.secrets, got, tt.want)
		}
	}
}

// shapes returns secret as servers may echo it.
func shapes(secret string) map[string]string {
	out := map[string]string{
		"raw":             secret,
		"query-escaped":   url.QueryEscape(secret),
		"path-escaped":    url.PathEscape(secret),
		"all-percent":     percentAll(secret),
		"html-split":      htmlSplit(secret, 5),
		"html-split-1":    htmlSplit(secret, 1),
		"cut-short":       secret[:Window+1],
		"tail":            secret[len(secret)-Window:],
		"middle":          secret[10 : 10+Window],
		"html-entities":   htmlEntities(secret),
		"basic-header":    base64.StdEncoding.EncodeToString([]byte("__token__:" + secret)),
		"basic-url-nopad": base64.RawURLEncoding.EncodeToString([]byte("__token__:" + secret)),
	}
	for align := range 3 {
		prefixed := strings.Repeat("x", align) + secret + "tail"
		out["b64-std-"+string(rune('0'+align))] = base64.StdEncoding.EncodeToString([]byte(prefixed))
		out["b64-url-"+string(rune('0'+align))] = base64.URLEncoding.EncodeToString([]byte(prefixed))
		out["b64-rawurl-"+string(rune('0'+align))] = base64.RawURLEncoding.EncodeToString([]byte(strings.Repeat("y", align) + secret))
		out["b64-rawstd-"+string(rune('0'+align))] = base64.RawStdEncoding.EncodeToString([]byte(strings.Repeat("y", align) + secret))
	}
	return out
}

func percentAll(s string) string {
	var b strings.Builder
	for i := range len(s) {
		b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[s[i]>>4])+string("0123456789abcdef"[s[i]&15])))
	}
	return b.String()
}

func htmlSplit(s string, every int) string {
	var b strings.Builder
	for i := 0; i < len(s); i += every {
		b.WriteString("<b>" + s[i:min(i+every, len(s))] + "</b>")
	}
	return b.String()
}

func htmlEntities(s string) string {
	var b strings.Builder
	for i := range len(s) {
		b.WriteString("&#" + strings.TrimLeft(string(rune('0'+s[i]/100))+string(rune('0'+s[i]/10%10))+string(rune('0'+s[i]%10)), "0") + ";")
	}
	return b.String()
}

// windowsOf returns every Window-long piece of s.
func windowsOf(s string) []string {
	var out []string
	for i := 0; i+Window <= len(s); i++ {
		out = append(out, s[i:i+Window])
	}
	return out
}

// leaks reports the first Window-long piece of a secret, in raw or
// decoded form, that shows in text.
func leaks(text string, secrets ...string) string {
	views := []string{text, string(newView(text, decodeEscapes).text), string(newView(text, decodeEscapes|stripTags).text)}
	for _, s := range secrets {
		for _, w := range windowsOf(s) {
			for _, v := range views {
				if strings.Contains(v, w) {
					return w
				}
			}
		}
	}
	return ""
}

func TestSetEveryShape(t *testing.T) {
	t.Parallel()
	var set Set
	set.Add(token, jwt)
	for _, secret := range []string{token, jwt} {
		for name, shape := range shapes(secret) {
			text := "before " + shape + " after"
			got := set.String(text)
			if !strings.Contains(got, Placeholder) || !strings.HasPrefix(got, "before ") || !strings.HasSuffix(got, " after") {
				t.Errorf("%s: String(%q) = %q; want the secret replaced and the rest kept", name, text, got)
			}
			if w := leaks(got, secret); w != "" {
				t.Errorf("%s: %q still shows %q", name, got, w)
			}
			for align := range 3 {
				dec, err := base64.StdEncoding.DecodeString(padTo4(strings.ReplaceAll(strings.ReplaceAll(got[align:], "-", "+"), "_", "/")))
				if err == nil && leaks(string(dec), secret) != "" {
					t.Errorf("%s: %q decodes to the secret", name, got)
				}
			}
		}
	}
}

func padTo4(s string) string {
	for len(s)%4 != 0 {
		s += "="
	}
	return s
}

func TestSetKeepsOtherText(t *testing.T) {
	t.Parallel()
	var set Set
	set.Add(token)
	text := "400 Bad Request: File already exists ('pkg-1.0.tar.gz', with blake2_256 hash 'abc')."
	if got := set.String(text); got != text {
		t.Errorf("String(%q) = %q; want it unchanged", text, got)
	}
	if got := set.Secrets(); len(got) != 1 || got[0] != token {
		t.Errorf("Secrets() = %q; want the one token", got)
	}
}

func TestHandler(t *testing.T) {
	t.Parallel()
	var set Set
	set.Add(token)
	var buf bytes.Buffer
	log := slog.New(Handler(slog.NewTextHandler(&buf, nil), &set))
	log.With("header", "Basic "+base64.StdEncoding.EncodeToString([]byte("__token__:"+token))).
		WithGroup("g").
		Info("got "+token, "err", errors.New("echo: "+url.QueryEscape(token)), "n", 3,
			slog.Group("inner", "v", htmlSplit(token, 4)))
	out := buf.String()
	if w := leaks(out, token); w != "" {
		t.Errorf("the log shows %q:\n%s", w, out)
	}
	for _, want := range []string{"got [redacted]", "n=3", "echo: [redacted]", "header=\"Basic"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q:\n%s", want, out)
		}
	}
}

func BenchmarkString(b *testing.B) {
	var set Set
	set.Add(token, jwt, "hunter2")
	body := strings.Repeat("<p>some error text &amp; more %20 words</p>\n", 1500) + htmlSplit(jwt, 7)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if !strings.Contains(set.String(body), Placeholder) {
			b.Fatal("the secret was not found")
		}
	}
}
