package upload

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/deadline"
	"github.com/trustpub/pypi/internal/origin"
	"github.com/trustpub/pypi/internal/redact"
)

const acceptErrors = "application/json;q=0.9, text/plain;q=0.8, text/html;q=0.7"

// session is one Upload or UploadAll call: the resolved endpoints, the
// HTTP clients and what was learnt on the way (a fixed-up URL, index
// listings, the secrets to redact).
type session struct {
	c      *Client
	opts   Options
	post   *http.Client // never follows redirects
	get    *http.Client // follows redirects within the index's origin
	index  *url.URL
	agent  string
	legacy bool

	mu       sync.Mutex
	url      *url.URL   // the upload URL, perhaps fixed up to end in "/"
	fixed    bool       // the URL was fixed up already
	secrets  redact.Set // tokens and passwords seen, to redact
	user     *url.Userinfo
	listings map[string]*listing // SkipExisting pre-checks, by normalised name
	files    map[string]bool     // base names of the files to upload
}

// newSession starts a session that uploads ds.
func (c *Client) newSession(opts Options, ds ...*dist.Distribution) (*session, error) {
	raw := c.URL
	if raw == "" {
		raw = PyPIURL
	}
	u, user, err := parseEndpoint(raw, c.InsecureAllowHTTP)
	if err != nil {
		return nil, err
	}
	index := indexRoot(u)
	if c.ReadAPIURL != "" {
		if index, _, err = parseEndpoint(c.ReadAPIURL, c.InsecureAllowHTTP); err != nil {
			return nil, err
		}
		if !strings.HasSuffix(index.Path, "/") {
			index.Path += "/"
		}
	}
	if c.Username != "" || c.Password != "" {
		user = url.UserPassword(c.Username, c.Password)
	}
	s := &session{c: c, opts: opts, url: u, index: index, user: user, agent: c.UserAgent,
		legacy: opts.LegacyExistsAnswers, listings: map[string]*listing{}, files: map[string]bool{}}
	for _, d := range ds {
		s.files[baseName(d)] = true
	}
	if s.agent == "" {
		s.agent = DefaultUserAgent()
	}
	if p, ok := user.Password(); ok {
		s.secrets.Add(p)
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	base := deadline.Client(c.HTTPClient, timeout)
	post, get := *base, *base
	post.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 || !origin.Same(req.URL, via[0].URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}
	s.post, s.get = &post, &get
	return s, nil
}

// wanted reports whether filename is one of the session's files: the
// only ones kept from index listings.
func (s *session) wanted(filename string) bool { return s.files[filename] }

func (s *session) uploadURL() *url.URL {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// redact removes every secret seen, and those of Client.Secrets, from
// text taken from an answer.
func (s *session) redact(text string) string {
	if s.c.Secrets != nil {
		s.secrets.Add(s.c.Secrets()...)
	}
	return s.secrets.String(text)
}

// authorization returns the Authorization header value, or "".
func (s *session) authorization() (string, error) {
	user, pass := "", ""
	if s.c.Token != nil {
		tok, err := s.c.Token.Token()
		if err != nil {
			return "", fmt.Errorf("upload: getting the upload token: %w", err)
		}
		user, pass = "__token__", strings.TrimSpace(tok.AccessToken)
	} else if s.user != nil {
		user = s.user.Username()
		pass, _ = s.user.Password()
	} else {
		return "", nil
	}
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	s.secrets.Add(pass, basic)
	return "Basic " + basic, nil
}

// upload runs one file's attempts; the result's Err is set on failure.
func (s *session) upload(ctx context.Context, d *dist.Distribution) *Result {
	start := time.Now()
	res := &Result{File: baseName(d), Dist: d}
	s.run(ctx, d, res)
	res.Duration = time.Since(start)
	if res.Err != nil {
		res.Outcome = OutcomeFailed
	}
	return res
}

func (s *session) run(ctx context.Context, d *dist.Distribution, res *Result) {
	fields, err := Form(d, s.opts)
	if err != nil {
		res.Err = err
		return
	}
	mp, err := newMultipart(fields, res.File, s.opts.Boundary)
	if err != nil {
		res.Err = err
		return
	}
	res.BodySize = mp.Len(d.Size)
	if s.opts.SkipExisting && s.present(ctx, d, res, true) {
		return
	}
	for {
		res.Attempts++
		retryAfter, err := s.attempt(ctx, d, mp, res)
		if err == nil || !s.backoff(ctx, d, res, err, retryAfter) {
			return
		}
	}
}

// present asks the index for d: true when that settles the upload (the
// same file is there, or another one under its name).
func (s *session) present(ctx context.Context, d *dist.Distribution, res *Result, cached bool) bool {
	found, err := s.findFile(ctx, d, cached)
	if err != nil || found {
		res.Outcome, res.Err = OutcomeAlreadyPresent, err
		return true
	}
	return false
}

// attempt sends d once. It returns nil when that settles the upload (res
// holds the outcome or the error), else the error to retry after, with
// the answer's Retry-After.
func (s *session) attempt(ctx context.Context, d *dist.Distribution, mp *formBody, res *Result) (time.Duration, error) {
	resp, err := s.send(ctx, d, mp, res.Attempts)
	if err != nil {
		if !retryableTransport(ctx, err) {
			res.Err = err
			return 0, nil
		}
		return 0, err
	}
	res.Status = resp.StatusCode
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		s.accepted(ctx, d, res, resp)
		return 0, nil
	}
	e := readError(resp, res.File, s.uploadURL().String(), s.legacy, s.redact)
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode <= 399:
		if s.fixRedirect(e, resp.Request.URL) {
			return s.attempt(ctx, d, mp, res) // at most once: the fix-up is made once
		}
		res.Err = e
	case errors.Is(e, ErrFileExists):
		s.resolveExists(ctx, d, res, e)
	case retryableStatus(resp.StatusCode):
		return retryAfter(resp.Header, time.Now()), e
	default:
		res.Err = e
	}
	return 0, nil
}

// accepted settles an upload the index answered with a 2xx. Warehouse's
// success answer is 200 with an empty body; twine and uv take any 2xx.
// An HTML page instead (a sign-in page, or the page Warehouse shows for
// a form without its action) is not taken on trust: the index listing
// must show the file, with its sha256.
func (s *session) accepted(ctx context.Context, d *dist.Distribution, res *Result, resp *http.Response) {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	text := strings.TrimSpace(string(body))
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if text == "" || mt != "text/html" && !strings.HasPrefix(text, "<") {
		res.Outcome = OutcomeUploaded
		return
	}
	found, l, err := s.lookup(ctx, d, false)
	switch {
	case err != nil:
		res.Err = err
	case found:
		res.Outcome = OutcomeUploaded
	default:
		e := &Error{File: res.File, URL: s.uploadURL().String(), StatusCode: resp.StatusCode, kind: ErrNotStored,
			Message: fmt.Sprintf("the index answered %d but the file is not there", resp.StatusCode),
			Body:    []byte(s.redact(string(body)))}
		page := s.redact(htmlMessage(string(body)))
		if len([]rune(page)) > maxMessageText/4 {
			page = string([]rune(page)[:maxMessageText/4]) + "…"
		}
		why := l.source + " does not list it"
		if l.err != nil {
			e.Message = fmt.Sprintf("the index answered %d with a page, and cannot confirm that it has the file", resp.StatusCode)
			why = fmt.Sprintf("asking the index for the file failed (%v)", l.err)
		}
		e.Hint = s.redact(fmt.Sprintf("The answer was a page (%q), not the index's answer to an upload (200 with an empty body), and %s. "+
			"Check that the URL is the index's upload endpoint and that the credentials are accepted.", page, why))
		res.Err = e
	}
}

// backoff prepares the retry of a failed attempt: it gives up after the
// last attempt, asks the index whether it has the file after all, and
// waits. It returns false when the upload is settled.
func (s *session) backoff(ctx context.Context, d *dist.Distribution, res *Result, err error, retryAfter time.Duration) bool {
	retry := s.c.Retry
	if res.Attempts >= retry.attempts() {
		res.Err = fmt.Errorf("%w (gave up after %d attempts)", err, res.Attempts)
		return false
	}
	if s.present(ctx, d, res, false) {
		return false
	}
	wait, ok := retry.wait(res.Attempts, retryAfter)
	if !ok {
		res.Err = fmt.Errorf("%w (the index asks to wait %v)", err, retryAfter)
		return false
	}
	if s.opts.Retrying != nil {
		s.opts.Retrying(res.File, res.Attempts, wait, err)
	}
	if serr := sleep(ctx, wait); serr != nil {
		res.Err = fmt.Errorf("upload: %s: %w (after %v)", res.File, serr, err)
		return false
	}
	return true
}

// send makes one attempt. A returned error is a transport error (to be
// retried if retryableTransport says so) or a permanent one.
func (s *session) send(ctx context.Context, d *dist.Distribution, mp *formBody, attempt int) (*http.Response, error) {
	auth, err := s.authorization()
	if err != nil {
		return nil, permanent(fmt.Errorf("upload: %s: %w", baseName(d), err))
	}
	file, err := d.Reader()
	if err != nil {
		return nil, permanent(fmt.Errorf("upload: %s: %w", baseName(d), err))
	}
	total := mp.Len(d.Size)
	var progress func(int64)
	if s.opts.Progress != nil {
		progress = func(sent int64) {
			s.opts.Progress(Progress{File: baseName(d), Attempt: attempt, Sent: sent, Total: total})
		}
	}
	body := mp.Reader(file, d.Size, progress)
	u := s.uploadURL()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), body)
	if err != nil {
		body.Close()
		return nil, permanent(fmt.Errorf("upload: %s: %w", baseName(d), err))
	}
	req.ContentLength = total
	req.Header.Set("Content-Type", mp.ContentType())
	req.Header.Set("Accept", acceptErrors)
	req.Header.Set("User-Agent", s.agent)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := s.post.Do(req)
	if err != nil {
		if ferr := body.fileErr(); ferr != nil {
			return nil, permanent(fmt.Errorf("upload: %s: reading the file: %w", baseName(d), ferr))
		}
		if cause := context.Cause(ctx); cause != nil {
			return nil, fmt.Errorf("upload: %s: %w", baseName(d), cause)
		}
		return nil, fmt.Errorf("upload: %s: %w", baseName(d), err) // the URL has no credentials
	}
	return resp, nil
}

// permanentError marks an error no retry can fix.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

func permanent(err error) error { return permanentError{err} }

// fixRedirect follows, once, a redirect that only adds the trailing
// slash to the URL's path on the same origin (Warehouse's /legacy →
// /legacy/); otherwise it makes e an ErrRedirect with twine's advice.
// sent is the URL the redirected request went to.
func (s *session) fixRedirect(e *Error, sent *url.URL) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.kind = ErrRedirect
	loc, err := s.url.Parse(e.Location)
	if e.Location == "" || err != nil {
		e.Hint = "The index answered with a redirect without a usable Location."
		return false
	}
	if s.fixed && sent.String() != s.url.String() && loc.String() == s.url.String() {
		return true // sent in parallel with the upload whose redirect fixed the URL
	}
	if !s.fixed && origin.Same(loc, s.url) && loc.Path == s.url.Path+"/" && loc.RawQuery == s.url.RawQuery {
		s.url, s.fixed = loc, true
		return true
	}
	loc.User = nil
	if loc.String() == s.url.String()+"/" {
		e.Hint = fmt.Sprintf("%s attempted to redirect to %s.\nYour repository URL is missing a trailing slash. Please add it and try again.", s.url, loc)
	} else {
		e.Hint = fmt.Sprintf("%s attempted to redirect to %s.\nIf you trust these URLs, set %s as your repository URL and try again.", s.url, loc, loc)
	}
	return false
}

// resolveExists handles an answer saying the file exists: the index
// listing decides between done, mismatch and (with SkipExisting) skipped.
func (s *session) resolveExists(ctx context.Context, d *dist.Distribution, res *Result, e *Error) {
	found, err := s.findFile(ctx, d, false)
	switch {
	case err != nil:
		res.Err = err
	case found:
		res.Outcome, res.Message = OutcomeAlreadyPresent, e.Message
	case s.opts.SkipExisting:
		res.Outcome, res.Message = OutcomeSkipped, e.Message
	default:
		res.Err = e
	}
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
}
