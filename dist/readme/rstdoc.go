package readme

import "slices"

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
			p.report(Warning, f.line, `Cannot extract empty bibliographic field "`+f.name+`".`)
		}
		switch kind {
		case "":
			if len(body) > 1 {
				p.report(Warning, f.line, `Cannot extract compound bibliographic field "`+f.name+`".`)
			}
			if body[0].tag != "paragraph" {
				p.report(Warning, f.line, `Cannot extract bibliographic field "`+f.name+`" containing anything other than a single paragraph.`)
			}
		case "topic":
			if topics[normalizeName(f.name)] {
				p.report(Warning, f.line, `There can only be one "`+f.name+`" field.`)
			}
			topics[normalizeName(f.name)] = true
		case "authors":
			if !authorsShape(body) {
				p.report(Warning, f.line, `Bibliographic field "`+f.name+`" incompatible with extraction: it must contain either a single paragraph (with authors separated by one of ";,"), multiple paragraphs (one per author), or a bullet list with one paragraph (one author) per item.`)
			}
		}
	}
}

func authorsShape(body []*node) bool {
	if len(body) == 1 && body[0].tag == "bullet_list" {
		for _, item := range body[0].children {
			if len(item.children) != 1 || item.children[0].tag != "paragraph" {
				return false
			}
		}
		return true
	}
	for _, b := range body {
		if b.tag != "paragraph" {
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

// transitions is docutils' misc.Transitions check.
func (p *parser) transitions(doc *node) {
	var walk func(n *node, isDoc bool)
	walk = func(n *node, isDoc bool) {
		children := n.children
		if isDoc {
			children = promoted(children)
		}
		// strip_comments removes comments before this check runs.
		children = slices.DeleteFunc(slices.Clone(children), func(c *node) bool {
			return c.tag == "comment" || c.tag == "empty_comment"
		})
		for k, c := range children {
			if c.kind == nodeSection {
				walk(c, false)
				continue
			}
			if c.kind != nodeTransition {
				continue
			}
			switch {
			case k == 0:
				p.report(Err, c.line, "Document or section may not begin with a transition.")
			case children[k-1].kind == nodeTransition:
				p.report(Err, c.line, "At least one body element must separate transitions; adjacent transitions are not allowed.")
			}
			if k == len(children)-1 && (isDoc || p.lastInDocument(n)) {
				p.report(Err, c.line, "Document may not end with a transition.")
			}
		}
	}
	walk(doc, true)
}

// lastInDocument reports whether section s ends the document.
func (p *parser) lastInDocument(s *node) bool {
	n := p.doc
	for len(n.children) > 0 {
		last := n.children[len(n.children)-1]
		if last == s {
			return true
		}
		if last.kind != nodeSection {
			return false
		}
		n = last
	}
	return false
}
