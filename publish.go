package pypi

import (
	"context"
	"time"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/redact"
	"github.com/trustpub/pypi/upload"
)

// Publish checks the distributions opts name, gets credentials and
// uploads them, as the package doc's table says, and returns what became
// of each file, in the order they were found.
func Publish(ctx context.Context, opts Options) ([]Result, error) {
	t, err := resolveTarget(opts.Repository, opts.ReadAPIURL)
	if err != nil {
		return nil, err
	}
	if err := opts.resolveTimeout(); err != nil {
		return nil, err
	}
	secrets := opts.protect()
	paths, err := FindFiles(opts.Files...)
	if err != nil {
		return nil, err
	}
	profile, verify := t.profile(opts.Checks)
	// The forms are made with the checks, with the attestations the
	// upload will send: Trusted Publishing is tried exactly when no
	// credentials are given, and failing it sends nothing to PyPI.
	trusted := explicitCredentials(&opts) == nil && opts.TrustedPublishing != TrustedPublishingNever
	if ok, why := attestable(&opts, t, trusted); !ok && opts.Attestations == upload.AttestationsRequire {
		return nil, unavailable(why)
	}
	uo := upload.Options{Attestations: checkMode(&opts, t, trusted), Listing: new(upload.Listing)}
	files, err := checkFiles(ctx, paths, profile, verify, opts.DryRun || opts.HashBeforeUpload, uo)
	if err != nil {
		return nil, err
	}
	var bad []error
	for _, c := range files {
		if c.err != nil {
			c.result.Outcome, c.result.Err = upload.OutcomeFailed, c.err
			bad = append(bad, c.err)
		}
		opts.emit(Event{Kind: EventKindChecked, File: c.result.File, Result: c.result})
	}
	if len(bad) > 0 {
		return results(files), &FilesError{Errs: bad, sentinel: ErrChecksFailed}
	}
	if opts.DryRun {
		return results(files), nil
	}

	creds, err := getCredentials(ctx, &opts, t, secrets)
	if err != nil {
		return results(files), err
	}
	opts.emit(Event{Kind: EventKindAuthenticated, Message: creds.how})
	mode, err := attestFiles(ctx, &opts, t, creds, files)
	if err != nil {
		return results(files), err
	}
	return send(ctx, &opts, t, creds, files, secrets, mode)
}

// send uploads the checked files with creds, and attestations as mode
// says; the index's answers are cleared of secrets.
func send(ctx context.Context, opts *Options, t *target, creds *credentials, files []*checked, secrets *redact.Set, mode upload.Attestations) ([]Result, error) {
	client := &upload.Client{
		URL:        t.upload.String(),
		ReadAPIURL: opts.ReadAPIURL,
		HTTPClient: opts.HTTPClient,
		Timeout:    opts.Timeout,
		Token:      creds.token,
		Username:   creds.username,
		Password:   creds.password,
		Secrets:    secrets.Secrets,
	}
	uo := upload.Options{
		SkipExisting:   opts.SkipExisting,
		SkipMismatched: opts.SkipMismatched,
		Comment:        opts.Comment,
		Attestations:   mode,
		// A new listing: attestations were written since the checks.
		Listing:     new(upload.Listing),
		Concurrency: opts.Concurrency,
		Progress: func(p upload.Progress) {
			opts.emit(Event{Kind: EventKindSending, File: p.File, Sent: p.Sent, Total: p.Total, Attempt: p.Attempt})
		},
		Retrying: func(file string, attempt int, wait time.Duration, err error) {
			opts.logger().Info("pypi: retrying", "file", file, "attempt", attempt, "wait", wait, "err", err)
		},
	}
	if err := fillForms(files, uo); err != nil {
		return results(files), err
	}
	ds := make([]*dist.Distribution, len(files))
	byDist := make(map[*dist.Distribution]*Result, len(files))
	for i, c := range files {
		ds[i], byDist[c.dist] = c.dist, c.result
	}
	// Each file's result is filled in, and reported, as its upload ends;
	// calls may run at once, each on a Result of its own.
	uo.OnResult = func(u *upload.Result) {
		r := byDist[u.Dist]
		r.Result = *u
		r.Digests, _ = u.Dist.KnownDigests(false) // if it was sent, hashed on the way
		if r.Outcome.OK() {
			r.URL = t.viewURL(r.Name, r.Version)
		}
		opts.emit(Event{Kind: EventKindDone, File: r.File, Result: r})
	}
	var failed []error
	for _, u := range client.UploadAll(ctx, ds, uo) {
		if u.Err != nil {
			failed = append(failed, u.Err)
		}
	}
	if len(failed) > 0 {
		return results(files), &FilesError{Errs: failed, sentinel: ErrUploadFailed}
	}
	return results(files), nil
}

// fillForms fills in the upload forms of the files; a file whose form
// cannot be made (a field newer than its Metadata-Version, an attestation
// file that is not JSON...) fails.
func fillForms(files []*checked, uo upload.Options) error {
	var bad []error
	for _, c := range files {
		form, err := form(c.dist, uo)
		if err != nil {
			c.result.Outcome, c.result.Err = upload.OutcomeFailed, err
			bad = append(bad, err)
		}
		c.result.Form = form
	}
	if len(bad) > 0 {
		return &FilesError{Errs: bad, sentinel: ErrChecksFailed}
	}
	return nil
}

func results(files []*checked) []Result {
	out := make([]Result, len(files))
	for i, c := range files {
		out[i] = *c.result
	}
	return out
}
