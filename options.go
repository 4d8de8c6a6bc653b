package pypi

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/internal/deadline"
	"github.com/trustpub/pypi/internal/redact"
	"github.com/trustpub/pypi/upload"
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
	// TestPyPI (names in any case; see UploadURL), or the URL of any
	// index's legacy upload endpoint. Plain http is accepted only for
	// loopback addresses.
	Repository string
	// ReadAPIURL is the root of the index's read APIs (simple and JSON),
	// used to find files already uploaded and to link to them; "" derives
	// it from the upload URL (https://pypi.org/ for PyPI).
	ReadAPIURL string

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
	// SkipMismatched, with SkipExisting, also skips a file the index
	// holds under the same name with another sha256, as twine does (a
	// non-reproducible build); its Result's Mismatch names both digests.
	// Without it such a file fails with an *upload.MismatchError.
	SkipMismatched bool
	// Comment is sent with each file as its "comment" field, when not
	// empty (twine's --comment).
	Comment string
	// Checks selects the rules the files are checked against.
	Checks Checks
	// Attestations says whether PEP 740 attestations are generated and
	// sent. PyPI and TestPyPI accept them only with a Trusted Publishing
	// token, from GitHub, GitLab and Google Cloud publishers, and other
	// indexes not at all; gh-action-pypi-publish generates them exactly
	// then, and so does upload.AttestationsAuto (the zero value): once
	// the token is minted and before the first upload, it signs a publish
	// attestation for each file with Signer, writes it beside the file as
	// attest.Filename(path) (where twine and uv read it too) and uploads
	// the file with it, and with any other attestation file beside it
	// (e.g. <file>.slsa.attestation). A file that has its
	// <file>.publish.attestation already keeps it: it is checked and sent,
	// and no other is made. When signing fails, nothing is uploaded (an
	// *AttestationError). upload.AttestationsRequire does the same, but
	// fails with ErrAttestationsUnavailable, before anything is sent, when
	// the upload cannot carry attestations; upload.AttestationsOff neither
	// generates nor sends any.
	Attestations upload.Attestations
	// Signer signs the attestations. Nil means one using Sigstore's
	// public-good instance (attest.DefaultFulcioURL, attest.DefaultRekorURL)
	// with identity tokens of audience "sigstore" from the CI that gives
	// the Trusted Publishing token: tokens of their own, never the one
	// PyPI sees. A Signer without IDToken is used as a template: Publish
	// signs with a new Signer of its settings and the CI's tokens (its
	// HTTPClient defaulting to Options.HTTPClient). Setting Signer (e.g.
	// to one pointed at a pypitest.Sigstore) also makes an index other
	// than PyPI and TestPyPI, such as a fake PyPI, get attestations.
	Signer *attest.Signer
	// Concurrency is how many files are uploaded at once after the first
	// file of each release, which goes alone; 0 means 4.
	Concurrency int
	// DryRun stops after the checks: no credentials are fetched and
	// nothing is sent. Each file's Result has the upload form it would
	// have been sent with, and its digests (HashBeforeUpload is implied).
	DryRun bool
	// HashBeforeUpload computes each file's digests, md5 included, with
	// its checks, so that EventKindChecked's Result has them (for a report
	// such as print-hash); each upload then sends them before the file,
	// as twine does. Without it a wheel is hashed while it is sent (its
	// Result has sha256 and blake2b-256 when EventKindDone reports it),
	// and an sdist while it is checked.
	HashBeforeUpload bool

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
	// Timeout bounds connecting to a server and any silence on a
	// connection: when no byte moves either way for that long, the
	// request fails (an upload is then retried, after asking the index
	// whether the file arrived). An upload is never cut off while it
	// moves. 0 means the environment variable UV_HTTP_TIMEOUT, read
	// through Getenv as uv reads it (a whole number of seconds), and 60
	// seconds without it; a negative value means no timeout. It applies
	// when HTTPClient's Transport is nil or an *http.Transport.
	Timeout time.Duration
}

// timeoutEnv is the environment variable Options.Timeout defaults to.
const timeoutEnv = "UV_HTTP_TIMEOUT"

// resolveTimeout sets Timeout from UV_HTTP_TIMEOUT or the default when
// it is 0. Like uv, an empty value counts as unset and another value
// must be a whole number of seconds (uv parses it as a Rust u64: digits,
// perhaps after a "+"); uv stops on an invalid value, and so does this.
// uv would take 0 as a timeout that expires at once: it is refused too.
func (o *Options) resolveTimeout() error {
	if o.Timeout != 0 {
		return nil
	}
	v := o.getenv(timeoutEnv)
	if v == "" {
		o.Timeout = upload.DefaultTimeout
		return nil
	}
	digits := strings.TrimPrefix(v, "+")
	n, err := strconv.ParseUint(digits, 10, 32) // refuses "", a second '+' and '_'
	if err != nil || n == 0 {
		return fmt.Errorf("pypi: invalid %s %q: want a whole number of seconds, at least 1", timeoutEnv, v)
	}
	o.Timeout = time.Duration(n) * time.Second
	return nil
}

func (o *Options) getenv(key string) string {
	if o.Getenv == nil {
		return os.Getenv(key)
	}
	return o.Getenv(key)
}

// protect makes every secret the run sees (the credentials given, the
// CI's identity token request token, and, through Masker, identity and
// upload tokens) redacted from the log, and returns the set of them.
func (o *Options) protect() *redact.Set {
	set := &redact.Set{}
	set.Add(o.Token, o.Password, o.getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN"))
	masker := o.Masker
	o.Masker = func(secret string) {
		set.Add(secret)
		if masker != nil {
			masker(secret)
		}
	}
	if o.Logger != nil {
		o.Logger = slog.New(redact.Handler(o.Logger.Handler(), set))
	}
	return set
}

func (o *Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// httpClient is HTTPClient with the Timeout, for the identity provider
// and the mint (upload.Client applies the Timeout itself).
func (o *Options) httpClient() *http.Client {
	return deadline.Client(o.HTTPClient, o.Timeout)
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
