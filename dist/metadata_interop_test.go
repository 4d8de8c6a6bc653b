package dist

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/trustpub/pypi/internal/testenv"
)

// packagingOracle prints, for each base64 input read as a JSON list on
// stdin, the raw headers Python's email parser (compat32) finds and what
// packaging.metadata.parse_email makes of the file. Debian 12's
// python3-packaging (23.0) has no packaging.metadata; then the script maps
// the compat32 headers to fields itself, following parse_email's
// documented rules, so the grammar is still Python's own. PYTHONPATH may
// point at a newer packaging to compare with the real parse_email.
const packagingOracle = `
import base64, json, sys
import email.header, email.parser, email.policy

try:
    import packaging
    from packaging.metadata import parse_email
    oracle = "packaging %s parse_email" % packaging.__version__
except ImportError:
    parse_email = None
    oracle = "email.parser compat32 (no packaging.metadata in packaging %s)" % (
        __import__("packaging").__version__)

SINGLE = {"metadata-version", "name", "version", "summary", "description",
    "description-content-type", "home-page", "download-url", "author",
    "author-email", "maintainer", "maintainer-email", "license",
    "license-expression", "requires-python"}
MULTI = {"dynamic", "platform", "supported-platform", "license-file",
    "classifier", "requires-dist", "requires-external", "provides-extra",
    "provides-dist", "obsoletes-dist", "requires", "provides", "obsoletes",
    "import-name", "import-namespace"}
RAW = {"platform": "platforms", "supported-platform": "supported_platforms",
    "classifier": "classifiers", "license-file": "license_files",
    "project-url": "project_urls", "import-name": "import_names",
    "import-namespace": "import_namespaces"}

def text(h):
    if isinstance(h, email.header.Header):
        [(b, _)] = email.header.decode_header(h)
        try:
            return b.decode("utf-8"), True
        except UnicodeDecodeError:
            return b.decode("latin-1"), False
    return h, True

def emulate(data):
    msg = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(data)
    raw, unparsed = {}, {}
    for name in {k.lower() for k in msg.keys()}:
        decoded = [text(h) for h in msg.get_all(name)]
        values = [v for v, _ in decoded]
        key = RAW.get(name, name.replace("-", "_"))
        if not all(ok for _, ok in decoded):
            unparsed[name] = values
        elif name in SINGLE and len(values) == 1:
            raw[key] = values[0]
        elif name == "import-name" and values == [""]:
            raw[key] = []
        elif name in MULTI:
            raw[key] = values
        elif name == "keywords" and len(values) == 1:
            raw[key] = [k.strip() for k in values[0].split(",")]
        elif name == "project-url":
            urls = {}
            for v in values:
                label, _, url = (s.strip() for s in v.partition(","))
                if label in urls:
                    unparsed[name] = values
                    break
                urls[label] = url
            else:
                raw[key] = urls
        else:
            unparsed[name] = values
    body = msg.get_payload(decode=True)
    try:
        body = body.decode("utf-8")
    except (AttributeError, UnicodeDecodeError):  # multipart, not UTF-8
        unparsed.setdefault("description", []).append(body)
    else:
        if body and "description" in raw:
            unparsed.setdefault("description", []).extend([raw.pop("description"), body])
        elif body and "description" in unparsed:
            unparsed["description"].append(body)
        elif body:
            raw["description"] = body
    return raw, unparsed

def b64(s):
    return base64.b64encode(s.encode("ascii", "surrogateescape")).decode()

def jsonable(v):
    return v.decode("latin-1") if isinstance(v, bytes) else v

results = []
for item in json.load(sys.stdin):
    data = base64.b64decode(item)
    msg = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(data)
    cte = str(msg.get("content-transfer-encoding", "")).lower()
    mime = msg.is_multipart() or cte in (
        "base64", "quoted-printable", "x-uuencode", "uuencode", "uue", "x-uue")
    raw, unparsed = (parse_email or emulate)(data)
    results.append({
        "headers": [[b64(n), b64(v)] for n, v in msg._headers],
        "raw": raw,
        "unparsed": {k: [jsonable(v) for v in vs] for k, vs in unparsed.items()},
        "mime": mime,
    })
json.dump({"oracle": oracle, "results": results}, sys.stdout)
`

// oracleResult is what the oracle script prints for one input.
type oracleResult struct {
	Headers  [][2]string         `json:"headers"` // base64 name, value
	Raw      map[string]any      `json:"raw"`
	Unparsed map[string][]string `json:"unparsed"`
	// MIME is set when Python decoded the body as MIME (a
	// Content-Transfer-Encoding or a multipart type), which we never do.
	MIME bool `json:"mime"`
}

// runOracle runs the oracle script on inputs.
func runOracle(t *testing.T, inputs [][]byte) (string, []oracleResult) {
	t.Helper()
	python := testenv.NeedPython(t, "email.parser", "packaging")
	enc := make([]string, len(inputs))
	for i, in := range inputs {
		enc[i] = base64.StdEncoding.EncodeToString(in)
	}
	stdin, err := json.Marshal(enc)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", packagingOracle)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var res struct {
		Oracle  string         `json:"oracle"`
		Results []oracleResult `json:"results"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != len(inputs) {
		t.Fatalf("oracle returned %d results for %d inputs", len(res.Results), len(inputs))
	}
	return res.Oracle, res.Results
}

// packagingView renders m as parse_email's (raw, unparsed) pair, using only
// the exported API.
func packagingView(m *Metadata) (raw map[string]any, unparsed map[string][]string) {
	raw = make(map[string]any)
	ok := m.parsed
	for _, f := range []struct {
		field, key string
		value      string
	}{
		{"Metadata-Version", "metadata_version", m.MetadataVersion},
		{"Name", "name", m.Name},
		{"Version", "version", m.Version},
		{"Summary", "summary", m.Summary},
		{"Description", "description", m.RawDescription()},
		{"Description-Content-Type", "description_content_type", m.DescriptionContentType},
		{"Home-page", "home_page", m.HomePage},
		{"Download-URL", "download_url", m.DownloadURL},
		{"Author", "author", m.Author},
		{"Author-email", "author_email", m.AuthorEmail},
		{"Maintainer", "maintainer", m.Maintainer},
		{"Maintainer-email", "maintainer_email", m.MaintainerEmail},
		{"License", "license", m.License},
		{"License-Expression", "license_expression", m.LicenseExpression},
		{"Requires-Python", "requires_python", m.RequiresPython},
	} {
		if ok(f.field) {
			raw[f.key] = f.value
		}
	}
	for _, f := range []struct {
		field, key string
		values     []string
	}{
		{"Dynamic", "dynamic", m.Dynamic},
		{"Platform", "platforms", m.Platforms},
		{"Supported-Platform", "supported_platforms", m.SupportedPlatforms},
		{"License-File", "license_files", m.LicenseFiles},
		{"Classifier", "classifiers", m.Classifiers},
		{"Requires-Dist", "requires_dist", m.RequiresDist},
		{"Requires-External", "requires_external", m.RequiresExternal},
		{"Provides-Extra", "provides_extra", m.ProvidesExtra},
		{"Provides-Dist", "provides_dist", m.ProvidesDist},
		{"Obsoletes-Dist", "obsoletes_dist", m.ObsoletesDist},
		{"Requires", "requires", m.Requires},
		{"Provides", "provides", m.Provides},
		{"Obsoletes", "obsoletes", m.Obsoletes},
		{"Import-Name", "import_names", m.ImportNames},
		{"Import-Namespace", "import_namespaces", m.ImportNamespaces},
		{"Keywords", "keywords", m.KeywordList()},
	} {
		if ok(f.field) {
			raw[f.key] = f.values
		}
	}
	if ok("Project-URL") {
		urls := make(map[string]string)
		for _, u := range m.ProjectURLs {
			urls[u.Label] = u.URL
		}
		raw["project_urls"] = urls
	}
	unparsed = make(map[string][]string, len(m.Unparsed))
	for k, v := range m.Unparsed {
		unparsed[k] = v
	}
	return raw, unparsed
}

// jsonRoundTrip makes v comparable with decoded JSON.
func jsonRoundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// compareWithOracle checks that ParseMetadata agrees with the oracle on
// every input: the same raw headers, fields and unparsed keys and values.
func compareWithOracle(t *testing.T, names []string, inputs [][]byte) {
	t.Helper()
	oracle, results := runOracle(t, inputs)
	t.Logf("oracle: %s; %d inputs", oracle, len(inputs))
	for i, in := range inputs {
		m, err := ParseMetadata(in)
		if err != nil {
			t.Errorf("%s: ParseMetadata: %v", names[i], err)
			continue
		}
		want := results[i]
		var gotHeaders [][2]string
		for _, h := range m.Headers {
			gotHeaders = append(gotHeaders, [2]string{
				base64.StdEncoding.EncodeToString([]byte(h.Name)),
				base64.StdEncoding.EncodeToString([]byte(h.Value)),
			})
		}
		raw, unparsed := packagingView(m)
		if want.MIME { // Python decoded the body; we keep it opaque
			delete(raw, "description")
			delete(want.Raw, "description")
			delete(unparsed, "description")
			delete(want.Unparsed, "description")
		}
		if d := cmp.Diff(want.Headers, gotHeaders, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s %q: headers (-python +go):\n%s", names[i], in, d)
		}
		if d := cmp.Diff(jsonRoundTrip(t, want.Raw), jsonRoundTrip(t, raw), cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s %q: fields (-python +go):\n%s", names[i], in, d)
		}
		if d := cmp.Diff(jsonRoundTrip(t, want.Unparsed), jsonRoundTrip(t, unparsed), cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s %q: unparsed (-python +go):\n%s", names[i], in, d)
		}
	}
}

// TestParseMetadataInterop compares ParseMetadata with Python on the table
// cases, the testdata files and the METADATA of Debian's pip and
// setuptools wheels.
func TestParseMetadataInterop(t *testing.T) {
	t.Parallel()
	var names []string
	var inputs [][]byte
	for _, tc := range metadataCases {
		names = append(names, tc.name)
		inputs = append(inputs, []byte(tc.in))
	}
	files, err := filepath.Glob("testdata/metadata/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f)
		inputs = append(inputs, b)
	}
	wheels, _ := filepath.Glob("/usr/share/python-wheels/*.whl")
	for _, w := range wheels {
		names = append(names, w)
		inputs = append(inputs, wheelMetadata(t, w))
	}
	if len(wheels) == 0 && testenv.InCI() {
		t.Fatal("no wheels in /usr/share/python-wheels (python3-pip-whl)")
	}
	compareWithOracle(t, names, inputs)
}

// wheelMetadata returns the bytes of the .dist-info/METADATA of a wheel.
func wheelMetadata(t *testing.T, path string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		dir, base, _ := strings.Cut(f.Name, "/")
		if base == "METADATA" && strings.HasSuffix(dir, ".dist-info") {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("%s: no .dist-info/METADATA", path)
	return nil
}

// TestParseMetadataInteropRandom compares ParseMetadata with Python on
// random files built from the pieces the grammar is sensitive to.
func TestParseMetadataInteropRandom(t *testing.T) {
	t.Parallel()
	pieces := []string{
		"Name", "Version", "Metadata-Version", "Description", "Keywords",
		"Project-URL", "Import-Name", "Classifier", "X-Other", "nAmE",
		":", ": ", ",", " ", "  ", "\t", "        ", "       |", "|",
		"\n", "\r", "\r\n", "From ", "x", "a, b", "\xc3\xa9", "\xff",
		"\xef\xbb\xbf", "\x00", "=?utf-8?q?x?=", "Content-Type: multipart/mixed; boundary=b\n",
		"Content-Transfer-Encoding: base64\n", "--b\n", "Content-Type: message/rfc822\n",
		"Keywords: ", "\r\n ", "\n\n", "\x1c", "\xc2\xa0",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 3000
	names := make([]string, n)
	inputs := make([][]byte, n)
	for i := range inputs {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		names[i] = "random"
		inputs[i] = []byte(b.String())
	}
	compareWithOracle(t, names, inputs)
}
