package pypitest

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/trustpub/pypi/dist/verify"
	"github.com/trustpub/pypi/internal/pyfmt"
)

// Warehouse's messages for the checks of this file
// (warehouse/forklift/forms.py, legacy.py, attestations/services.py).
const (
	coreMetadataHelp = " See " + verify.CoreMetadataURL + " for more information."
	nameRule         = "Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'."
	badExtension     = "Invalid file extension: Use .tar.gz, .whl or .zip extension. " +
		"See https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information"
	attestationsPrefix = "Invalid attestations supplied during upload: "
)

var (
	projectNameRe = regexp.MustCompile(`(?i)^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$`)
	hexDigestRe   = regexp.MustCompile(`(?i)^[A-F0-9]{64}$`)
	extensionRe   = regexp.MustCompile(`(?i)^.+?(\.(tar\.gz|zip|whl))$`)
)

// checkFormFields is Warehouse's UploadForm: the first failing check, in
// its order (name, then the other fields by key, then the digests
// together), or "".
func checkFormFields(f *uploadForm) string {
	name := f.value("name")
	switch {
	case name == "":
		return "'' is an invalid value for Name. Error: This field is required." + coreMetadataHelp
	case !projectNameRe.MatchString(name):
		return fmt.Sprintf("%s is an invalid value for Name. Error: %s%s", pyfmt.Repr(shorten(name)), nameRule, coreMetadataHelp)
	}
	b2, sha := f.value("blake2_256_digest"), f.value("sha256_digest")
	if b2 != "" && !hexDigestRe.MatchString(b2) {
		return "Invalid value for blake2_256_digest. Error: Use a valid, hex-encoded, BLAKE2 message digest."
	}
	filetype := f.value("filetype")
	switch filetype {
	case "":
		return "Invalid value for filetype. Error: This field is required."
	case "sdist", "bdist_wheel":
	default:
		return "Invalid value for filetype. Error: Use a known file type."
	}
	switch pv := f.value("pyversion"); {
	case filetype != "sdist" && pv == "":
		return "Invalid value for pyversion. Error: Python version is required for binary distribution uploads."
	case filetype == "sdist" && pv != "" && pv != "source":
		return "Invalid value for pyversion. Error: Use 'source' as Python version for an sdist."
	}
	if sha != "" && !hexDigestRe.MatchString(sha) {
		return "Invalid value for sha256_digest. Error: Use a valid, hex-encoded, SHA256 message digest."
	}
	if b2 == "" && sha == "" && f.value("md5_digest") == "" {
		return "Error: Include at least one message digest."
	}
	return ""
}

// shorten returns a form value as Warehouse quotes it in an error: a value
// longer than 60 characters becomes its first 30, "..." and its last 30
// (warehouse/forklift/legacy.py, file_upload).
func shorten(v string) string {
	r := []rune(v)
	if len(r) <= 60 {
		return v
	}
	return string(r[:30]) + "..." + string(r[len(r)-30:])
}

// checkFilename is Warehouse's _validate_filename and the extension's
// match with the filetype, or "".
func checkFilename(filename, filetype string) string {
	switch {
	case strings.ContainsFunc(filename, func(r rune) bool { return r < 32 || r == 127 }):
		return "Cannot upload a file with non-printable characters (ordinals 0-31) or the DEL character (ordinal 127) in the name."
	case strings.ContainsAny(filename, `/\`):
		return `Cannot upload a file with '/' or '\' in the name.`
	}
	m := extensionRe.FindStringSubmatch(filename)
	if m == nil {
		return badExtension
	}
	ext := m[1]
	if ok := filetype == "sdist" && (ext == ".zip" || ext == ".tar.gz") || filetype == "bdist_wheel" && ext == ".whl"; !ok {
		return fmt.Sprintf("Invalid file extension: Extension %s is invalid for filetype %s. See https://www.python.org/dev/peps/pep-0527 for more information.", ext, filetype)
	}
	return ""
}
