package readme

import (
	"slices"
	"strings"
)

// promoted returns the document's children after docutils' DocTitle
// transform: a lone top-level section (after comments and targets) gives
// its title to the document, then a lone subsection gives the subtitle.
func promoted(children []*node) []*node {
	for range 2 {
		idx := -1
		for k, c := range children {
			if c.kind != nodeInvisible {
				idx = k
				break
			}
		}
		if idx < 0 || idx != len(children)-1 || children[idx].kind != nodeSection {
			break
		}
		children = append(children[:idx:idx], children[idx].children...)
	}
	return children
}

// bibliographic lists docutils' English bibliographic field names: "" for
// those that must hold a single paragraph, "authors" and "topic" for the
// others.
var bibliographic = map[string]string{"author": "", "organization": "", "address": "", "contact": "",
	"version": "", "revision": "", "status": "", "date": "", "copyright": "",
	"authors": "authors", "dedication": "topic", "abstract": "topic"}

// docinfo is docutils' DocInfo transform: a field list first in the
// document (after the title) holds bibliographic fields, whose bodies
// must have the right shape.
func (p *parser) docinfo() {
	var list *node
	for _, c := range promoted(p.doc.children) {
		if c.kind != nodeInvisible {
			if c.tag == "field_list" {
				list = c
			}
			break
		}
	}
	if list == nil {
		return
	}
	topics := map[string]bool{}
	for _, f := range list.children {
		kind, ok := bibliographic[normalizeName(f.name)]
		if !ok {
			continue
		}
		body := f.children
		if len(body) == 0 {
			p.report(LevelWarning, f.line, `Cannot extract empty bibliographic field "`+f.name+`".`)
		}
		switch kind {
		case "":
			if len(body) == 1 && body[0].tag == "paragraph" {
				break
			}
			// A one-line "A. Name" parsed as an enumerated list is
			// parsed again as a paragraph.
			if body[0].tag == "enumerated_list" && f.oneLine {
				break
			}
			content := "a <" + body[0].tag + ">"
			if len(body) > 1 {
				tags := make([]string, len(body))
				for k, b := range body {
					tags[k] = "<" + b.tag + ">"
				}
				content = "[" + strings.Join(tags, ", ") + "]"
			}
			p.report(LevelWarning, f.line, `Bibliographic field "`+f.name+`"`+"\nmust contain a single <paragraph>, not "+content+".")
		case "topic":
			if topics[normalizeName(f.name)] {
				p.report(LevelWarning, f.line, `There can only be one "`+f.name+`" field.`)
			}
			topics[normalizeName(f.name)] = true
		case "authors":
			if !authorsShape(body) {
				p.report(LevelWarning, f.line, `Cannot extract "`+f.name+`" from bibliographic field:`+"\n"+
					`Bibliographic field "`+f.name+`" must contain either`+"\n"+
					` a single paragraph (with author names separated by a character from the set ";,"),`+"\n"+
					" multiple paragraphs (one per author),\n or a bullet list with one author name per item.\n"+
					"Note: Leading initials can cause (mis)recognizing names as enumerated list.")
			}
		}
	}
}

// authorsShape is docutils' extract_authors check: one paragraph,
// one bullet list of one-paragraph items, or several paragraphs; comments
// are skipped among several paragraphs.
func authorsShape(body []*node) bool {
	isComment := func(n *node) bool { return n.tag == "comment" || n.tag == "empty_comment" }
	if len(body) == 1 {
		switch body[0].tag {
		case "paragraph":
			return true
		case "bullet_list":
			for _, item := range body[0].children {
				if len(item.children) != 1 || item.children[0].tag != "paragraph" {
					return false
				}
			}
			return len(body[0].children) > 0
		default:
			return false
		}
	}
	for _, b := range body {
		if b.tag != "paragraph" && !isComment(b) {
			return false
		}
	}
	return true
}

// empty reports whether the HTML fragment would be empty: only comments,
// targets and the like remain once the title is promoted.
func (p *parser) empty() bool {
	children := promoted(p.doc.children)
	for _, c := range children {
		// A table of contents with no section to list is removed.
		if c.kind != nodeInvisible && (c.tag != "contents" || hasSection(children)) {
			return false
		}
	}
	return true
}

func hasSection(nodes []*node) bool {
	for _, n := range nodes {
		if n.kind == nodeSection {
			return true
		}
	}
	return false
}

// transitions is docutils' misc.Transitions check, run after
// strip_comments has removed comments. A transition may neither begin nor
// end a section or the document, ignoring the siblings docutils
// ignores there (titles, targets, substitution definitions, decoration,
// meta and pending nodes: all our invisible nodes except system messages),
// and may not directly follow another transition. One that ends a section
// moves up after the nearest enclosing section that has a next sibling;
// with none, it ends the document. Messages are warnings, and one
// beginning a section that moved names its new parent.
func (p *parser) transitions(doc *node) {
	// path holds, for each enclosing section, its siblings and its index.
	type frame struct {
		siblings []*node
		index    int
	}
	top := promoted(doc.children)
	// A table of contents with no section to list is gone by then too.
	noContents := !hasSection(top)
	var walk func(children []*node, path []frame)
	walk = func(children []*node, path []frame) {
		// strip_comments removes comments before this check runs.
		children = slices.DeleteFunc(slices.Clone(children), func(c *node) bool {
			return c.tag == "comment" || c.tag == "empty_comment" || noContents && c.tag == "contents"
		})
		for k, c := range children {
			if c.kind == nodeSection {
				walk(c.children, append(path, frame{children, k}))
				continue
			}
			if c.kind != nodeTransition {
				continue
			}
			parent := "section"
			if len(path) == 0 {
				parent = "document"
			}
			if !slices.ContainsFunc(children[k+1:], transitionSibling) {
				up := len(path) - 1
				for up >= 0 && path[up].index == len(path[up].siblings)-1 {
					up--
				}
				if up < 0 {
					p.report(LevelWarning, c.line, "Transition at the end of the document.")
				}
				if up == 0 {
					parent = "document"
				}
			}
			switch {
			case !slices.ContainsFunc(children[:k], transitionSibling):
				p.report(LevelWarning, c.line, "Transition at the start of the "+parent+".")
			case children[k-1].kind == nodeTransition:
				p.report(LevelWarning, c.line, "At least one body element should separate transitions.")
			}
		}
	}
	walk(top, nil)
}

// transitionSibling reports whether n counts as a sibling when docutils
// 0.23 validates a transition's position.
func transitionSibling(n *node) bool {
	return n.kind != nodeInvisible || n.tag == "info"
}

// classPending is docutils' ClassAttribute transform for class directives
// without content in the document's own tree (the document and its
// sections): an element other than comments, targets, substitution
// definitions and messages must follow, there or further up. Directives
// in nested bodies are not checked.
func (p *parser) classPending() {
	var pending *node
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.children {
			switch {
			case c.kind != nodeInvisible:
				pending = nil
			case pending == nil && (c.tag == "class" || c.tag == "rst-class"):
				pending = c
			}
			if c.kind == nodeSection {
				walk(c)
			}
		}
	}
	walk(p.doc)
	if pending != nil {
		p.report(LevelError, pending.line, `No suitable element following "`+pending.tag+`" directive`)
	}
}
