package pypi

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/upload"
)

// checked is one file after opening and checking.
type checked struct {
	result *Result
	dist   *dist.Distribution // nil if it could not be opened
	err    error              // the file's error-severity problems or I/O error
}

// formField and formRule name the problem of a file whose upload form
// cannot be made (a field the metadata parser could not read, a field
// newer than the Metadata-Version, a bad attestation file): the upload
// would refuse it, so the check does.
const (
	formField = "upload form"
	formRule  = "upload-form"
)

// checkFiles opens and checks every file, a few at a time, hashing it
// too with hash, and makes its upload form with uo, so that a file
// passes its check only if it can be sent. It never stops at
// the first bad file, so that every problem is reported at once; but
// when ctx is done (the program is interrupted) it starts no other file
// and returns "pypi: interrupted" wrapping ctx's cause.
func checkFiles(ctx context.Context, paths []string, profile dist.Profile, verify, hash bool, uo upload.Options) ([]*checked, error) {
	out := make([]*checked, len(paths))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, p := range paths {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			out[i] = checkFile(p, profile, verify, hash, uo)
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("pypi: interrupted while checking the files: %w", context.Cause(ctx))
	}
	flagDuplicates(out)
	for _, c := range out {
		switch {
		case c.err != nil:
			c.result.Verdict = VerdictFailed
		case len(c.result.Problems) > 0:
			c.result.Verdict = VerdictWarnings
		}
	}
	return out, nil
}

// checkFile opens, checks (if verify), hashes (if hash) and makes the
// form of one file. The form's problem is an error even without verify:
// the file could not be sent.
func checkFile(path string, profile dist.Profile, verify, hash bool, uo upload.Options) *checked {
	c := &checked{result: &Result{Result: upload.Result{File: filepath.Base(path)}, Path: path}}
	d, err := dist.Open(path)
	if err != nil {
		c.fail(err)
		return c
	}
	if hash {
		if _, err := d.Digests(true); err != nil {
			c.fail(err)
			return c
		}
	}
	c.dist = d
	r := c.result
	r.Dist = d
	r.Kind, r.Size = d.Kind(), d.Size
	r.Digests, _ = d.KnownDigests(false)
	r.Name, r.Version = d.Metadata.Name, d.Metadata.Version
	var problems []*dist.Problem
	if verify {
		problems = d.Check(profile)
	}
	if r.Form, err = form(d, uo); err != nil {
		// The form's errors start "upload: <file>: ", which the problem says.
		msg := strings.TrimPrefix(err.Error(), "upload: "+r.File+": ")
		problems = append(problems, &dist.Problem{File: r.File, Field: formField, Rule: formRule, Message: msg})
	}
	var errs []*dist.Problem
	for _, p := range problems {
		r.Problems = append(r.Problems, p)
		if p.Severity == dist.SeverityError {
			errs = append(errs, p)
		}
	}
	if len(errs) > 0 {
		c.err = &dist.ValidationError{File: r.File, Problems: errs}
	}
	return c
}

// form makes d's upload form: with the digests when they are known
// already (an sdist's, or any file's hashed with its checks), for the
// upload then sends them before the file; without them otherwise, as
// they are computed while the file is sent, and follow it.
func form(d *dist.Distribution, uo upload.Options) ([]upload.Field, error) {
	if _, known := d.KnownDigests(uo.MD5); known {
		return upload.Form(d, uo)
	}
	return upload.FormWithoutDigests(d, uo)
}

// fail records err, and its problems when it is a *dist.ValidationError.
func (c *checked) fail(err error) {
	c.err = err
	var ve *dist.ValidationError
	if errors.As(err, &ve) {
		c.result.Problems = append(c.result.Problems, ve.Problems...)
	}
}

// flagDuplicates fails files that share a base name: an index keeps one
// file per name.
func flagDuplicates(cs []*checked) {
	byName := map[string][]*checked{}
	for _, c := range cs {
		byName[c.result.File] = append(byName[c.result.File], c)
	}
	for _, c := range cs {
		same := byName[c.result.File]
		if len(same) < 2 {
			continue
		}
		p := &dist.Problem{File: c.result.File, Field: "filename", Rule: "duplicate-file",
			Message: fmt.Sprintf("%d files of this name are given (%s and %s); an index keeps one file per name", len(same), same[0].result.Path, same[1].result.Path)}
		c.result.Problems = append(c.result.Problems, p)
		var ve *dist.ValidationError
		if errors.As(c.err, &ve) {
			ve.Problems = append(ve.Problems, p)
		} else if c.err == nil {
			c.err = &dist.ValidationError{File: c.result.File, Problems: []*dist.Problem{p}}
		}
	}
}
