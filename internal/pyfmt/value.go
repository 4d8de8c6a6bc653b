package pyfmt

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ReprValue returns Python's repr of the value json.loads gives for v, a
// value decoded by encoding/json (numbers as json.Number, from
// Decoder.UseNumber, or float64): None, True, False, 12, 1.5, 'text',
// [...] and {...}. A []string renders as a list of str. Object keys come
// out sorted, because a Go map has lost the document order Python keeps.
// Other types render as fmt.Sprint does.
func ReprValue(v any) string {
	var b strings.Builder
	writeValue(&b, v)
	return b.String()
}

// Str returns Python's str of the value json.loads gives for v: a string
// as it is, anything else as ReprValue renders it.
func Str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ReprValue(v)
}

func writeValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if v {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case string:
		writeRepr(b, v)
	case json.Number:
		b.WriteString(numberRepr(string(v)))
	case float64:
		b.WriteString(floatRepr(v))
	case []string:
		writeList(b, len(v), func(i int) { writeRepr(b, v[i]) })
	case []any:
		writeList(b, len(v), func(i int) { writeValue(b, v[i]) })
	case map[string]any:
		keys := slices.Sorted(maps.Keys(v))
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, k)
			b.WriteString(": ")
			writeValue(b, v[k])
		}
		b.WriteByte('}')
	default:
		fmt.Fprint(b, v)
	}
}

func writeList(b *strings.Builder, n int, item func(int)) {
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		item(i)
	}
	b.WriteByte(']')
}

// numberRepr renders a JSON number as Python's repr of what json.loads
// makes of it: an int when it has no fraction or exponent, else a float.
func numberRepr(n string) string {
	if strings.ContainsAny(n, ".eE") {
		f, _ := strconv.ParseFloat(n, 64) // out of range gives ±Inf, as Python's float does
		return floatRepr(f)
	}
	if strings.Trim(n, "-0") == "" && n != "" {
		return "0" // int("-0") is 0
	}
	return n
}

// floatRepr is Python's repr of a float: the shortest digits that round
// trip, in positional notation when the decimal point falls between 4
// places before and 16 after the first digit, else in exponent notation.
func floatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // [-]d[.ddd]e±dd
	mant, exp, _ := strings.Cut(e, "e")
	sign, mant := "", mant
	if strings.HasPrefix(mant, "-") {
		sign, mant = "-", mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	point := x + 1 // digits before the decimal point
	switch {
	case point <= -4 || point > 16:
		if len(digits) > 1 {
			digits = digits[:1] + "." + digits[1:]
		}
		return fmt.Sprintf("%s%se%+03d", sign, digits, x)
	case point <= 0:
		return sign + "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		return sign + digits + strings.Repeat("0", point-len(digits)) + ".0"
	default:
		return sign + digits[:point] + "." + digits[point:]
	}
}
