package upload

import (
	"cmp"
	"context"
	"slices"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/dist/pep440"
)

// UploadAll uploads ds and returns one result per file, in the order of
// ds. Wheels go before sdists (as twine and uv send them). The first
// file of each release is sent before the release's other files, which
// wait until it is done: it creates the release (and perhaps the project)
// and fixes the release's metadata at PyPI. Different releases do not
// wait for each other. At most opts.Concurrency files are sent at once. A
// failure does not stop the other files unless opts.FailFast is set.
// opts.OnResult hears of each file as it finishes.
func (c *Client) UploadAll(ctx context.Context, ds []*dist.Distribution, opts Options) []*Result {
	results := make([]*Result, len(ds))
	done := func(i int, r *Result) {
		results[i] = r
		opts.finish(r)
	}
	s, err := c.newSession(opts, ds...)
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
	parallel := opts.concurrency()
	q := newReleaseQueue(ds)
	finished := make(chan int, len(ds)) // never blocks a sender
	running := 0
	// Each turn starts what it may, then waits for one file to finish.
	// Files not yet finished are running or queued, and while none runs
	// the queue is not empty, so every turn has a file to wait for.
	for left := len(ds); left > 0; left-- {
		for running < parallel {
			i, ok := q.next()
			if !ok {
				break
			}
			running++
			go func() {
				run(i)
				finished <- i
			}()
		}
		q.done(<-finished)
		running--
	}
	return results
}

// releaseQueue hands out the indexes of files to upload, in upload order
// (wheels first), holding back each release's other files until its first
// file is done. First files come before the others, since each may free
// more files to send.
type releaseQueue struct {
	firsts []int         // first file of each release, not yet handed out
	ready  []int         // other files whose first file is done, by rank
	later  map[int][]int // first file → the other files of its release
	rank   []int         // rank[i] is the place of file i in upload order
}

func newReleaseQueue(ds []*dist.Distribution) *releaseQueue {
	order := make([]int, len(ds))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(kindRank(ds[a]), kindRank(ds[b]))
	})
	q := &releaseQueue{later: map[int][]int{}, rank: make([]int, len(ds))}
	firstOf := map[string]int{} // release → its first file
	for r, i := range order {
		q.rank[i] = r
		key := releaseKey(ds[i])
		if first, ok := firstOf[key]; ok {
			q.later[first] = append(q.later[first], i)
		} else {
			firstOf[key] = i
			q.firsts = append(q.firsts, i)
		}
	}
	return q
}

// next returns the next file to upload, if one may start now.
func (q *releaseQueue) next() (int, bool) {
	var i int
	switch {
	case len(q.firsts) > 0:
		i, q.firsts = q.firsts[0], q.firsts[1:]
	case len(q.ready) > 0:
		i, q.ready = q.ready[0], q.ready[1:]
	default:
		return 0, false
	}
	return i, true
}

// done records that file i is done; if it was the first of its release,
// the release's other files may start.
func (q *releaseQueue) done(i int) {
	for _, j := range q.later[i] {
		at, _ := slices.BinarySearchFunc(q.ready, q.rank[j], func(k, rank int) int {
			return cmp.Compare(q.rank[k], rank)
		})
		q.ready = slices.Insert(q.ready, at, j)
	}
	delete(q.later, i)
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
