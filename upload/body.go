package upload

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// formBody is an upload body's framing: the text parts and the content
// part's header before the file's bytes; after them the fields that come
// from reading the file (the digests, when they are computed as the file
// is sent) and the closing boundary. Only the file is streamed, so memory
// does not grow with its size.
type formBody struct {
	boundary string
	filename string
	// head is the body before the file's bytes, in pieces: the field
	// values are the caller's strings, not copies (a description may be
	// tens of MiB).
	head    []string
	headLen int64
	// after are the fields sent after the file, with values of the
	// length of those to come; tailLen is the length of what follows the
	// file.
	after   []Field
	tailLen int64
}

// newMultipart renders fields and the content part's header for the file
// named filename, in twine's framing (see UPSTREAM.md): CRLF lines, no
// Content-Type on text parts, application/octet-stream on the file. The
// fields after go after the file; their values here only give the
// length of those Reader will be given.
func newMultipart(fields, after []Field, filename, boundary string) (*formBody, error) {
	if boundary == "" {
		boundary = randomBoundary()
	} else if len(boundary) > 70 || strings.ContainsAny(boundary, "\r\n\"") {
		return nil, fmt.Errorf("upload: invalid multipart boundary %q", boundary)
	}
	m := &formBody{boundary: boundary, filename: filename, after: after}
	end := "" // what ends the previous part
	for _, f := range fields {
		if err := m.checkValue(f); err != nil {
			return nil, err
		}
		m.add(end+m.partHeader(f.Name), f.Value)
		end = "\r\n"
	}
	m.add(end + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"" + escapeParam(filename) + "\"\r\n" +
		"Content-Type: application/octet-stream\r\n\r\n")
	tail, err := m.tail(after)
	if err != nil {
		return nil, err
	}
	m.tailLen = int64(len(tail))
	return m, nil
}

// partHeader is the start of a text part, up to its value.
func (m *formBody) partHeader(name string) string {
	return "--" + m.boundary + "\r\nContent-Disposition: form-data; name=\"" + escapeParam(name) + "\"\r\n\r\n"
}

// checkValue refuses a value that would end its part early.
func (m *formBody) checkValue(f Field) error {
	if strings.Contains(f.Value, m.boundary) {
		return fmt.Errorf("upload: %s: field %s contains the multipart boundary %q", m.filename, f.Name, m.boundary)
	}
	return nil
}

// tail renders what follows the file: the fields after it, each part
// ended by CRLF, and the closing boundary.
func (m *formBody) tail(after []Field) (string, error) {
	var b strings.Builder
	for _, f := range after {
		if err := m.checkValue(f); err != nil {
			return "", err
		}
		b.WriteString("\r\n" + m.partHeader(f.Name) + f.Value)
	}
	b.WriteString("\r\n--" + m.boundary + "--\r\n")
	return b.String(), nil
}

// add appends pieces to the head.
func (m *formBody) add(pieces ...string) {
	for _, p := range pieces {
		m.head = append(m.head, p)
		m.headLen += int64(len(p))
	}
}

// ContentType is the request's Content-Type.
func (m *formBody) ContentType() string {
	return "multipart/form-data; boundary=" + m.boundary
}

// Len is the exact body length for a file of size bytes.
func (m *formBody) Len(size int64) int64 {
	return m.headLen + size + m.tailLen
}

// Reader streams the body around file, which must yield exactly size
// bytes; after, called once file has, gives the values of the fields
// that follow it. progress, if not nil, is called with the body bytes
// read so far.
func (m *formBody) Reader(file io.ReadCloser, size int64, after func() ([]Field, error), progress func(sent int64)) *bodyReader {
	exact := &exactReader{r: io.LimitReader(file, size), left: size}
	tail := &tailReader{m: m, values: after}
	parts := make([]io.Reader, 0, len(m.head)+2)
	for _, p := range m.head {
		parts = append(parts, strings.NewReader(p))
	}
	parts = append(parts, exact, tail)
	return &bodyReader{
		r:        io.MultiReader(parts...),
		file:     file,
		exact:    exact,
		tail:     tail,
		progress: progress,
	}
}

// tailReader renders the tail when it is first read, once the file has
// been read to its end.
type tailReader struct {
	m      *formBody
	values func() ([]Field, error)
	r      *strings.Reader
	err    error
}

func (t *tailReader) Read(p []byte) (int, error) {
	if t.r == nil && t.err == nil {
		t.err = t.render()
	}
	if t.err != nil {
		return 0, t.err
	}
	return t.r.Read(p)
}

// render makes the tail, which must have the length announced.
func (t *tailReader) render() error {
	after := t.m.after
	if t.values != nil {
		var err error
		if after, err = t.values(); err != nil {
			return err
		}
	}
	s, err := t.m.tail(after)
	if err != nil {
		return err
	}
	if int64(len(s)) != t.m.tailLen {
		return fmt.Errorf("the fields after the file are %d bytes long, not the %d announced", len(s), t.m.tailLen)
	}
	t.r = strings.NewReader(s)
	return nil
}

// bodyReader is a request body: it counts bytes for progress and closes
// the file when the transport closes it.
type bodyReader struct {
	r        io.Reader
	file     io.Closer
	exact    *exactReader
	tail     *tailReader
	sent     int64
	progress func(sent int64)
}

// Read fills p from as many parts as it takes: the transport writes what
// each Read returns to the socket as it is, and a part a write made a
// small file's upload dozens of system calls.
func (b *bodyReader) Read(p []byte) (int, error) {
	var n int
	var err error
	for n < len(p) && err == nil {
		var k int
		k, err = b.r.Read(p[n:])
		n += k
		if k == 0 && err == nil {
			break // no progress: return what there is
		}
	}
	if n > 0 {
		b.sent += int64(n)
		if b.progress != nil {
			b.progress(b.sent)
		}
	}
	return n, err
}

func (b *bodyReader) Close() error { return b.file.Close() }

// fileErr is the error reading the file or making the fields after it,
// if any: such a failure is not the network's, so it is not retried.
func (b *bodyReader) fileErr() error { return cmp.Or(b.exact.err, b.tail.err) }

// exactReader fails when the file ends before its expected size.
type exactReader struct {
	r    io.Reader
	left int64
	err  error
}

func (e *exactReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		err = fmt.Errorf("file ended %d bytes short of its size when opened", e.left)
	}
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// paramEscaper is built once: building a Replacer costs more than using
// it, and escapeParam runs for every field of every upload. It is never
// changed after init, and a Replacer is safe for concurrent use, so this
// is not mutable package state.
var paramEscaper = strings.NewReplacer("\n", "%0A", "\r", "%0D", `"`, "%22")

// escapeParam escapes a Content-Disposition parameter value as urllib3
// does: only CR, LF and the double quote, percent-encoded.
func escapeParam(s string) string {
	return paramEscaper.Replace(s)
}

// randomBoundary is 32 lowercase hex characters, like twine's uuid4().hex.
func randomBoundary() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b[:])
}
