package verify

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// Classifiers is a list of trove classifiers and the deprecated ones with
// their replacements. The zero value is not useful; use
// DefaultClassifiers or LoadClassifiers.
type Classifiers struct {
	version    string
	known      map[string]bool
	deprecated map[string][]string
}

// DefaultClassifiers returns the built-in list, from trove-classifiers
// ClassifiersVersion. PyPI's own pin may be older or newer by a few
// classifiers. The list is built once and shared; it is read-only.
func DefaultClassifiers() *Classifiers { return defaultClassifiers() }

var defaultClassifiers = sync.OnceValue(func() *Classifiers {
	c := &Classifiers{version: ClassifiersVersion, known: make(map[string]bool, len(sortedClassifiers)), deprecated: deprecatedClassifiers}
	for _, s := range sortedClassifiers {
		c.known[s] = true
	}
	return c
})

// Version names the trove-classifiers release the list comes from.
func (c *Classifiers) Version() string { return c.version }

// LoadClassifiers reads a newer list, one classifier a line, as
// `python3 -m trove_classifiers` prints it. That output has no deprecated
// classifiers: the built-in deprecation map is kept, and a deprecated
// classifier missing from r stays known (as it is to PyPI).
func LoadClassifiers(r io.Reader, version string) (*Classifiers, error) {
	c := &Classifiers{version: version, known: map[string]bool{}, deprecated: deprecatedClassifiers}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if line := strings.TrimRight(sc.Text(), "\r"); line != "" {
			c.known[line] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("verify: reading classifiers: %w", err)
	}
	if len(c.known) == 0 {
		return nil, fmt.Errorf("verify: reading classifiers: the list is empty")
	}
	return c, nil
}

// Len is the number of classifiers, deprecated ones included.
func (c *Classifiers) Len() int {
	n := len(c.known)
	for d := range c.deprecated {
		if !c.known[d] {
			n++
		}
	}
	return n
}

// Known reports whether s is a classifier (deprecated or not); matching
// is exact and case-sensitive.
func (c *Classifiers) Known(s string) bool {
	_, dep := c.deprecated[s]
	return c.known[s] || dep
}

// Deprecated returns the replacements of a deprecated classifier (maybe
// none) and whether s is deprecated.
func (c *Classifiers) Deprecated(s string) (replacements []string, ok bool) {
	r, ok := c.deprecated[s]
	return r, ok
}

// Check returns Warehouse's errors for a Classifier list, in its order:
// each unknown value (sorted, once), then each deprecated value (sorted).
func (c *Classifiers) Check(values []string) []error {
	set := map[string]bool{}
	for _, v := range values {
		set[v] = true
	}
	uniq := make([]string, 0, len(set))
	for v := range set {
		uniq = append(uniq, v)
	}
	sort.Strings(uniq)
	var errs []error
	for _, v := range uniq {
		if !c.Known(v) {
			errs = append(errs, newError("classifier", RuleClassifierUnknown, pyfmt.Repr(v)+" is not a valid classifier."))
		}
	}
	for _, v := range uniq {
		repl, ok := c.deprecated[v]
		switch {
		case !ok:
		case len(repl) > 0:
			errs = append(errs, newError("classifier", RuleClassifierDeprecate, fmt.Sprintf("The classifier %s has been deprecated, use one of %s instead.", pyfmt.Repr(v), pyfmt.ReprValue(repl))))
		default:
			errs = append(errs, newError("classifier", RuleClassifierDeprecate, fmt.Sprintf("The classifier %s has been deprecated.", pyfmt.Repr(v))))
		}
	}
	return errs
}
