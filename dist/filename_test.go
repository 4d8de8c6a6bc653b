package dist

import (
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trustpub/pypi/internal/testenv"
)

func TestParseFilenameGood(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in        string
		want      Filename
		canonical string // CanonicalWheelFilename or CanonicalSdistFilename
	}{
		{"foo-1.0-py3-none-any.whl",
			Filename{Kind: Wheel, Name: "foo", Version: "1.0", Ext: ".whl", PythonTags: []string{"py3"}, ABITags: []string{"none"}, PlatformTags: []string{"any"}},
			"foo-1.0-py3-none-any.whl"},
		{"foo-1.0-1-py3-none-any.whl",
			Filename{Kind: Wheel, Name: "foo", Version: "1.0", Ext: ".whl", Build: "1", PythonTags: []string{"py3"}, ABITags: []string{"none"}, PlatformTags: []string{"any"}},
			"foo-1.0-1-py3-none-any.whl"},
		{"foo-1.0-1abc-py2.py3-none-any.whl",
			Filename{Kind: Wheel, Name: "foo", Version: "1.0", Ext: ".whl", Build: "1abc", PythonTags: []string{"py2", "py3"}, ABITags: []string{"none"}, PlatformTags: []string{"any"}},
			"foo-1.0-1abc-py2.py3-none-any.whl"},
		{"foo_bar-1.0+local-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
			Filename{Kind: Wheel, Name: "foo_bar", Version: "1.0+local", Ext: ".whl", PythonTags: []string{"cp312"}, ABITags: []string{"cp312"}, PlatformTags: []string{"manylinux_2_17_x86_64", "manylinux2014_x86_64"}},
			"foo_bar-1.0+local-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
		{"Foo.Bar-1.0RC1-PY3-NONE-ANY.whl",
			Filename{Kind: Wheel, Name: "Foo.Bar", Version: "1.0RC1", Ext: ".whl", PythonTags: []string{"PY3"}, ABITags: []string{"NONE"}, PlatformTags: []string{"ANY"}},
			"foo_bar-1.0rc1-PY3-NONE-ANY.whl"},
		{"café-v1.0-py3-none-any.whl",
			Filename{Kind: Wheel, Name: "café", Version: "v1.0", Ext: ".whl", PythonTags: []string{"py3"}, ABITags: []string{"none"}, PlatformTags: []string{"any"}},
			"café-1.0-py3-none-any.whl"},
		{"foo_bar-1.0.tar.gz", Filename{Kind: Sdist, Name: "foo_bar", Version: "1.0", Ext: ".tar.gz"}, "foo_bar-1.0.tar.gz"},
		{"foo-1.0.zip", Filename{Kind: Sdist, Name: "foo", Version: "1.0", Ext: ".zip"}, "foo-1.0.tar.gz"},
		{"Foo-Bar-1.02.tar.gz", Filename{Kind: Sdist, Name: "Foo-Bar", Version: "1.02", Ext: ".tar.gz"}, "foo_bar-1.2.tar.gz"},
		{"foo-1.0-1.tar.gz", Filename{Kind: Sdist, Name: "foo-1.0", Version: "1", Ext: ".tar.gz"}, "foo_1_0-1.tar.gz"},
		{"foo bar-1.0.tar.gz", Filename{Kind: Sdist, Name: "foo bar", Version: "1.0", Ext: ".tar.gz"}, "foo bar-1.0.tar.gz"},
	}
	for _, tt := range tests {
		f, err := ParseFilename(tt.in)
		if err != nil {
			t.Errorf("ParseFilename(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(&tt.want, f); diff != "" {
			t.Errorf("ParseFilename(%q) (-want +got):\n%s", tt.in, diff)
		}
		if got := f.String(); got != tt.in {
			t.Errorf("ParseFilename(%q).String() = %q", tt.in, got)
		}
		var canon string
		if f.Kind == Wheel {
			canon = CanonicalWheelFilename(f)
		} else {
			canon = CanonicalSdistFilename(f.Name, f.Version)
		}
		if canon != tt.canonical {
			t.Errorf("canonical name of %q = %q, want %q", tt.in, canon, tt.canonical)
		}
		wantCanonical := tt.in == tt.canonical && ValidName(f.Name)
		if got := f.IsCanonical(); got != wantCanonical {
			t.Errorf("ParseFilename(%q).IsCanonical() = %v, want %v", tt.in, got, wantCanonical)
		}
	}
}

func TestParseFilenameBad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, rule, pypi string
		kind           Kind
	}{
		{"foo-1.0-py3-none.whl", "parts", "Invalid wheel filename (wrong number of parts): 'foo-1.0-py3-none'", Wheel},
		{"foo-1.0-1-2-py3-none-any.whl", "parts", "Invalid wheel filename (wrong number of parts): 'foo-1.0-1-2-py3-none-any'", Wheel},
		{"foo__bar-1.0-py3-none-any.whl", "name", "Invalid project name: 'foo__bar-1.0-py3-none-any'", Wheel},
		{"-1.0-py3-none-any.whl", "name", "Invalid project name: '-1.0-py3-none-any'", Wheel},
		{"foo bar-1.0-py3-none-any.whl", "name", "Invalid project name: 'foo bar-1.0-py3-none-any'", Wheel},
		{"foo-1.0.x-py3-none-any.whl", "version", "Invalid wheel filename (invalid version): 'foo-1.0.x-py3-none-any'", Wheel},
		{"foo-1.0-abc-py3-none-any.whl", "build", "Invalid build number: abc in 'foo-1.0-abc-py3-none-any'", Wheel},
		{"foo-1.0--py3-none-any.whl", "build", "Invalid build number:  in 'foo-1.0--py3-none-any'", Wheel},
		{"foo-1.0-py3..py2-none-any.whl", "tags", "Invalid wheel filename (invalid tag component): 'foo-1.0-py3..py2-none-any'", Wheel},
		{"foo-1.0-py3.-none-any.whl", "tags", "Invalid wheel filename (invalid tag component): 'foo-1.0-py3.-none-any'", Wheel},
		{"foo-1.0-3py-none-any.whl", "tags", "Invalid wheel filename (invalid tag component): 'foo-1.0-3py-none-any'", Wheel},
		{"foo-1.0-py3-none-.whl", "tags", "Invalid wheel filename (invalid tag component): 'foo-1.0-py3-none-'", Wheel},
		{"foo-1.0-" + strings.Repeat("py3.", 64) + "py3-" + strings.Repeat("a.", 64) + "a-any.whl", "tags", "", Wheel},
		{"foo.tar.gz", "parts", "Invalid source distribution filename: foo.tar.gz", Sdist},
		{"-1.0.tar.gz", "name", "Invalid source distribution filename: -1.0.tar.gz", Sdist},
		{"foo-.tar.gz", "version", "Invalid source distribution filename: foo-.tar.gz", Sdist},
		{"it's-x.zip", "version", "Invalid source distribution filename: it's-x.zip", Sdist},
		{"foo-1.0.tgz", "extension", "Invalid file extension: Use .tar.gz, .whl or .zip extension. See https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information", 0},
		{"foo-1.0.tar.bz2", "extension", "", 0},
		{"foo-1.0-py3-none-any.WHL", "extension", "Invalid file extension: Extension .WHL is invalid for filetype bdist_wheel. See https://www.python.org/dev/peps/pep-0527 for more information.", Wheel},
		{"foo-1.0.Tar.Gz", "extension", "Invalid file extension: Extension .Tar.Gz is invalid for filetype sdist. See https://www.python.org/dev/peps/pep-0527 for more information.", Sdist},
		{".whl", "extension", "", 0},
		{"dist/foo-1.0-py3-none-any.whl", "characters", `Cannot upload a file with '/' or '\' in the name.`, 0},
		{`dist\foo-1.0.tar.gz`, "characters", `Cannot upload a file with '/' or '\' in the name.`, 0},
		{"foo-1.0-1\x00-py3-none-any.whl", "characters", "Cannot upload a file with non-printable characters (ordinals 0-31) or the DEL character (ordinal 127) in the name.", 0},
		{"foo\x7f-1.0.tar.gz", "characters", "", 0},
	}
	for _, tt := range tests {
		f, err := ParseFilename(tt.in)
		var fe *FilenameError
		if !errors.As(err, &fe) {
			t.Errorf("ParseFilename(%q) = %v, %v; want a *FilenameError", tt.in, f, err)
			continue
		}
		if fe.Rule != tt.rule || fe.Kind != tt.kind || fe.Filename != tt.in {
			t.Errorf("ParseFilename(%q): rule %q kind %v file %q, want %q %v", tt.in, fe.Rule, fe.Kind, fe.Filename, tt.rule, tt.kind)
		}
		if tt.pypi != "" && fe.PyPIMessage() != tt.pypi {
			t.Errorf("ParseFilename(%q).PyPIMessage():\n got %s\nwant %s", tt.in, fe.PyPIMessage(), tt.pypi)
		}
		if fe.PyPIMessage() == "" || !strings.HasPrefix(err.Error(), "dist: ") || !strings.Contains(err.Error(), fe.Reason) {
			t.Errorf("ParseFilename(%q) error %q, PyPI %q", tt.in, err, fe.PyPIMessage())
		}
	}
}

func TestFilenameErrorText(t *testing.T) {
	t.Parallel()
	_, err := ParseFilename("foo-1.0-py3-none.whl")
	if want := `dist: "foo-1.0-py3-none.whl": invalid wheel filename (wrong number of parts)`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	_, err = ParseFilename("foo.tar.gz")
	if want := `dist: "foo.tar.gz": invalid sdist filename (no "-" between name and version)`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestFilenameTags(t *testing.T) {
	t.Parallel()
	f, err := ParseFilename("foo-1.0-py3.PY2-none-any.MANYLINUX1_x86_64.any.whl")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"py2-none-any", "py2-none-manylinux1_x86_64", "py3-none-any", "py3-none-manylinux1_x86_64"}
	if diff := cmp.Diff(want, f.Tags()); diff != "" {
		t.Errorf("Tags() (-want +got):\n%s", diff)
	}
	if s, _ := ParseFilename("foo-1.0.tar.gz"); s.Tags() != nil {
		t.Errorf("sdist Tags() = %v, want nil", s.Tags())
	}
}

func TestCanonicalSdistFilename(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, version, want string }{
		{"my-pkg", "1.0", "my_pkg-1.0.tar.gz"},
		{"My.Pkg", "1.0-1", "my_pkg-1.0.post1.tar.gz"},
		{"Some_Thing", "1.02.3", "some_thing-1.2.3.tar.gz"},
		{"foo", "1.0.0", "foo-1.0.0.tar.gz"},
		{"foo", "v1.0RC1", "foo-1.0rc1.tar.gz"},
		{"foo", "not a version", "foo-not a version.tar.gz"},
	}
	for _, tt := range tests {
		if got := CanonicalSdistFilename(tt.name, tt.version); got != tt.want {
			t.Errorf("CanonicalSdistFilename(%q, %q) = %q, want %q", tt.name, tt.version, got, tt.want)
		}
	}
}

func TestValidPyPIPlatformTag(t *testing.T) {
	t.Parallel()
	good := []string{
		"any", "win32", "win_amd64", "win_arm64", "win_ia64", "manylinux1_x86_64", "manylinux2010_i686",
		"manylinux2014_aarch64", "manylinux2014_ppc64", "linux_armv6l", "linux_armv7l",
		"macosx_10_9_x86_64", "macosx_10_15_universal2", "macosx_10_4_fat3", "macosx_11_0_arm64",
		"macosx_15_0_x86_64", "macosx_26_0_arm64", "manylinux_2_17_x86_64", "manylinux_2_28_ppc64",
		"manylinux_2_39_riscv64", "musllinux_1_2_aarch64", "ios_13_0_arm64_iphoneos",
		"ios_12_0_x86_64_iphonesimulator", "android_21_arm64_v8a", "android_24_x86",
		"pyemscripten_2024_0_wasm32", "MANYLINUX_2_17_X86_64", "manylinux_\u0662_17_x86_64",
	}
	bad := []string{
		"", "linux_x86_64", "macosx_9_2_x86_64", "macosx_11_2_arm64", "macosx_27_0_arm64",
		"macosx_10_15_amd64", "musllinux_1_2_ppc64", "manylinux_2_x86_64", "manylinux_2__x86_64",
		"manylinux1_aarch64", "ios_13_0_arm64_ipados", "ios_13_arm64_iphoneos", "android_arm64_v8a",
		"android_21_mips", "pyemscripten_2024_wasm32", "emscripten_3_1_wasm32", "win_x86", "cygwin",
	}
	for _, tag := range good {
		if !validPyPIPlatformTag(tag) {
			t.Errorf("validPyPIPlatformTag(%q) = false, want true", tag)
		}
	}
	for _, tag := range bad {
		if validPyPIPlatformTag(tag) {
			t.Errorf("validPyPIPlatformTag(%q) = true, want false", tag)
		}
	}
}

// TestFilenameInterop compares ParseFilename with python3-packaging's
// parse_wheel_filename and parse_sdist_filename (normalised name and
// canonical version), and NormalizeName with canonicalize_name.
func TestFilenameInterop(t *testing.T) {
	t.Parallel()
	python := testenv.NeedPython(t, "packaging.utils")
	inputs := append(filenameSeeds(t), generatedFilenames()...)
	script := `
import json, sys
from packaging.utils import parse_wheel_filename, parse_sdist_filename, canonicalize_name
out = []
for fn in json.load(sys.stdin):
    try:
        name, ver = (parse_wheel_filename(fn) if fn.endswith(".whl") else parse_sdist_filename(fn))[:2]
        out.append([canonicalize_name(fn.split("-")[0]), name, str(ver)])
    except Exception:
        out.append([canonicalize_name(fn.split("-")[0]), None, None])
json.dump(out, sys.stdout)
`
	body, _ := json.Marshal(inputs)
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = strings.NewReader(string(body))
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	var rep [][3]*string
	if err := json.Unmarshal(stdout, &rep); err != nil {
		t.Fatal(err)
	}
	var agree, known int
	for i, fn := range inputs {
		if got := NormalizeName(strings.Split(fn, "-")[0]); got != *rep[i][0] {
			t.Errorf("NormalizeName(%q) = %q, packaging %q", strings.Split(fn, "-")[0], got, *rep[i][0])
		}
		var got [2]*string
		if f, err := ParseFilename(fn); err == nil {
			name, ver := NormalizeName(f.Name), canonicalVersion(f.Version)
			got = [2]*string{&name, &ver}
		}
		want := [2]*string{rep[i][1], rep[i][2]}
		if cmp.Equal(got, want) {
			agree++
			continue
		}
		if reason := knownFilenameDifference(fn); reason != "" {
			known++
			t.Logf("known difference (%s): %q", reason, fn)
			continue
		}
		t.Errorf("%q: ours %v, packaging %v", fn, deref(got[:]), deref(want[:]))
	}
	t.Logf("python3-packaging: %d/%d file names agree, %d known differences", agree, len(inputs), known)
}

// knownFilenameDifference explains where we knowingly part from
// python3-packaging 23.0, or returns "".
func knownFilenameDifference(fn string) string {
	stem := strings.TrimSuffix(fn, ".whl")
	switch {
	case strings.ContainsFunc(fn, func(r rune) bool { return r < 32 || r == 127 || r == '/' || r == '\\' }):
		return "PyPI refuses control characters and slashes before parsing"
	case strings.HasPrefix(fn, "-"):
		return "empty project name: packaging 26 refuses it in sdist names, we in wheel names too"
	case strings.HasSuffix(fn, ".whl") && strings.Count(stem, "-") >= 4:
		tags := strings.Split(stem, "-")
		tags = tags[len(tags)-3:]
		if slices.ContainsFunc(tags, func(s string) bool {
			return s == "" || strings.Contains(s, "..") || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".")
		}) ||
			!isPythonIdentifier(strings.Split(tags[0], ".")[0]) || strings.Count(stem, ".") > 50 {
			return "packaging 26.3 added tag validation that 23.0 lacks"
		}
	}
	return ""
}

// generatedFilenames combines name, version, build and tag spellings,
// valid and not, into some eight hundred wheel and sdist names.
func generatedFilenames() []string {
	names := []string{"foo", "Foo.Bar", "foo_bar", "foo__bar", "a-b", "café", "x1"}
	versions := []string{"1.0", "v1.0", "1.0-1", "1.0RC1", "1..0", "1.0+L_1", "01!2.post"}
	var out []string
	for _, n := range names {
		for _, v := range versions {
			out = append(out, n+"-"+v+".tar.gz", n+"-"+v+".zip")
			for _, b := range []string{"", "-1", "-1a", "-a"} {
				for _, tags := range []string{"py3-none-any", "py2.py3-none-any", "PY3-NONE-ANY", "3py-none-any"} {
					out = append(out, n+"-"+v+b+"-"+tags+".whl")
				}
			}
		}
	}
	return out
}

func deref(ps []*string) []string {
	var out []string
	for _, p := range ps {
		if p == nil {
			out = append(out, "<nil>")
		} else {
			out = append(out, *p)
		}
	}
	return out
}

func ExampleParseFilename() {
	f, err := ParseFilename("Foo.Bar-1.0RC1-py2.py3-none-any.whl")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Kind, f.Name, f.Version, f.PythonTags, f.IsCanonical())
	fmt.Println(CanonicalWheelFilename(f))

	_, err = ParseFilename("foo-1.0-py3-none.whl")
	fmt.Println(err)
	fmt.Println(err.(*FilenameError).PyPIMessage())
	// Output:
	// wheel Foo.Bar 1.0RC1 [py2 py3] false
	// foo_bar-1.0rc1-py2.py3-none-any.whl
	// dist: "foo-1.0-py3-none.whl": invalid wheel filename (wrong number of parts)
	// Invalid wheel filename (wrong number of parts): 'foo-1.0-py3-none'
}

func ExampleCanonicalSdistFilename() {
	fmt.Println(CanonicalSdistFilename("My.Pkg", "1.0-1"))
	// Output: my_pkg-1.0.post1.tar.gz
}

func BenchmarkParseFilename(b *testing.B) {
	for b.Loop() {
		if _, err := ParseFilename("numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"); err != nil {
			b.Fatal(err)
		}
	}
}
