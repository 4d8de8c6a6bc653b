package pypitest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// Warehouse is written in Python, and some of its answers embed Python
// renderings: JSON from json.dumps (", " and ": " separators, non-ASCII
// escaped) and repr() of claim values inside error descriptions. The helpers
// here reproduce those renderings byte for byte for the values a JSON
// document can hold.

// pyObject is a JSON object whose keys keep their order, as a Python dict does.
type pyObject []pyField

// pyField is one key of a pyObject.
type pyField struct {
	key   string
	value any
}

// pyJSON renders v as Python's json.dumps(v) does with default options.
// v is built from pyObject, []pyObject, string, bool and int64.
func pyJSON(v any) []byte {
	var b strings.Builder
	writePyJSON(&b, v)
	return []byte(b.String())
}

func writePyJSON(b *strings.Builder, v any) {
	switch v := v.(type) {
	case pyObject:
		b.WriteByte('{')
		for i, f := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writePyJSONString(b, f.key)
			b.WriteString(": ")
			writePyJSON(b, f.value)
		}
		b.WriteByte('}')
	case []pyObject:
		b.WriteByte('[')
		for i, o := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writePyJSON(b, o)
		}
		b.WriteByte(']')
	case string:
		writePyJSONString(b, v)
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	default:
		panic(fmt.Sprintf("pypitest: pyJSON cannot render %T", v))
	}
}

// writePyJSONString escapes like json.dumps with ensure_ascii=True: only
// printable ASCII stays as it is.
func writePyJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		if writeSharedEscape(b, r, '"') {
			continue
		}
		switch {
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r >= ' ' && r <= '~':
			b.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
}

// pyRepr renders a value decoded from JSON (with json.Decoder.UseNumber) as
// Python's repr() renders the value json.loads gives. Object keys are
// sorted: Go does not keep their order.
func pyRepr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case string:
		return pyReprString(v)
	case json.Number:
		return v.String()
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyReprString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyReprString(k) + ": " + pyRepr(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return fmt.Sprint(v)
	}
}

// pyStr renders a JSON value as Python's str() does: strings as they are,
// anything else as its repr.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

// pyReprString quotes s as Python's repr(str) does: single quotes unless s
// holds a single quote and no double quote, and escapes for what is not
// printable.
func pyReprString(s string) string {
	quote := '\''
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteRune(quote)
	for _, r := range s {
		if writeSharedEscape(&b, r, quote) {
			continue
		}
		switch {
		case r < ' ' || r == 0x7f || (r >= 0x80 && r <= 0xff && !unicode.IsPrint(r)):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsPrint(r) || r == ' ':
			b.WriteRune(r)
		case r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteRune(quote)
	return b.String()
}

// writeSharedEscape writes the escape that JSON strings and Python's
// string and bytes literals all use for r, if it has one: a backslash
// before quote (the literal's delimiter) or a backslash, and \n, \r, \t.
// It reports whether it wrote anything.
func writeSharedEscape(b *strings.Builder, r, quote rune) bool {
	switch r {
	case quote, '\\':
		b.WriteByte('\\')
		b.WriteRune(r)
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	default:
		return false
	}
	return true
}
