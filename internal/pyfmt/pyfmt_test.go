package pyfmt

import (
	"encoding/json"
	"math"
	"testing"
)

func TestRepr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                       `''`,
		"foo":                    `'foo'`,
		"it's":                   `"it's"`,
		`a'"b`:                   `'a\'"b'`,
		"a\\b":                   `'a\\b'`,
		"t\tn\nr\r":              `'t\tn\nr\r'`,
		"\x00\x1f\x7f\x0b":       `'\x00\x1f\x7f\x0b'`,
		"café é":                 `'café é'`,
		"\u00a0\u00ad":           `'\xa0\xad'`,
		"\u2028\u3000\ufeff":     `'\u2028\u3000\ufeff'`,
		"\U000e0001\U0010ffff":   `'\U000e0001\U0010ffff'`,
		"🐍 日本":                   `'🐍 日本'`,
		"bad \xff utf-8":         "'bad \ufffd utf-8'",
		"\u0378 is unassigned":   `'\u0378 is unassigned'`,
		"e\u0301 keeps its mark": "'e\u0301 keeps its mark'",
	} {
		if got := Repr(in); got != want {
			t.Errorf("Repr(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestReprBytes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                  `b''`,
		"a'\"\\\n\xff":      `b'a\'"\\\n\xff'`,
		"it's":              `b"it's"`,
		"caf\xc3\xa9\x7f\t": `b'caf\xc3\xa9\x7f\t'`,
	} {
		if got := ReprBytes([]byte(in)); got != want {
			t.Errorf("ReprBytes(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestReprValue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v         any
		repr, str string
	}{
		{nil, "None", "None"},
		{true, "True", "True"},
		{false, "False", "False"},
		{"it's", `"it's"`, "it's"},
		{json.Number("12"), "12", "12"},
		{json.Number("-0"), "0", "0"},
		{json.Number("1.50"), "1.5", "1.5"},
		{json.Number("1e5"), "100000.0", "100000.0"},
		{json.Number("1E-5"), "1e-05", "1e-05"},
		{json.Number("1e400"), "inf", "inf"},
		{json.Number("-1e400"), "-inf", "-inf"},
		{json.Number("-0.0"), "-0.0", "-0.0"},
		{1e16, "1e+16", "1e+16"},
		{1234567890123456.0, "1234567890123456.0", "1234567890123456.0"},
		{0.0001, "0.0001", "0.0001"},
		{1.5e-7, "1.5e-07", "1.5e-07"},
		{math.NaN(), "nan", "nan"},
		{[]any{"a", json.Number("1"), nil}, "['a', 1, None]", "['a', 1, None]"},
		{[]string{"x", "y'"}, `['x', "y'"]`, `['x', "y'"]`},
		{map[string]any{"b": nil, "a": []any{}, "c": map[string]any{}}, "{'a': [], 'b': None, 'c': {}}", "{'a': [], 'b': None, 'c': {}}"},
		{int64(7), "7", "7"},
	} {
		if got := ReprValue(tc.v); got != tc.repr {
			t.Errorf("ReprValue(%#v) = %s, want %s", tc.v, got, tc.repr)
		}
		if got := Str(tc.v); got != tc.str {
			t.Errorf("Str(%#v) = %s, want %s", tc.v, got, tc.str)
		}
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	got := string(JSON(Object{
		{Key: "message", Value: "Token request failed"},
		{Key: "errors", Value: []Object{{{Key: "code", Value: "c"}, {Key: "description", Value: "d \"q\" é 🐍\n\b\f\x01\x7f"}}}},
		{Key: "success", Value: true}, {Key: "expires", Value: int64(1700000900)}, {Key: "empty", Value: []Object{}},
	}))
	const want = `{"message": "Token request failed", "errors": [{"code": "c", "description": "d \"q\" \u00e9 \ud83d\udc0d\n\b\f\u0001\u007f"}], "success": true, "expires": 1700000900, "empty": []}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestJSONPanicsOnUnknownType(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("JSON(1.5) did not panic")
		}
	}()
	JSON(1.5)
}
