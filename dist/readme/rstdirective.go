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
		p.report(Err, ln, `Unknown directive type "`+typeName+`".`)
		return i + n, bf
	}
	block, n, bf := getFirstKnownIndented(lines, i, end, false)
	fail := func(msg string) {
		p.report(Err, ln, `Error in "`+typeName+`" directive:`+"\n"+msg+".")
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
	p.runDirective(strings.ToLower(typeName), typeName, spec, ln, args, strings.Join(argBlock, " "), options, content, contentOffset, parent, subst)
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
func (p *parser) runDirective(name, typeName string, spec directiveSpec, ln int, args []string, argText string,
	options map[string]*string, content []string, contentOffset int, parent *node, subst string) {
	needContent := func() {
		if len(content) == 0 {
			p.report(Err, ln, `Content block expected for the "`+typeName+`" directive; none found.`)
		}
	}
	switch spec.body {
	case bodyDisabled:
		p.report(Warning, ln, `"`+typeName+`" directive disabled.`)
	case bodySubstitutionOnly:
		if subst == "" {
			p.report(Err, ln, `Invalid context: the "`+typeName+`" directive can only be used within a substitution definition.`)
		}
		if name == "replace" {
			needContent()
			p.nested(framesNested, content, contentOffset, &node{})
		}
		return
	case bodyInvisible:
		p.invisibleDirective(name, typeName, ln, args, content, contentOffset, parent)
		return
	case bodyRequired, bodyRequiredRaw:
		switch {
		case len(content) > 0:
		case name == "table":
			p.report(Warning, ln, `Content block expected for the "`+typeName+`" directive; none found.`)
		case name == "list-table":
			p.report(Err, ln, `The "`+typeName+`" directive is empty; content required.`)
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
		if !p.matchTitles {
			p.report(Err, ln, `The "`+typeName+`" directive may not be used within topics or body elements.`)
		}
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
			p.report(Warning, ln, `File and URL access deactivated; ignoring "`+typeName+`" directive.`)
		}
		if argText != "" {
			p.inline(strings.Join(strings.Fields(argText), " "), ln)
		}
		if len(content) == 0 {
			p.report(Warning, ln, `The "`+typeName+`" directive requires content; none supplied.`)
		}
	case "parsed-literal":
		p.inline(strings.Join(content, "\n"), contentOffset)
	}
	if v := options["name"]; v != nil {
		p.explicitTarget(normalizeName(*v), "", ln, false)
	}
	if spec.body != bodyNested && spec.body != bodyRequired {
		return
	}
	parsed := &node{}
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
			p.report(Err, ln, `Error parsing content block for the "`+typeName+`" directive: exactly one table expected.`)
		}
	case "figure":
		if len(parsed.children) > 0 {
			if c := parsed.children[0]; c.tag != "paragraph" && c.tag != "empty_comment" {
				p.report(Err, ln, "Figure caption must be a paragraph or empty comment.")
			}
		}
	}
}

// checkListTable is the list-table directive's check_list_content.
func (p *parser) checkListTable(typeName string, ln int, parsed *node) {
	prefix := `Error parsing content block for the "` + typeName + `" directive: `
	if len(parsed.children) != 1 || parsed.children[0].tag != "bullet_list" {
		p.report(Err, ln, prefix+"exactly one bullet list expected.")
	}
	cols := 0
	for k, item := range parsed.children[0].children {
		if len(item.children) != 1 || item.children[0].tag != "bullet_list" {
			p.report(Err, ln, prefix+"two-level bullet list expected, but row "+itoa(k+1)+" does not contain a second-level bullet list.")
		}
		n := len(item.children[0].children)
		if k == 0 {
			cols = n
		} else if n != cols {
			p.report(Err, ln, prefix+"uniform two-level bullet list expected, but row "+itoa(k+1)+
				" does not contain the same number of items as row 1 ("+itoa(n)+" vs "+itoa(cols)+").")
		}
	}
}

func (p *parser) invisibleDirective(name, typeName string, ln int, args, content []string, contentOffset int, parent *node) {
	kind := nodeInvisible
	switch name {
	case "meta":
		if len(content) == 0 {
			p.report(Err, ln, `Content block expected for the "`+typeName+`" directive; none found.`)
		}
		for k := 0; k < len(content); {
			if isBlank(content[k]) {
				k++
				continue
			}
			if fieldMarkerEnd(content[k]) == 0 {
				p.report(Err, ln, "Invalid meta directive.")
			}
			k, _ = p.fieldItem(content, k, contentOffset, &node{})
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
			kind = nodeBody
			p.nested(framesNested, content, contentOffset, &node{})
		}
	case "role":
		if len(content) == 0 || contentOffset > ln {
			p.report(Err, ln, `"`+typeName+`" directive requires arguments on the first line.`)
		}
		m := reRoleDef.FindStringSubmatch(content[0])
		if m == nil {
			p.report(Err, ln, `"`+typeName+`" directive arguments not valid role names: "`+content[0]+`".`)
		}
		if m[3] != "" && !p.knownRole(m[3]) {
			p.report(Err, ln, `Unknown interpreted text role "`+m[3]+`".`)
		}
		p.roleOptions(typeName, ln, strings.ToLower(m[3]), content[1:], contentOffset+1)
		p.roles[strings.ToLower(m[1])] = strings.ToLower(m[3])
	case "default-role":
		if len(args) == 0 {
			p.defaultRole = ""
			break
		}
		if !p.knownRole(args[0]) {
			p.report(Err, ln, `Unknown interpreted text role "`+args[0]+`".`)
		}
		p.defaultRole = strings.ToLower(args[0])
	case "title":
		p.inline(strings.Join(args, " "), ln)
	}
	add(parent, kind, ln)
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
				p.report(Err, ln, `Error in "`+typeName+`" directive:`+"\nno content permitted.")
			}
			break
		}
		if fieldMarkerEnd(l) == 0 {
			if k == 0 {
				p.report(Err, ln, `Error in "`+typeName+`" directive:`+"\nno content permitted.")
			}
			continue
		}
		if k == 0 {
			if msg := p.parseOptions(opts, rest, first, map[string]*string{}); msg != "" {
				p.report(Err, ln, `Error in "`+typeName+`" directive:`+"\n"+msg+".")
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
			p.report(Err, ln, `Error in "`+typeName+`" directive: "`+v+`" is not a valid value for the "align" option within a substitution definition.  Valid values for "align" are: "top", "middle", "bottom".`)
		case subst == "" && v != "left" && v != "center" && v != "right":
			p.report(Err, ln, `Error in "`+typeName+`" directive: "`+v+`" is not a valid value for the "align" option.  Valid values for "align" are: "left", "center", "right".`)
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
