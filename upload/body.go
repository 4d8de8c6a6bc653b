package upload

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// formBody is an upload body's framing: the text parts and the content
// part's header before the file's bytes, the closing boundary after them.
// Only the file is streamed, so memory does not grow with its size.
type formBody struct {
	boundary string
	// head is the body before the file's bytes, in pieces: the field
	// values are the caller's strings, not copies (a description may be
	// tens of MiB).
	head    []string
	headLen int64
	tail    string
}

// newMultipart renders fields and the content part's header for the file
// named filename, in twine's framing (see UPSTREAM.md): CRLF lines, no
// Content-Type on text parts, application/octet-stream on the file.
func newMultipart(fields []Field, filename, boundary string) (*formBody, error) {
	if boundary == "" {
		boundary = randomBoundary()
	} else if len(boundary) > 70 || strings.ContainsAny(boundary, "\r\n\"") {
		return nil, fmt.Errorf("upload: invalid multipart boundary %q", boundary)
	}
	m := &formBody{boundary: boundary, tail: "\r\n--" + boundary + "--\r\n"}
	end := "" // what ends the previous part
	for _, f := range fields {
		if strings.Contains(f.Value, boundary) {
			return nil, fmt.Errorf("upload: %s: field %s contains the multipart boundary %q", filename, f.Name, boundary)
		}
		m.add(end+"--"+boundary+"\r\nContent-Disposition: form-data; name=\""+escapeParam(f.Name)+"\"\r\n\r\n", f.Value)
		end = "\r\n"
	}
	m.add(end + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"" + escapeParam(filename) + "\"\r\n" +
		"Content-Type: application/octet-stream\r\n\r\n")
	return m, nil
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
	return m.headLen + size + int64(len(m.tail))
}

// Reader streams the body around file, which must yield exactly size
// bytes; progress, if not nil, is called with the body bytes read so far.
func (m *formBody) Reader(file io.ReadCloser, size int64, progress func(sent int64)) *bodyReader {
	exact := &exactReader{r: io.LimitReader(file, size), left: size}
	parts := make([]io.Reader, 0, len(m.head)+2)
	for _, p := range m.head {
		parts = append(parts, strings.NewReader(p))
	}
	parts = append(parts, exact, strings.NewReader(m.tail))
	return &bodyReader{
		r:        io.MultiReader(parts...),
		file:     file,
		exact:    exact,
		progress: progress,
	}
}

// bodyReader is a request body: it counts bytes for progress and closes
// the file when the transport closes it.
type bodyReader struct {
	r        io.Reader
	file     io.Closer
	exact    *exactReader
	sent     int64
	progress func(sent int64)
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if n > 0 {
		b.sent += int64(n)
		if b.progress != nil {
			b.progress(b.sent)
		}
	}
	return n, err
}

func (b *bodyReader) Close() error { return b.file.Close() }

// fileErr is the error reading the file, if any: such a failure is not
// the network's, so it is not retried.
func (b *bodyReader) fileErr() error { return b.exact.err }

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
