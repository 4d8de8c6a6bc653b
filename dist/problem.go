package dist

import (
	"fmt"
	"strings"
)

// Profile selects the rules a distribution is validated against.
type Profile int

const (
	// Lenient accepts what pip and uv accept; for private indexes.
	// Field-content problems are reported as warnings.
	Lenient Profile = iota
	// PyPI accepts what PyPI's upload endpoint accepts, as far as that can
	// be judged from the file alone.
	PyPI
)

// String returns "lenient" or "pypi".
func (p Profile) String() string {
	if p == PyPI {
		return "pypi"
	}
	return "lenient"
}

// Severity tells an error from a warning.
type Severity int

const (
	// SeverityError problems make the index refuse the file.
	SeverityError Severity = iota
	// SeverityWarning problems are worth fixing but do not stop an upload.
	SeverityWarning
)

// Problem is one thing wrong with a distribution file.
type Problem struct {
	File     string   // base name of the distribution file
	Field    string   // metadata field ("Version"), or "filename", "archive", "WHEEL", ...
	Rule     string   // a stable identifier of the rule, e.g. "local-version"
	Message  string   // what is wrong, in PyPI's words where PyPI has words for it
	Severity Severity // SeverityError or SeverityWarning
}

// Error returns "file: field: message" (with "warning: " before the
// message for warnings).
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	if p.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError is every error-severity problem found in one file.
type ValidationError struct {
	File     string
	Problems []*Problem
}

// Error lists the problems, one a line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dist: %s: %d problem(s):", e.File, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.As finds each *Problem.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}
