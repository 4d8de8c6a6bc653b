package dist

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// entryPointCases are entry_points.txt files with Warehouse's verdict
// (valid or not) and, for invalid ones, the cause scanEntryPoints gives.
var entryPointCases = []struct {
	name, in string
	cause    string // "" when valid
}{
	{"case-sensitive", "[console_scripts]\nExample = example:main\nexample = example:main\n", ""},
	{"empty", "", ""},
	{"comments", "# c\n; c\n[console_scripts]\n  # indented comment\nx = y:z\n", ""},
	{"duplicate", "[console_scripts]\ndemo = a:b\ndemo = c:d\n", "line 3: option 'demo' in section 'console_scripts' already exists"},
	{"duplicate-spacing", "[console_scripts]\ndemo=a:b\ndemo   = c:d\n", "line 3: option 'demo' in section 'console_scripts' already exists"},
	{"duplicate-section", "[a]\nx = y\n[a]\n", "line 3: section 'a' already exists"},
	{"default-twice", "[DEFAULT]\nx = y\n[DEFAULT]\nz = w\n", ""},
	{"default-duplicate", "[DEFAULT]\nx = y\n[DEFAULT]\nx = w\n", "line 4: option 'x' in section 'DEFAULT' already exists"},
	{"default-bad-name", "[DEFAULT]\nbad name = y\n[console_scripts]\nx = y:z\n", "line 2: Invalid entry point name 'bad name' in 'DEFAULT'"},
	{"default-bad-name-no-scripts", "[DEFAULT]\nbad name = y\n[other]\nx = y:z\n", ""},
	{"bad-name", "[console_scripts]\nbad name! = demo:main\n", "line 2: Invalid entry point name 'bad name!' in 'console_scripts'"},
	{"bad-name-gui", "[gui_scripts]\na/b = demo:main\n", "line 2: Invalid entry point name 'a/b' in 'gui_scripts'"},
	{"bad-name-other-section", "[other]\nbad name! = demo:main\n", ""},
	{"unicode-name", "[console_scripts]\ncafé-1.2_x = demo:main\n", ""},
	{"colon-not-delimiter", "[console_scripts]\ndemo: demo:main\n", "line 2: 'demo: demo:main' is neither a section header nor a \"key = value\" entry"},
	{"no-section", "console_scripts\ndemo = demo:main\n", "line 1: File contains no section headers."},
	{"bom", "\ufeff[console_scripts]\ndemo = demo:main\n", "line 1: File contains no section headers."},
	{"empty-key", "[a]\n = x\n", "line 2: '= x' is neither a section header nor a \"key = value\" entry"},
	{"not-utf8", "[a]\nx = \xff\n", "entry_points.txt is not decodable as UTF-8"},
	{"indented-entry", "[console_scripts]\n  demo = demo:main\n", ""},
	{"indented-section", "  [console_scripts]\ndemo = demo:main\n", ""},
	{"continuation", "[console_scripts]\ndemo = demo:main\n  bad name!\n\n  still = continued\n", ""},
	{"continuation-needs-deeper", "[a]\n  x = 1\n  bad name\n", "line 3: 'bad name' is neither a section header nor a \"key = value\" entry"},
	{"section-header-trailing", "[console_scripts] trailing\ndemo = demo:main\n", ""},
	{"section-header-last-bracket", "[a]b]\nx = y\n[a]b]\n", "line 3: section 'a]b' already exists"},
	{"section-empty-name", "[]\n", "line 1: File contains no section headers."},
	{"lone-cr", "[console_scripts]\ndemo = a:b\rdemo = c:d\n", ""},
	{"crlf", "[console_scripts]\r\ndemo = a:b\r\nother = c:d\r\n", ""},
	{"key-with-equals-value", "[console_scripts]\ndemo = a=b\n", ""},
}

func TestScanEntryPoints(t *testing.T) {
	t.Parallel()
	for _, tc := range entryPointCases {
		err := scanEntryPoints(strings.NewReader(tc.in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.cause {
			t.Errorf("%s: scanEntryPoints(%q) = %q, want %q", tc.name, tc.in, got, tc.cause)
		}
	}
}

// TestEntryPointsCap checks the cap on sections and entries, and that
// continuation lines, which cost nothing, are not counted.
func TestEntryPointsCap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("[console_scripts]\n")
	for i := range maxEntryPoints {
		fmt.Fprintf(&b, "e%d = m:f\n", i)
	}
	err := scanEntryPoints(strings.NewReader(b.String()))
	epe, ok := err.(*entryPointsError)
	if !ok || !epe.limit || !strings.Contains(err.Error(), "more than 100000 sections and entries") {
		t.Errorf("scanEntryPoints(%d entries) = %v, want the limit", maxEntryPoints, err)
	}
	lines := "[console_scripts]\ndemo = demo:main\n" + strings.Repeat(" x\n", 3*maxEntryPoints)
	if err := scanEntryPoints(strings.NewReader(lines)); err != nil {
		t.Errorf("scanEntryPoints(%d continuation lines) = %v, want valid", 3*maxEntryPoints, err)
	}
}

// entryPointsOracle applies Warehouse's _validate_entrypoints
// (warehouse/utils/wheel.py) to each base64 input read from stdin as JSON
// and prints whether each is valid.
const entryPointsOracle = `
import base64, configparser, json, re, sys
NAME = re.compile(r"[\w.-]+")
class CaseSensitiveConfigParser(configparser.ConfigParser):
    optionxform = staticmethod(str)
def valid(b):
    try:
        text = b.decode()
    except UnicodeError:
        return False
    parser = CaseSensitiveConfigParser(delimiters=("=",))
    try:
        parser.read_string(text)
    except configparser.Error:
        return False
    for name in ("console_scripts", "gui_scripts"):
        try:
            section = parser[name]
        except KeyError:
            continue
        for ep in section:
            if NAME.fullmatch(ep) is None:
                return False
    return True
print(json.dumps([valid(base64.b64decode(s)) for s in json.load(sys.stdin)]))
`

// TestEntryPointsInterop compares scanEntryPoints with Warehouse's code
// run by Debian's Python on every case.
func TestEntryPointsInterop(t *testing.T) {
	t.Parallel()
	python := testenv.NeedPython(t, "configparser")
	var in []string
	for _, tc := range entryPointCases {
		in = append(in, base64.StdEncoding.EncodeToString([]byte(tc.in)))
	}
	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", entryPointsOracle)
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	var valid []bool
	if err := json.Unmarshal(out, &valid); err != nil || len(valid) != len(entryPointCases) {
		t.Fatalf("oracle output %q: %v", out, err)
	}
	for i, tc := range entryPointCases {
		if (tc.cause == "") != valid[i] {
			t.Errorf("%s: we say valid=%v, Warehouse's code says %v", tc.name, tc.cause == "", valid[i])
		}
	}
}

// FuzzEntryPoints checks that scanEntryPoints never panics and that its
// verdict does not depend on how the reader splits the bytes.
func FuzzEntryPoints(f *testing.F) {
	for _, tc := range entryPointCases {
		f.Add([]byte(tc.in))
	}
	// The shape of testdata/bad/wheel-entry-points-lines-bomb, smaller.
	f.Add([]byte("[console_scripts]\ndemo = demo:main\n" + strings.Repeat(" x\n", 1000)))
	f.Fuzz(func(t *testing.T, b []byte) {
		err1 := scanEntryPoints(bytes.NewReader(b))
		err2 := scanEntryPoints(&oneByteReader{b})
		if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
			t.Fatalf("verdicts differ: %v, byte by byte %v", err1, err2)
		}
	})
}

// oneByteReader returns its bytes one at a time.
type oneByteReader struct{ b []byte }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:1], r.b)
	r.b = r.b[n:]
	return n, nil
}
