package upload

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"time"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/endpoint"
	"github.com/trustpub/pypi/internal/redact"
)

// Upload URLs of the public indexes.
const (
	PyPIURL     = endpoint.PyPIUpload
	TestPyPIURL = endpoint.TestPyPIUpload
)

// DefaultTimeout is a Client's Timeout when it is 0.
const DefaultTimeout = 60 * time.Second

// Client uploads distributions to one index. Its zero value uploads to
// PyPI without credentials (which PyPI refuses); set Token. A Client is
// safe for concurrent use and is not changed by its methods.
type Client struct {
	// URL is the upload endpoint (the legacy API). "" means PyPIURL.
	// It must be https, except to a loopback address.
	URL string
	// ReadAPIURL is the root of the index's read APIs, where files
	// already uploaded are listed (<ReadAPIURL>simple/<name>/, else
	// <ReadAPIURL>pypi/<name>/json); "" derives it from URL, as the
	// function ReadAPIURL does.
	ReadAPIURL string
	// HTTPClient sends the requests; nil means a client with
	// http.DefaultTransport. Its redirect policy is replaced: an upload
	// is never redirected with its credentials (see Upload).
	HTTPClient *http.Client
	// Timeout bounds connecting to the index and any silence on a
	// connection: when no byte moves either way for that long, the
	// attempt fails as a transport error, and is retried like one. A
	// large upload is never cut off while it moves. 0 means
	// DefaultTimeout; a negative value means none. It applies when
	// HTTPClient's Transport is nil or an *http.Transport.
	Timeout time.Duration
	// Token supplies the index's API token, sent as HTTP Basic
	// "__token__:<token>"; it is asked for each request, so a re-minting
	// source (mint.Config.TokenSource) keeps long batches authorised.
	Token oauth2.TokenSource
	// Username and Password are used when Token is nil (for indexes that
	// take passwords; PyPI does not).
	Username, Password string
	// Secrets, if set, returns more secrets to keep out of errors: those
	// the index may have seen and echo back, such as the CI identity
	// token traded for Token's tokens. It is called whenever an answer is
	// read, and must be safe for concurrent use. The Client's own
	// credentials are always kept out.
	Secrets func() []string
	// UserAgent is the User-Agent header; "" means
	// "trustpub-pypi/<module version> <Go version>".
	UserAgent string
	// Retry bounds the retries of failed attempts; the zero value is
	// documented on Retry.
	Retry Retry
	// InsecureAllowHTTP allows plain-http URLs to hosts other than
	// loopback, so credentials and files travel unencrypted.
	InsecureAllowHTTP bool
}

// Options are the per-call settings of Upload and UploadAll. The zero
// value uploads each file, with attestations found beside it, 4 at a
// time, each release's other files after its first.
type Options struct {
	// SkipExisting checks the index before uploading: a file listed with
	// the same sha256 is not sent (OutcomeAlreadyPresent), one with
	// another sha256 is a *MismatchError. An answer saying the file
	// exists that the index listing cannot confirm gives OutcomeSkipped
	// instead of an error.
	SkipExisting bool
	// SkipMismatched, with SkipExisting, skips a file the index lists
	// with another sha256 too (OutcomeSkipped, Result.Mismatch set), as
	// twine's --skip-existing does, instead of a *MismatchError.
	SkipMismatched bool
	// LegacyExistsAnswers also reads Nexus ("updating asset"),
	// Artifactory ("overwrite artifact") and GitLab ("already been
	// taken") answers as "file exists".
	LegacyExistsAnswers bool
	// Comment is sent as the "comment" field when not empty.
	Comment string
	// MD5 also sends md5_digest, for old indexes that want it (twine
	// 6.2 stopped sending it; PyPI verifies every digest sent).
	MD5 bool
	// DigestsFirst sends the digest fields before the file, as twine
	// orders them, hashing the file before sending it, for an index that
	// judges the form before reading the whole body. Without it the
	// digests go after the file, which is hashed as it is sent, unless
	// they are known already; and after an index refuses a form for
	// lacking them (Warehouse's "Include at least one message digest."),
	// the file is sent again, and the session's later files, with the
	// digests first.
	DigestsFirst bool
	// AlwaysSendRequiresPython sends requires_python even when empty,
	// as uv does for GitLab.
	AlwaysSendRequiresPython bool
	// Attestations selects whether PEP 740 attestation files are sent.
	Attestations Attestations
	// Listing, if not nil, lists the directories searched for
	// attestation files, each once; nil reads a file's directory each
	// time a form is made for it.
	Listing *Listing
	// Concurrency is how many files UploadAll sends at once; 0 means 4, 1
	// uploads one file at a time.
	Concurrency int
	// FailFast stops UploadAll at the first failure: files not yet done
	// fail with ErrAborted.
	FailFast bool
	// Progress, if not nil, is called as body bytes are sent (from the
	// HTTP transport's goroutines: it must be quick and safe for
	// concurrent use).
	Progress func(Progress)
	// Retrying, if not nil, is called before each retry with the error
	// and the wait (same rules as Progress).
	Retrying func(file string, attempt int, wait time.Duration, err error)
	// OnResult, if not nil, is called with each file's Result as soon as
	// the file is done (uploaded, found on the index, failed or aborted),
	// once per file, before Upload or UploadAll returns that same Result.
	// UploadAll calls it from several goroutines at once, in the order
	// the files finish: it must be safe for concurrent use, should be
	// quick (the next upload waits for it) and must not change the Result.
	OnResult func(*Result)

	boundary string // the multipart boundary, for tests; "" means a random one
}

// concurrency is how many files UploadAll sends at once: Concurrency,
// or 4. Four, not adapted to the round trip: against a server answering
// 50 ms after each 2 MiB body (BenchmarkBatch12x2MiB, on 2 shared
// cores), 12 files took 0.70 s one at a time, 0.21 s four at a time,
// 0.17 s six and 0.12 s twelve at a time, for the same CPU (70-82 ms);
// but parallel bodies of large files only share one uplink, and each
// upload in flight holds its hashing buffers (2 MiB).
func (o *Options) concurrency() int {
	if o.Concurrency < 1 {
		return 4
	}
	return o.Concurrency
}

// Progress reports the body bytes of one attempt sent so far.
type Progress struct {
	File    string // base name of the distribution file
	Attempt int    // 1 for the first try
	Sent    int64  // body bytes read by the transport
	Total   int64  // the body's Content-Length
}

// Upload sends d to the index and returns its result, as the package
// doc's table of answers says; err is Result.Err and the Result is never
// nil.
func (c *Client) Upload(ctx context.Context, d *dist.Distribution, opts Options) (*Result, error) {
	var r *Result
	if s, err := c.newSession(opts, d); err != nil {
		r = failed(d, err)
	} else {
		r = s.upload(ctx, d)
	}
	opts.finish(r)
	return r, r.Err
}

// finish reports r, a file's final Result, to OnResult.
func (o *Options) finish(r *Result) {
	if o.OnResult != nil {
		o.OnResult(r)
	}
}

// String describes c without its secrets, so that printing a Client
// (with %v or %+v) cannot leak them.
func (c Client) String() string {
	pass, token := "", "nil"
	if c.Password != "" {
		pass = redact.Placeholder
	}
	if c.Token != nil {
		token = redact.Placeholder
	}
	return fmt.Sprintf("upload.Client{URL:%q ReadAPIURL:%q Username:%q Password:%q Token:%s UserAgent:%q}",
		c.URL, c.ReadAPIURL, c.Username, pass, token, c.UserAgent)
}

// GoString is String, for %#v.
func (c Client) GoString() string { return c.String() }

func failed(d *dist.Distribution, err error) *Result {
	return &Result{File: baseName(d), Dist: d, Outcome: OutcomeFailed, Err: err}
}

// defaultUserAgent is the User-Agent of a Client without one.
func defaultUserAgent() string {
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range append(bi.Deps, &bi.Main) {
			if m.Path == "github.com/trustpub/pypi" && m.Version != "" && m.Version != "(devel)" {
				v = m.Version
			}
		}
	}
	return "trustpub-pypi/" + v + " " + runtime.Version()
}
