package pypi

import (
	"log/slog"
	"net/http"
	"time"
)

// Repository names that Options.Repository accepts besides upload URLs.
const (
	PyPI     = "pypi"     // https://upload.pypi.org/legacy/
	TestPyPI = "testpypi" // https://test.pypi.org/legacy/
)

// TrustedPublishing says when Publish gets its credentials by Trusted
// Publishing, with the meanings uv gives its --trusted-publishing modes.
type TrustedPublishing int

const (
	// TrustedPublishingAuto (the zero value) uses Trusted Publishing when
	// no token, username or password is given and the program runs in a
	// CI system that hands out identity tokens. An index without Trusted
	// Publishing is then used without credentials, unless it is PyPI or
	// TestPyPI, which need them.
	TrustedPublishingAuto TrustedPublishing = iota
	// TrustedPublishingAlways requires Trusted Publishing: giving other
	// credentials, or failing to get a token, is an error.
	TrustedPublishingAlways
	// TrustedPublishingNever uses only the credentials given, or none.
	TrustedPublishingNever
)

// String returns "auto", "always" or "never".
func (m TrustedPublishing) String() string {
	switch m {
	case TrustedPublishingAlways:
		return "always"
	case TrustedPublishingNever:
		return "never"
	}
	return "auto"
}

// Checks selects the rules the files are checked against before upload.
type Checks int

const (
	// ChecksAuto (the zero value) checks by PyPI's rules for pypi.org and
	// test.pypi.org, and by lenient rules (what pip and uv accept)
	// elsewhere.
	ChecksAuto Checks = iota
	// ChecksPyPI checks by PyPI's rules whatever the index, e.g. for a
	// fake PyPI in tests.
	ChecksPyPI
	// ChecksLenient checks by lenient rules whatever the index.
	ChecksLenient
	// ChecksNone skips the metadata checks; only a file that cannot be
	// read as a distribution at all is refused. The index still judges
	// what it receives.
	ChecksNone
)

// Attestations says whether PEP 740 attestation files, kept beside the
// distributions as <file>.<kind>.attestation, are uploaded with them.
// PyPI and TestPyPI accept attestations only from a Trusted Publishing
// identity; other indexes do not take them.
type Attestations int

const (
	// AttestationsAuto (the zero value) sends the attestation files found
	// beside each distribution when uploading to PyPI or TestPyPI by
	// Trusted Publishing, and none otherwise.
	AttestationsAuto Attestations = iota
	// AttestationsRequire sends them and fails a file that has none. When
	// the upload is not by Trusted Publishing to PyPI or TestPyPI, they
	// are not sent and Publish reports a warning (as
	// gh-action-pypi-publish ignores its attestations input).
	AttestationsRequire
	// AttestationsOff never sends attestations.
	AttestationsOff
)

// Options say what Publish uploads, where, and how. The zero value
// uploads the distributions in the directory "dist" to PyPI by Trusted
// Publishing, checked by PyPI's rules, four files at a time after the
// first of each release.
type Options struct {
	// Files are the distributions to upload: paths of files, directories
	// (their wheels, .tar.gz and .zip sdists, not their subdirectories)
	// and glob patterns (path/filepath.Match syntax). Signatures (.asc)
	// and attestations (.attestation) are not distributions and are left
	// out. Nil means "dist".
	Files []string

	// Repository is where to upload: "" or PyPI for PyPI, TestPyPI for
	// TestPyPI, or the URL of any index's legacy upload endpoint. Plain
	// http is accepted only for loopback addresses.
	Repository string
	// IndexURL is the root of the index's read APIs (simple and JSON),
	// used to find files already uploaded and to link to them; "" derives
	// it from the upload URL (https://pypi.org/ for PyPI).
	IndexURL string

	// Token is an API token ("pypi-..."), sent as HTTP Basic
	// "__token__:<token>".
	Token string
	// Username and Password are HTTP Basic credentials, for indexes that
	// take them. A Username of "__token__" (or "" with a Password) makes
	// Password an API token; PyPI takes no other.
	Username, Password string
	// TrustedPublishing says when to get a token by Trusted Publishing.
	TrustedPublishing TrustedPublishing
	// Getenv reads the CI environment for Trusted Publishing (the
	// identity token request, GitHub's event file...); nil means
	// os.Getenv.
	Getenv func(string) string
	// Masker, if set, is called with every secret Publish uses (Token,
	// Password, identity and upload tokens) before it is used, so that a
	// CI log can hide it (under GitHub Actions: "::add-mask::<secret>").
	Masker func(secret string)

	// SkipExisting makes a file the index already has (same name and
	// sha256) a success instead of an error.
	SkipExisting bool
	// Checks selects the rules the files are checked against.
	Checks Checks
	// Attestations says whether attestation files are sent.
	Attestations Attestations
	// Concurrency is how many files are uploaded at once after the first
	// file of each release, which goes alone; 0 means 4.
	Concurrency int
	// DryRun stops after the checks: no credentials are fetched and
	// nothing is sent. Each file's Result has the upload form it would
	// have been sent with.
	DryRun bool

	// Events, if set, is told what Publish is doing (see Event). It is
	// called from several goroutines at once during uploads, and must be
	// quick.
	Events func(Event)
	// Logger receives debug and progress messages; nil means none. No
	// secret is ever logged.
	Logger *slog.Logger
	// HTTPClient makes every request (identity provider, index); nil
	// means a client with http.DefaultTransport.
	HTTPClient *http.Client
	// Timeout bounds every network wait: connecting, and any stretch
	// without progress in a request. 0 means UV_HTTP_TIMEOUT seconds when
	// that is set, else 60 seconds.
	Timeout time.Duration
}

func (o *Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

func (o *Options) httpClient() *http.Client {
	if o.HTTPClient == nil {
		return &http.Client{}
	}
	return o.HTTPClient
}

func (o *Options) mask(secret string) {
	if o.Masker != nil && secret != "" {
		o.Masker(secret)
	}
}

func (o *Options) emit(e Event) {
	if o.Events != nil {
		o.Events(e)
	}
}
