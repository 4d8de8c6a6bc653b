package readme

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, desc, ct string
		want           *Error // nil: renders
	}{
		{"empty is skipped by PyPI", "", "", nil},
		{"paragraph", "Hello *world*.\n", "", nil},
		{"short underline", "Title\n====\n\nText\n", "", &Error{Line: 2, Level: LevelWarning, Message: "Title underline too short."}},
		{"3-char underline is text", "Title\n===\n\nText\n", "text/x-rst", nil},
		{"unknown directive", ".. toctree::\n", "text/x-rst", &Error{Line: 1, Level: LevelError, Message: `Unknown directive type "toctree".`}},
		{"sphinx role", "Call :func:`x`.\n", "text/x-rst; charset=UTF-8", &Error{Line: 1, Level: LevelError, Message: `Unknown interpreted text role "func".`}},
		{"unclosed emphasis", "This is *not closed.\n", "", &Error{Line: 1, Level: LevelWarning, Message: "Inline emphasis start-string without end-string."}},
		{"unexpected indentation", "Para\nline two\n   indented\n", "", &Error{Line: 3, Level: LevelError, Message: "Unexpected indentation."}},
		{"list unindent", "- a\n- b\nText\n", "", &Error{Line: 3, Level: LevelWarning, Message: "Bullet list ends without a blank line; unexpected unindent."}},
		{"markdown table as rst", "| a | b |\n|---|---|\n", "", &Error{Line: 2, Level: LevelWarning, Message: "Line block ends without a blank line."}},
		{"raw disabled", ".. raw:: html\n\n   <b>x</b>\n", "", &Error{Line: 1, Level: LevelWarning, Message: `"raw" directive disabled.`}},
		{"unknown target", "See foo_.\n", "", &Error{Line: 1, Level: LevelError, Message: `Unknown target name: "foo".`}},
		{"undefined substitution", "Hello |name|.\n", "", &Error{Line: 1, Level: LevelError, Message: `Undefined substitution referenced: "name".`}},
		{"whitespace only", "  \n", "text/x-rst", &Error{Message: noContent}},
		{"lone title", "Title\n=====\n", "", &Error{Message: noContent}},
		{"markdown whitespace", "   \n", "text/markdown", &Error{}},
		{"markdown link definition only", "[a]: https://x\n", "text/markdown; variant=GFM", &Error{}},
		{"markdown content", "# Hi\n", "text/markdown", nil},
		{"plain text never fails", "*oops", "text/plain", nil},
		{"unknown type renders as plain text", "*oops", "text/html", nil},
		{"malformed type counts as text/plain", "*oops", "text/x-rst/y", nil},
		{"type without subtype counts as text/plain", "*oops", "text", nil},
		{"type is case-insensitive", "*oops", "Text/X-RST", &Error{Line: 1, Level: LevelWarning, Message: "Inline emphasis start-string without end-string."}},
		{"transition before a target ends the document", "Para.\n\n----\n\n.. _x: http://example.com\n", "", &Error{Line: 3, Level: LevelWarning, Message: "Transition at the end of the document."}},
		{"transition after a target starts the document", ".. _x: http://example.com\n\n----\n\nPara.\n", "", &Error{Line: 3, Level: LevelWarning, Message: "Transition at the start of the document."}},
		{"transition before a substitution ends the document", "Para.\n\n----\n\n.. |x| replace:: y\n", "", &Error{Line: 3, Level: LevelWarning, Message: "Transition at the end of the document."}},
		{"transitions apart by a target only", "Para.\n\n----\n\n.. _x: http://example.com\n\n----\n\nText.\n", "", nil},
		{"badge with target", ".. image:: https://x/b.svg\n   :target: https://x\n\nText.\n", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Check(tt.desc, tt.ct)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Check() = %v, want *Error", err)
			}
			want := *tt.want
			want.ContentType = tt.ct
			if diff := cmp.Diff(want, *e); diff != "" {
				t.Errorf("Check() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	t.Parallel()
	e := asError(Check("Title\n====\n\nText\n", ""))
	if got, want := e.PyPIMessage(), "The description failed to render in the default format of reStructuredText. See https://pypi.org/help/#description-content-type for more information."; got != want {
		t.Errorf("PyPIMessage() = %q, want %q", got, want)
	}
	if got, want := e.TwineMessage(), "`long_description` has syntax errors in markup and would not be rendered on PyPI.\nline 2: Warning: Title underline too short."; got != want {
		t.Errorf("TwineMessage() = %q, want %q", got, want)
	}
	m := asError(Check("  \n", "text/markdown; charset=UTF-8"))
	if got, want := m.PyPIMessage(), "The description failed to render for 'text/markdown; charset=UTF-8'. See https://pypi.org/help/#description-content-type for more information."; got != want {
		t.Errorf("PyPIMessage() = %q, want %q", got, want)
	}
	if got := m.TwineMessage(); got != "" {
		t.Errorf("TwineMessage() for Markdown = %q, want \"\" (twine passes Markdown)", got)
	}
	a := asError(Check("See `a`__ and `b`__.\n\n.. __: https://a\n", ""))
	if got, want := a.TwineMessage(), "`long_description` has syntax errors in markup and would not be rendered on PyPI.\nline : Error: Anonymous hyperlink mismatch: 2 references but 1 targets.\nSee \"backrefs\" attribute for IDs."; got != want {
		t.Errorf("TwineMessage() = %q, want %q", got, want)
	}
	n := asError(Check(".. comment\n", ""))
	if got, want := n.TwineMessage(), "`long_description` has syntax errors in markup and would not be rendered on PyPI.\nNo content rendered from RST source."; got != want {
		t.Errorf("TwineMessage() = %q, want %q", got, want)
	}
}
