package verify

import (
	"errors"
	"strconv"
	"strings"
)

// pyStringLiteral evaluates a quoted Python string literal as
// ast.literal_eval does for the marker values packaging reads: escape
// sequences are decoded and unknown escapes kept. Python raises (and
// PyPI fails with HTTP 500) on a malformed escape, a line break inside
// the quotes or a NUL; so does this, with an ordinary error.
func pyStringLiteral(q string) (string, error) {
	body := []rune(q[1 : len(q)-1])
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch c {
		case '\n', '\r':
			return "", errors.New("unterminated string literal")
		case 0:
			return "", errors.New("source code cannot contain null bytes")
		case '\\':
		default:
			b.WriteRune(c)
			continue
		}
		i++
		if i >= len(body) {
			return "", errors.New("unterminated string literal")
		}
		switch e := body[i]; e {
		case '\n':
		case '\\', '\'', '"':
			b.WriteRune(e)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case 'x', 'u', 'U':
			width := map[rune]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+width >= len(body) {
				return "", errors.New("truncated \\" + string(e) + " escape")
			}
			n, err := strconv.ParseUint(string(body[i+1:i+1+width]), 16, 32)
			if err != nil || n > 0x10FFFF {
				return "", errors.New("truncated \\" + string(e) + " escape")
			}
			b.WriteRune(rune(n))
			i += width
		case 'N':
			return "", errors.New("\\N{...} escapes are not supported")
		default:
			if e >= '0' && e <= '7' {
				j := i
				for j < len(body) && j < i+3 && body[j] >= '0' && body[j] <= '7' {
					j++
				}
				n, _ := strconv.ParseUint(string(body[i:j]), 8, 32)
				b.WriteRune(rune(n))
				i = j - 1
				continue
			}
			b.WriteRune('\\') // unknown escapes stay as written
			b.WriteRune(e)
		}
	}
	return b.String(), nil
}
