package readme

import (
	"container/heap"
	"slices"
	"strings"
)

// padWide turns a line into columns: a wide character is followed by a
// pad cell, as docutils' pad_double_width.
func padWide(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, r)
		if isWide(r) {
			out = append(out, 0)
		}
	}
	return out
}

func (p *parser) malformed(line int, detail string) {
	msg := "Malformed table."
	if detail != "" {
		msg += "\n" + detail
	}
	p.report(LevelError, line, msg)
}

// gridTable parses a grid table (docutils' isolate_grid_table and
// GridTableParser), then each cell's contents.
func (p *parser) gridTable(lines []string, i, first int, parent *node) int {
	ln := first + i
	end := i
	for end < len(lines) && !isBlank(lines[end]) {
		if lines[end][0] == ' ' {
			p.report(LevelError, first+end, "Unexpected indentation.")
		}
		end++
	}
	blankFinish := true
	blankLine := 0
	errLine := ln // where docutils counts a malformed table's lines from
	var block [][]rune
	// last is the index docutils' loop variable holds after the edge
	// check: the line that ended the table, else the last line.
	last := end - i - 1
	for k := i; k < end; k++ {
		s := strings.TrimSpace(lines[k])
		if s[0] != '+' && s[0] != '|' {
			blankFinish = false
			end = k
			last = k - i
			break
		}
		block = append(block, padWide(s))
	}
	if !isGridBorder(string(block[len(block)-1]), '-') {
		blankFinish = false
		k := len(block) - 2
		for ; k > 1; k-- {
			if isGridBorder(string(block[k]), '-') {
				break
			}
		}
		if k <= 1 {
			// docutils reports the line its search loop stopped at.
			if len(block) > 3 {
				last = 2
			}
			p.malformed(ln+last, "Bottom border missing or corrupt.")
		}
		block = block[:k+1]
		end = i + k + 1
		// docutils backs up one line too many here and reports the line
		// after its position: the line before the bottom border.
		blankLine = -2
		// Its malformed-table messages count from that position too.
		errLine = ln - 2
	}
	width := len(block[0])
	for k, l := range block {
		if len(l) != width || (l[width-1] != '+' && l[width-1] != '|') {
			p.malformed(errLine+k, "Right border not aligned or missing.")
		}
	}
	addTag(parent, nodeBody, "table", ln)
	p.parseGrid(block, ln, errLine)
	if !blankFinish {
		p.report(LevelWarning, first+end+blankLine, "Blank line required after table.")
	}
	return end
}

type gridParser struct {
	block         [][]rune
	bottom, right int
	done          []int
}

func (p *parser) parseGrid(block [][]rune, ln, errLine int) {
	sep := -1
	for k, l := range block {
		if isGridBorder(string(l), '=') {
			if sep >= 0 {
				p.malformed(errLine+k, "Multiple head/body row separators (table lines "+itoa(sep+1)+" and "+itoa(k+1)+"); only one allowed.")
			}
			sep = k
			block[k] = []rune(strings.ReplaceAll(string(l), "=", "-"))
		}
	}
	if sep == 0 || sep == len(block)-1 {
		p.malformed(errLine+len(block)-1, "The head/body row separator may not be the first or last line of the table.")
	}
	g := &gridParser{block: block, bottom: len(block) - 1, right: len(block[0]) - 1}
	g.done = make([]int, len(block[0]))
	for k := range g.done {
		g.done[k] = -1
	}
	type cell struct{ top, left, bottom, right int }
	var cells []cell
	// docutils keeps the corners to visit in a list it sorts after each
	// cell, and takes the first: a heap gives the same order without the
	// cost of sorting for each of thousands of cells.
	corners := &cornerHeap{{0, 0}}
	for corners.Len() > 0 {
		c := heap.Pop(corners).([2]int)
		top, left := c[0], c[1]
		if top == g.bottom || left == g.right || top <= g.done[left] {
			continue
		}
		bottom, right, ok := g.scanRight(top, left)
		if !ok {
			continue
		}
		for col := left; col < right; col++ {
			g.done[col] = bottom - 1
		}
		cells = append(cells, cell{top, left, bottom, right})
		heap.Push(corners, [2]int{top, right})
		heap.Push(corners, [2]int{bottom, left})
	}
	for col := 0; col < g.right; col++ {
		if g.done[col] != g.bottom-1 {
			p.malformed(errLine, "Malformed table; parse incomplete.")
		}
	}
	// docutils builds rows in order of the cells' top lines.
	slices.SortStableFunc(cells, func(a, b cell) int { return a.top - b.top })
	for _, c := range cells {
		var text []string
		for r := c.top + 1; r < c.bottom; r++ {
			text = append(text, strings.TrimRight(strings.ReplaceAll(string(block[r][c.left+1:c.right]), "\x00", ""), " "))
		}
		p.nested(framesNested, dedent(text), ln+c.top+1, &node{})
	}
}

// cornerHeap orders a grid table's corners by line, then column.
type cornerHeap [][2]int

func (h cornerHeap) Len() int { return len(h) }
func (h cornerHeap) Less(i, j int) bool {
	return h[i][0] < h[j][0] || h[i][0] == h[j][0] && h[i][1] < h[j][1]
}
func (h cornerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *cornerHeap) Push(x any)   { *h = append(*h, x.([2]int)) }
func (h *cornerHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (g *gridParser) scanRight(top, left int) (int, int, bool) {
	line := g.block[top]
	for i := left + 1; i <= g.right; i++ {
		switch line[i] {
		case '+':
			if bottom, ok := g.scanDown(top, left, i); ok {
				return bottom, i, true
			}
		case '-':
		default:
			return 0, 0, false
		}
	}
	return 0, 0, false
}

func (g *gridParser) scanDown(top, left, right int) (int, bool) {
	for i := top + 1; i <= g.bottom; i++ {
		switch g.block[i][right] {
		case '+':
			if g.scanLeft(top, left, i, right) {
				return i, true
			}
		case '|':
		default:
			return 0, false
		}
	}
	return 0, false
}

func (g *gridParser) scanLeft(top, left, bottom, right int) bool {
	line := g.block[bottom]
	for i := right - 1; i > left; i-- {
		if line[i] != '+' && line[i] != '-' {
			return false
		}
	}
	if line[left] != '+' {
		return false
	}
	for i := bottom - 1; i > top; i-- {
		if c := g.block[i][left]; c != '+' && c != '|' {
			return false
		}
	}
	return true
}

// ruleOf reports whether s is a line of c and spaces starting with c: a
// simple table's border or separator ("^=[ =]*$") or column span line
// ("^-[ -]*$"). A border ("^=+( +=+)+ *$|^=+ *$") is the same set of lines.
func ruleOf(s string, c byte) bool {
	if s == "" || s[0] != c {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] != c && s[i] != ' ' {
			return false
		}
	}
	return true
}

// simpleTable parses a simple table (docutils' isolate_simple_table and
// SimpleTableParser, without column spans).
func (p *parser) simpleTable(lines []string, i, first int, parent *node) int {
	ln := first + i
	top := strings.TrimSpace(lines[i])
	found, end := 0, -1
	k := i + 1
	for ; k < len(lines); k++ {
		if !ruleOf(lines[k], '=') {
			continue
		}
		if len(strings.TrimSpace(lines[k])) != len(top) {
			p.malformed(first+k, "Bottom border or header rule does not match top border.")
		}
		found++
		if found == 2 || k == len(lines)-1 || isBlank(lines[k+1]) {
			end = k
			break
		}
	}
	if end < 0 {
		if found > 0 {
			p.malformed(ln, "No bottom table border found or no blank line after table bottom.")
		}
		p.malformed(ln, "No bottom table border found.")
	}
	addTag(parent, nodeBody, "table", ln)
	block := make([][]rune, 0, end-i+1)
	for k := i; k <= end; k++ {
		block = append(block, padWide(lines[k]))
	}
	p.parseSimple(block, ln)
	if end+1 < len(lines) && !isBlank(lines[end+1]) {
		p.report(LevelWarning, first+end+1, "Blank line required after table.")
	}
	return end + 1
}

// parseSimple is docutils' SimpleTableParser: rows start where the first
// column has text and end at span lines; text must stay out of the
// margins between columns (the last column may overflow).
func (p *parser) parseSimple(block [][]rune, ln int) {
	rows := make([]string, len(block))
	for k, l := range block {
		rows[k] = string(l)
	}
	rows[0] = strings.ReplaceAll(rows[0], "=", "-")
	rows[len(rows)-1] = strings.ReplaceAll(rows[len(rows)-1], "=", "-")
	sep := -1
	for k := 1; k < len(rows)-1; k++ {
		if ruleOf(rows[k], '=') {
			if sep >= 0 {
				p.malformed(ln+k, "Multiple head/body row separators (table lines "+itoa(sep+1)+" and "+itoa(k+1)+"); only one allowed.")
			}
			sep = k
			rows[k] = strings.ReplaceAll(rows[k], "=", "-")
		}
	}
	columns := simpleColumns(rows[0])
	borderEnd := columns[len(columns)-1][1]
	row := func(lines []string, start int, span string, spanAt int) {
		if len(lines) == 0 && span == "" {
			return
		}
		cols := columns // read only: the last column's end may grow below
		if span != "" {
			cols = simpleColumns(span)
			if cols[len(cols)-1][1] != borderEnd {
				p.malformed(ln+spanAt, "Column span incomplete in table line "+itoa(spanAt+1)+".")
			}
			cols[len(cols)-1][1] = columns[len(columns)-1][1]
		}
		lastEnd := cols[len(cols)-1][1]
		// Each line as runes once, and no work for the columns past the
		// row's text: a row may be short and have thousands of columns.
		runes := make([][]rune, len(lines))
		width := 0
		for k, l := range lines {
			runes[k] = []rune(l)
			width = max(width, len(runes[k]))
		}
		for c := range cols {
			colEnd := cols[c][1]
			if c == len(cols)-1 {
				colEnd = lastEnd
			}
			if colEnd >= width {
				break
			}
			next := 1 << 30
			if c+1 < len(cols) {
				next = cols[c+1][0]
			}
			for off, r := range runes {
				if c == len(cols)-1 && strings.TrimSpace(runeSlice(r, colEnd, len(r))) != "" {
					if n := cols[c][0] + len([]rune(strings.TrimRight(runeSlice(r, cols[c][0], len(r)), " "))); n > columns[len(columns)-1][1] {
						columns[len(columns)-1][1] = n
					}
					continue
				}
				if strings.TrimSpace(runeSlice(r, colEnd, next)) != "" {
					p.malformed(ln+start+off, "Text in column margin in table line "+itoa(start+off+1)+".")
				}
			}
		}
		for c := range cols {
			if cols[c][0] >= width {
				// Empty cells from here on: parsing them checks the depth.
				p.nested(framesNested, nil, ln+start+1, &node{})
				break
			}
			end := cols[c][1]
			if c == len(cols)-1 {
				end = 1 << 30
			}
			var cell []string
			for _, r := range runes {
				cell = append(cell, strings.TrimRight(strings.ReplaceAll(runeSlice(r, cols[c][0], end), "\x00", ""), " "))
			}
			p.nested(framesNested, dedent(cell), ln+start, &node{})
		}
	}
	first := columns[0]
	start, textFound := 1, false
	for off := 1; off < len(rows); off++ {
		l := rows[off]
		switch {
		case ruleOf(l, '-'):
			row(rows[start:off], start, strings.TrimRight(l, " "), off)
			start, textFound = off+1, false
		case strings.TrimSpace(runeSlice([]rune(l), first[0], first[1])) != "":
			if textFound && off != start {
				row(rows[start:off], start, "", 0)
			}
			start, textFound = off, true
		case !textFound:
			start = off + 1
		}
	}
}

func simpleColumns(line string) [][2]int {
	var cols [][2]int
	r := []rune(line)
	for k := 0; k < len(r); {
		if r[k] != '-' {
			k++
			continue
		}
		b := k
		for k < len(r) && r[k] != ' ' {
			k++
		}
		cols = append(cols, [2]int{b, k})
	}
	return cols
}

func runeSlice(r []rune, a, b int) string {
	a, b = min(a, len(r)), min(b, len(r))
	if a >= b {
		return ""
	}
	return string(r[a:b])
}

// dedent removes the common indentation of the non-blank lines.
func dedent(lines []string) []string {
	indent := -1
	for _, t := range lines {
		if strings.TrimSpace(t) != "" {
			if n := indentOf(t); indent < 0 || n < indent {
				indent = n
			}
		}
	}
	for k := range lines {
		lines[k] = suffix(lines[k], max(indent, 0))
	}
	return lines
}
