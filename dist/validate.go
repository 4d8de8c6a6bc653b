package dist

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustpub/pypi/dist/pep440"
	"github.com/trustpub/pypi/dist/verify"
	"github.com/trustpub/pypi/internal/pyfmt"
)

// Check returns every problem of d under profile p, errors and warnings,
// in a stable order, never the same problem twice; the package
// documentation lists what each profile refuses.
func (d *Distribution) Check(p Profile) []*Problem {
	c := &checker{d: d, p: p, file: filepath.Base(d.Path), m: d.Metadata, seen: map[string]bool{}}
	if d.Kind() == Wheel {
		c.wheelFilename()
	} else {
		c.sdistFilename()
	}
	content := checkContent(c.file, d.Metadata, p)
	c.metadataVersion()
	c.required(content)
	c.localVersion()
	c.archive()
	for _, pr := range content {
		c.addProblem(pr)
	}
	return c.problems
}

// Validate returns nil if d has no error-severity problem under p, and
// otherwise a *ValidationError holding every one of them.
func (d *Distribution) Validate(p Profile) error {
	var errs []*Problem
	for _, pr := range d.Check(p) {
		if pr.Severity == SeverityError {
			errs = append(errs, pr)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{File: filepath.Base(d.Path), Problems: errs}
}

// checker collects the problems of one Check call.
type checker struct {
	d        *Distribution
	p        Profile
	file     string
	m        *Metadata
	problems []*Problem
	seen     map[string]bool // field + message, so that no problem is told twice
}

func (c *checker) addProblem(pr *Problem) {
	key := pr.Field + "\x00" + pr.Message
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.problems = append(c.problems, pr)
}

func (c *checker) add(sev Severity, field, rule, format string, args ...any) {
	c.addProblem(&Problem{File: c.file, Field: field, Rule: rule, Message: fmt.Sprintf(format, args...), Severity: sev})
}

// pypiError is Error under PyPI and Warning otherwise.
func (c *checker) pypiError() Severity {
	if c.p == PyPI {
		return SeverityError
	}
	return SeverityWarning
}

// versions parses the metadata and filename versions; ok is false when
// either is not PEP 440 (the metadata one is then a content problem).
func (c *checker) versions() (meta, file pep440.Version, ok bool) {
	mv, err1 := pep440.Parse(c.m.Version)
	fv, err2 := pep440.Parse(c.d.Filename.Version)
	return mv, fv, err1 == nil && err2 == nil
}

// nameMatches checks the project name of the file name, as written in
// it, against the metadata's, as Warehouse does first; it reports whether
// they match.
func (c *checker) nameMatches(written string) bool {
	if c.m.Name == "" {
		return false
	}
	if NormalizeName(written) != NormalizeName(c.m.Name) {
		c.add(SeverityError, "filename", RuleFilenameProject, "Start filename for %s with %s.", pyfmt.Repr(c.m.Name), pyfmt.Repr(EscapeName(c.m.Name)))
		return false
	}
	return true
}

func (c *checker) wheelFilename() {
	f := c.d.Filename
	if c.p == PyPI {
		for _, plat := range f.PlatformTags {
			if plat = strings.ToLower(plat); !validPyPIPlatformTag(plat) {
				c.add(SeverityError, "filename", RulePlatformTag, "Binary wheel '%s' has an unsupported platform tag '%s'.", c.file, plat)
			}
		}
	}
	if !c.nameMatches(f.Name) {
		return
	}
	if want := EscapeName(c.m.Name); f.Name != want {
		c.add(c.pypiError(), "filename", RuleFilenameNormalizedName, "Filename %s should contain the normalized project name %s, not %s.", pyfmt.Repr(c.file), pyfmt.Repr(want), pyfmt.Repr(f.Name))
	}
	mv, fv, ok := c.versions()
	if !ok {
		return
	}
	if !mv.Equal(fv) {
		c.add(SeverityError, "filename", RuleFilenameVersion, "Version in filename should be %s not %s.", pyfmt.Repr(mv.String()), pyfmt.Repr(fv.String()))
	} else if fv.String() != f.Version {
		c.add(SeverityWarning, "filename", RuleFilenameCanonical, "Filename %s is not canonical, should be %s.", pyfmt.Repr(c.file), pyfmt.Repr(CanonicalWheelFilename(f)))
	}
}

// sdistFilename checks an sdist's name as Warehouse does: the project
// name first, then the whole name against the normalized one. A version
// that differs is an error under every profile, a spelling that differs
// only under PyPI.
func (c *checker) sdistFilename() {
	name, version := c.d.Filename.Name, c.d.Filename.Version
	mv, mvErr := pep440.Parse(c.m.Version)
	if mvErr == nil && mv.IsPostrelease() && NormalizeName(name) != NormalizeName(c.m.Name) {
		name, version = splitPostRelease(c.file, name, version)
	}
	if !c.nameMatches(name) {
		return
	}
	want := CanonicalSdistFilename(c.m.Name, c.m.Version)
	if c.file == want {
		return
	}
	sev, rule := c.pypiError(), RuleFilenamePEP625
	if mvErr == nil {
		if fv, err := pep440.Parse(version); err != nil || !mv.Equal(fv) {
			sev, rule = SeverityError, RuleFilenameVersion
		}
	}
	c.add(sev, "filename", rule, "Filename %s is invalid, should be %s.", pyfmt.Repr(c.file), pyfmt.Repr(want))
}

// splitPostRelease re-splits the sdist file name as Warehouse does when
// the metadata's version is a post-release and the name does not match:
// "sample-1.0-1.tar.gz" is project "sample", version "1.0-1", when that
// version parses. Otherwise name and version stay as parsed.
func splitPostRelease(file, name, version string) (string, string) {
	stem := strings.TrimSuffix(file, ".tar.gz")
	cut := strings.LastIndexByte(stem, '-')
	if cut < 0 {
		return name, version
	}
	cut = strings.LastIndexByte(stem[:cut], '-')
	if cut < 0 {
		return name, version
	}
	if _, err := pep440.Parse(stem[cut+1:]); err != nil {
		return name, version
	}
	return stem[:cut], stem[cut+1:]
}

// metadataVersion applies the Metadata-Version rules: PyPI's supported
// set, or for Lenient the specification's (fail on an unknown major,
// warn on a newer minor), then the gating of newer fields.
func (c *checker) metadataVersion() {
	v := c.m.MetadataVersion
	shown := pyfmt.Repr(v)
	if !c.m.Present("Metadata-Version") {
		shown = "None"
	}
	switch {
	case c.p == PyPI && !metadataVersions[v]:
		c.add(SeverityError, "metadata-version", verify.RuleMetadataVersion, "%s is not a valid metadata version", shown)
	case c.p == Lenient && !knownMetadataVersion(v):
		if major, minor, ok := strings.Cut(v, "."); ok && major == "2" && len(minor) > 0 && allDigits(minor) && (len(minor) > 1 || minor > "6") {
			c.add(SeverityWarning, "metadata-version", RuleMetadataVersionNewer, "Metadata-Version %s is newer than 2.6, the newest known here", v)
		} else {
			c.add(SeverityError, "metadata-version", verify.RuleMetadataVersion, "%s is not a valid metadata version", shown)
		}
	}
	for _, f := range c.m.FieldsNewerThan(v) {
		sev := c.pypiError()
		if f == "License-File" {
			// setuptools wrote License-File under 2.1 for years; twine and
			// uv leave it out of the upload below 2.4, so PyPI never sees it.
			sev = SeverityWarning
		}
		var e *verify.Error
		if errors.As(verify.FieldIntroduced(f, FieldIntroduced(f), v), &e) {
			c.add(sev, e.Field, e.Rule, "%s", e.Message)
		}
	}
}

// required reports a missing Name or Version in packaging's words, unless
// the content checks already judged the field (PyPI's upload form answers
// a missing name before packaging sees it).
func (c *checker) required(content []*Problem) {
	nameJudged := slices.ContainsFunc(content, func(p *Problem) bool { return p.Field == "name" && p.Severity == SeverityError })
	if strings.TrimSpace(c.m.Name) == "" && !nameJudged {
		c.add(SeverityError, "name", verify.RuleRequired, "'name' is a required field")
	}
	if strings.TrimSpace(c.m.Version) == "" {
		c.add(SeverityError, "version", verify.RuleRequired, "'version' is a required field")
	}
}

func (c *checker) localVersion() {
	if c.p != PyPI {
		return
	}
	if v, err := pep440.Parse(c.m.Version); err == nil && v.Local() != "" {
		c.add(SeverityError, "version", verify.RuleLocalVersion, "The use of local versions in %s is not allowed.", pyfmt.Repr(v.String()))
	}
}

// archive re-reads what Open did not keep: the ZIP framing rules that only
// PyPI enforces, and the members a wheel must have. It also checks that
// every License-File is in the archive.
func (c *checker) archive() {
	isZip := c.d.Filename.Ext != ".tar.gz"
	if isZip {
		ra, closeFn, err := c.d.content()
		if err != nil {
			c.add(SeverityError, "archive", RuleUnreadable, "%v", err)
			return
		}
		defer closeFn()
		z, is := readZip(whole(ra, c.d.Size), c.d.Size, true)
		for _, i := range is {
			sev := SeverityError
			if i.pypiOnly {
				sev = c.pypiError()
			}
			c.add(sev, "archive", i.rule, "%s", i.msg)
		}
		if z == nil {
			return
		}
		if c.d.Kind() == Wheel {
			c.wheelMembers(z)
			return
		}
	}
	root := sdistRoot(c.d.Members)
	if want := strings.TrimSuffix(c.file, c.d.Filename.Ext); root != want {
		c.add(SeverityWarning, "archive", RuleSdistRoot, "the top-level directory is %s, not %s as the file name says", pyfmt.Repr(root), pyfmt.Repr(want))
	}
	c.licenseFiles(root)
}

// wheelMembers checks the .dist-info directory: named as the file (PyPI),
// with WHEEL, RECORD and METADATA, a readable WHEEL, a RECORD listing the
// archive, valid entry points and the License-File members.
func (c *checker) wheelMembers(z *zipArchive) {
	dirs := distInfoDirs(z.names())
	if len(dirs) != 1 {
		return // Open refused it
	}
	dir, want := dirs[0], rawNameVersion(c.file)+".dist-info"
	switch {
	case dir == want:
	case c.p == PyPI: // Warehouse reads the members at the file name's prefix
		c.add(SeverityError, "archive", RuleDistInfoName, "Invalid distribution file. WHEEL not found at %s/WHEEL", want)
		c.add(SeverityError, "archive", RuleMetadataMissing, "Wheel '%s' does not contain the required METADATA file: %s/METADATA", c.file, want)
	default:
		c.add(SeverityWarning, "archive", RuleDistInfoName, "the .dist-info directory is %s, not %s as the file name says (PyPI refuses that)", pyfmt.Repr(dir), pyfmt.Repr(want))
	}
	c.wheelFile(z, dir)
	if _, ok := z.member(dir + "/RECORD"); !ok {
		c.add(SeverityError, "archive", RuleRecordMissing, "Wheel '%s' does not contain the required RECORD file: %s/RECORD", c.file, dir)
	} else {
		c.record(z, dir)
	}
	if e, ok := z.member(dir + "/entry_points.txt"); ok {
		c.entryPoints(z, e)
	}
	licenses := dir + "/licenses"
	if c.p == PyPI {
		licenses = want + "/licenses"
	}
	c.licenseFiles(licenses)
}

// maxWheelFile caps the WHEEL member, read while METADATA is held: a
// real one is a few hundred bytes (a few lines and the Tag lines of its
// file name).
const maxWheelFile = 1 << 20

// wheelFile checks WHEEL: present, with a Wheel-Version installers accept
// (major 1; a newer minor is a warning; the first one counts, as in uv),
// and Tag lines that expand the file name's tags.
func (c *checker) wheelFile(z *zipArchive, dir string) {
	name := dir + "/WHEEL"
	e, ok := z.member(name)
	if !ok {
		c.add(SeverityError, "archive", RuleWheelMissing, "Invalid distribution file. WHEEL not found at %s", name)
		return
	}
	if e.usize > maxWheelFile {
		c.add(SeverityError, "WHEEL", RuleWheelLimit, "%s is larger than %d KiB, the limit for checking it", name, maxWheelFile>>10)
		return
	}
	b, err := z.read(e)
	if err != nil {
		c.add(SeverityError, "WHEEL", RuleWheelUnreadable, "%s: %v", name, err)
		return
	}
	w, err := ParseMetadata(b)
	if err != nil {
		c.add(SeverityError, "WHEEL", RuleWheelUnreadable, "%s: %v", name, err)
		return
	}
	var version string
	var tags []string
	for _, h := range w.Headers {
		switch {
		case strings.EqualFold(h.Name, "Wheel-Version") && version == "":
			version = strings.TrimSpace(h.Value)
		case strings.EqualFold(h.Name, "Tag"):
			tags = append(tags, strings.ToLower(strings.TrimSpace(h.Value)))
		}
	}
	slices.Sort(tags)
	if tags = slices.Compact(tags); len(tags) > 0 && !slices.Equal(tags, c.d.Filename.Tags()) {
		c.add(SeverityWarning, "WHEEL", RuleWheelTags, "%s: the Tag lines %v differ from the file name's tags %v", name, tags, c.d.Filename.Tags())
	}
	// Installers refuse a wheel without a Wheel-Version 1.x; PyPI never
	// reads WHEEL, so under PyPI it is only a warning.
	refused := SeverityError
	if c.p == PyPI {
		refused = SeverityWarning
	}
	major, minor, _ := strings.Cut(version, ".")
	switch {
	case version == "":
		c.add(refused, "WHEEL", RuleWheelVersion, "%s has no Wheel-Version: pip and uv refuse to install the wheel", name)
	case major != "1" || !allDigits(minor):
		c.add(refused, "WHEEL", RuleWheelVersion, "%s: Wheel-Version %s is not supported (only 1.x is): pip and uv refuse to install the wheel", name, version)
	case minor != "0":
		c.add(SeverityWarning, "WHEEL", RuleWheelVersion, "%s: Wheel-Version %s is newer than 1.0", name, version)
	}
}

// maxRecordRows caps the rows of RECORD, whose paths are kept to compare
// with the archive's: a RECORD lists each member once, so real ones have
// as many rows as the archive has files, at most maxMembers.
const maxRecordRows = maxMembers

// record checks RECORD the way Warehouse does: PyPI refuses one that is
// not UTF-8 or that Python's csv module cannot read; for the rest, after
// accepting the wheel, it e-mails the maintainers rather than refusing
// the file: RECORD must list exactly the archive's files, with hashes of
// sha256 or better.
// It streams the member, keeping only paths not in the archive, and stops
// with an error past maxRecordRows rows.
func (c *checker) record(z *zipArchive, dir string) {
	name := dir + "/RECORD"
	e, _ := z.member(name)
	r, err := z.open(e)
	if err != nil {
		c.add(SeverityWarning, "RECORD", RuleRecordInvalid, "%s: %v", name, err)
		return
	}
	defer r.Close()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = -1, true, true
	files := map[string]bool{} // archive file -> listed
	for _, n := range z.names() {
		if !strings.HasSuffix(n, "/") && n != dir+"/RECORD.jws" && n != dir+"/RECORD.p7s" {
			files[n] = false
		}
	}
	extra := map[string]bool{}
	var weak [2]weakHash // md5, sha1
	for rows := 0; ; rows++ {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			c.add(SeverityWarning, "RECORD", RuleRecordInvalid, "%s is not valid CSV: %v", name, err)
			return
		case err != nil:
			c.add(SeverityWarning, "RECORD", RuleRecordInvalid, "%s: %v", name, err)
			return
		}
		if rows == maxRecordRows {
			c.add(SeverityError, "RECORD", RuleRecordLimit, "%s has more than %d rows, the limit for checking it", name, maxRecordRows)
			return
		}
		for _, f := range row {
			switch {
			case !utf8.ValidString(f):
				c.recordUnreadable(name, "is not valid UTF-8")
				return
			case utf8.RuneCountInString(f) > csvFieldLimit:
				c.recordUnreadable(name, fmt.Sprintf("has a field longer than %d characters, the limit of Python's csv module", csvFieldLimit))
				return
			}
		}
		p := strings.ReplaceAll(row[0], `\`, "/")
		if _, ok := files[p]; ok {
			files[p] = true
		} else {
			extra[p] = true
		}
		if len(row) > 1 && row[1] != "" {
			switch algo, _, _ := strings.Cut(row[1], "="); algo {
			case "md5":
				weak[0].add(p)
			case "sha1":
				weak[1].add(p)
			}
		}
	}
	for i, algo := range []string{"md5", "sha1"} {
		switch w := weak[i]; {
		case w.n == 1:
			c.add(SeverityWarning, "RECORD", RuleRecordWeakHash, "%s: %s has a %s hash; use sha256 or better", name, w.first, algo)
		case w.n > 1:
			c.add(SeverityWarning, "RECORD", RuleRecordWeakHash, "%s: %s and %d other file(s) have a %s hash; use sha256 or better", name, w.first, w.n-1, algo)
		}
	}
	var missing, absent []string
	for _, n := range z.names() {
		if listed, ok := files[n]; ok && !listed {
			missing = append(missing, n)
		}
	}
	for p := range extra {
		absent = append(absent, p)
	}
	slices.Sort(absent)
	if len(missing)+len(absent) > 0 {
		c.add(SeverityWarning, "RECORD", RuleRecordMismatch, "%s does not match the archive: %d file(s) not listed %s, %d listed but absent %s",
			name, len(missing), firstFew(missing), len(absent), firstFew(absent))
	}
}

// csvFieldLimit is Python's csv.field_size_limit() by default: longer
// fields are a csv.Error.
const csvFieldLimit = 131072

// recordUnreadable reports a RECORD that Warehouse cannot read (it is not
// UTF-8, or Python's csv module refuses it): Warehouse then answers as if
// RECORD were missing (warehouse/utils/wheel.py, _validate_record).
func (c *checker) recordUnreadable(name, cause string) {
	c.add(c.pypiError(), "RECORD", RuleRecordInvalid, "Wheel '%s' does not contain the required RECORD file: %s%s%s %s", c.file, name, detailSep, name, cause)
}

// weakHash counts the RECORD rows with one weak hash algorithm.
type weakHash struct {
	first string
	n     int
}

func (w *weakHash) add(path string) {
	if w.n == 0 {
		w.first = path
	}
	w.n++
}

// entryPoints checks entry_points.txt as Warehouse does (scanEntryPoints),
// in PyPI's words followed by the cause; past the cap it is an error in
// every profile.
func (c *checker) entryPoints(z *zipArchive, e *zipEntry) {
	r, err := z.open(e)
	if err == nil {
		err = scanEntryPoints(r)
		r.Close()
	}
	if err == nil {
		return
	}
	if epe, ok := err.(*entryPointsError); ok && epe.limit {
		c.add(SeverityError, "entry_points.txt", RuleEntryPointsLimit, "%s: %v", e.name, err)
		return
	}
	c.add(c.pypiError(), "entry_points.txt", RuleEntryPoints, "Wheel '%s' has invalid entry points defined in the entry_points.txt file%s%v", c.file, detailSep, err)
}

// firstFew lists up to three names, for messages about long lists.
func firstFew(names []string) string {
	if len(names) > 3 {
		return "[" + strings.Join(names[:3], " ") + " ...]"
	}
	return fmt.Sprint(names)
}

// licenseFiles checks that each License-File is a member at under/path.
// Under a metadata version older than 2.4 the field itself is the problem.
func (c *checker) licenseFiles(under string) {
	if len(c.m.LicenseFiles) == 0 || slices.Contains(c.m.FieldsNewerThan(c.m.MetadataVersion), "License-File") {
		return
	}
	members := map[string]bool{}
	for _, n := range c.d.Members {
		members[n] = true
	}
	for _, lf := range c.m.LicenseFiles {
		target := path.Join(under, lf)
		if !members[target] {
			c.add(c.pypiError(), "license-file", RuleLicenseFileMissing, "License-File %s does not exist in distribution file %s at %s", lf, c.file, target)
		}
	}
}

// scriptName reports whether s fullmatches Python's [\w.-]+.
func scriptName(s string) bool {
	for _, r := range s {
		if r != '.' && r != '-' && r != '_' && !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			return false
		}
	}
	return s != ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
