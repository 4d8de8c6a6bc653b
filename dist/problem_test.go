package dist

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trustpub/pypi/dist/verify"
)

// ruleConstants returns the values of the Rule constants declared in
// problem.go.
func ruleConstants(t *testing.T) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "problem.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Values) == 1 && strings.HasPrefix(vs.Names[0].Name, "Rule") {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
				v, _ := strconv.Unquote(lit.Value)
				rules[v] = true
			}
		}
		return true
	})
	return rules
}

// Every rule a problem of the test files carries, from Open or from
// Check under either profile, is one of the Rule constants here or of
// package verify.
func TestProblemRulesAreConstants(t *testing.T) {
	t.Parallel()
	known := ruleConstants(t)
	paths, err := filepath.Glob(filepath.Join("testdata", "*", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range paths {
		var problems []*Problem
		d, err := Open(p)
		var ve *ValidationError
		switch {
		case errors.As(err, &ve):
			problems = ve.Problems
		case err == nil:
			problems = append(d.Check(PyPI), d.Check(Lenient)...)
		}
		for _, pr := range problems {
			seen[pr.Rule] = true
			if !known[pr.Rule] && verify.StageOf(pr.Rule) == 0 {
				t.Errorf("%s: rule %q is not a Rule constant of dist or verify", p, pr.Rule)
			}
		}
	}
	if len(seen) < 40 {
		t.Errorf("the test files make problems of %d rules, want at least 40", len(seen))
	}
}
