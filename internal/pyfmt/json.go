package pyfmt

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Object is a JSON object whose keys keep their order, as a Python dict
// does.
type Object []Field

// Field is one key of an Object and its value.
type Field struct {
	Key   string
	Value any
}

// JSON returns what Python's json.dumps(v) returns with default options:
// ", " and ": " separators and every character outside printable ASCII
// escaped. v is built from Object, []Object, string, bool and int64;
// JSON panics on any other type, which is a programming error.
func JSON(v any) []byte {
	var b strings.Builder
	writeJSON(&b, v)
	return []byte(b.String())
}

func writeJSON(b *strings.Builder, v any) {
	switch v := v.(type) {
	case Object:
		b.WriteByte('{')
		for i, f := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJSONString(b, f.Key)
			b.WriteString(": ")
			writeJSON(b, f.Value)
		}
		b.WriteByte('}')
	case []Object:
		writeList(b, len(v), func(i int) { writeJSON(b, v[i]) })
	case string:
		writeJSONString(b, v)
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	default:
		panic(fmt.Sprintf("pyfmt: JSON cannot render %T", v))
	}
}

// writeJSONString writes s as json.dumps does with ensure_ascii=True.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case writeCommonEscape(b, r, '"'):
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r >= ' ' && r <= '~':
			b.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			writeHex(b, `\u`, r1, 4)
			writeHex(b, `\u`, r2, 4)
		default:
			writeHex(b, `\u`, r, 4)
		}
	}
	b.WriteByte('"')
}
