package upload

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/dist/pep440"
)

// UploadAll uploads ds and returns one result per file, in the order of
// ds. Wheels go before sdists (as twine and uv send them). The first
// file of each release is sent alone, since it creates the release (and
// perhaps the project) and fixes the release's metadata at PyPI; the
// others follow, opts.Parallel at a time. A failure does not stop the
// other files unless opts.FailFast is set. opts.OnResult hears of each
// file as it finishes.
func (c *Client) UploadAll(ctx context.Context, ds []*dist.Distribution, opts Options) []*Result {
	results := make([]*Result, len(ds))
	done := func(i int, r *Result) {
		results[i] = r
		opts.finish(r)
	}
	s, err := c.newSession(opts)
	if err != nil {
		for i, d := range ds {
			done(i, failed(d, err))
		}
		return results
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	run := func(i int) {
		if opts.FailFast && ctx.Err() != nil {
			done(i, failed(ds[i], context.Cause(ctx)))
			return
		}
		r := s.upload(ctx, ds[i])
		if r.Err != nil && opts.FailFast {
			cancel(ErrAborted)
		}
		done(i, r)
	}
	first, rest := uploadOrder(ds)
	for _, i := range first {
		run(i)
	}
	parallel := opts.Parallel
	if parallel < 1 {
		parallel = 4
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, i := range rest {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			run(i)
		})
	}
	wg.Wait()
	return results
}

// uploadOrder returns the indexes of ds to upload one by one (the first
// file of each release, wheels first) and those to upload after them in
// parallel (wheels first).
func uploadOrder(ds []*dist.Distribution) (first, rest []int) {
	order := make([]int, len(ds))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(kindRank(ds[a]), kindRank(ds[b]))
	})
	seen := map[string]bool{}
	for _, i := range order {
		if r := releaseKey(ds[i]); !seen[r] {
			seen[r] = true
			first = append(first, i)
		} else {
			rest = append(rest, i)
		}
	}
	return first, rest
}

func kindRank(d *dist.Distribution) int {
	if d.Filename != nil && d.Kind() == dist.Wheel {
		return 0
	}
	return 1
}

// releaseKey names d's release as PyPI finds it: normalised project name
// and canonical version.
func releaseKey(d *dist.Distribution) string {
	if d.Metadata == nil {
		return d.Path // Form reports the problem
	}
	version := d.Metadata.Version
	if v, err := pep440.Parse(version); err == nil {
		version = v.String()
	}
	return dist.NormalizeName(d.Metadata.Name) + " " + version
}
