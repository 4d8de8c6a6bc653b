package verify

import (
	"regexp"
	"strings"
	"unicode"
)

// The PEP 508 tokenizer follows packaging 26.2's _tokenizer.py: each token
// kind is tried at the current position only when the grammar asks for it.
// Positions are in characters (runes), as in Python, so the caret
// diagrams of SyntaxError line up with the source.

type tokenKind int

const (
	tokLeftParen tokenKind = iota
	tokRightParen
	tokLeftBracket
	tokRightBracket
	tokSemicolon
	tokComma
	tokQuotedString
	tokOp
	tokBoolOp
	tokIn
	tokNot
	tokVariable
	tokSpecifier
	tokAt
	tokURL
	tokIdentifier
	tokPrefixTrail
	tokLocalTrail
	tokWS
	tokEnd
)

// tokenNames are packaging's names, which appear in its messages.
var tokenNames = map[tokenKind]string{
	tokLeftParen: "LEFT_PARENTHESIS", tokRightParen: "RIGHT_PARENTHESIS",
	tokLeftBracket: "LEFT_BRACKET", tokRightBracket: "RIGHT_BRACKET",
}

// pySpaceClass is Python's \s for str patterns.
const pySpaceClass = `[\t\n\v\f\r \x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]`

// specifierPattern is packaging's Specifier._specifier_regex_str
// (re.VERBOSE | re.IGNORECASE), used as a token: it matches a prefix.
// Its (?a:...) groups fold case for ASCII letters only, so they are
// spelled out here ([pP][oO][sS][tT]); the "~=" branch has no such group
// and folds Unicode case, as Go's (?i) does ("~=1.0poſt1" is valid).
var specifierPattern = func() string {
	const (
		pre  = `[-_\.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_\.]?[0-9]*`
		post = `(?:-[0-9]+)|(?:[-_\.]?(?:post|rev|r)[-_\.]?[0-9]*)`
		dev  = `[-_\.]?dev[-_\.]?[0-9]*`
		rel  = `v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*`
	)
	local := `\+[a-z0-9]+(?:[-_\.][a-z0-9]+)*`
	notSpace := strings.TrimPrefix(pySpaceClass, "[")
	return `(?:` +
		`(?i:===)` + pySpaceClass + `*[^;)` + notSpace + `*` +
		`|(?:==|!=)` + pySpaceClass + `*(?i:v)?` + rel[2:] + `(?:\.\*|(?:` + asciiFold(pre) + `)?(?:` + asciiFold(post) + `)?(?:` + asciiFold(dev) + `)?(?:` + asciiFold(local) + `)?)?` +
		`|~=` + pySpaceClass + `*(?i:v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)+(?:` + pre + `)?(?:` + post + `)?(?:` + dev + `)?)` +
		`|(?:<=|>=|<|>)` + pySpaceClass + `*(?i:v)?` + rel[2:] + `(?:` + asciiFold(pre) + `)?(?:` + asciiFold(post) + `)?(?:` + asciiFold(dev) + `)?` +
		`)`
}()

// asciiFold makes a pattern's ASCII letters match either case, without
// Go's Unicode folding: "a" becomes "[aA]" and, inside a class, "a-z"
// becomes "a-zA-Z".
func asciiFold(pattern string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern):
			b.WriteByte(c)
			i++
			b.WriteByte(pattern[i])
		case c == '[':
			inClass = true
			b.WriteByte(c)
		case c == ']':
			inClass = false
			b.WriteByte(c)
		case inClass && c == 'a' && strings.HasPrefix(pattern[i:], "a-z"):
			b.WriteString("a-zA-Z")
			i += 2
		case !inClass && c >= 'a' && c <= 'z':
			b.WriteString("[" + string(c) + string(c-'a'+'A') + "]")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

var (
	specifierTokenRE = regexp.MustCompile(`^` + specifierPattern)
	localTrailRE     = regexp.MustCompile(`^\+[a-z0-9]+(?:[-_\.][a-z0-9]+)*`)
)

// markerVariables are the VARIABLE alternatives, in the regex's order.
var markerVariables = []string{
	"python_version", "python_full_version", "os.name", "os_name", "sys.platform", "sys_platform",
	"platform_release", "platform_system", "platform.version", "platform_version",
	"platform.machine", "platform_machine", "platform.python_implementation",
	"platform_python_implementation", "python_implementation", "implementation_name",
	"implementation_version", "extras", "extra", "dependency_groups",
}

type tokenizer struct {
	src []rune
	pos int
}

// isWord is Python's \w for str patterns.
func isWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) }

// boundary is Python's \b at position i.
func (t *tokenizer) boundary(i int) bool {
	before := i > 0 && isWord(t.src[i-1])
	after := i < len(t.src) && isWord(t.src[i])
	return before != after
}

func (t *tokenizer) hasPrefix(i int, s string) bool {
	rs := []rune(s)
	if i+len(rs) > len(t.src) {
		return false
	}
	for j, r := range rs {
		if t.src[i+j] != r {
			return false
		}
	}
	return true
}

// word matches \b(alternatives)\b, trying alternatives in order.
func (t *tokenizer) word(alts ...string) int {
	if !t.boundary(t.pos) {
		return -1
	}
	for _, a := range alts {
		if t.hasPrefix(t.pos, a) && t.boundary(t.pos+len([]rune(a))) {
			return len([]rune(a))
		}
	}
	return -1
}

// regexLen matches re (anchored with ^) at the current position.
func (t *tokenizer) regexLen(re *regexp.Regexp) int {
	rest := string(t.src[t.pos:])
	loc := re.FindStringIndex(rest)
	if loc == nil {
		return -1
	}
	return len([]rune(rest[:loc[1]]))
}

// match returns the length of a token of kind k at the current position,
// or -1.
func (t *tokenizer) match(k tokenKind) int {
	i, n := t.pos, len(t.src)
	at := func(r rune) bool { return i < n && t.src[i] == r }
	single := func(r rune) int {
		if at(r) {
			return 1
		}
		return -1
	}
	switch k {
	case tokLeftParen:
		return single('(')
	case tokRightParen:
		return single(')')
	case tokLeftBracket:
		return single('[')
	case tokRightBracket:
		return single(']')
	case tokSemicolon:
		return single(';')
	case tokComma:
		return single(',')
	case tokAt:
		return single('@')
	case tokQuotedString:
		if !at('\'') && !at('"') {
			return -1
		}
		for j := i + 1; j < n; j++ {
			if t.src[j] == t.src[i] {
				return j - i + 1
			}
		}
		return -1
	case tokOp:
		for _, op := range []string{"===", "==", "~=", "!=", "<=", ">=", "<", ">"} {
			if t.hasPrefix(i, op) {
				return len(op)
			}
		}
		return -1
	case tokBoolOp:
		return t.word("or", "and")
	case tokIn:
		return t.word("in")
	case tokNot:
		return t.word("not")
	case tokVariable:
		return t.word(markerVariables...)
	case tokSpecifier:
		return t.regexLen(specifierTokenRE)
	case tokURL:
		j := i
		for j < n && t.src[j] != ' ' && t.src[j] != '\t' {
			j++
		}
		if j == i {
			return -1
		}
		return j - i
	case tokIdentifier:
		return t.identifier()
	case tokPrefixTrail:
		if t.hasPrefix(i, ".*") {
			return 2
		}
		return -1
	case tokLocalTrail:
		return t.regexLen(localTrailRE)
	case tokWS:
		j := i
		for j < n && (t.src[j] == ' ' || t.src[j] == '\t') {
			j++
		}
		if j == i {
			return -1
		}
		return j - i
	case tokEnd:
		// Python's $ also matches before a final newline.
		if i == n || (i == n-1 && t.src[i] == '\n') {
			return 0
		}
		return -1
	}
	return -1
}

// identifier matches \b[a-zA-Z0-9][a-zA-Z0-9._-]*\b with Python's
// backtracking and Unicode word boundaries.
func (t *tokenizer) identifier() int {
	i, n := t.pos, len(t.src)
	isAlnum := func(r rune) bool { return r < 0x80 && (isASCIILetter(byte(r)) || (r >= '0' && r <= '9')) }
	if i >= n || !isAlnum(t.src[i]) || !t.boundary(i) {
		return -1
	}
	end := i + 1
	for end < n && (isAlnum(t.src[end]) || strings.ContainsRune("._-", t.src[end])) {
		end++
	}
	for ; end > i; end-- {
		if t.boundary(end) {
			return end - i
		}
	}
	return -1
}

func (t *tokenizer) check(k tokenKind) bool { return t.match(k) >= 0 }

// read consumes a token of kind k (which check has matched) and returns
// its text.
func (t *tokenizer) read(k tokenKind) string {
	l := t.match(k)
	s := string(t.src[t.pos : t.pos+l])
	t.pos += l
	return s
}

func (t *tokenizer) consume(k tokenKind) {
	if t.check(k) {
		t.read(k)
	}
}

func (t *tokenizer) expect(k tokenKind, expected string) (string, error) {
	if !t.check(k) {
		return "", t.syntaxError("Expected "+expected, t.pos, t.pos)
	}
	return t.read(k), nil
}

func (t *tokenizer) syntaxError(msg string, start, end int) error {
	return &SyntaxError{Message: msg, Source: string(t.src), Start: start, End: end}
}

// enclosed parses inner between an optional open token and its matching
// close token.
func (t *tokenizer) enclosed(open, close tokenKind, around string, inner func() error) error {
	openPos := -1
	if t.check(open) {
		openPos = t.pos
		t.read(open)
	}
	if err := inner(); err != nil {
		return err
	}
	if openPos < 0 {
		return nil
	}
	if !t.check(close) {
		return t.syntaxError("Expected matching "+tokenNames[close]+" for "+tokenNames[open]+", after "+around, openPos, t.pos)
	}
	t.read(close)
	return nil
}

// SyntaxError is packaging's ParserSyntaxError: a message and the span of
// the source it points at, in characters.
type SyntaxError struct {
	Message    string
	Source     string
	Start, End int
}

// Error renders the message with packaging's caret diagram:
// "msg\n    source\n    ~~~^".
func (e *SyntaxError) Error() string {
	return e.Message + "\n    " + e.Source + "\n    " + strings.Repeat(" ", e.Start) + strings.Repeat("~", e.End-e.Start) + "^"
}
