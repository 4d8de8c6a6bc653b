package upload

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinels for the failures a caller can act on; test with errors.Is.
// Other refusals are an *Error whose Hint says what to do.
var (
	// ErrFileExists: the index already has a file of that name (or, at
	// PyPI, these bytes under another name): upload a new version.
	ErrFileExists = errors.New("upload: file already exists")
	// ErrAuth: the index refused the credentials (HTTP 401 or 403).
	ErrAuth = errors.New("upload: not authorised")
	// ErrTooLarge: the file or the project is over the index's size limit.
	ErrTooLarge = errors.New("upload: over the size limit")
	// ErrAborted: the file was not uploaded because an earlier one failed
	// and Options.FailFast was set; it may be sent again.
	ErrAborted = errors.New("upload: not attempted after an earlier failure")
)

// The other kinds of answers an *Error is classified as.
var (
	errFileReused    = errors.New("upload: file name previously used")     // PyPI refuses the name of a deleted file
	errReleaseTooOld = errors.New("upload: release too old for new files") // PyPI adds no files to releases older than 14 days
	errNotUploadURL  = errors.New("upload: not an upload URL")             // HTTP 405, 410
	errRedirect      = errors.New("upload: redirected")                    // the index redirected the upload elsewhere
	errInsecureURL   = errors.New("upload: plain http refused")            // plain http to a host other than loopback
	errNotStored     = errors.New("upload: success answered, file not stored")
)

// Error is an index's refusal of an upload (a non-2xx answer).
type Error struct {
	File       string // base name of the distribution file
	URL        string // the upload URL, credentials removed
	StatusCode int    // e.g. 400
	// Message is what the index said: JSON "code"/"detail", else the
	// HTTP reason phrase, else the text of the HTML or plain body.
	Message string
	// Body is the start of the response body (at most 64 KiB).
	Body []byte
	// Hint says what to do about it, when we know; "" otherwise.
	Hint string
	// Location is the redirect target of a 3xx answer.
	Location string

	kind error // one of the sentinels, or nil
}

// Error returns "upload: <file>: <url>: <code> <status text>: <message>",
// on one line; the hint is left to the caller to show.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "upload: %s: %s: %d %s", e.File, e.URL, e.StatusCode, statusText(e.StatusCode))
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Unwrap returns the sentinel matching the answer (ErrFileExists,
// ErrAuth, ErrTooLarge), an unexported kind, or nil.
func (e *Error) Unwrap() error { return e.kind }

func statusText(code int) string {
	if s := http.StatusText(code); s != "" {
		return s
	}
	return "Unknown Status"
}

// MismatchError reports that the index holds a file of the same name with
// other content: PyPI never replaces a file.
type MismatchError struct {
	File        string // base name of the distribution file
	Index       string // the URL the index listing came from
	LocalSHA256 string
	IndexSHA256 string
}

// Error names the file and both digests.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("upload: %s: the index already has a different file of this name (local sha256 %s, index sha256 %s, from %s); "+
		"a file name can never be reused: upload a new version", e.File, e.LocalSHA256, e.IndexSHA256, e.Index)
}

// Unwrap returns ErrFileExists.
func (e *MismatchError) Unwrap() error { return ErrFileExists }

const existsHint = "The index has a file of this name with other content, or this content under another name. " +
	"Files can never be replaced: upload a new version, or use SkipExisting if the file is the same. " +
	"See https://pypi.org/help/#file-name-reuse"

// Hints for the other answers we understand; the first match wins, the
// substring looked for in the lowercased message.
var answers = []struct {
	status int    // 0: any 4xx
	substr string // "" matches any message
	kind   error
	hint   string
}{
	{http.StatusConflict, "conflicts with an existing project", nil,
		"Another project already has this name (or one the index considers the same): rename the project."},
	{0, "previously used", errFileReused,
		"PyPI never accepts the name of a deleted file again: release a new version (e.g. a post-release). " +
			"See https://pypi.org/help/#file-name-reuse"},
	{0, "older than 14 days", errReleaseTooOld,
		"PyPI adds files to a release only during the 14 days after its first file: upload them under a new version."},
	{0, "too large", ErrTooLarge,
		"Ask the index for a higher limit: https://docs.pypi.org/project-management/storage-limits"},
	{http.StatusRequestEntityTooLarge, "", ErrTooLarge,
		"The index (or a proxy before it) refused the request size."},
	{http.StatusForbidden, "username/password authentication", ErrAuth,
		"PyPI accepts only API tokens (username __token__) and Trusted Publishing, not passwords."},
	{http.StatusForbidden, "invalid or non-existent authentication", ErrAuth,
		"The token is missing, malformed or unknown to this index: check it is for this index (PyPI and TestPyPI tokens differ), " +
			"and, with Trusted Publishing, that it was minted by this index. See https://pypi.org/help/#invalid-auth"},
	{http.StatusForbidden, "invalid api token", ErrAuth,
		"The token has expired (Trusted Publishing tokens live 15 minutes) or is scoped to another project."},
	{http.StatusForbidden, "isn't allowed to upload", ErrAuth,
		"The credentials may not upload to this project: check the token's scope or the trusted publisher's project name."},
	{http.StatusForbidden, "", ErrAuth,
		"The index refused the credentials: check the token and its scope."},
	{http.StatusUnauthorized, "", ErrAuth,
		"The index wants credentials: set a token (or a username and password)."},
	{http.StatusMethodNotAllowed, "", errNotUploadURL,
		"POST requests are not supported by this endpoint: is the URL the simple index instead of the upload URL? " +
			"PyPI's is " + PyPIURL + " and TestPyPI's " + TestPyPIURL + "."},
	{http.StatusGone, "", errNotUploadURL,
		"The index no longer accepts uploads at this URL: PyPI's upload URL is " + PyPIURL + "."},
}

// legacyExists are other servers' ways of saying "file exists", which
// twine recognised before 6.2: Nexus, Artifactory and GitLab.
var legacyExists = []struct {
	status int
	substr string
}{
	{http.StatusBadRequest, "updating asset"},
	{http.StatusForbidden, "overwrite artifact"},
	{http.StatusBadRequest, "already been taken"},
}

// classify sets e's sentinel and hint from its status, message and body;
// legacy also recognises legacyExists.
func (e *Error) classify(legacy bool) {
	msg := strings.ToLower(e.Message)
	if e.saysExists(msg, legacy) {
		e.kind, e.Hint = ErrFileExists, existsHint
		return
	}
	for _, a := range answers {
		if (a.status == e.StatusCode || a.status == 0 && e.StatusCode >= 400 && e.StatusCode < 500) &&
			strings.Contains(msg, a.substr) {
			e.kind, e.Hint = a.kind, a.hint
			return
		}
	}
}

// saysExists reports whether the answer means "file exists", as twine
// reads it: 409 (pypiserver), or 400 with "already exist" in the message
// or the body (PyPI, Google Artifact Registry).
func (e *Error) saysExists(msg string, legacy bool) bool {
	body := strings.ToLower(string(e.Body))
	has := func(s string) bool { return strings.Contains(msg, s) || strings.Contains(body, s) }
	switch e.StatusCode {
	case http.StatusConflict:
		return !strings.Contains(msg, "conflicts with an existing project")
	case http.StatusBadRequest:
		if has("already exist") {
			return true
		}
	}
	if legacy {
		for _, l := range legacyExists {
			if e.StatusCode == l.status && has(l.substr) {
				return true
			}
		}
	}
	return false
}
