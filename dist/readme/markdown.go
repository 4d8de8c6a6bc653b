package readme

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// checkMarkdown fails only when the Markdown renders to nothing (for
// example whitespace or only link reference definitions): Markdown has no
// syntax errors, but readme_renderer returns None for empty output.
func checkMarkdown(src string) *Error {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
	var out bytes.Buffer
	if err := md.Convert([]byte(src), &out); err != nil {
		return &Error{Message: "readme: markdown: " + err.Error()}
	}
	if len(bytes.TrimSpace(out.Bytes())) > 0 {
		return nil
	}
	return &Error{}
}
