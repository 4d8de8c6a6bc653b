package dist

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/trustpub/pypi/dist/pep440"
	"github.com/trustpub/pypi/internal/pyfmt"
)

// maxWheelTags bounds the tags a compressed tag set may expand to: no real
// wheel comes near it, and a crafted name cannot make Tags allocate much.
const maxWheelTags = 4096

// FilenameError reports a distribution file name that does not parse.
// Error returns our wording; PyPIMessage returns the words PyPI (through
// packaging) answers an upload of that file with.
type FilenameError struct {
	Filename string // the name as given
	Kind     Kind   // Wheel or Sdist, or 0 when the extension is not known
	// Rule is a stable identifier of the rule broken: "characters",
	// "extension", "parts", "name", "version", "build", "tags".
	Rule   string
	Reason string // what is wrong, e.g. "wrong number of parts"
	pypi   string
}

// Error returns `dist: "{file}": invalid wheel filename ({reason})`
// ("invalid sdist filename" or "invalid file name" for other kinds).
func (e *FilenameError) Error() string {
	what := "invalid file name"
	switch e.Kind {
	case Wheel:
		what = "invalid wheel filename"
	case Sdist:
		what = "invalid sdist filename"
	}
	return fmt.Sprintf("dist: %q: %s (%s)", e.Filename, what, e.Reason)
}

// PyPIMessage returns PyPI's reply to an upload of the file, e.g.
// "Invalid wheel filename (wrong number of parts): 'foo-1.0-any'".
func (e *FilenameError) PyPIMessage() string { return e.pypi }

// ParseFilename parses the base name of a distribution file: a wheel
// "{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl" (PEP 427,
// with compressed tag sets such as "py2.py3"), an sdist
// "{name}-{version}.tar.gz" (PEP 625) or a legacy "{name}-{version}.zip"
// sdist. It accepts what packaging's parse_wheel_filename and
// parse_sdist_filename accept (non-normalised names such as "Foo.Bar" and
// versions such as "1.0RC1" included; see [Filename.IsCanonical]), except
// an empty project name and a wheel whose tag set expands to more than
// 4096 tags. Extensions are case-sensitive, as in packaging. The error is
// a *FilenameError.
func ParseFilename(filename string) (*Filename, error) {
	if err := checkFilenameChars(filename); err != nil {
		return nil, err
	}
	ext := distExtension(filename)
	switch ext {
	case ".whl":
		return parseWheelFilename(filename)
	case ".tar.gz", ".zip":
		return parseSdistFilename(filename, ext)
	case "":
		return nil, &FilenameError{Filename: filename, Rule: "extension",
			Reason: "extension must be '.whl', '.tar.gz' or '.zip'",
			pypi: "Invalid file extension: Use .tar.gz, .whl or .zip extension. " +
				"See https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information"}
	}
	// PyPI takes ".WHL" for an extension, then finds it is not the
	// (case-sensitive) one of the file type the uploader declared.
	kind := Sdist
	if strings.EqualFold(ext, ".whl") {
		kind = Wheel
	}
	return nil, &FilenameError{Filename: filename, Kind: kind, Rule: "extension",
		Reason: "extension " + ext + " must be lowercase",
		pypi: "Invalid file extension: Extension " + ext + " is invalid for filetype " + kind.Filetype() +
			". See https://www.python.org/dev/peps/pep-0527 for more information."}
}

// distExtension returns the extension PyPI sees in a file name (".whl",
// ".tar.gz" or ".zip" in any case, after at least one character), or "".
func distExtension(filename string) string {
	for _, ext := range []string{".tar.gz", ".zip", ".whl"} {
		if n := len(filename) - len(ext); n > 0 && strings.EqualFold(filename[n:], ext) {
			return filename[n:]
		}
	}
	return ""
}

// checkFilenameChars applies PyPI's first filename rules: no control
// characters, no path separators.
func checkFilenameChars(filename string) error {
	if strings.ContainsFunc(filename, func(r rune) bool { return r < 32 || r == 127 }) {
		return &FilenameError{Filename: filename, Rule: "characters",
			Reason: "control character in the name",
			pypi:   "Cannot upload a file with non-printable characters (ordinals 0-31) or the DEL character (ordinal 127) in the name."}
	}
	if strings.ContainsAny(filename, `/\`) {
		return &FilenameError{Filename: filename, Rule: "characters",
			Reason: `"/" or "\" in the name`,
			pypi:   `Cannot upload a file with '/' or '\' in the name.`}
	}
	return nil
}

func parseWheelFilename(filename string) (*Filename, error) {
	stem := strings.TrimSuffix(filename, ".whl")
	fail := func(rule, reason, pypi string) error {
		return &FilenameError{Filename: filename, Kind: Wheel, Rule: rule, Reason: reason, pypi: pypi}
	}
	parts := strings.Split(stem, "-")
	if len(parts) != 5 && len(parts) != 6 {
		return nil, fail("parts", "wrong number of parts",
			"Invalid wheel filename (wrong number of parts): "+pyfmt.Repr(stem))
	}
	f := &Filename{Kind: Wheel, Name: parts[0], Version: parts[1], Ext: ".whl"}
	if f.Name == "" || strings.Contains(f.Name, "__") ||
		strings.ContainsFunc(f.Name, func(r rune) bool { return !isPythonWordChar(r) && r != '.' }) {
		return nil, fail("name", "invalid project name", "Invalid project name: "+pyfmt.Repr(stem))
	}
	if _, err := pep440.Parse(f.Version); err != nil {
		return nil, fail("version", "invalid version",
			"Invalid wheel filename (invalid version): "+pyfmt.Repr(stem))
	}
	if len(parts) == 6 {
		f.Build = parts[2]
		if f.Build == "" || f.Build[0] < '0' || f.Build[0] > '9' {
			return nil, fail("build", "build tag must start with a digit",
				"Invalid build number: "+f.Build+" in "+pyfmt.Repr(stem))
		}
	}
	n := len(parts)
	f.PythonTags = strings.Split(parts[n-3], ".")
	f.ABITags = strings.Split(parts[n-2], ".")
	f.PlatformTags = strings.Split(parts[n-1], ".")
	if !validTags(f) {
		return nil, fail("tags", "invalid tag component",
			"Invalid wheel filename (invalid tag component): "+pyfmt.Repr(stem))
	}
	if len(f.PythonTags)*len(f.ABITags)*len(f.PlatformTags) > maxWheelTags {
		return nil, fail("tags", fmt.Sprintf("compressed tag set expands to more than %d tags", maxWheelTags),
			"Invalid wheel filename (invalid tag component): "+pyfmt.Repr(stem))
	}
	return f, nil
}

// validTags applies packaging's tag rules: no empty member, and every
// interpreter tag a Python identifier ("3py" is not).
func validTags(f *Filename) bool {
	for _, set := range [][]string{f.PythonTags, f.ABITags, f.PlatformTags} {
		for _, t := range set {
			if t == "" {
				return false
			}
		}
	}
	for _, t := range f.PythonTags {
		if !isPythonIdentifier(t) {
			return false
		}
	}
	return true
}

func parseSdistFilename(filename, ext string) (*Filename, error) {
	// PyPI words every sdist name packaging refuses alike.
	pypi := "Invalid source distribution filename: " + filename
	fail := func(rule, reason string) error {
		return &FilenameError{Filename: filename, Kind: Sdist, Rule: rule, Reason: reason, pypi: pypi}
	}
	stem := strings.TrimSuffix(filename, ext)
	i := strings.LastIndexByte(stem, '-')
	switch {
	case i < 0:
		return nil, fail("parts", `no "-" between name and version`)
	case i == 0:
		return nil, fail("name", "empty project name")
	}
	f := &Filename{Kind: Sdist, Name: stem[:i], Version: stem[i+1:], Ext: ext}
	if _, err := pep440.Parse(f.Version); err != nil {
		return nil, fail("version", "invalid version")
	}
	return f, nil
}

// String returns the file name f describes, as written when f was parsed.
func (f *Filename) String() string {
	return f.render(f.Name, f.Version)
}

func (f *Filename) render(name, version string) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('-')
	b.WriteString(version)
	if f.Kind == Wheel {
		if f.Build != "" {
			b.WriteByte('-')
			b.WriteString(f.Build)
		}
		for _, set := range [][]string{f.PythonTags, f.ABITags, f.PlatformTags} {
			b.WriteByte('-')
			b.WriteString(strings.Join(set, "."))
		}
	}
	b.WriteString(f.Ext)
	return b.String()
}

// CanonicalSdistFilename returns the file name PEP 625 and PyPI require
// for the sdist of a project version: "{escaped name}-{canonical
// version}.tar.gz", e.g. "my_pkg-1.0.post1.tar.gz" for "My.Pkg", "1.0-1".
// A version that does not parse is used as written.
func CanonicalSdistFilename(name, version string) string {
	return EscapeName(name) + "-" + canonicalVersion(version) + ".tar.gz"
}

// CanonicalWheelFilename returns the name of wheel f with its project
// name escaped and its version canonical; the build tag and the tags are
// kept as written.
func CanonicalWheelFilename(f *Filename) string {
	return f.render(EscapeName(f.Name), canonicalVersion(f.Version))
}

// IsCanonical reports whether f is in the form the specifications require
// and PyPI enforces on upload: a valid project name, escaped and
// normalised ("foo_bar", not "Foo.Bar"), a canonical version ("1.0rc1",
// not "1.0RC1"), and for an sdist the ".tar.gz" extension. Tags are not
// judged.
func (f *Filename) IsCanonical() bool {
	if !ValidName(f.Name) || f.Name != EscapeName(f.Name) || !pep440.IsCanonical(f.Version) {
		return false
	}
	return f.Kind == Wheel || f.Ext == ".tar.gz"
}

// Tags returns the wheel's expanded tag set, "python-abi-platform" strings
// lowercased as packaging's Tag does, sorted and without duplicates, as
// the WHEEL file's Tag lines should list them. It is nil for an sdist.
func (f *Filename) Tags() []string {
	seen := make(map[string]bool)
	var tags []string
	for _, py := range f.PythonTags {
		for _, abi := range f.ABITags {
			for _, plat := range f.PlatformTags {
				t := strings.ToLower(py + "-" + abi + "-" + plat)
				if !seen[t] {
					seen[t] = true
					tags = append(tags, t)
				}
			}
		}
	}
	slices.Sort(tags)
	return tags
}

func canonicalVersion(version string) string {
	if v, err := pep440.Parse(version); err == nil {
		return v.String()
	}
	return version
}

// isPythonWordChar reports whether r matches Python's Unicode "\w".
func isPythonWordChar(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// isPythonIdentifier approximates Python's str.isidentifier: a letter or
// "_" followed by letters, digits, marks and connectors.
func isPythonIdentifier(s string) bool {
	for i, r := range s {
		start := r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r)
		if !start && (i == 0 || !unicode.In(r, unicode.Nd, unicode.Mn, unicode.Mc, unicode.Pc)) {
			return false
		}
	}
	return s != ""
}

// The parts of PyPI's wheel platform-tag allowlist (Warehouse
// forklift/legacy.py _valid_platform_tag).
var (
	pypiFixedPlatforms = setOf("any", "win32", "win_arm64", "win_amd64", "win_ia64",
		"manylinux1_x86_64", "manylinux1_i686", "manylinux2010_x86_64", "manylinux2010_i686",
		"manylinux2014_x86_64", "manylinux2014_i686", "manylinux2014_aarch64", "manylinux2014_armv7l",
		"manylinux2014_ppc64", "manylinux2014_ppc64le", "manylinux2014_s390x",
		"linux_armv6l", "linux_armv7l")
	pypiMacOSArches = setOf("ppc", "ppc64", "i386", "x86_64", "arm64", "intel",
		"fat", "fat3", "fat64", "universal", "universal2")
	pypiMacOSMajors     = setOf("11", "12", "13", "14", "15", "26")
	pypiMusllinuxArches = setOf("x86_64", "i686", "aarch64", "armv7l", "ppc64le", "s390x", "riscv64")
	pypiManylinuxArches = setOf("x86_64", "i686", "aarch64", "armv7l", "ppc64le", "s390x", "riscv64", "ppc64")
	pypiIOSArches       = setOf("arm64", "x86_64")
	pypiAndroidArches   = setOf("armeabi_v7a", "arm64_v8a", "x86", "x86_64")
)

// validPyPIPlatformTag reports whether PyPI accepts wheels for the
// platform tag, one member of a compressed set such as
// "manylinux_2_17_x86_64". PyPI refuses a wheel if any of its platform
// tags fails, with "Binary wheel '{filename}' has an unsupported platform
// tag '{tag}'." The tag is lowercased first, as packaging's Tag does.
//
// Accepted: a fixed list ("any", "win32", "win_amd64", "win_arm64",
// "win_ia64", "manylinux1_*", "manylinux2010_*", "manylinux2014_*" for
// their arches, "linux_armv6l", "linux_armv7l"); "macosx_10_{N}_{arch}"
// and "macosx_{11..15,26}_0_{arch}"; "manylinux_{X}_{Y}_{arch}" and
// "musllinux_{X}_{Y}_{arch}"; "ios_{X}_{Y}_{arm64|x86_64}_{iphoneos|
// iphonesimulator}"; "android_{X}_{arch}"; "pyemscripten_{X}_{Y}_wasm32".
// Like Warehouse's regular expressions, a number is any run of Unicode
// decimal digits, and the iOS and Emscripten forms may carry a suffix.
func validPyPIPlatformTag(tag string) bool {
	tag = strings.ToLower(tag)
	if pypiFixedPlatforms[tag] {
		return true
	}
	if rest, ok := strings.CutPrefix(tag, "macosx_"); ok {
		major, rest, ok1 := cutNumber(rest)
		minor, arch, ok2 := cutNumber(rest)
		if ok1 && ok2 && pypiMacOSArches[arch] &&
			(major == "10" || pypiMacOSMajors[major] && minor == "0") {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(tag, "manylinux_"); ok {
		return linuxArchOK(rest, pypiManylinuxArches)
	}
	if rest, ok := strings.CutPrefix(tag, "musllinux_"); ok {
		return linuxArchOK(rest, pypiMusllinuxArches)
	}
	if rest, ok := strings.CutPrefix(tag, "ios_"); ok {
		_, rest, ok1 := cutNumber(rest)
		_, rest, ok2 := cutNumber(rest)
		// The arch runs to the last "_iphoneos" or "_iphonesimulator",
		// as a greedy ".*" before them would take it.
		i := max(strings.LastIndex(rest, "_iphoneos"), strings.LastIndex(rest, "_iphonesimulator"))
		if ok1 && ok2 && i >= 0 && pypiIOSArches[rest[:i]] {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(tag, "android_"); ok {
		_, arch, ok := cutNumber(rest)
		if ok && pypiAndroidArches[arch] {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(tag, "pyemscripten_"); ok {
		_, rest, ok1 := cutNumber(rest)
		_, rest, ok2 := cutNumber(rest)
		return ok1 && ok2 && strings.HasPrefix(rest, "wasm32")
	}
	return false
}

// linuxArchOK reports whether rest is "{X}_{Y}_{arch}" with a listed arch.
func linuxArchOK(rest string, arches map[string]bool) bool {
	_, rest, ok1 := cutNumber(rest)
	_, arch, ok2 := cutNumber(rest)
	return ok1 && ok2 && arches[arch]
}

// cutNumber splits "{digits}_{rest}" into the digits and rest; ok is
// false unless s starts with at least one decimal digit followed by "_".
func cutNumber(s string) (num, rest string, ok bool) {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) })
	if i <= 0 || s[i] != '_' {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}
