package dist

import (
	"bytes"
	"fmt"
)

// This file reads the message format of core metadata files the way
// CPython's email.parser does with policy=compat32 (email/feedparser.py and
// email/_policybase.py), which is the format's definition. It splits header
// lines from the body and never interprets MIME: the body stays opaque.

// message is a core metadata file split into raw headers and body.
type message struct {
	headers []Header
	body    []byte
}

// maxHeaderFields caps the header fields of one metadata file (METADATA,
// PKG-INFO or WHEEL). Real files have tens of fields, the largest (many
// Requires-Dist, Classifier and Provides-Extra lines) a few thousand; the
// email parser has no limit of its own.
const maxHeaderFields = 100_000

// errTooManyFields is readMessage's error past maxHeaderFields.
var errTooManyFields = fmt.Errorf("more than %d header fields, the limit for checking a metadata file", maxHeaderFields)

// readMessage splits b into headers and body, in one pass that keeps
// nothing but the headers. Lines end at "\r\n", "\r" or "\n". The header
// block ends at the first line that is neither a header ("Name:"), a
// continuation (leading space or tab) nor a "From " line; a blank line
// there is dropped, any other line starts the body.
//
// As compat32 does, it drops continuation lines that follow no header, a
// "From " envelope line at the top, "From " lines in the middle and lines
// with an empty name. A "From " line that ends the header block is the
// first line of the body.
func readMessage(b []byte, str func([]byte) string) (message, error) {
	var (
		headers []Header
		cur     []byte // the header being read: its first line and continuations
		pos     int
		from    []byte // a "From " line that ends the block so far
	)
	flush := func() {
		if cur != nil {
			headers = append(headers, headerFrom(cur, str))
			cur = nil
		}
	}
	for first := true; pos < len(b); first = false {
		end := lineEnd(b, pos)
		line := b[pos:end]
		if !isHeaderLine(line) {
			if isLineBreak(line) {
				pos = end // the separator is not part of the body
			}
			break
		}
		from = nil
		switch {
		case line[0] == ' ' || line[0] == '\t':
			if cur != nil {
				// Lines are consecutive slices of b, so a continuation
				// extends cur in place.
				cur = cur[:len(cur)+len(line)]
			}
		case bytes.HasPrefix(line, []byte("From ")):
			flush()
			if !first {
				from = line
			}
		case line[0] == ':': // no field name
			flush()
		default:
			flush()
			if len(headers) == maxHeaderFields {
				return message{headers: headers}, errTooManyFields
			}
			cur = line
		}
		pos = end
	}
	flush()
	body := b[pos:]
	if from != nil {
		body = append(append([]byte{}, from...), body...)
	}
	return message{headers: headers, body: body}, nil
}

// lineEnd returns the index just past the line starting at pos, line break
// included.
func lineEnd[T string | []byte](b T, pos int) int {
	for i := pos; i < len(b); i++ {
		switch b[i] {
		case '\n':
			return i + 1
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				return i + 2
			}
			return i + 1
		}
	}
	return len(b)
}

// isLineBreak reports whether line is nothing but its line break.
func isLineBreak(line []byte) bool {
	return line[0] == '\n' || line[0] == '\r'
}

// isHeaderLine reports whether line belongs to the header block: a
// continuation, a "From " envelope line, or a field name of printable ASCII
// other than ":" (possibly empty) followed by ":".
func isHeaderLine(line []byte) bool {
	if line[0] == ' ' || line[0] == '\t' || bytes.HasPrefix(line, []byte("From ")) {
		return true
	}
	for _, c := range line {
		if c == ':' {
			return true
		}
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return false
}

// headerFrom builds a header from its lines: the value is the rest of the
// first line without leading spaces and tabs, then the continuation lines
// verbatim, without the trailing line breaks.
func headerFrom(lines []byte, str func([]byte) string) Header {
	colon := bytes.IndexByte(lines, ':')
	value := bytes.TrimLeft(lines[colon+1:], " \t") // stops at the first line's break
	return Header{
		Name:  str(lines[:colon]),
		Value: str(bytes.TrimRight(value, "\r\n")),
	}
}
