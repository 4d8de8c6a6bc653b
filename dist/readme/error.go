package readme

import (
	"fmt"
	"strings"
)

// Level is a docutils message level.
type Level int

// The docutils message levels. Rendering halts at LevelWarning or above.
const (
	LevelInfo    Level = 1
	LevelWarning Level = 2
	LevelError   Level = 3
	LevelSevere  Level = 4
)

// String returns the level as docutils spells it in its reports.
func (l Level) String() string {
	switch l {
	case LevelInfo:
		return "INFO"
	case LevelWarning:
		return "WARNING"
	case LevelError:
		return "ERROR"
	case LevelSevere:
		return "SEVERE"
	}
	return ""
}

// noContent is the text readme_renderer writes when the output is empty.
const noContent = "No content rendered from RST source."

// Error says why PyPI would not render a description.
type Error struct {
	// ContentType is the Description-Content-Type as given ("" if none).
	ContentType string
	// Line is the 1-based source line docutils reports, or 0 when it
	// reports none (and for empty output). For nesting too deep it is the
	// line where docutils runs out of stack.
	Line int
	// Level is the docutils level, or 0 when docutils gives no message:
	// for empty output, and for nesting too deep to parse.
	Level Level
	// Message is docutils' message text without the source excerpt, or
	// "No content rendered from RST source." (reStructuredText) or ""
	// (Markdown) when the output is empty, or our own sentence saying the
	// nesting is too deep (docutils fails with Python's RecursionError).
	Message string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Message == "" {
		return "readme: description renders to nothing"
	}
	if e.Level == 0 && e.Line == 0 {
		return "readme: " + e.Message
	}
	if e.Level == 0 {
		return fmt.Sprintf("readme: line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("readme: line %d: %s: %s", e.Line, e.Level, e.Message)
}

// PyPIMessage is the sentence pypi.org replies with (HTTP 400) for this
// description. Test PyPI uses the host test.pypi.org instead.
func (e *Error) PyPIMessage() string {
	const help = " See https://pypi.org/help/#description-content-type for more information."
	if e.ContentType == "" {
		return "The description failed to render in the default format of reStructuredText." + help
	}
	return "The description failed to render for '" + e.ContentType + "'." + help
}

// TwineMessage is what `twine check` prints for this description, without
// the source excerpt docutils appends. twine renders only
// reStructuredText, so for a Markdown failure it returns "" (twine passes).
// For nesting too deep twine itself crashes: it returns the last line of
// the traceback.
func (e *Error) TwineMessage() string {
	if e.Message == tooDeep {
		return "RecursionError: maximum recursion depth exceeded"
	}
	if e.Level == 0 && e.Message != noContent {
		return ""
	}
	var b strings.Builder
	b.WriteString("`long_description` has syntax errors in markup and would not be rendered on PyPI.\n")
	if e.Level == 0 {
		b.WriteString(e.Message)
		return b.String()
	}
	line := ""
	if e.Line > 0 {
		line = fmt.Sprint(e.Line)
	}
	lvl := e.Level.String()
	fmt.Fprintf(&b, "line %s: %s: %s", line, lvl[:1]+strings.ToLower(lvl[1:]), e.Message)
	return b.String()
}
