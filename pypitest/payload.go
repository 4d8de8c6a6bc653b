package pypitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// pydanticVersion is the minor version of pydantic Warehouse pins; its
// error messages link to the documentation of that version.
const pydanticVersion = "2.13"

// parseTokenPayload reads the mint request body as Warehouse's
// TokenPayload(token: StrictStr) model does, returning the token, or the
// text of pydantic's ValidationError. The texts are exact for the usual
// mistakes (an empty body, a body that is not JSON, not an object, no
// "token", a token that is not a string); for other malformed JSON the
// position in the message may differ from pydantic's parser.
func parseTokenPayload(body []byte) (token, problem string) {
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	err := d.Decode(&v)
	if err == nil && len(bytes.TrimLeft(body[d.InputOffset():], " \t\r\n")) > 0 {
		err = errTrailing
	}
	if err != nil {
		return "", pydanticError("", "Invalid JSON: "+jsonProblem(body, err, d.InputOffset()), "json_invalid", pyfmt.ReprBytes(body), "bytes")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return "", pydanticError("", "Input should be an object", "model_type", pyfmt.ReprValue(v), pyType(v))
	}
	tok, present := obj["token"]
	if !present {
		return "", pydanticError("token", "Field required", "missing", pyfmt.ReprValue(v), "dict")
	}
	s, ok := tok.(string)
	if !ok {
		return "", pydanticError("token", "Input should be a valid string", "string_type", pyfmt.ReprValue(tok), pyType(tok))
	}
	return s, ""
}

// errTrailing means a JSON value was followed by more than white space.
var errTrailing = errors.New("pypitest: trailing characters after JSON")

// jsonProblem words a JSON syntax error as pydantic's parser (jiter) does.
// It is exact for an empty or truncated body, a body that starts with no
// JSON value or with a misspelt true, false or null, and trailing
// characters; other errors are reported as "expected value" where
// encoding/json stopped.
func jsonProblem(body []byte, err error, offset int64) string {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	start := len(body) - len(trimmed)
	at := func(what string, i int) string {
		line, col := lineColumn(body, i)
		return fmt.Sprintf("%s at line %d column %d", what, line, col)
	}
	switch {
	case len(trimmed) == 0 || errors.Is(err, io.ErrUnexpectedEOF):
		line, col := lineColumn(body, len(body))
		return fmt.Sprintf("EOF while parsing a value at line %d column %d", line, col-1)
	case errors.Is(err, errTrailing):
		rest := bytes.TrimLeft(body[offset:], " \t\r\n")
		return at("trailing characters", len(body)-len(rest))
	case !strings.ContainsRune(`{["-0123456789tfn`, rune(trimmed[0])):
		return at("expected value", start)
	case strings.ContainsRune("tfn", rune(trimmed[0])):
		for _, word := range []string{"true", "false", "null"} {
			if word[0] == trimmed[0] {
				i := 1
				for i < len(word) && i < len(trimmed) && trimmed[i] == word[i] {
					i++
				}
				if i < len(word) && i < len(trimmed) {
					return at("expected ident", start+i)
				}
			}
		}
	}
	i := len(body)
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		i = int(syntax.Offset) - 1
	}
	return at("expected value", i)
}

// lineColumn returns the 1-based line and column (in characters) of byte
// offset at in b.
func lineColumn(b []byte, at int) (line, col int) {
	before := b[:max(0, min(at, len(b)))]
	line = 1 + bytes.Count(before, []byte("\n"))
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + utf8.RuneCount(before)
}

// pydanticError renders a one-error pydantic ValidationError for the
// TokenPayload model as str() does. loc is the field ("" for the model).
func pydanticError(loc, msg, typ, inputRepr, inputType string) string {
	var b strings.Builder
	b.WriteString("1 validation error for TokenPayload\n")
	if loc != "" {
		b.WriteString(loc + "\n")
	}
	fmt.Fprintf(&b, "  %s [type=%s, input_value=%s, input_type=%s]\n", msg, typ, truncateRepr(inputRepr), inputType)
	fmt.Fprintf(&b, "    For further information visit https://errors.pydantic.dev/%s/v/%s", pydanticVersion, typ)
	return b.String()
}

// truncateRepr shortens a long input_value as pydantic does: the first 25
// and last 24 characters around "...".
func truncateRepr(s string) string {
	r := []rune(s)
	if len(r) <= 50 {
		return s
	}
	return string(r[:25]) + "..." + string(r[len(r)-24:])
}

// pyType returns the Python type name of a value decoded from JSON.
func pyType(v any) string {
	switch v := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case string:
		return "str"
	case json.Number:
		if strings.ContainsAny(v.String(), ".eE") {
			return "float"
		}
		return "int"
	case []any:
		return "list"
	default:
		return "dict"
	}
}
