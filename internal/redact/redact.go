// Package redact removes secrets from text before it reaches an error, a log
// line or a panic.
//
// Servers echo what they are sent, and not always verbatim: a secret may
// come back percent-encoded, inside a base64 blob (an Authorization header
// quoted back, at any byte alignment), split by HTML tags, written with
// HTML entities or JSON escapes, or cut short by a length limit. A [Set]
// finds a secret in all of these shapes, and any 12-character window of
// one, so that no recognisable piece of a secret is ever shown.
package redact

import (
	"bytes"
	"context"
	"encoding/base64"
	"html"
	"log/slog"
	"slices"
	"sync"
	"unicode/utf8"
)

// Placeholder replaces every secret that [String] and [Set] remove.
const Placeholder = "[redacted]"

const (
	// Window is the length of the pieces of a secret that are found on
	// their own: any Window consecutive characters of a secret, in any of
	// its shapes, are redacted.
	Window = 12
	// minEncoded is the shortest base64 form of a short secret looked for
	// whole: shorter ones would match ordinary words.
	minEncoded = 8
	// maxTag bounds how far a "<" is looked at for its ">".
	maxTag = 1024
)

// Set holds secrets and redacts them from text. Its zero value is an
// empty set; it is safe for concurrent use.
type Set struct {
	mu      sync.Mutex
	secrets []string
	windows map[string]struct{} // every Window-long piece of every form
	whole   []string            // forms shorter than Window, found whole
}

// Add adds secrets to the set; empty and known ones are ignored.
func (s *Set) Add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range secrets {
		if v == "" || slices.Contains(s.secrets, v) {
			continue
		}
		s.secrets = append(s.secrets, v)
		if s.windows == nil {
			s.windows = map[string]struct{}{}
		}
		s.addForm(v, 1)
		for _, f := range encodedForms(v) {
			s.addForm(f, minEncoded)
		}
	}
}

// Secrets returns the secrets added so far.
func (s *Set) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.secrets)
}

func (s *Set) addForm(f string, minWhole int) {
	if len(f) < Window {
		if len(f) >= minWhole && !slices.Contains(s.whole, f) {
			s.whole = append(s.whole, f)
		}
		return
	}
	for i := 0; i+Window <= len(f); i++ {
		s.windows[f[i:i+Window]] = struct{}{}
	}
}

// encodedForms returns the parts of the base64 encodings (standard and
// URL alphabets) of v that do not depend on the bytes around it, for each
// of the three alignments v can have in a longer encoded text. Padding is
// never part of them, so padded and unpadded encodings both match.
func encodedForms(v string) []string {
	var out []string
	for align := range 3 {
		buf := make([]byte, align, align+len(v))
		buf = append(buf, v...)
		enc := base64.RawStdEncoding.EncodeToString(buf)
		// The first characters carry bits of the bytes before v; the
		// last one, unless the bits end on a character boundary, bits of
		// the bytes after.
		skip := [3]int{0, 2, 3}[align]
		end := len(enc)
		if len(buf)%3 != 0 {
			end--
		}
		if end-skip <= 0 {
			continue
		}
		std := enc[skip:end]
		out = append(out, std, urlAlphabet(std))
	}
	return out
}

func urlAlphabet(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch c {
		case '+':
			b[i] = '-'
		case '/':
			b[i] = '_'
		}
	}
	return string(b)
}

// String returns text with every secret of s, in every shape, replaced by
// [Placeholder].
func (s *Set) String(text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.secrets) == 0 || text == "" {
		return text
	}
	var spans []span
	for _, mode := range []decodeMode{asIs, decodeEscapes, decodeEscapes | stripTags} {
		spans = s.find(newView(text, mode), spans)
	}
	return replace(text, spans)
}

// String returns s with every occurrence of each non-empty secret, in
// every shape a [Set] knows, replaced by [Placeholder].
func String(s string, secrets ...string) string {
	var set Set
	set.Add(secrets...)
	return set.String(s)
}

// span is a range of bytes of the original text.
type span struct{ start, end int }

// find appends the spans of v's text that hold a secret's form.
func (s *Set) find(v *view, spans []span) []span {
	text := v.text
	for i := 0; i+Window <= len(text); i++ {
		if _, ok := s.windows[string(text[i:i+Window])]; ok {
			spans = append(spans, v.span(i, i+Window))
		}
	}
	for _, w := range s.whole {
		for i := 0; ; {
			j := bytes.Index(text[i:], []byte(w))
			if j < 0 {
				break
			}
			spans = append(spans, v.span(i+j, i+j+len(w)))
			i += j + 1
		}
	}
	return spans
}

// replace replaces the spans of text by Placeholder, overlapping or
// adjacent spans by one.
func replace(text string, spans []span) string {
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	out := make([]byte, 0, len(text))
	last := 0
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && spans[i].start <= end; i++ {
			end = max(end, spans[i].end)
		}
		out = append(out, text[last:start]...)
		out = append(out, Placeholder...)
		last = end
	}
	return string(append(out, text[last:]...))
}

type decodeMode int

const (
	asIs          decodeMode = 0
	decodeEscapes decodeMode = 1 << iota // %XX, HTML entities, JSON \/ and \uXXXX
	stripTags                            // drop <...> tags
)

// view is a decoded form of a text, with the range of the original each
// of its bytes came from.
type view struct {
	text       []byte
	start, end []int
}

func (v *view) span(i, j int) span { return span{v.start[i], v.end[j-1]} }

func (v *view) emit(b []byte, start, end int) {
	for _, c := range b {
		v.text = append(v.text, c)
		v.start = append(v.start, start)
		v.end = append(v.end, end)
	}
}

func newView(text string, mode decodeMode) *view {
	v := &view{}
	for i := 0; i < len(text); {
		if mode&stripTags != 0 && text[i] == '<' {
			if n := tagLen(text[i:]); n > 0 {
				i += n
				continue
			}
		}
		if mode&decodeEscapes != 0 {
			if b, n := escape(text[i:]); n > 0 {
				v.emit(b, i, i+n)
				i += n
				continue
			}
		}
		v.emit([]byte{text[i]}, i, i+1)
		i++
	}
	return v
}

// tagLen is the length of the HTML tag (or comment) s starts with, or 0.
func tagLen(s string) int {
	if len(s) < 2 || !(isLetter(s[1]) || s[1] == '/' || s[1] == '!' || s[1] == '?') {
		return 0
	}
	for i := 1; i < len(s) && i < maxTag; i++ {
		if s[i] == '>' {
			return i + 1
		}
	}
	return 0
}

// escape decodes the escape s starts with: its bytes and length, or 0.
func escape(s string) ([]byte, int) {
	switch s[0] {
	case '%':
		if len(s) >= 3 && isHex(s[1]) && isHex(s[2]) {
			return []byte{unhex(s[1])<<4 | unhex(s[2])}, 3
		}
	case '&':
		for i := 2; i < len(s) && i < 12; i++ {
			if s[i] == ';' {
				if d := html.UnescapeString(s[:i+1]); d != s[:i+1] {
					return []byte(d), i + 1
				}
				break
			}
		}
	case '\\':
		if len(s) >= 2 && s[1] == '/' {
			return []byte{'/'}, 2
		}
		if len(s) >= 6 && s[1] == 'u' && isHex(s[2]) && isHex(s[3]) && isHex(s[4]) && isHex(s[5]) {
			r := rune(unhex(s[2]))<<12 | rune(unhex(s[3]))<<8 | rune(unhex(s[4]))<<4 | rune(unhex(s[5]))
			return utf8.AppendRune(nil, r), 6
		}
	}
	return nil, 0
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// Handler returns a slog.Handler that redacts the secrets of s from every
// message and attribute (strings, errors and anything else that prints)
// before passing the record to h.
func Handler(h slog.Handler, s *Set) slog.Handler { return &handler{h, s} }

type handler struct {
	h slog.Handler
	s *Set
}

func (r *handler) Enabled(ctx context.Context, l slog.Level) bool { return r.h.Enabled(ctx, l) }

func (r *handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, r.s.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(r.attr(a))
		return true
	})
	return r.h.Handle(ctx, out)
}

func (r *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = r.attr(a)
	}
	return &handler{r.h.WithAttrs(clean), r.s}
}

func (r *handler) WithGroup(name string) slog.Handler { return &handler{r.h.WithGroup(name), r.s} }

func (r *handler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		g := v.Group()
		clean := make([]slog.Attr, len(g))
		for i, ga := range g {
			clean[i] = r.attr(ga)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(clean...)}
	case slog.KindString, slog.KindAny:
		return slog.String(a.Key, r.s.String(v.String()))
	}
	return slog.Attr{Key: a.Key, Value: v}
}
