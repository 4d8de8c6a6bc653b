package upload

import (
	"cmp"
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
	"sync/atomic"
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
	c       *Client
	opts    Options
	post    *http.Client // never follows redirects
	get     *http.Client // follows redirects within the index's origin
	readAPI *url.URL     // the root of the read APIs
	agent   string
	legacy  bool

	mu       sync.Mutex
	url      *url.URL   // the upload URL, perhaps fixed up to end in "/"
	fixed    bool       // the URL was fixed up already
	secrets  redact.Set // tokens and passwords seen, to redact
	user     *url.Userinfo
	listings map[string]*listing // SkipExisting pre-checks, by normalised name
	files    map[string]bool     // base names of the files to upload

	// digestsFirst: the index answered as if it judged the form before
	// reading the digests sent after the file, so they go first now.
	digestsFirst atomic.Bool
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
	readAPI := readAPIRoot(u)
	if c.ReadAPIURL != "" {
		if readAPI, _, err = parseEndpoint(c.ReadAPIURL, c.InsecureAllowHTTP); err != nil {
			return nil, err
		}
		if !strings.HasSuffix(readAPI.Path, "/") {
			readAPI.Path += "/"
		}
	}
	if c.Username != "" || c.Password != "" {
		user = url.UserPassword(c.Username, c.Password)
	}
	s := &session{c: c, opts: opts, url: u, readAPI: readAPI, user: user, agent: c.UserAgent,
		legacy: opts.LegacyExistsAnswers, listings: map[string]*listing{}, files: map[string]bool{}}
	s.digestsFirst.Store(opts.DigestsFirst)
	for _, d := range ds {
		s.files[baseName(d)] = true
	}
	if s.agent == "" {
		s.agent = defaultUserAgent()
	}
	if p, ok := user.Password(); ok {
		s.secrets.Add(p)
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	base := deadline.Client(c.HTTPClient, timeout)
	if t, ok := base.Transport.(*http.Transport); ok && t.MaxIdleConnsPerHost < opts.concurrency() {
		// Keep a connection per upload in flight: with the default two,
		// uploads finishing together close theirs, and the next ones dial
		// (and shake hands) anew.
		t = t.Clone()
		t.MaxIdleConnsPerHost = opts.concurrency()
		base.Transport = t
	}
	post, get := *base, *base
	post.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if origin.CheckRedirect(req, via) != nil {
			return http.ErrUseLastResponse // the answer is the last redirect
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

// upload runs one file's steps, and makes the Result from the step
// that settles it.
func (s *session) upload(ctx context.Context, d *dist.Distribution) *Result {
	start := time.Now()
	res := &Result{File: baseName(d), Dist: d}
	end := s.run(ctx, d, res)
	res.Duration = time.Since(start)
	res.Outcome, res.Message, res.Mismatch, res.Err = end.outcome, end.message, end.mismatch, end.err
	if end.err != nil {
		res.Outcome = OutcomeFailed
	}
	return res
}

// next is what an upload does after a step.
type next int

const (
	nextSend   next = iota // nothing is settled: send the file (again)
	nextRetry              // the attempt failed in a way a retry may fix
	nextSettle             // the upload is over: an outcome, or err
)

// step is what one step of an upload found. Its zero value settles
// nothing.
type step struct {
	next       next
	outcome    Outcome        // nextSettle without err: what became of the file
	message    string         // the index's message, when it said the file exists
	err        error          // nextSettle: why the file failed; nextRetry: what failed
	retryAfter time.Duration  // nextRetry: the answer's Retry-After, 0 if none
	status     int            // the HTTP status answered, 0 if none
	mismatch   *MismatchError // settled as skipped by SkipMismatched
	body       []byte         // the answer's body, as Result.Body keeps it
}

func settled(o Outcome, message string) step {
	return step{next: nextSettle, outcome: o, message: message}
}

func failure(err error) step { return step{next: nextSettle, err: err} }

func retryable(err error, retryAfter time.Duration) step {
	return step{next: nextRetry, err: err, retryAfter: retryAfter}
}

// run makes d's form, then goes from step to step until one settles
// the upload: with SkipExisting a look at the index, then attempts, each
// failed one followed by a backoff. res counts the attempts and keeps
// the body's size and the last status answered.
func (s *session) run(ctx context.Context, d *dist.Distribution, res *Result) step {
	fields, err := FormWithoutDigests(d, s.opts)
	if err != nil {
		return failure(err)
	}
	// The same length wherever the digests go.
	mp, err := newMultipart(fields, digestFields(placeholderDigests, s.opts.MD5), res.File, s.opts.boundary)
	if err != nil {
		return failure(err)
	}
	res.BodySize = mp.Len(d.Size)
	var st step
	if s.opts.SkipExisting {
		st = s.present(ctx, d, true)
	}
	for st.next == nextSend {
		res.Attempts++
		st = s.attempt(ctx, d, fields, res)
		res.Status = cmp.Or(st.status, res.Status)
		if st.status != 0 {
			res.Body = st.body
		}
		if st.next == nextRetry {
			st = s.backoff(ctx, d, res.Attempts, st)
		}
	}
	return st
}

// placeholderDigests have the length of real ones: the body's length,
// announced before the file is hashed, does not depend on their values.
var placeholderDigests = dist.Digests{SHA256: strings.Repeat("0", 64), BLAKE2b256: strings.Repeat("0", 64), MD5: strings.Repeat("0", 32)}

// multipart makes the body of an attempt. The digests go before the file
// (twine's order) when they are known already, as on a retry or after
// the index was asked for the file, or when the index needs them there
// (then they are computed now); otherwise after the file, hashed while
// it is sent. Warehouse, like every index that parses the whole form
// before judging it, reads them the same either way; the body's length
// is the same too.
func (s *session) multipart(d *dist.Distribution, fields []Field) (mp *formBody, hashed bool, err error) {
	sums, known := d.KnownDigests(s.opts.MD5)
	if !known && s.digestsFirst.Load() {
		if sums, err = d.Digests(s.opts.MD5); err != nil {
			return nil, false, permanent(fmt.Errorf("upload: %s: %w", baseName(d), err))
		}
		known = true
	}
	if known {
		mp, err = newMultipart(withDigests(fields, digestFields(sums, s.opts.MD5)), nil, baseName(d), s.opts.boundary)
	} else {
		mp, err = newMultipart(fields, digestFields(placeholderDigests, s.opts.MD5), baseName(d), s.opts.boundary)
	}
	if err != nil {
		return nil, false, permanent(err)
	}
	return mp, !known, nil
}

// present asks the index for d: the file is there (settled), another
// one is under its name (failed), or it is not (send it).
func (s *session) present(ctx context.Context, d *dist.Distribution, cached bool) step {
	found, err := s.findFile(ctx, d, cached)
	switch {
	case err != nil:
		return s.failureOrSkip(err)
	case found:
		return settled(OutcomeAlreadyPresent, "")
	}
	return step{}
}

// attempt sends d once (the res.Attempts-th time) and judges the
// answer.
func (s *session) attempt(ctx context.Context, d *dist.Distribution, fields []Field, res *Result) step {
	mp, hashed, err := s.multipart(d, fields)
	if err != nil {
		return failure(err)
	}
	resp, err := s.send(ctx, d, mp, hashed, res.Attempts)
	if err != nil {
		if retryableTransport(ctx, err) {
			return retryable(err, 0)
		}
		return failure(err)
	}
	kept := &keptBody{ReadCloser: resp.Body}
	resp.Body = kept
	st := s.judge(ctx, d, fields, hashed, res, resp)
	if st.status == 0 && len(kept.kept) > 0 { // else the answer to a retry after a redirect, or none
		st.body = resultBody(s.redact(string(kept.kept)))
	}
	st.status = cmp.Or(st.status, resp.StatusCode)
	return st
}

// judge reads the answer to an attempt, which sent the digests after
// the file if hashed.
func (s *session) judge(ctx context.Context, d *dist.Distribution, fields []Field, hashed bool, res *Result, resp *http.Response) step {
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return s.accepted(ctx, d, resp)
	}
	e := readError(resp, baseName(d), s.uploadURL().String(), s.legacy, s.redact)
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode <= 399:
		if s.fixRedirect(e, resp.Request.URL) {
			return s.attempt(ctx, d, fields, res) // at most once: the fix-up is made once
		}
	case errors.Is(e, ErrFileExists):
		return s.resolveExists(ctx, d, e)
	case retryableStatus(resp.StatusCode):
		return retryable(e, retryAfter(resp.Header, time.Now()))
	case hashed && missedDigests(e):
		// At most once: the digests go first from now on.
		s.digestsFirst.Store(true)
		return s.attempt(ctx, d, fields, res)
	}
	return failure(e)
}

// missedDigests reports whether the index refused a form for lacking
// the digests (in Warehouse's words), as one that judges the fields
// before reading the body's end would.
func missedDigests(e *Error) bool {
	return e.StatusCode == http.StatusBadRequest && strings.Contains(e.Message, "Include at least one message digest")
}

// accepted judges a 2xx answer. Warehouse's success answer is 200 with
// an empty body; twine and uv take any 2xx. An HTML page instead (a
// sign-in page, or the page Warehouse shows for a form without its
// action) is not taken on trust: the index listing must show the file,
// with its sha256.
func (s *session) accepted(ctx context.Context, d *dist.Distribution, resp *http.Response) step {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	text := strings.TrimSpace(string(body))
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if text == "" || mt != "text/html" && !strings.HasPrefix(text, "<") {
		return settled(OutcomeUploaded, "")
	}
	found, l, err := s.lookup(ctx, d, false)
	switch {
	case err != nil:
		return failure(err)
	case found:
		return settled(OutcomeUploaded, "")
	}
	return failure(s.notStored(d, resp.StatusCode, body, l))
}

// notStored is the error of a 2xx answered with a page, for a file the
// listing l does not show.
func (s *session) notStored(d *dist.Distribution, status int, body []byte, l *listing) *Error {
	e := &Error{File: baseName(d), URL: s.uploadURL().String(), StatusCode: status, kind: errNotStored,
		Message: fmt.Sprintf("the index answered %d but the file is not there", status),
		Body:    []byte(s.redact(string(body)))}
	page := s.redact(htmlMessage(string(body)))
	if len([]rune(page)) > maxMessageText/4 {
		page = string([]rune(page)[:maxMessageText/4]) + "…"
	}
	why := l.source + " does not list it"
	if l.err != nil {
		e.Message = fmt.Sprintf("the index answered %d with a page, and cannot confirm that it has the file", status)
		why = fmt.Sprintf("asking the index for the file failed (%v)", l.err)
	}
	e.Hint = s.redact(fmt.Sprintf("The answer was a page (%q), not the index's answer to an upload (200 with an empty body), and %s. "+
		"Check that the URL is the index's upload endpoint and that the credentials are accepted.", page, why))
	return e
}

// backoff follows the n-th attempt, failed as failed says: it gives up
// after the last attempt, asks the index whether it has the file after
// all, and waits; then the file is sent again, unless that settled it.
func (s *session) backoff(ctx context.Context, d *dist.Distribution, n int, failed step) step {
	retry := s.c.Retry
	if n >= retry.attempts() {
		return failure(fmt.Errorf("%w (gave up after %d attempts)", failed.err, n))
	}
	if st := s.present(ctx, d, false); st.next != nextSend {
		return st
	}
	wait, ok := retry.wait(n, failed.retryAfter)
	if !ok {
		return failure(fmt.Errorf("%w (the index asks to wait %v)", failed.err, failed.retryAfter))
	}
	if s.opts.Retrying != nil {
		s.opts.Retrying(baseName(d), n, wait, failed.err)
	}
	if err := sleep(ctx, wait); err != nil {
		return failure(fmt.Errorf("upload: %s: %w (after %v)", baseName(d), err, failed.err))
	}
	return step{}
}

// send makes one attempt; with hashed, the file is hashed as it is
// sent and the digests follow it. A returned error is a transport error
// (to be retried if retryableTransport says so) or a permanent one.
func (s *session) send(ctx context.Context, d *dist.Distribution, mp *formBody, hashed bool, attempt int) (*http.Response, error) {
	auth, err := s.authorization()
	if err != nil {
		return nil, permanent(fmt.Errorf("upload: %s: %w", baseName(d), err))
	}
	file, after, err := s.content(d, hashed)
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
	body := mp.Reader(file, d.Size, after, progress)
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

// content opens d's bytes for an attempt; with hashed, through a
// dist.HashingReader, and after gives the digest fields once it has
// read them all.
func (s *session) content(d *dist.Distribution, hashed bool) (io.ReadCloser, func() ([]Field, error), error) {
	if !hashed {
		r, err := d.Reader()
		return r, nil, err
	}
	r, err := d.HashingReader(s.opts.MD5)
	if err != nil {
		return nil, nil, err
	}
	return r, func() ([]Field, error) {
		// The body stops at the file's size: read on to the reader's end.
		if _, err := io.Copy(io.Discard, r); err != nil {
			return nil, err
		}
		sums, err := r.Digests()
		return digestFields(sums, s.opts.MD5), err
	}, nil
}

// permanentError marks an error no retry can fix.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

func permanent(err error) error { return permanentError{err} }

// fixRedirect follows, once, a redirect that only adds the trailing
// slash to the URL's path on the same origin (Warehouse's /legacy →
// /legacy/); otherwise it makes e an errRedirect with twine's advice.
// sent is the URL the redirected request went to.
func (s *session) fixRedirect(e *Error, sent *url.URL) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.kind = errRedirect
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

// resolveExists judges an answer saying the file exists: the index
// listing decides between done, mismatch and (with SkipExisting)
// skipped.
func (s *session) resolveExists(ctx context.Context, d *dist.Distribution, e *Error) step {
	found, err := s.findFile(ctx, d, false)
	switch {
	case err != nil:
		return s.failureOrSkip(err)
	case found:
		return settled(OutcomeAlreadyPresent, e.Message)
	case s.opts.SkipExisting:
		return settled(OutcomeSkipped, e.Message)
	}
	return failure(e)
}

// failureOrSkip settles a failed look at the index: a *MismatchError is
// a skip with SkipExisting and SkipMismatched, anything else a failure.
func (s *session) failureOrSkip(err error) step {
	var me *MismatchError
	if s.opts.SkipExisting && s.opts.SkipMismatched && errors.As(err, &me) {
		return step{next: nextSettle, outcome: OutcomeSkipped, mismatch: me}
	}
	return failure(err)
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
}
