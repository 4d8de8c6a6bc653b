package readme

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// stripTop drops leading blank lines, as docutils' strip_top, returning
// how many it dropped.
func stripTop(block []string) ([]string, int) {
	k := 0
	for k < len(block) && isBlank(block[k]) {
		k++
	}
	return block[k:], k
}

// listItem parses the list item at lines[i] whose text starts at byte
// offset indent (docutils' list_item). It returns the next line index and
// whether the item ended with a blank line.
func (p *parser) listItem(lines []string, i, first, indent int, list *node) (int, bool) {
	var block []string
	var n int
	var blankFinish bool
	if strings.TrimSpace(suffix(lines[i], indent)) != "" {
		block, n, blankFinish = getKnownIndented(lines, i, indent)
	} else {
		block, n, blankFinish = getFirstKnownIndented(lines, i, indent, false)
	}
	block, skip := stripTop(block)
	p.nested(framesIndented, block, first+i+skip, addTag(list, nodeBody, "list_item", first+i))
	return i + n, blankFinish
}

func (p *parser) bulletList(lines []string, i, first int, parent *node) int {
	list := addTag(parent, nodeBody, "bullet_list", first+i)
	bullet, _ := utf8.DecodeRuneInString(lines[i])
	blankFinish := true
	for {
		m := []int{0, bulletEnd(lines[i])}
		i, blankFinish = p.listItem(lines, i, first, m[1], list)
		if i >= len(lines) || !isBullet(lines[i]) {
			break
		}
		if r, _ := utf8.DecodeRuneInString(lines[i]); r != bullet {
			break
		}
	}
	if !blankFinish {
		p.unindent("Bullet list", first+i)
	}
	return i
}

// An enumerator: its format, sequence and ordinal (0 when invalid).
type enumerator struct {
	format, sequence string
	ordinal          int
}

var (
	reRoman   = regexp.MustCompile(`^M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$`)
	sequences = []string{"arabic", "loweralpha", "upperalpha", "lowerroman", "upperroman"}
)

func sequenceMatches(seq, text string) bool {
	switch seq {
	case "arabic":
		return strings.Trim(text, "0123456789") == ""
	case "loweralpha":
		return len(text) == 1 && text[0] >= 'a' && text[0] <= 'z'
	case "upperalpha":
		return len(text) == 1 && text[0] >= 'A' && text[0] <= 'Z'
	case "lowerroman":
		return strings.Trim(text, "ivxlcdm") == ""
	case "upperroman":
		return strings.Trim(text, "IVXLCDM") == ""
	}
	return false
}

// parseEnumerator is docutils' parse_enumerator.
func parseEnumerator(line string, m enumIndexes, expected string) enumerator {
	var e enumerator
	var text string
	switch {
	case m[2] >= 0:
		e.format, text = "parens", line[m[2]:m[3]]
	case m[4] >= 0:
		e.format, text = "rparen", line[m[4]:m[5]]
	default:
		e.format, text = "period", line[m[6]:m[7]]
	}
	switch {
	case text == "#":
		e.sequence = "#"
	case expected != "" && sequenceMatches(expected, text):
		e.sequence = expected
	case text == "i":
		e.sequence = "lowerroman"
	case text == "I":
		e.sequence = "upperroman"
	}
	if e.sequence == "" {
		for _, s := range sequences {
			if sequenceMatches(s, text) {
				e.sequence = s
				break
			}
		}
	}
	switch e.sequence {
	case "#":
		e.ordinal = 1
	case "arabic":
		n, err := strconv.Atoi(text)
		if err == nil {
			e.ordinal = n
		}
	case "loweralpha", "upperalpha":
		e.ordinal = int(text[0]|0x20) - 'a' + 1
	default:
		if up := strings.ToUpper(text); reRoman.MatchString(up) {
			e.ordinal = romanValue(up)
		}
	}
	return e
}

func romanValue(s string) int {
	val := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}
	n := 0
	for i := 0; i < len(s); i++ {
		v := val[s[i]]
		if i+1 < len(s) && val[s[i+1]] > v {
			n -= v
		} else {
			n += v
		}
	}
	return n
}

func toRoman(n int) string {
	if n <= 0 || n >= 5000 {
		return ""
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for k, v := range vals {
		for n >= v {
			b.WriteString(syms[k])
			n -= v
		}
	}
	return b.String()
}

var enumAffixes = map[string][2]string{"parens": {"(", ")"}, "rparen": {"", ")"}, "period": {"", "."}}

// isEnumItem is docutils' is_enumerated_list_item: the line after an
// enumerator must be blank, indented, or the next enumerator.
func isEnumItem(lines []string, i int, e enumerator) bool {
	if e.ordinal == 0 {
		return false
	}
	if i+1 >= len(lines) {
		return true
	}
	next := lines[i+1]
	if next == "" || next[0] == ' ' {
		return true
	}
	var s string
	switch {
	case e.sequence == "#":
		s = "#"
	case e.sequence == "arabic":
		s = strconv.Itoa(e.ordinal + 1)
	case strings.HasSuffix(e.sequence, "alpha"):
		if e.ordinal+1 > 26 {
			return false
		}
		s = string(rune('a' + e.ordinal))
	default:
		s = toRoman(e.ordinal + 1)
		if s == "" {
			return false
		}
	}
	if strings.HasPrefix(e.sequence, "lower") {
		s = strings.ToLower(s)
	} else if strings.HasPrefix(e.sequence, "upper") {
		s = strings.ToUpper(s)
	}
	a := enumAffixes[e.format]
	return strings.HasPrefix(next, a[0]+s+a[1]+" ") || strings.HasPrefix(next, a[0]+"#"+a[1]+" ")
}

// enumList parses an enumerated list; ok is false when lines[i] is not
// an enumerated list item after all (it is then ordinary text).
func (p *parser) enumList(lines []string, i, first int, parent *node, m enumIndexes) (int, bool) {
	e := parseEnumerator(lines[i], m, "")
	if !isEnumItem(lines, i, e) {
		return 0, false
	}
	list := addTag(parent, nodeBody, "enumerated_list", first+i)
	enumtype := e.sequence
	if enumtype == "#" {
		enumtype = "arabic"
	}
	auto := e.sequence == "#"
	last := e.ordinal
	i, blankFinish := p.listItem(lines, i, first, m[1], list)
	for i < len(lines) {
		if isBlank(lines[i]) {
			break
		}
		var ok bool
		if m, ok = matchEnum(lines[i]); !ok {
			break
		}
		f := parseEnumerator(lines[i], m, enumtype)
		if f.format != e.format || (f.sequence != "#" && (f.sequence != enumtype || auto || f.ordinal != last+1)) || !isEnumItem(lines, i, f) {
			break
		}
		if f.sequence == "#" {
			auto = true
		}
		i, blankFinish = p.listItem(lines, i, first, m[1], list)
		last = f.ordinal
	}
	if !blankFinish {
		p.unindent("Enumerated list", first+i)
	}
	return i, true
}

// fieldMarkerEnd returns the end of a field marker ":name: " at the start
// of line (including the spaces after it), or 0 when there is none.
func fieldMarkerEnd(line string) int {
	if len(line) < 3 || line[0] != ':' || line[1] == ':' || line[1] == ' ' {
		return 0
	}
	for j := 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			j++
			if j >= len(line) {
				return 0
			}
		case ':':
			if j+1 < len(line) && line[j+1] != ' ' {
				if line[j+1] == '`' {
					return 0
				}
				continue
			}
			if line[j-1] == ' ' {
				return 0
			}
			end := j + 1
			for end < len(line) && line[end] == ' ' {
				end++
			}
			return end
		}
	}
	return 0
}

// fieldItem parses one field; it returns the next line index and whether
// the field ended with a blank line.
// fieldItem parses one field into list; it returns the next line index
// and whether the field ended with a blank line.
func (p *parser) fieldItem(lines []string, i, first int, list *node) (int, bool) {
	end := fieldMarkerEnd(lines[i])
	name := strings.TrimRight(lines[i][1:end], " ")
	field := addTag(list, nodeBody, "field", first+i)
	field.name = p.inlineText(name[:len(name)-1], first+i)
	block, n, blankFinish := getFirstKnownIndented(lines, i, end, false)
	block, skip := stripTop(block)
	field.oneLine = len(trimBlankEnd(block)) <= 1
	p.nested(framesField, block, first+i+skip, field)
	return i + n, blankFinish
}

func (p *parser) fieldList(lines []string, i, first int, parent *node) int {
	list := addTag(parent, nodeBody, "field_list", first+i)
	i, blankFinish := p.fieldItem(lines, i, first, list)
	for i < len(lines) && fieldMarkerEnd(lines[i]) > 0 {
		i, blankFinish = p.fieldItem(lines, i, first, list)
	}
	if !blankFinish {
		p.unindent("Field list", first+i)
	}
	return i
}

func allBlank(lines []string) bool {
	for _, l := range lines {
		if !isBlank(l) {
			return false
		}
	}
	return true
}

func (p *parser) optionList(lines []string, i, first int, parent *node, titles bool) int {
	item := func(i int) (int, bool, bool) {
		m := reOption.FindStringIndex(lines[i])
		// An option with no description is text: decide before the block's
		// lines are stripped, as the text parser reads them again.
		n, _, _ := indentedSpan(lines, i, false, -1, m[1])
		if m[1] >= len(lines[i]) && allBlank(lines[i+1:i+n]) {
			return i, false, false
		}
		block, n, blankFinish := getFirstKnownIndented(lines, i, m[1], false)
		block, skip := stripTop(block)
		p.nested(framesIndented, block, first+i+skip, &node{})
		return i + n, blankFinish, true
	}
	start := i
	i, blankFinish, ok := item(i)
	if !ok {
		return p.text(lines, start, first, parent, titles)
	}
	addTag(parent, nodeBody, "option_list", first+start)
	for i < len(lines) && lines[i] != "" && isOptionStart(lines[i]) && reOption.MatchString(lines[i]) {
		j, bf, ok := item(i)
		if !ok {
			break
		}
		i, blankFinish = j, bf
	}
	if !blankFinish {
		p.unindent("Option list", first+i)
	}
	return i
}

// definitionList parses a definition list whose first term is lines[i].
func (p *parser) definitionList(lines []string, i, first int, parent *node) int {
	addTag(parent, nodeBody, "definition_list", first+i)
	var blankFinish bool
	for {
		block, n, bf := getIndented(lines, i+1, false)
		p.inline(lines[i], first+i)
		p.nested(framesIndented, block, first+i+1, &node{})
		i, blankFinish = i+1+n, bf
		if i+1 >= len(lines) || isBodyConstruct(lines[i]) || lines[i+1] == "" || lines[i+1][0] != ' ' {
			break
		}
	}
	if !blankFinish {
		p.unindent("Definition list", first+i)
	}
	return i
}

// isBodyConstruct reports whether an unindented, non-blank line starts a
// body construct other than a paragraph.
func isBodyConstruct(line string) bool {
	_, enum := matchEnum(line)
	return isBullet(line) || enum || fieldMarkerEnd(line) > 0 ||
		(isOptionStart(line) && reOption.MatchString(line)) || isDoctest(line) || isLineBlock(line) ||
		isGridBorder(line, '-') || isSimpleTop(line) || isExplicit(line) ||
		isAnonTarget(line) || isAdornment(line)
}

func (p *parser) lineBlock(lines []string, i, first int, parent *node) int {
	addTag(parent, nodeBody, "line_block", first+i)
	start := i
	blankFinish := false
	for !blankFinish && i < len(lines) && isLineBlock(lines[i]) {
		m := []int{0, markerEnd(lines[i], "|")}
		var block []string
		var n int
		block, n, blankFinish = getFirstKnownIndented(lines, i, m[1], true)
		p.inline(strings.Join(block, "\n"), first+i)
		i += n
	}
	if !blankFinish {
		p.report(LevelWarning, first+start+1, "Line block ends without a blank line.")
	}
	return i
}

func itoa(n int) string { return strconv.Itoa(n) }
