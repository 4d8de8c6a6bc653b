// Package sampledist writes the files the examples publish: a wheel and an
// sdist of a sample project that PyPI would accept, made by pypitest's
// distribution builder.
package sampledist

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/trustpub/pypi/pypitest"
)

// Project describes the sample project.
type Project struct {
	Name    string // e.g. "sampleproject"
	Version string // e.g. "1.0.0"
	Summary string // one line; "" gives a default
	// Extra holds more metadata header lines, each ending in "\n"
	// (e.g. "Foo: bar\n"), written after the others.
	Extra string
}

// Build writes the project's wheel and sdist into dir and returns their
// paths, wheel first.
func (p Project) Build(dir string) ([]string, error) {
	summary := p.Summary
	if summary == "" {
		summary = "A sample project published with github.com/trustpub/pypi"
	}
	// file names write the name in lower case, runs of "-", "_" and "." as one "_"
	escaped := strings.ToLower(regexp.MustCompile(`[-_.]+`).ReplaceAllString(p.Name, "_"))
	metadata := []string{"Name: " + p.Name, "Summary: " + summary, "Requires-Python: >=3.9",
		"Classifier: Programming Language :: Python :: 3", "Description-Content-Type: text/markdown"}
	if p.Extra != "" {
		metadata = append(metadata, strings.Split(strings.TrimSuffix(p.Extra, "\n"), "\n")...)
	}
	var paths []string
	for _, sdist := range []bool{false, true} {
		d := pypitest.Dist{Name: escaped, Version: p.Version, Sdist: sdist, Metadata: metadata,
			Description: "# " + p.Name + "\n\n" + summary + ".\n"}
		if sdist {
			d.Members = []pypitest.Member{{Name: escaped + "-" + p.Version + "/" + escaped + "/__init__.py",
				Content: "__version__ = \"" + p.Version + "\"\n"}}
		}
		filename, content := d.Build()
		path := filepath.Join(dir, filename)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}
