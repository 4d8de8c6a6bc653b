package dist

import (
	"fmt"
	"strings"
)

// Profile selects the rules a distribution is validated against.
type Profile int

const (
	// Lenient accepts what pip and uv accept; for private indexes.
	// Field-content problems are reported as warnings.
	Lenient Profile = iota
	// PyPI accepts what PyPI's upload endpoint accepts, as far as that can
	// be judged from the file alone.
	PyPI
)

// String returns "lenient" or "pypi".
func (p Profile) String() string {
	if p == PyPI {
		return "pypi"
	}
	return "lenient"
}

// Severity tells an error from a warning.
type Severity int

const (
	// SeverityError problems make the index refuse the file.
	SeverityError Severity = iota
	// SeverityWarning problems are worth fixing but do not stop an upload.
	SeverityWarning
)

// Rule identifiers: every Problem.Rule is one of these or, for the
// metadata rules PyPI applies (field contents, Metadata-Version, fields
// newer than it, required fields), one of package verify's Rule
// constants. They are stable.
const (
	// Rules of the file name (ParseFilename's rules, then the name against the metadata).
	RuleFilenameBuild          = "filename-build"
	RuleFilenameCanonical      = "filename-canonical"
	RuleFilenameCharacters     = "filename-characters"
	RuleFilenameExtension      = "filename-extension"
	RuleFilenameName           = "filename-name"
	RuleFilenameNormalizedName = "filename-normalized-name"
	RuleFilenameParts          = "filename-parts"
	RuleFilenamePEP625         = "filename-pep625"
	RuleFilenameProject        = "filename-project"
	RuleFilenameTags           = "filename-tags"
	RuleFilenameVersion        = "filename-version"
	RulePlatformTag            = "platform-tag"

	// Rules of the ZIP archive of a wheel or legacy sdist.
	RuleZipCDComment      = "zip-cd-comment"
	RuleZipCompression    = "zip-compression"
	RuleZipDataDescriptor = "zip-data-descriptor"
	RuleZipDuplicateExtra = "zip-duplicate-extra"
	RuleZipDuplicateName  = "zip-duplicate-name"
	RuleZipEncrypted      = "zip-encrypted"
	RuleZipLocalName      = "zip-local-name"
	RuleZipMalformed      = "zip-malformed"
	RuleZipNameCharacter  = "zip-name-character"
	RuleZipNameUTF8       = "zip-name-utf8"
	RuleZipNotZip         = "zip-not-zip"
	RuleZipRecordCount    = "zip-record-count"
	RuleZipSizeMismatch   = "zip-size-mismatch"
	RuleZipTrailingData   = "zip-trailing-data"
	RuleZipUnknownRecord  = "zip-unknown-record"
	RuleZip64Extensible   = "zip64-extensible"

	// Rules of the tar archive of an sdist and its layout.
	RulePkgInfoMissing    = "pkg-info-missing"
	RulePkgInfoMultiple   = "pkg-info-multiple"
	RulePkgInfoNotRegular = "pkg-info-not-regular"
	RulePkgInfoTooLarge   = "pkg-info-too-large"
	RuleSdistRoot         = "sdist-root"
	RuleSdistTopLevel     = "sdist-top-level"
	RuleTarCorrupt        = "tar-corrupt"
	RuleTarLinkEscapes    = "tar-link-escapes"
	RuleTarNotTar         = "tar-not-tar"
	RuleTarSparse         = "tar-sparse"
	RuleTarSpecial        = "tar-special"
	RuleTarType           = "tar-type"

	// Rules of every archive.
	RuleArchiveLimit     = "archive-limit"
	RuleCompressionRatio = "compression-ratio"
	RuleUnreadable       = "unreadable"
	RuleUnsafePath       = "unsafe-path"

	// Rules of a wheel's .dist-info directory and its members.
	RuleDistInfoMissing    = "dist-info-missing"
	RuleDistInfoMultiple   = "dist-info-multiple"
	RuleDistInfoName       = "dist-info-name"
	RuleEntryPoints        = "entry-points"
	RuleEntryPointsLimit   = "entry-points-limit"
	RuleLicenseFileMissing = "license-file-missing"
	RuleMetadataMissing    = "metadata-missing"
	RuleRecordInvalid      = "record-invalid"
	RuleRecordLimit        = "record-limit"
	RuleRecordMismatch     = "record-mismatch"
	RuleRecordMissing      = "record-missing"
	RuleRecordWeakHash     = "record-weak-hash"
	RuleWheelLimit         = "wheel-limit"
	RuleWheelMissing       = "wheel-missing"
	RuleWheelTags          = "wheel-tags"
	RuleWheelUnreadable    = "wheel-unreadable"
	RuleWheelVersion       = "wheel-version"

	// Rules of the core metadata beside the field-content rules of package verify.
	RuleDescriptionRender    = "description-render"
	RuleImportNameOverlap    = "import-name-overlap"
	RuleMetadataUnreadable   = "metadata-unreadable"
	RuleMetadataVersionNewer = "metadata-version-newer"
)

// Problem is one thing wrong with a distribution file.
type Problem struct {
	File     string   // base name of the distribution file
	Field    string   // metadata field ("Version"), or "filename", "archive", "WHEEL", ...
	Rule     string   // the rule's stable identifier: a Rule constant here or in package verify
	Message  string   // what is wrong, in PyPI's words where PyPI has words for it
	Severity Severity // SeverityError or SeverityWarning
}

// Error returns "file: field: message" (with "warning: " before the
// message for warnings).
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	if p.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError is every error-severity problem found in one file.
type ValidationError struct {
	File     string
	Problems []*Problem
}

// Error lists the problems, one a line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dist: %s: %d problem(s):", e.File, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.As finds each *Problem.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}
