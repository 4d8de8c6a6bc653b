package pypitest

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/trustpub/pypi/dist/verify"
)

// Warehouse's messages for the checks of this file
// (warehouse/forklift/forms.py, legacy.py, attestations/services.py).
const (
	badExtension = "Invalid file extension: Use .tar.gz, .whl or .zip extension. " +
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
	if name == "" || !projectNameRe.MatchString(name) {
		// verify.Name words the refusal; the rule is Warehouse's form
		// regex, which under Go's (?i) also lets U+017F and U+212A
		// through, so whatever it refuses verify.Name refuses too.
		var e *verify.Error
		errors.As(verify.Name(name), &e)
		return e.Message
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
