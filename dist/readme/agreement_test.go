package readme

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpub/pypi/dist/readme/internal/oracle"
	"github.com/trustpub/pypi/internal/testenv"
)

// A corpus document: where it came from, its text and content type.
type doc struct {
	corpus, id, contentType, text string
}

// contentTypes maps testdata extensions to Description-Content-Types.
var contentTypes = map[string]string{".rst": "", ".xrst": "text/x-rst", ".md": "text/markdown", ".txt": "text/plain"}

// specDocs reads the documents of testdata/<dir>: with dir "spec" the
// reStructuredText constructs whose PyPI verdicts testdata/spec.verdicts
// records, with dir "cases" our own regression cases.
func specDocs(t *testing.T, dir string) []doc {
	t.Helper()
	paths, err := filepath.Glob("testdata/" + dir + "/*")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no %s cases: %v", dir, err)
	}
	var docs []doc
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc{dir, filepath.Base(p), contentTypes[filepath.Ext(p)], string(b)})
	}
	return docs
}

// fileDocs reads the reStructuredText documents Debian ships: docutils'
// own documentation and every README/CHANGES *.rst under /usr/share/doc
// and dist-packages.
func fileDocs(t *testing.T) []doc {
	t.Helper()
	var docs []doc
	read := func(path string) {
		f, err := os.Open(path)
		if err != nil {
			return
		}
		defer f.Close()
		var r io.Reader = f
		if strings.HasSuffix(path, ".gz") {
			gz, err := gzip.NewReader(f)
			if err != nil {
				return
			}
			r = gz
		}
		b, err := io.ReadAll(r)
		if err != nil || !isText(b) {
			return
		}
		docs = append(docs, doc{"files", path, "", string(b)})
	}
	for _, root := range []string{"/usr/share/doc", "/usr/lib/python3/dist-packages"} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			name := strings.TrimSuffix(d.Name(), ".gz")
			docutilsDoc := strings.Contains(path, "/python3-docutils/") && strings.HasSuffix(name, ".txt")
			if docutilsDoc || strings.HasSuffix(name, ".rst") {
				read(path)
			}
			return nil
		})
	}
	return docs
}

func isText(b []byte) bool { return !strings.ContainsRune(string(b), 0) }

// metadataScript prints the description of every distribution installed
// in Debian's dist-packages.
const metadataScript = `
import importlib.metadata as md, json, re
out = []
for d in md.distributions(path=["/usr/lib/python3/dist-packages"]):
    m = d.metadata
    if m is None:
        continue
    desc = m.get_payload() or ""
    if not desc.strip() and m.get("Description"):
        lines = m["Description"].splitlines()
        desc = "\n".join(lines[:1] + [re.sub(r"^        \|?", "", l) for l in lines[1:]])
    out.append({"id": m["Name"] or d._path.name, "t": m.get("Description-Content-Type") or "", "d": desc})
print(json.dumps(out))
`

func installedDocs(t *testing.T, python string) []doc {
	t.Helper()
	out, err := exec.Command(python, "-c", metadataScript).Output()
	if err != nil {
		t.Fatalf("listing installed distributions: %v", err)
	}
	var items []struct{ ID, T, D string }
	if err := json.Unmarshal(out, &items); err != nil {
		t.Fatal(err)
	}
	var docs []doc
	for _, it := range items {
		if it.D != "" {
			docs = append(docs, doc{"installed", it.ID, it.T, it.D})
		}
	}
	return docs
}

// versionScript prints the docutils and readme_renderer versions.
const versionScript = `
import docutils, importlib.metadata as md
print(docutils.__version__, md.version("readme_renderer"))
`

// pypiOracle starts an oracle running Debian's Python with
// VERIFY_PYTHONPATH first on its path, which must provide docutils 0.23
// and readme_renderer 44 or 45 (.ci/sid-python unpacks Debian sid's); it
// skips (fails under CI=true) when they are missing.
func pypiOracle(t *testing.T) *oracle.Oracle {
	t.Helper()
	python := testenv.NeedPython(t)
	dir := verifyPythonPath(t)
	env := []string{"PYTHONPATH=" + dir}
	cmd := exec.Command(python, "-c", versionScript)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	v := strings.Fields(string(out))
	if err != nil || len(v) != 2 || !strings.HasPrefix(v[0]+".", "0.23.") ||
		!strings.HasPrefix(v[1], "44.") && !strings.HasPrefix(v[1], "45.") {
		testenv.Missing(t, "docutils 0.23 and readme_renderer 44 or 45 on VERIFY_PYTHONPATH="+dir+" (found: "+strings.TrimSpace(string(out))+")")
	}
	o, err := oracle.Start(context.Background(), python, env)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// verifyPythonPath returns VERIFY_PYTHONPATH, where the Python tests
// find docutils and readme_renderer; it skips (fails under CI=true) when
// it is unset.
func verifyPythonPath(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("VERIFY_PYTHONPATH")
	if dir == "" {
		testenv.Missing(t, "VERIFY_PYTHONPATH with docutils 0.23 and readme_renderer 44 (.ci/sid-python provides them)")
	}
	return dir
}

// knownDisagreements are the documents (and their mutations) where the
// oracle's readme_renderer 44.0 and PyPI's readme_renderer 45.0, which
// this package follows, differ: why, and the start of the message 44.0
// fails with. Both run docutils 0.23. The oracle already applies 45.0's
// new settings (id_prefix, section_self_link); what remains is code.
var knownDisagreements = map[string]struct{ why, rr44 string }{
	"image-scale.rst": {"readme_renderer 44.0 aborts on a :scale: image it cannot size; 45.0 (PyPI) renders it", "Cannot scale image!"},
}

// sameMessage reports whether two first messages agree in level, line and
// words.
func sameMessage(ours, theirs *Error) bool {
	return ours.Level == theirs.Level && ours.Line == theirs.Line && ours.Message == theirs.Message
}

// crlf rewrites each document with CRLF line ends, as descriptions
// written on Windows arrive.
func crlf(docs []doc) []doc {
	var out []doc
	for _, d := range docs {
		if strings.Contains(d.text, "\n") && !strings.Contains(d.text, "\r") {
			out = append(out, doc{"crlf", d.id, d.contentType, strings.ReplaceAll(d.text, "\n", "\r\n")})
		}
	}
	return out
}

// TestAgreement measures agreement with PyPI's docutils (through Debian
// sid's readme_renderer) on every corpus, printing per corpus and in total
// how often the verdicts agree and, where both fail, how often the first
// message agrees in level, line and words.
func TestAgreement(t *testing.T) {
	t.Parallel()
	o := pypiOracle(t)
	spec, cases, files, installed := specDocs(t, "spec"), specDocs(t, "cases"), fileDocs(t), installedDocs(t, testenv.Python)
	corpora := [][]doc{spec, cases, crlf(append(append([]doc{}, spec...), cases...)), files, installed, peeled(files),
		mutations(append(append(spec, installed...), files...), 4, 1)}
	t.Log("readme_renderer's tests/fixtures are not shipped by Debian's python3-readme-renderer; corpus (b) is absent")
	seen := map[string]bool{}
	var total agreement
	for _, docs := range corpora {
		var a agreement
		for _, d := range docs {
			key := d.contentType + "\x00" + d.text
			if seen[key] {
				continue
			}
			seen[key] = true
			ours := asError(Check(d.text, d.contentType))
			theirs := askOracle(t, o, d)
			known := knownDisagreements[strings.Split(d.id, "#")[0]].why
			switch {
			case ours == nil && theirs == nil:
				a.tn++
			case ours != nil && theirs != nil:
				a.tp++
				if sameMessage(ours, theirs) {
					a.msgSame++
				} else {
					report(t, known, "%s %s: message differs:\n  ours:   %d %s %q\n  theirs: %d %s %q", d.corpus, d.id,
						ours.Line, ours.Level, ours.Message, theirs.Line, theirs.Level, theirs.Message)
				}
			case ours == nil:
				a.falseAccept++
				report(t, known, "%s %s: FALSE ACCEPT; readme_renderer says line %d: %s", d.corpus, d.id, theirs.Line, theirs.Message)
			default:
				a.falseReject++
				report(t, known, "%s %s: false reject: we say line %d: %s", d.corpus, d.id, ours.Line, ours.Message)
			}
		}
		if a.n() == 0 {
			continue
		}
		t.Logf("docutils 0.23 agreement: corpus %-9s %s", docs[0].corpus, a)
		total.add(a)
		if docs[0].corpus != "spec" && docs[0].corpus != "cases" && a.verdicts() < 0.99 {
			t.Errorf("corpus %s: agreement %.1f%% < 99%%", docs[0].corpus, 100*a.verdicts())
		}
	}
	t.Logf("docutils 0.23 agreement: all corpora     %s", total)
}

// agreement counts one corpus's outcomes against the oracle.
type agreement struct{ tp, tn, falseAccept, falseReject, msgSame int }

func (a agreement) n() int { return a.tp + a.tn + a.falseAccept + a.falseReject }

// verdicts is the share of documents whose pass/fail verdicts agree.
func (a agreement) verdicts() float64 { return float64(a.tp+a.tn) / float64(a.n()) }

func (a *agreement) add(b agreement) {
	a.tp, a.tn, a.falseAccept, a.falseReject, a.msgSame = a.tp+b.tp, a.tn+b.tn, a.falseAccept+b.falseAccept, a.falseReject+b.falseReject, a.msgSame+b.msgSame
}

// String is the summary line CI logs show.
func (a agreement) String() string {
	msgs := 1.0
	if a.tp > 0 {
		msgs = float64(a.msgSame) / float64(a.tp)
	}
	return fmt.Sprintf("n=%-4d | RR fail: we fail %-3d we pass %-3d | RR pass: we fail %-3d we pass %-3d | verdicts %d/%d (%.1f%%) | messages (level, line, words) %d/%d (%.1f%%)",
		a.n(), a.tp, a.falseAccept, a.falseReject, a.tn, a.tp+a.tn, a.n(), 100*a.verdicts(), a.msgSame, a.tp, 100*msgs)
}

// report fails the test for a disagreement unless it is a known one.
func report(t *testing.T, known, format string, args ...any) {
	t.Helper()
	if known != "" {
		t.Logf(format+" (known: "+known+")", args...)
		return
	}
	if strings.Contains(format, "FALSE ACCEPT") || args[0] == "spec" || args[0] == "cases" {
		t.Errorf(format, args...)
		return
	}
	t.Logf(format, args...)
}

// askOracle returns the oracle's verdict on d as the *Error Check would
// return (nil: it renders).
func askOracle(t *testing.T, o *oracle.Oracle, d doc) *Error {
	t.Helper()
	v, err := o.Check(d.text, d.contentType)
	if err != nil {
		t.Fatalf("%s/%s: %v", d.corpus, d.id, err)
	}
	if !v.Failed {
		return nil
	}
	return &Error{ContentType: d.contentType, Line: v.Line, Level: Level(v.Level), Message: v.Message}
}

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
