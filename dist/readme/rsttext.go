package readme

import "strings"

// text handles docutils' Text state: lines[i] is a text line; what follows
// decides between paragraph, definition list and section title.
func (p *parser) text(lines []string, i, first int, parent *node, titles bool) int {
	ln := first + i
	if i+1 >= len(lines) || isBlank(lines[i+1]) {
		return p.paragraph(lines, i, i+1, first, parent)
	}
	next := lines[i+1]
	if next[0] == ' ' {
		return p.definitionList(lines, i, first, parent)
	}
	if isAdornment(next) {
		title := lines[i]
		underline := strings.TrimRight(next, " ")
		if columnWidth(title) > len(underline) {
			if len(underline) < 4 {
				return p.textParagraph(lines, i, first, parent) // INFO only: ordinary text
			}
			p.report(LevelWarning, ln+1, "Title underline too short.")
		}
		if !titles {
			p.report(LevelError, ln+1, "Unexpected section title.")
		}
		p.section(title, underline[:1], ln)
		return i + 2
	}
	return p.textParagraph(lines, i, first, parent)
}

// textParagraph is a paragraph of two or more lines (Text.text).
func (p *parser) textParagraph(lines []string, i, first int, parent *node) int {
	end := i + 1
	for end < len(lines) && !isBlank(lines[end]) {
		if lines[end][0] == ' ' {
			p.report(LevelError, first+end, "Unexpected indentation.")
		}
		end++
	}
	return p.paragraph(lines, i, end, first, parent)
}

// endsWithLiteralMarker reports whether data ends with an unescaped "::".
func endsWithLiteralMarker(data string) bool {
	if !strings.HasSuffix(data, "::") {
		return false
	}
	n := 0
	for k := len(data) - 3; k >= 0 && data[k] == '\\'; k-- {
		n++
	}
	return n%2 == 0
}

// paragraph parses lines[i:end] as a paragraph and, after a "::", the
// literal block that must follow. It returns the next line index.
func (p *parser) paragraph(lines []string, i, end, first int, parent *node) int {
	data := strings.TrimRight(p.joinLines(lines[i:end]), " \n")
	literal := endsWithLiteralMarker(data)
	if data != "::" || !literal {
		addTag(parent, nodeBody, "paragraph", first+i)
		p.paragraphLine = first + end
		if end-i > 1 {
			p.paragraphLine--
		}
		p.inline(data, first+i)
		p.paragraphLine = 0
	}
	if !literal {
		return end
	}
	return p.literalBlock(lines, end, first, parent)
}

// literalBlock reads the literal block expected at lines[i:].
func (p *parser) literalBlock(lines []string, i, first int, parent *node) int {
	block, n, blankFinish := getIndented(lines, i, false)
	if len(trimBlankEnd(block)) > 0 {
		addTag(parent, nodeBody, "literal_block", first+i)
		if !blankFinish {
			p.unindent("Literal block", first+i+n)
		}
		return i + n
	}
	// A quoted literal block: unindented lines starting with the same
	// punctuation character.
	j := i
	for j < len(lines) && isBlank(lines[j]) {
		j++
	}
	if j == len(lines) || !isPunct7(lines[j][0]) {
		p.report(LevelWarning, first+j, "Literal block expected; none found.")
	}
	q := lines[j][0]
	k := j + 1
	for ; k < len(lines) && !isBlank(lines[k]); k++ {
		switch {
		case lines[k][0] == ' ':
			p.report(LevelError, first+k, "Unexpected indentation.")
		case lines[k][0] != q:
			p.report(LevelError, first+k, "Inconsistent literal block quoting.")
		}
	}
	addTag(parent, nodeBody, "literal_block", first+j)
	return k
}

// adornmentLine handles a line of repeated punctuation in Body: an
// overlined title or a transition (docutils' Line state).
func (p *parser) adornmentLine(lines []string, i, first int, parent *node, titles bool) int {
	ln := first + i
	marker := strings.TrimRight(lines[i], " ")
	if !titles {
		switch {
		case strings.TrimSpace(marker) == "::":
			return p.text(lines, i, first, parent, titles)
		case len(marker) < 4:
			return p.text(lines, i, first, parent, titles)
		}
		p.report(LevelError, ln, "Unexpected section title or transition.")
	}
	if i+1 >= len(lines) || isBlank(lines[i+1]) {
		if len(marker) < 4 {
			return p.text(lines, i, first, parent, titles)
		}
		add(p.container(), nodeTransition, ln)
		return i + 1
	}
	next := lines[i+1]
	if isAdornment(next) && next[0] != ' ' {
		if len(marker) < 4 {
			return p.text(lines, i, first, parent, titles)
		}
		p.report(LevelError, ln, "Invalid section title or transition marker.")
	}
	// Overline, title, underline.
	short := len(marker) < 4
	if i+2 >= len(lines) {
		if short {
			return p.text(lines, i, first, parent, titles)
		}
		p.report(LevelError, ln, "Incomplete section title.")
	}
	underline := strings.TrimRight(lines[i+2], " ")
	switch {
	case !isAdornment(underline):
		if short {
			return p.text(lines, i, first, parent, titles)
		}
		p.report(LevelError, ln, "Missing matching underline for section title overline.")
	case marker != underline:
		if short {
			return p.text(lines, i, first, parent, titles)
		}
		p.report(LevelError, ln, "Title overline & underline mismatch.")
	}
	title := strings.TrimRight(next, " ")
	if columnWidth(title) > len(marker) {
		if short {
			return p.text(lines, i, first, parent, titles)
		}
		p.report(LevelWarning, ln, "Title overline too short.")
	}
	p.section(strings.TrimLeft(title, " "), marker[:1]+underline[:1], ln+1)
	return i + 3
}

// container is the innermost open section, or the document.
func (p *parser) container() *node {
	if len(p.sections) == 0 {
		return p.doc
	}
	return p.sections[len(p.sections)-1]
}

// section opens a section for a title with the given adornment style
// (one character for underline only, two for over- and underline).
// titleLine is the title's line.
func (p *parser) section(title, style string, titleLine int) {
	level := 0
	for k, s := range p.titleStyles {
		if s == style {
			level = k + 1
		}
	}
	cur := len(p.sections)
	if level == 0 {
		level = len(p.titleStyles) + 1
		if level > cur+1 {
			p.report(LevelError, titleLine, titleInconsistent(cur, level))
		}
		p.titleStyles = append(p.titleStyles, style)
	} else if level > cur+1 {
		p.report(LevelError, titleLine, titleInconsistent(cur, level))
	}
	p.sections = p.sections[:level-1]
	sec := add(p.container(), nodeSection, titleLine)
	p.sections = append(p.sections, sec)
	// docutils gives the title node, whose references have no line
	// of their own, the line its state machine is at: the underline.
	p.nodeLineDelta = 1
	text := p.inlineText(title, titleLine)
	p.nodeLineDelta = 0
	if p.implicitTarget(normalizeName(text), titleLine) {
		addTag(sec, nodeInvisible, "info", titleLine)
	}
}

func titleInconsistent(from, to int) string {
	return "Inconsistent title style: skip from level " + itoa(from) + " to " + itoa(to) + "."
}
