package dist

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseMetadata parses a core metadata file (METADATA or PKG-INFO) of any
// metadata version, 1.0 to 2.6. It reads the format as Python's email
// parser does with policy=compat32, which defines it, and sorts the fields
// as packaging's parse_email does:
//
//   - Lines end at "\r\n", "\r" or "\n". A line starting with a space or a
//     tab continues the header before it; the value keeps such lines as
//     written, line breaks and indentation included.
//   - The headers end at the first blank line, or at the first line that is
//     not a header (no colon, or a space before it, as in "Summary : x"):
//     that line and all after it are the body. A UTF-8 byte order mark thus
//     turns the whole file into the body. A first line starting with a
//     space is dropped, and so is a "From " envelope line at the top.
//   - Field names match in any case. A non-empty body is the Description.
//     A Description header loses its legacy continuation prefix (7 spaces
//     and "|" by the specification, 8 spaces as setuptools wrote);
//     RawDescription and Headers keep it.
//   - Into Unparsed go, keyed by the lowercase field name: unknown fields
//     (all their values), every value of a single-use field given more
//     than once, every value of a field with a value that is not UTF-8
//     (such values decoded as Latin-1, as packaging does), Project-URL when
//     two labels are equal, a body that is not UTF-8, and both the
//     Description header and the body when both are given.
//
// The body is never decoded as MIME (Content-Transfer-Encoding and
// multipart Content-Type are ignored), unlike Python's parser: core
// metadata is plain UTF-8 text.
//
// Content problems never make an error: validation judges them. The error
// is reserved for input that cannot be checked at all: a file of more than
// 100,000 header fields (real ones have at most a few thousand). The
// Metadata is never nil: with the error, it holds the first 100,000
// fields and no body.
func ParseMetadata(b []byte) (*Metadata, error) {
	return parseMetadata(b, func(b []byte) string { return string(b) })
}

// parseMetadata is ParseMetadata with the strings of the headers and the
// body made by str: a copy, or (for a member read by Open, which nothing
// writes to) a string sharing b's memory, so that a large description is
// held once.
func parseMetadata(b []byte, str func([]byte) string) (*Metadata, error) {
	msg, err := readMessage(b, str)
	m := &Metadata{Headers: msg.headers}
	for _, g := range groupHeaders(msg.headers) {
		m.setField(g.name, g.values)
	}
	m.setBody(msg.body, str)
	if !m.DescriptionInBody {
		m.Description = unfoldDescription(m.Description)
	}
	return m, err
}

// headerGroup is every value of one field name, in file order.
type headerGroup struct {
	name   string // lowercase
	values []string
}

// groupHeaders groups headers by lowercase name, in order of first
// appearance.
func groupHeaders(headers []Header) []headerGroup {
	var groups []headerGroup
	index := make(map[string]int)
	for _, h := range headers {
		name := strings.ToLower(h.Name)
		i, ok := index[name]
		if !ok {
			i = len(groups)
			index[name] = i
			groups = append(groups, headerGroup{name: name})
		}
		groups[i].values = append(groups[i].values, h.Value)
	}
	return groups
}

// setField stores the values of the field name (lowercase) in m, or in
// m.Unparsed when they cannot be stored.
func (m *Metadata) setField(name string, values []string) {
	if !allUTF8(values) {
		m.unparsed(name, latin1Fallback(values)...)
		return
	}
	f := lookupField(name)
	switch {
	case f == nil:
		m.unparsed(name, values...)
	case f.str != nil:
		if len(values) != 1 {
			m.unparsed(name, values...)
			return
		}
		*f.str(m) = values[0]
	case f.list != nil:
		if f.name == "Import-Name" && len(values) == 1 && values[0] == "" {
			// One empty Import-Name means "no import names" (PEP 794).
			values = []string{}
		}
		*f.list(m) = values
	default: // Project-URL
		urls, ok := parseProjectURLs(values)
		if !ok {
			m.unparsed(name, values...)
			return
		}
		m.ProjectURLs = urls
	}
}

// setBody takes a non-empty body as the Description, unless the header
// gave one too (then both go to Unparsed) or it is not UTF-8.
func (m *Metadata) setBody(body []byte, str func([]byte) string) {
	if len(body) == 0 {
		return
	}
	if !utf8.Valid(body) {
		m.unparsed("description", latin1(string(body)))
		return
	}
	switch {
	case m.parsed("Description"):
		m.unparsed("description", m.Description, str(body))
		m.Description = ""
	case m.Unparsed["description"] != nil:
		m.unparsed("description", str(body))
	default:
		m.Description = str(body)
		m.DescriptionInBody = true
	}
}

// unparsed appends values to m.Unparsed[name].
func (m *Metadata) unparsed(name string, values ...string) {
	if m.Unparsed == nil {
		m.Unparsed = make(map[string][]string)
	}
	m.Unparsed[name] = append(m.Unparsed[name], values...)
}

// parseProjectURLs splits each "label, url" at its first comma, both parts
// stripped (no comma: the URL is empty). ok is false when two labels are
// equal.
func parseProjectURLs(values []string) (urls []ProjectURL, ok bool) {
	seen := make(map[string]bool, len(values))
	for _, v := range values {
		label, url, _ := strings.Cut(v, ",")
		label = pyStrip(label)
		if seen[label] {
			return nil, false
		}
		seen[label] = true
		urls = append(urls, ProjectURL{Label: label, URL: pyStrip(url)})
	}
	return urls, true
}

// unfoldDescription undoes the legacy escaping of a multi-line Description
// header: each continuation line starts with 7 spaces and "|" (the
// specification) or 8 spaces (what setuptools and distutils wrote), and
// that prefix goes. Other lines and the line breaks are kept.
func unfoldDescription(v string) string {
	var b strings.Builder
	b.Grow(len(v))
	for i, line := range splitLinesKeepEnds(v) {
		if i > 0 {
			if rest, ok := strings.CutPrefix(line, "       |"); ok {
				line = rest
			} else if rest, ok := strings.CutPrefix(line, "        "); ok {
				line = rest
			}
		}
		b.WriteString(line)
	}
	return b.String()
}

// splitLinesKeepEnds splits s after each "\r\n", "\r" or "\n".
func splitLinesKeepEnds(s string) []string {
	var lines []string
	for pos := 0; pos < len(s); {
		end := lineEnd(s, pos)
		lines = append(lines, s[pos:end])
		pos = end
	}
	return lines
}

// pyStrip trims what Python's str.strip() trims: Unicode white space and
// the separators U+001C to U+001F.
func pyStrip(s string) string {
	return strings.TrimFunc(s, isPySpace)
}

// isPySpace reports whether Python's str.isspace() (and so the regular
// expression \s) holds for r.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

func allUTF8(values []string) bool {
	for _, v := range values {
		if !utf8.ValidString(v) {
			return false
		}
	}
	return true
}

// latin1Fallback returns values with each value that is not UTF-8 decoded
// as Latin-1 instead.
func latin1Fallback(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		if utf8.ValidString(v) {
			out[i] = v
		} else {
			out[i] = latin1(v)
		}
	}
	return out
}

// latin1 decodes s byte by byte as Latin-1.
func latin1(s string) string {
	var b strings.Builder
	b.Grow(2 * len(s))
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}
