package readme

import "strings"

// Check returns nil when PyPI would render description under contentType
// (a Description-Content-Type value, "" when absent), and otherwise a
// *Error describing the first problem. It never runs external programs.
//
// PyPI skips rendering an empty description; Check does the same.
func Check(description, contentType string) error {
	if description == "" {
		return nil
	}
	var e *Error
	switch renderer(contentType) {
	case rendererRST:
		e = checkRST(description)
	case rendererMarkdown:
		e = checkMarkdown(description)
	}
	if e == nil {
		return nil
	}
	e.ContentType = contentType
	return e
}

type rendererKind int

const (
	rendererPlain rendererKind = iota
	rendererRST
	rendererMarkdown
)

// renderer picks the renderer as Warehouse does: by the lowercased type
// alone; parameters are ignored, a value that is not type/subtype counts as
// text/plain, and an unknown type is rendered as plain text.
func renderer(contentType string) rendererKind {
	if strings.TrimSpace(contentType) == "" {
		return rendererRST
	}
	t, _, _ := strings.Cut(contentType, ";")
	t = strings.ToLower(strings.TrimSpace(t))
	if strings.Count(t, "/") != 1 {
		return rendererPlain // email.message's get_content_type gives text/plain
	}
	switch t {
	case "text/x-rst":
		return rendererRST
	case "text/markdown":
		return rendererMarkdown
	}
	return rendererPlain
}
