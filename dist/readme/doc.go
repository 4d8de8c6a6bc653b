// Package readme decides offline whether PyPI would render a project
// description, and if not, reports the first problem the way PyPI and
// `twine check` word it.
//
// PyPI picks the renderer from the Description-Content-Type's type alone:
// none means reStructuredText, text/plain never fails, text/markdown fails
// only when it renders to nothing, and any other type is rendered as plain
// text. reStructuredText is checked by a native port of the parts of
// docutils' parser and transforms that decide pass or fail under
// readme_renderer's settings, which halt at the first message of level
// WARNING or above: the block parser (rstlines.go, rst.go, rsttext.go,
// rstlists.go, rsttable.go), explicit markup and the directive registry
// (rstexplicit.go, rstdirective.go, rstdirectives.go), inline markup
// (rstinline.go, rstpunct.go) and the document pass (rstrefs.go,
// rstdoc.go).
//
// The target is the readme_renderer and docutils that PyPI pins, at the
// versions UPSTREAM.md lists; "docutils" in this package's comments means
// that version. Agreement is measured against the same docutils through
// Debian sid's readme_renderer, a release older than PyPI's, on Debian's
// Python (TestAgreement, which lists where the two releases differ), and
// PyPI's verdict on every testdata document is recorded in
// testdata/*.verdicts (TestGolden, TestGoldenOracle).
//
// Descriptions are untrusted, so checking one takes time and memory
// linear in its size whatever its shape: nested blocks are stripped in
// place rather than copied per level, inline markup scans each run of
// name characters once, and nesting is bounded where docutils' own Python
// stack gives out (see maxFrames), which PyPI reports as a failure to
// render.
package readme
