package dist

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpub/pypi/dist/pep440"
	"github.com/trustpub/pypi/internal/testenv"
)

// conformanceProjects are small projects with rich metadata (non-ASCII
// text, extras, project URLs, Markdown and reStructuredText readmes,
// several authors), one per build backend Debian ships.
var conformanceProjects = map[string]map[string]string{
	"setuptools": {
		"pyproject.toml": `[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "conf-setuptools"
version = "1.2.0"
description = "Ünïcödé summary for setuptools ✓"
readme = "README.md"
requires-python = ">=3.8"
license = {text = "MIT"}
keywords = ["conformance", "zürich"]
authors = [{name = "Ada Lovelace", email = "ada@example.com"}, {name = "Zoë Ünal"}]
maintainers = [{name = "Grace Hopper", email = "grace@example.com"}]
classifiers = ["Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License"]
dependencies = ["requests>=2.0; python_version > '3.8'", "packaging"]

[project.optional-dependencies]
test = ["pytest>=7"]
doc-build = ["sphinx"]

[project.urls]
Homepage = "https://example.com/conf"
"Bug Tracker" = "https://example.com/conf/issues"
`,
		"README.md":                   "# conf-setuptools\n\nA *Markdown* readme — with ünïcödé.\n\n```python\nprint('hi')\n```\n",
		"conf_setuptools/__init__.py": "VERSION = '1.2.0'\n",
	},
	"flit": {
		"pyproject.toml": `[build-system]
requires = ["flit_core>=3.4"]
build-backend = "flit_core.buildapi"

[project]
name = "conf-flit"
version = "0.3.post1"
description = "Flit-built — résumé"
readme = "README.rst"
requires-python = ">=3.9"
license = {file = "LICENSE"}
authors = [{name = "Ada Lovelace", email = "ada@example.com"}, {name = "Émile Zola", email = "emile@example.org"}]
keywords = ["flit", "rst"]
classifiers = ["Programming Language :: Python :: 3"]
dependencies = ["attrs>=22"]

[project.optional-dependencies]
cli = ["click; os_name == 'posix'"]

[project.urls]
Documentation = "https://example.com/flit/docs"
Source = "https://example.com/flit/src"
`,
		"README.rst":            "conf-flit\n=========\n\nA *reStructuredText* readme: ünïcödé.\n\n.. code-block:: python\n\n   print('hi')\n",
		"LICENSE":               "MIT License\n",
		"conf_flit/__init__.py": "\"\"\"Conformance.\"\"\"\n__version__ = '0.3.post1'\n",
	},
	"hatchling": {
		"pyproject.toml": `[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "conf-hatch"
version = "2.0rc1"
description = "Hatch-built: naïve café"
readme = "README.md"
requires-python = ">=3.8"
license = "MIT"
authors = [{name = "Ada Lovelace", email = "ada@example.com"}, {name = "Zoë", email = "zoe@example.com"}]
keywords = ["hatch"]
classifiers = ["Development Status :: 4 - Beta"]
dependencies = ["requests[socks]>=2.28,<3"]

[project.optional-dependencies]
fast = ["orjson"]
all = ["orjson", "rich"]

[project.urls]
Homepage = "https://example.com/hatch"
Changelog = "https://example.com/hatch/changes"
`,
		"README.md":              "# conf-hatch\n\nMarkdown with *emphasis* and ünïcödé.\n",
		"conf_hatch/__init__.py": "VERSION = '2.0rc1'\n",
	},
	"poetry": {
		"pyproject.toml": `[build-system]
requires = ["poetry-core>=1.0"]
build-backend = "poetry.core.masonry.api"

[tool.poetry]
name = "conf-poetry"
version = "1.0.0-beta.2"
description = "Poetry-built — façade"
authors = ["Ada Lovelace <ada@example.com>", "Zoë Ünal <zoe@example.com>"]
maintainers = ["Grace Hopper <grace@example.com>"]
license = "MIT"
readme = "README.md"
homepage = "https://example.com/poetry"
repository = "https://example.com/poetry/src"
documentation = "https://example.com/poetry/docs"
keywords = ["poetry", "façade"]
classifiers = ["Topic :: Software Development"]
packages = [{include = "conf_poetry"}]

[tool.poetry.dependencies]
python = "^3.8"
requests = {version = "^2.28", optional = true}
attrs = ">=22"

[tool.poetry.extras]
http = ["requests"]

[tool.poetry.urls]
"Bug Tracker" = "https://example.com/poetry/issues"
`,
		"README.md":               "# conf-poetry\n\nMarkdown readme — ünïcödé.\n",
		"conf_poetry/__init__.py": "VERSION = '1.0.0b2'\n",
	},
}

// conformanceScript prints, for each distribution file named on its
// command line, what Python's own tools read from it: pkginfo's fields,
// packaging's view of the file name, the compat32 headers of the core
// metadata, the member names and the digests.
const conformanceScript = `
import email.parser, hashlib, json, os, sys, tarfile, zipfile
import pkginfo
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

SINGLE = ["metadata_version", "name", "version", "summary", "description",
    "description_content_type", "keywords", "home_page", "download_url", "author",
    "author_email", "maintainer", "maintainer_email", "license", "requires_python"]
MULTI = ["platforms", "supported_platforms", "classifiers", "requires_dist",
    "provides_dist", "obsoletes_dist", "requires_external", "provides_extras",
    "requires", "provides", "obsoletes", "dynamic"]

out = {}
for path in sys.argv[1:]:
    fn = os.path.basename(path)
    data = open(path, "rb").read()
    r = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "blake2b": hashlib.blake2b(data, digest_size=32).hexdigest(),
        "md5": hashlib.md5(data).hexdigest(),
    }
    if fn.endswith(".whl"):
        d = pkginfo.Wheel(path)
        name, version, build, tags = parse_wheel_filename(fn)
        r["tags"] = sorted(str(t) for t in tags)
        with zipfile.ZipFile(path) as z:
            r["members"] = z.namelist()
            md = [n for n in r["members"] if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
            raw = z.read(md[0])
    else:
        d = pkginfo.SDist(path)
        name, version = parse_sdist_filename(fn)
        r["tags"] = []
        with tarfile.open(path) as t:
            r["members"] = t.getnames()
            root = r["members"][0].split("/")[0]
            raw = t.extractfile(root + "/PKG-INFO").read()
    r["file_name"] = str(name)
    r["file_version"] = str(version)
    r["metadata_sha256"] = hashlib.sha256(raw).hexdigest()
    msg = email.parser.Parser().parsestr(raw.decode("utf-8"))
    r["headers"] = [[k, v] for k, v in msg.items()]
    fields = {}
    for f in SINGLE:
        v = getattr(d, f, None)
        if f == "description" and v == "":
            v = None  # pkginfo's Wheel sets "" when there is no description
        fields[f] = [] if v is None else [v]
    for f in MULTI:
        fields[f] = list(getattr(d, f, None) or [])
    fields["project_urls"] = [", ".join(p.strip() for p in u.split(",", 1)) for u in (d.project_urls or [])]
    r["fields"] = fields
    r["canonical_name"] = canonicalize_name(d.name)
    r["canonical_version"] = str(Version(d.version))
    out[path] = r
json.dump(out, sys.stdout)
`

// pyFacts is what conformanceScript prints for one file.
type pyFacts struct {
	SHA256           string              `json:"sha256"`
	BLAKE2b          string              `json:"blake2b"`
	MD5              string              `json:"md5"`
	Tags             []string            `json:"tags"`
	Members          []string            `json:"members"`
	FileName         string              `json:"file_name"`
	FileVersion      string              `json:"file_version"`
	MetadataSHA256   string              `json:"metadata_sha256"`
	Headers          [][2]string         `json:"headers"`
	Fields           map[string][]string `json:"fields"`
	CanonicalName    string              `json:"canonical_name"`
	CanonicalVersion string              `json:"canonical_version"`
}

// zip64Script writes two wheels with Python's zipfile: one whose members
// all carry ZIP64 extras (force_zip64), and one with more members than
// the classic end record can count, so it has ZIP64 end records.
const zip64Script = `
import sys, zipfile
out = sys.argv[1]
def meta(name):
    return ("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\nSummary: ZIP64 test\n" % name).encode()
with zipfile.ZipFile(out + "/forced64-1.0-py3-none-any.whl", "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in [("forced64/__init__.py", b"x = 1\n"),
                       ("forced64-1.0.dist-info/METADATA", meta("forced64")),
                       ("forced64-1.0.dist-info/WHEEL", b"Wheel-Version: 1.0\n"),
                       ("forced64-1.0.dist-info/RECORD", b"")]:
        with z.open(name, "w", force_zip64=True) as f:
            f.write(data)
with zipfile.ZipFile(out + "/many64-1.0-py3-none-any.whl", "w") as z:
    for i in range(70000):
        z.writestr("many64/m%d.py" % i, b"")
    z.writestr("many64-1.0.dist-info/METADATA", meta("many64"))
    z.writestr("many64-1.0.dist-info/WHEEL", b"Wheel-Version: 1.0\n")
    z.writestr("many64-1.0.dist-info/RECORD", b"")
`

// zip64Wheels builds the wheels of zip64Script in dir.
func zip64Wheels(t *testing.T, py, dir string) []string {
	t.Helper()
	out := filepath.Join(dir, "zip64")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(py, "-c", zip64Script, out).CombinedOutput(); err != nil {
		t.Fatalf("zip64 wheels: %v\n%s", err, b)
	}
	return []string{filepath.Join(out, "forced64-1.0-py3-none-any.whl"), filepath.Join(out, "many64-1.0-py3-none-any.whl")}
}

// goFacts is the same view of a file, from dist.
func goFacts(t *testing.T, d *Distribution) pyFacts {
	t.Helper()
	m := d.Metadata
	single := func(field, v string) []string {
		// pkginfo drops the legacy "UNKNOWN" placeholder of single fields.
		if !m.Present(field) || v == "UNKNOWN" {
			return []string{}
		}
		return []string{v}
	}
	list := func(v []string) []string {
		if v == nil {
			return []string{}
		}
		return v
	}
	var urls []string
	for _, u := range m.ProjectURLs {
		urls = append(urls, u.Label+", "+u.URL)
	}
	var headers [][2]string
	for _, h := range m.Headers {
		headers = append(headers, [2]string{h.Name, h.Value})
	}
	var members []string
	for _, n := range d.Members {
		if d.Filename.Ext == ".tar.gz" {
			n = strings.TrimSuffix(n, "/") // tarfile drops the slash of directories
		}
		members = append(members, n)
	}
	fileVersion, err := pep440.Parse(d.Filename.Version)
	if err != nil {
		t.Fatalf("file name version: %v", err)
	}
	metaVersion, err := pep440.Parse(m.Version)
	if err != nil {
		t.Fatalf("metadata version: %v", err)
	}
	tags := d.Filename.Tags()
	if tags == nil {
		tags = []string{}
	}
	digests, err := d.Digests(true)
	if err != nil {
		t.Fatal(err)
	}
	return pyFacts{
		SHA256:         digests.SHA256,
		BLAKE2b:        digests.BLAKE2b256,
		MD5:            digests.MD5,
		Tags:           tags,
		Members:        members,
		FileName:       NormalizeName(d.Filename.Name),
		FileVersion:    fileVersion.String(),
		MetadataSHA256: d.MetadataDigests.SHA256,
		Headers:        headers,
		Fields: map[string][]string{
			"metadata_version":         single("Metadata-Version", m.MetadataVersion),
			"name":                     single("Name", m.Name),
			"version":                  single("Version", m.Version),
			"summary":                  single("Summary", m.Summary),
			"description":              single("Description", m.Description),
			"description_content_type": single("Description-Content-Type", m.DescriptionContentType),
			"keywords":                 single("Keywords", m.Keywords),
			"home_page":                single("Home-page", m.HomePage),
			"download_url":             single("Download-URL", m.DownloadURL),
			"author":                   single("Author", m.Author),
			"author_email":             single("Author-email", m.AuthorEmail),
			"maintainer":               single("Maintainer", m.Maintainer),
			"maintainer_email":         single("Maintainer-email", m.MaintainerEmail),
			"license":                  single("License", m.License),
			"requires_python":          single("Requires-Python", m.RequiresPython),
			"platforms":                list(m.Platforms),
			"supported_platforms":      list(m.SupportedPlatforms),
			"classifiers":              list(m.Classifiers),
			"requires_dist":            list(m.RequiresDist),
			"provides_dist":            list(m.ProvidesDist),
			"obsoletes_dist":           list(m.ObsoletesDist),
			"requires_external":        list(m.RequiresExternal),
			"provides_extras":          list(m.ProvidesExtra),
			"requires":                 list(m.Requires),
			"provides":                 list(m.Provides),
			"obsoletes":                list(m.Obsoletes),
			"dynamic":                  list(m.Dynamic),
			"project_urls":             list(urls),
		},
		CanonicalName:    NormalizeName(m.Name),
		CanonicalVersion: metaVersion.String(),
	}
}

// TestConformance builds real wheels and sdists with setuptools, flit,
// hatchling and poetry-core (python3 -m build), adds Debian's wheels from
// /usr/share/python-wheels, and checks that every field dist reads from
// them equals what pkginfo, packaging, email.parser and hashlib read.
func TestConformance(t *testing.T) {
	t.Parallel()
	py := testenv.NeedPython(t, "build", "pkginfo", "packaging", "setuptools", "flit_core", "hatchling", "poetry.core")
	var (
		mu    sync.Mutex
		files []string
		dists = t.TempDir() // outlives the build subtests
	)
	t.Run("build", func(t *testing.T) {
		for backend, project := range conformanceProjects {
			t.Run(backend, func(t *testing.T) {
				t.Parallel()
				built, err := testenv.Build(filepath.Join(dists, backend), project)
				if err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				files = append(files, built...)
				mu.Unlock()
			})
		}
	})
	debian, _ := filepath.Glob("/usr/share/python-wheels/*.whl")
	files = append(files, debian...)
	files = append(files, zip64Wheels(t, py, dists)...)
	if len(files) == 0 {
		t.Fatal("no distribution files to compare")
	}

	script := filepath.Join(t.TempDir(), "facts.py")
	if err := os.WriteFile(script, []byte(conformanceScript), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(py, append([]string{script}, files...)...)
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.Bytes())
	}
	var facts map[string]pyFacts
	if err := json.Unmarshal(stdout, &facts); err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			d, err := Open(path)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if diff := cmp.Diff(facts[path], goFacts(t, d)); diff != "" {
				t.Errorf("dist and Python disagree (-python +dist):\n%s", diff)
			}
			for _, p := range d.Check(Lenient) {
				if p.Severity == SeverityError {
					t.Errorf("Lenient error on a file Python's tools read: %v", p)
				}
			}
			for _, p := range d.Check(PyPI) {
				// Python's builders write none of the ZIP framing PyPI
				// refuses (data descriptors, directory comments); Go's
				// archive/zip does write descriptors, which installers
				// accept, so Lenient only warns about them.
				if p.Field == "archive" {
					t.Errorf("PyPI profile: archive problem in a file built by Python's tools: %v", p)
				}
				t.Logf("PyPI profile: %v", p)
			}
		})
	}
}
