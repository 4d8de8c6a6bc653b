package readme

import (
	"fmt"
	"strings"
)

// Level is a docutils message level.
type Level int

// The docutils message levels. Rendering halts at Warning or above.
const (
	Info    Level = 1
	Warning Level = 2
	Err     Level = 3
	Severe  Level = 4
)

// String returns the level as docutils spells it in its reports.
func (l Level) String() string {
	switch l {
	case Info:
		return "INFO"
	case Warning:
		return "WARNING"
	case Err:
		return "ERROR"
	case Severe:
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
	// reports none (and for empty output).
	Line int
	// Level is the docutils level, or 0 for empty output.
	Level Level
	// Message is docutils' message text without the source excerpt, or
	// "No content rendered from RST source." (reStructuredText) or ""
	// (Markdown) when the output is empty.
	Message string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Message == "" {
		return "readme: description renders to nothing"
	}
	if e.Level == 0 {
		return "readme: " + e.Message
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
func (e *Error) TwineMessage() string {
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
