package readme

import (
	"regexp"
	"strings"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// directive runs the directive starting at lines[i] (docutils'
// run_directive); subst is the substitution name when it is the body of a
// substitution definition.
func (p *parser) directive(lines []string, i, first int, parent *node, typeName string, end int, subst string) (int, bool) {
	ln := first + i
	spec, known := directives[strings.ToLower(typeName)]
	if !known {
		n, _, bf := indentedSpan(lines, i, false, -1, 0)
		p.report(LevelError, ln, `Unknown directive type "`+typeName+`".`)
		return i + n, bf
	}
	block, n, bf := getFirstKnownIndented(lines, i, end, false)
	fail := func(msg string) {
		p.report(LevelError, ln, `Error in "`+typeName+`" directive:`+"\n"+msg+".")
	}
	// parse_directive_block
	indentedBlock := block
	offset := ln
	if len(indentedBlock) > 0 && isBlank(indentedBlock[0]) {
		indentedBlock = indentedBlock[1:]
		offset++
	}
	indentedBlock = trimBlankEnd(indentedBlock)
	var argBlock, content []string
	contentOffset := offset
	blankAt := len(indentedBlock)
	if len(indentedBlock) > 0 && (spec.required > 0 || spec.optional > 0 || spec.options != nil) {
		for k, l := range indentedBlock {
			if isBlank(l) {
				blankAt = k
				break
			}
		}
		argBlock = indentedBlock[:blankAt]
		if blankAt < len(indentedBlock) {
			content = indentedBlock[blankAt+1:]
		}
		contentOffset = offset + blankAt + 1
	} else {
		content = indentedBlock
	}
	options := map[string]*string{}
	if spec.options != nil {
		for k, l := range argBlock {
			if fieldMarkerEnd(l) > 0 {
				if msg := p.parseOptions(spec.options, argBlock[k:], offset+k, options); msg != "" {
					fail(msg)
				}
				argBlock = argBlock[:k]
				break
			}
		}
	}
	if len(argBlock) > 0 && spec.required+spec.optional == 0 {
		// The content is the argument block and what follows the options:
		// move the argument lines down over the options (the block is ours)
		// rather than copy the rest.
		rest := min(blankAt, len(indentedBlock))
		content = indentedBlock[rest-len(argBlock):]
		copy(content, argBlock)
		contentOffset = offset
		argBlock = nil
	}
	for len(content) > 0 && isBlank(content[0]) {
		content = content[1:]
		contentOffset++
	}
	var args []string
	if spec.required+spec.optional > 0 {
		args = strings.Fields(strings.Join(argBlock, "\n"))
		switch {
		case len(args) < spec.required:
			fail(itoa(spec.required) + " argument(s) required, " + itoa(len(args)) + " supplied")
		case len(args) > spec.required+spec.optional && !spec.finalWhitespace:
			fail("maximum " + itoa(spec.required+spec.optional) + " argument(s) allowed, " + itoa(len(args)) + " supplied")
		}
	}
	if len(content) > 0 && !spec.hasContent {
		fail("no content permitted")
	}
	argText := strings.TrimLeft(strings.Join(argBlock, "\n"), " \n")
	p.runDirective(strings.ToLower(typeName), typeName, spec, ln, ln+n-1, args, argText, options, content, contentOffset, parent, subst)
	return i + n, bf
}

// parseOptions parses a directive's option field list into options and
// returns docutils' complaint, if any.
func (p *parser) parseOptions(spec map[string]optionKind, block []string, first int, options map[string]*string) string {
	type field struct {
		name string
		body []string
	}
	var fields []field
	blankFinish := true
	for k := 0; k < len(block); {
		e := fieldMarkerEnd(block[k])
		if e == 0 {
			return "invalid option block"
		}
		name := strings.TrimRight(block[k][1:e], " ")
		name = p.inlineText(name[:len(name)-1], first+k)
		b, n, bf := getFirstKnownIndented(block, k, e, false)
		fields = append(fields, field{name, trimBlankEnd(b)})
		k += n
		blankFinish = bf
	}
	if !blankFinish {
		return "option data incompletely parsed"
	}
	for _, f := range fields {
		if len(strings.Fields(f.name)) != 1 {
			return "invalid option data: extension option field name may not contain multiple words"
		}
		name := strings.ToLower(f.name)
		var value *string
		body, _ := stripTop(f.body)
		if len(body) > 0 {
			for _, l := range body {
				if isBlank(l) {
					return "invalid option data: extension option field body may contain\na single paragraph only (option \"" + name + "\")"
				}
			}
			v := strings.Join(body, "\n")
			value = &v
		}
		kind, ok := spec[name]
		if !ok {
			return `unknown option: "` + name + `"`
		}
		if _, dup := options[name]; dup {
			return `invalid option data: duplicate option "` + name + `"`
		}
		if msg := convertOption(kind, value); msg != "" {
			shown := "None"
			if value != nil {
				shown = pyfmt.Repr(*value)
			}
			return `invalid option value: (option: "` + name + `"; value: ` + shown + ")\n" + msg
		}
		options[name] = value
	}
	return ""
}

var reRoleDef = regexp.MustCompile(`^(` + simplename + `)\s*(\(\s*(` + simplename + `)\s*\)\s*)?$`)

// runDirective does what the directive's run() does that can fail or that
// decides whether output is empty.
func (p *parser) runDirective(name, typeName string, spec directiveSpec, ln, last int, args []string, argText string,
	options map[string]*string, content []string, contentOffset int, parent *node, subst string) {
	needContent := func() {
		if len(content) == 0 {
			p.report(LevelError, ln, `Content block expected for the "`+typeName+`" directive; none found.`)
		}
	}
	switch name {
	case "sidebar", "topic", "contents":
		p.pseudoSectionPlace(name, typeName, ln, parent)
	case "class", "rst-class":
		for _, c := range strings.Fields(argText) {
			if makeID(c) == "" {
				p.report(LevelError, ln, `Invalid class attribute value for "`+typeName+`" directive: "`+argText+`".`)
			}
		}
	}
	switch spec.body {
	case bodyDisabled:
		p.report(LevelWarning, ln, `"`+typeName+`" directive disabled.`)
	case bodySubstitutionOnly:
		if subst == "" {
			p.report(LevelError, ln, `Invalid context: the "`+typeName+`" directive can only be used within a substitution definition.`)
		}
		if name == "replace" {
			needContent()
			parsed := &node{}
			p.nested(framesNested, content, contentOffset, parsed)
			// One paragraph, beside system messages.
			paragraphs := 0
			for _, c := range parsed.children {
				if c.tag == "paragraph" {
					paragraphs++
				}
				if c.tag != "paragraph" && c.tag != "info" || paragraphs > 1 {
					p.report(LevelError, ln, `Error in "`+typeName+`" directive: may contain a single paragraph only.`)
				}
			}
		}
		return
	case bodyInvisible:
		p.invisibleDirective(name, typeName, ln, last, args, content, contentOffset, parent)
		return
	case bodyRequired, bodyRequiredRaw:
		switch {
		case len(content) > 0:
		case name == "table":
			p.report(LevelWarning, ln, `Content block expected for the "`+typeName+`" directive; none found.`)
		case name == "list-table":
			p.report(LevelError, ln, `The "`+typeName+`" directive is empty; content required.`)
		}
		needContent()
	}
	addTag(parent, nodeBody, name, ln)
	switch name {
	case "admonition", "topic", "sidebar", "table", "list-table":
		if argText != "" {
			p.inline(strings.Join(strings.Fields(argText), " "), ln)
		}
	case "rubric":
		p.inline(argText, ln)
	case "contents":
		// The table of contents is an implicit target named by its title.
		title := "contents"
		if argText != "" {
			title = p.inlineText(argText, ln)
		}
		if _, taken := p.refs.targets[normalizeName(title)]; !taken {
			p.implicitTarget(normalizeName(title), ln)
		}
	case "image", "figure":
		p.image(typeName, ln, options, subst)
	case "csv-table":
		_, file := options["file"]
		_, url := options["url"]
		if file || url {
			p.report(LevelWarning, ln, `File and URL access deactivated; ignoring "`+typeName+`" directive.`)
		}
		if argText != "" {
			p.inline(strings.Join(strings.Fields(argText), " "), ln)
		}
		if len(content) == 0 {
			p.report(LevelWarning, ln, `The "`+typeName+`" directive requires content; none supplied.`)
		}
	case "parsed-literal":
		p.inline(strings.Join(content, "\n"), contentOffset)
	case "line-block":
		// docutils parses line i at the directive's line plus the
		// content's 0-based offset plus i, and gives the line node (which
		// references report) the directive's line plus i.
		for i, l := range content {
			p.nodeLineDelta = 1 - contentOffset
			p.inline(strings.TrimSpace(l), ln+contentOffset-1+i)
		}
		p.nodeLineDelta = 0
	}
	if v := options["name"]; v != nil {
		p.substIllegal(illegalTarget)
		p.explicitTarget(normalizeName(*v), "", ln)
	}
	if v := options["figname"]; v != nil {
		p.explicitTarget(normalizeName(*v), "", ln)
	}
	if spec.body != bodyNested && spec.body != bodyRequired {
		return
	}
	parsed := &node{tag: name} // sidebar content may hold topics
	frames := framesNested
	switch name {
	case "epigraph", "highlights", "pull-quote":
		frames = framesQuoted
	}
	p.nested(frames, content, contentOffset, parsed)
	switch name {
	case "list-table":
		p.checkListTable(typeName, ln, parsed)
	case "table":
		if len(parsed.children) != 1 || parsed.children[0].tag != "table" {
			p.report(LevelError, ln, `Error parsing content block for the "`+typeName+`" directive: exactly one table expected.`)
		}
	case "figure":
		// docutils passes over targets and pending (or no) nodes
		// before the caption.
		for _, c := range parsed.children {
			if c.tag == "target" || c.kind == nodeInvisible && directives[c.tag].body == bodyInvisible {
				continue
			}
			if c.tag != "paragraph" && c.tag != "empty_comment" {
				p.report(LevelError, ln, "Figure caption must be a paragraph or empty comment.")
			}
			break
		}
	}
}

// pseudoSectionPlace is docutils' check of where a sidebar, topic
// or contents directive stands, by the node its body is parsed into: the
// document, a section, a sidebar (not for a sidebar) or the plain element
// of a class directive's content; anything else is a body element, a
// topic or a part of one.
func (p *parser) pseudoSectionPlace(name, typeName string, ln int, parent *node) {
	if name == "sidebar" && parent.tag == "sidebar" {
		p.report(LevelError, ln, `The "`+typeName+`" directive may not be used within a sidebar element.`)
	}
	if parent != p.doc && parent.kind != nodeSection && parent.tag != "sidebar" && parent.tag != "class" {
		p.report(LevelError, ln, `The "`+typeName+`" directive may not be used within topics or body elements.`)
	}
}

// checkListTable is the list-table directive's check_list_content.
func (p *parser) checkListTable(typeName string, ln int, parsed *node) {
	prefix := `Error parsing content block for the "` + typeName + `" directive: `
	if len(parsed.children) != 1 || parsed.children[0].tag != "bullet_list" {
		p.report(LevelError, ln, prefix+"exactly one bullet list expected.")
	}
	cols := 0
	for k, item := range parsed.children[0].children {
		if len(item.children) != 1 || item.children[0].tag != "bullet_list" {
			p.report(LevelError, ln, prefix+"two-level bullet list expected, but row "+itoa(k+1)+" does not contain a second-level bullet list.")
		}
		n := len(item.children[0].children)
		if k == 0 {
			cols = n
		} else if n != cols {
			p.report(LevelError, ln, prefix+"uniform two-level bullet list expected, but row "+itoa(k+1)+
				" does not contain the same number of items as row 1 ("+itoa(n)+" vs "+itoa(cols)+").")
		}
	}
}

// metaAttributes is docutils' MetaBody check of a meta field's name
// ("name: " as written): its words after the first must be attributes
// (name=value). The name is not inline markup.
func (p *parser) metaAttributes(marker string, line int) {
	tokens := strings.Fields(unescape(escape2null(marker[:len(marker)-1])))
	for _, tok := range tokens[min(1, len(tokens)):] {
		if msg := nameValueError(tok); msg != "" {
			p.report(LevelError, line, `Error parsing meta tag attribute "`+tok+`": `+msg+".")
		}
	}
}

// nameValueError is docutils' extract_name_value check of a line of
// name=value pairs: "" when it parses, else the reason.
func nameValueError(line string) string {
	const ws = " \t\n\r\f\v"
	for line != "" {
		eq := strings.IndexByte(line, '=')
		if eq < 0 {
			return `missing "="`
		}
		att := strings.TrimSpace(line[:eq])
		if att == "" {
			return `missing attribute name before "="`
		}
		line = strings.TrimLeft(line[eq+1:], ws)
		if line == "" {
			return `missing value after "` + att + `="`
		}
		q := line[0]
		if q != '\'' && q != '"' {
			_, line, _ = strings.Cut(line, " ")
			line = strings.TrimLeft(line, ws)
			continue
		}
		end := strings.IndexByte(line[1:], q) + 1
		switch {
		case end == 0:
			return `attribute "` + att + `" missing end quote (` + string(q) + `)`
		case end+1 < len(line) && !strings.ContainsRune(ws, rune(line[end+1])):
			return `attribute "` + att + `" end quote (` + string(q) + `) not followed by whitespace`
		}
		line = strings.TrimLeft(line[end+1:], ws)
	}
	return ""
}

func (p *parser) invisibleDirective(name, typeName string, ln, last int, args, content []string, contentOffset int, parent *node) {
	switch name {
	case "meta":
		if len(content) == 0 {
			p.report(LevelError, ln, `Content block expected for the "`+typeName+`" directive; none found.`)
		}
		for k := 0; k < len(content); {
			if isBlank(content[k]) {
				k++
				continue
			}
			end := fieldMarkerEnd(content[k])
			if end == 0 {
				p.report(LevelError, ln, "Invalid meta directive.")
			}
			name := strings.TrimRight(content[k][1:max(end, 1)], " ")
			body, n, _ := getFirstKnownIndented(content, k, end, false) // strips content in place
			if len(trimBlankEnd(body)) > 0 {
				// docutils reports at the line its outer state machine
				// reached: the directive's last.
				p.metaAttributes(name, last)
			}
			k += n
		}
	case "header", "footer":
		p.nested(framesNested, content, contentOffset, &node{})
		if !p.decorated {
			// docutils inserts one decoration node at the document's start.
			p.decorated = true
			p.doc.children = append([]*node{{kind: nodeInvisible, tag: "decoration"}}, p.doc.children...)
		}
	case "class", "rst-class":
		if len(content) > 0 {
			// The content's nodes take the directive's place.
			c := &node{tag: "class"}
			p.nested(framesNested, content, contentOffset, c)
			parent.children = append(parent.children, c.children...)
			return
		}
	case "role":
		if len(content) == 0 || contentOffset > ln {
			p.report(LevelError, ln, `"`+typeName+`" directive requires arguments on the first line.`)
		}
		m := reRoleDef.FindStringSubmatch(content[0])
		if m == nil {
			p.report(LevelError, ln, `"`+typeName+`" directive arguments not valid role names: "`+content[0]+`".`)
		}
		if m[3] != "" && !p.knownRole(m[3]) {
			p.report(LevelError, ln, `Unknown interpreted text role "`+m[3]+`".`)
		}
		p.roleOptions(typeName, ln, strings.ToLower(m[3]), content[1:], contentOffset+1)
		p.roles[strings.ToLower(m[1])] = strings.ToLower(m[3])
	case "default-role":
		if len(args) == 0 {
			p.defaultRole = ""
			break
		}
		if !p.knownRole(args[0]) {
			p.report(LevelError, ln, `Unknown interpreted text role "`+args[0]+`".`)
		}
		p.defaultRole = strings.ToLower(args[0])
	case "title":
		p.inline(strings.Join(args, " "), ln)
	}
	if name == "class" || name == "rst-class" {
		ln = last // docutils reports a missing element at the block's end
	}
	addTag(parent, nodeInvisible, name, ln)
}

// roleOptions checks the lines after a role directive's name: only the
// base role's options, as a field list.
func (p *parser) roleOptions(typeName string, ln int, base string, rest []string, first int) {
	rest = trimBlankEnd(rest)
	opts := map[string]optionKind{"class": optClass}
	switch base {
	case "code":
		opts["language"] = optUnchanged
	case "raw":
		opts["format"] = optUnchanged
	}
	for k, l := range rest {
		if isBlank(l) {
			if k+1 < len(rest) {
				p.report(LevelError, ln, `Error in "`+typeName+`" directive:`+"\nno content permitted.")
			}
			break
		}
		if fieldMarkerEnd(l) == 0 {
			if k == 0 {
				p.report(LevelError, ln, `Error in "`+typeName+`" directive:`+"\nno content permitted.")
			}
			continue
		}
		if k == 0 {
			if msg := p.parseOptions(opts, rest, first, map[string]*string{}); msg != "" {
				p.report(LevelError, ln, `Error in "`+typeName+`" directive:`+"\n"+msg+".")
			}
		}
	}
}

// image checks what the image and figure directives check.
func (p *parser) image(typeName string, ln int, options map[string]*string, subst string) {
	if a := options["align"]; a != nil {
		v := strings.ToLower(strings.TrimSpace(*a))
		switch {
		case subst != "" && v != "top" && v != "middle" && v != "bottom":
			p.report(LevelError, ln, `Error in "`+typeName+`" directive: "`+v+`" is not a valid value for the "align" option within a substitution definition.  Valid values for "align" are: "top", "middle", "bottom".`)
		case subst == "" && v != "left" && v != "center" && v != "right":
			p.report(LevelError, ln, `Error in "`+typeName+`" directive: "`+v+`" is not a valid value for the "align" option.  Valid values for "align" are: "left", "center", "right".`)
		}
	}
	if t := options["target"]; t != nil {
		ref := strings.Join(strings.Fields(escape2null(*t)), " ")
		if strings.HasSuffix(ref, "_") {
			if m := reSimpleRef.FindStringSubmatch(ref); m != nil {
				p.reference(normalizeName(unescape(m[1])), 0) // the reference node has no line
			} else if m := rePhraseRef.FindStringSubmatch(ref); m != nil {
				p.reference(normalizeName(unescape(m[1])), 0)
			}
		}
	}
}
