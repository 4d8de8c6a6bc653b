package readme

import (
	"os"
	"strings"
	"testing"
)

// realisticREADME builds a description of about size bytes from the
// reStructuredText constructs READMEs use, repeated with unique names.
func realisticREADME(size int) string {
	var b strings.Builder
	b.WriteString("Project\n=======\n\n.. image:: https://img.shields.io/pypi/v/x.svg\n   :target: https://pypi.org/project/x\n\n")
	for i := 0; b.Len() < size; i++ {
		n := itoa(i)
		b.WriteString("Section " + n + "\n------------\n\n")
		b.WriteString("Some *emphasis*, **strong** and ``literal`` text with a `link " + n + " <https://example.com/" + n + ">`_\nand a reference to target" + n + "_ plus |sub" + n + "|.\n\n")
		b.WriteString("- item one\n- item two with ``code``\n\n  continued paragraph\n\n1. first\n2. second\n\n")
		b.WriteString(".. code-block:: python\n\n   def f():\n       return " + n + "\n\n")
		b.WriteString("+-------+-------+\n| a     | b     |\n+=======+=======+\n| 1     | 2     |\n+-------+-------+\n\n")
		b.WriteString(".. _target" + n + ": https://example.com/t/" + n + "\n.. |sub" + n + "| replace:: substituted\n\n")
	}
	return b.String()
}

// BenchmarkCheck100KiB checks a 100 KiB reStructuredText description.
func BenchmarkCheck100KiB(b *testing.B) {
	src := realisticREADME(100 << 10)
	if err := Check(src, ""); err != nil {
		b.Fatalf("benchmark input must pass: %v", err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if err := Check(src, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzCheck checks that no input makes Check panic, seeded from testdata.
func FuzzCheck(f *testing.F) {
	for _, dir := range []string{"testdata/spec/", "testdata/cases/"} {
		paths, _ := os.ReadDir(dir)
		for _, e := range paths {
			b, err := os.ReadFile(dir + e.Name())
			if err != nil {
				f.Fatal(err)
			}
			for _, ct := range []string{"", "text/markdown", "text/plain"} {
				f.Add(string(b), ct)
			}
		}
	}
	f.Fuzz(func(t *testing.T, desc, ct string) {
		err := Check(desc, ct)
		if err == nil {
			return
		}
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("Check returned %T, want *Error", err)
		}
		if e.PyPIMessage() == "" {
			t.Fatal("empty PyPI message")
		}
	})
}
