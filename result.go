package pypi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/upload"
)

// Verdict is the checks' judgement of one file. A file is sent only if
// every file's verdict is VerdictPassed or VerdictWarnings.
type Verdict int

// The verdicts, as twine check words them.
const (
	// VerdictPassed: no problem was found.
	VerdictPassed Verdict = iota
	// VerdictWarnings: only warnings were found; the file can be sent.
	VerdictWarnings
	// VerdictFailed: the file cannot be sent: it could not be read, its
	// upload form could not be made, it has an error-severity problem or
	// another file has its name. Result.Err says why.
	VerdictFailed
)

var verdictNames = []string{"PASSED", "PASSED with warnings", "FAILED"}

// String returns "PASSED", "PASSED with warnings" or "FAILED".
func (v Verdict) String() string {
	if v < 0 || int(v) >= len(verdictNames) {
		return fmt.Sprintf("Verdict(%d)", int(v))
	}
	return verdictNames[v]
}

// MarshalText returns String in lower case, with "_" for spaces:
// "passed_with_warnings".
func (v Verdict) MarshalText() ([]byte, error) {
	return []byte(strings.ReplaceAll(strings.ToLower(v.String()), " ", "_")), nil
}

// Result is what Publish did with one file: what the checks found, and
// the upload's result, whose Outcome is upload.OutcomeNotSent for a file
// not sent and upload.OutcomeFailed, with Err, for one that failed its
// checks or its upload.
type Result struct {
	upload.Result
	Path string    // the path it was read from
	Kind dist.Kind // wheel or sdist; 0 if the name did not parse
	Size int64     // bytes
	// Digests are the file's digests, as far as they are known: md5 only
	// with HashBeforeUpload or DryRun, and a wheel's sha256 and
	// blake2b-256 only with those or once it is sent (see
	// Options.HashBeforeUpload).
	Digests dist.Digests
	Name    string // the project name, as the metadata writes it
	Version string // the version, as the metadata writes it
	// URL is where the file's release can be seen: its page on PyPI and
	// TestPyPI, the project's simple index page elsewhere. "" unless the
	// file is on the index.
	URL string
	// Problems are what the checks found, warnings included.
	Problems []*dist.Problem
	// Verdict is the checks' judgement, final when EventKindChecked reports
	// the file.
	Verdict Verdict
	// Form is the upload form the file is sent with, or in a dry run
	// would be (the file itself follows it). It has the digest fields
	// when they were known before the upload, which then sends them
	// before the file; otherwise they follow the file, hashed as it is
	// sent, and are not listed here.
	Form []upload.Field
	// Attestations are those Publish generated for the file (see
	// Options.Attestations); the files already beside it are not listed.
	Attestations []Attestation
}

// Sentinels for the errors Publish returns; test with errors.Is.
var (
	// ErrNoDistributions: the files given hold no distribution.
	ErrNoDistributions = errors.New("pypi: no distributions to publish")
	// ErrChecksFailed: files failed their checks, so none was sent.
	ErrChecksFailed = errors.New("pypi: files failed their checks; nothing was uploaded")
	// ErrUploadFailed: files failed to upload.
	ErrUploadFailed = errors.New("pypi: files failed to upload")
	// ErrNoCredentials: no credentials were given and Trusted Publishing
	// was not possible, for an index that needs them.
	ErrNoCredentials = errors.New("pypi: no credentials: give an API token, or run where Trusted Publishing works (GitHub Actions, GitLab CI, Buildkite, CircleCI, Google Cloud)")
	// ErrPasswordRefused: PyPI and TestPyPI take no passwords, only API
	// tokens and Trusted Publishing.
	ErrPasswordRefused = errors.New("pypi: PyPI refuses username/password uploads: use an API token (username __token__) or Trusted Publishing")
)

// FilesError is Publish's error when files failed: errors.Is tells
// whether they failed their checks (ErrChecksFailed, and none was sent)
// or their upload (ErrUploadFailed).
type FilesError struct {
	Errs []error // one per failed file, each naming its file

	sentinel error // ErrChecksFailed or ErrUploadFailed
}

// Error returns the sentinel's message, the number of files and the
// first line of each file's error, on one line.
func (e *FilesError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v (%d file(s))", e.sentinel, len(e.Errs))
	sep := ": "
	for _, err := range e.Errs {
		first, _, _ := strings.Cut(err.Error(), "\n")
		b.WriteString(sep + first)
		sep = "; "
	}
	return b.String()
}

// Unwrap returns the sentinel and the files' errors.
func (e *FilesError) Unwrap() []error { return append([]error{e.sentinel}, e.Errs...) }

// TrustedPublishingError is a failure to get an upload token by Trusted
// Publishing. Err is an *oidc.AmbientError, a *mint.Error or
// oidc.ErrNoAmbientCredential, whose fields let a caller explain the
// failure in its own words.
type TrustedPublishingError struct {
	Err error
}

// Error returns "pypi: trusted publishing: " and Err's message.
func (e *TrustedPublishingError) Error() string {
	return "pypi: trusted publishing: " + e.Err.Error()
}

// Unwrap returns Err.
func (e *TrustedPublishingError) Unwrap() error { return e.Err }
