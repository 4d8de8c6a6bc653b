package readme

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// A corpus document: where it came from, its text and content type.
type doc struct {
	corpus, id, contentType, text string
}

// contentTypes maps testdata extensions to Description-Content-Types.
var contentTypes = map[string]string{".rst": "", ".xrst": "text/x-rst", ".md": "text/markdown", ".txt": "text/plain"}

// specDocs reads the cases of spec §2.2 and §4.2 (testdata/spec), or with
// dir "cases" our own regression cases.
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

// knownDisagreements are the cases (and their mutations) where PyPI's
// readme_renderer 45.0 + docutils 0.23, which this package follows, and
// Debian bookworm's readme_renderer 37.3 + docutils 0.19, the oracle here,
// differ; each says why. Differences seen outside these corpora:
//   - image/figure ":loading:" is an unknown option in docutils 0.19 only;
//   - docutils 0.19 says "Title level inconsistent:" where 0.23 says
//     "Inconsistent title style: skip from level N to M." (sameMessage);
//   - 0.23 prefixes ids with "user-content-" (sameMessage);
//   - smart-quote language warnings (":lang:" classes) are not modelled;
//   - the lines of messages docutils reports without a line of its own
//     (the raw role, the anonymous-reference count) follow the state
//     machine and are only approximated.
var knownDisagreements = map[string]string{
	"embedded-dup.rst": "docutils 0.19 reports duplicate embedded-URI targets; 0.23 (PyPI) does not (spec §2.2)",
}

// sameMessage compares first messages, allowing for wording that changed
// between docutils 0.19 and 0.23.
func sameMessage(ours, theirs *Error) bool {
	if ours.Line != theirs.Line {
		return false
	}
	if ours.Message == theirs.Message {
		return true
	}
	switch {
	case theirs.Message == "Title level inconsistent:":
		return strings.HasPrefix(ours.Message, "Inconsistent title style:")
	case strings.HasPrefix(theirs.Message, "Indirect hyperlink target"):
		return strings.Replace(ours.Message, `id="user-content-`, `id="`, 1) == theirs.Message
	}
	return false
}

// TestAgreement measures agreement with Debian's readme_renderer and
// docutils on every corpus, printing a confusion matrix per corpus.
func TestAgreement(t *testing.T) {
	t.Parallel()
	python := testenv.NeedPython(t, "readme_renderer", "docutils")
	oracle, err := StartOracle(context.Background(), python)
	if err != nil {
		t.Fatal(err)
	}
	defer oracle.Close()

	spec, cases, files, installed := specDocs(t, "spec"), specDocs(t, "cases"), fileDocs(t), installedDocs(t, python)
	corpora := [][]doc{spec, cases, files, installed, peeled(files), mutations(append(append(spec, installed...), files...), 4, 1)}
	t.Log("readme_renderer's tests/fixtures are not shipped by Debian's python3-readme-renderer; corpus (b) is absent")
	seen := map[string]bool{}
	for _, docs := range corpora {
		var tp, tn, falseAccept, falseReject, msgSame, both int
		for _, d := range docs {
			key := d.contentType + "\x00" + d.text
			if seen[key] {
				continue
			}
			seen[key] = true
			ours := asError(Check(d.text, d.contentType))
			oerr := oracle.Check(d.text, d.contentType)
			theirs := asError(oerr)
			if oerr != nil && theirs == nil {
				t.Fatalf("%s: oracle: %v", d.id, oerr)
			}
			known := knownDisagreements[strings.Split(d.id, "#")[0]]
			switch {
			case ours == nil && theirs == nil:
				tn++
			case ours != nil && theirs != nil:
				tp++
				both++
				if sameMessage(ours, theirs) {
					msgSame++
				} else {
					t.Logf("%s %s: message differs:\n  ours:   %d %s %q\n  theirs: %d %s %q", d.corpus, d.id,
						ours.Line, ours.Level, ours.Message, theirs.Line, theirs.Level, theirs.Message)
				}
			case ours == nil:
				falseAccept++
				report(t, known, "%s %s: FALSE ACCEPT; readme_renderer says line %d: %s", d.corpus, d.id, theirs.Line, theirs.Message)
			default:
				falseReject++
				report(t, known, "%s %s: false reject: we say line %d: %s", d.corpus, d.id, ours.Line, ours.Message)
			}
		}
		n := tp + tn + falseAccept + falseReject
		if n == 0 {
			continue
		}
		agree := float64(tp+tn) / float64(n)
		t.Logf("corpus %-9s n=%-4d | RR fail: we fail %-3d we pass %-3d | RR pass: we fail %-3d we pass %-3d | pass/fail agreement %.1f%% | first message+line agree %d/%d",
			docs[0].corpus, n, tp, falseAccept, falseReject, tn, 100*agree, msgSame, both)
		if docs[0].corpus != "spec" && docs[0].corpus != "cases" && agree < 0.99 {
			t.Errorf("corpus %s: agreement %.1f%% < 99%%", docs[0].corpus, 100*agree)
		}
	}
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

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
