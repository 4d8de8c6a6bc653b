package pypi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/pypitest"
)

// An interrupted check phase is an error: a cancelled context stops it
// between files, and Publish says why.
func TestPublishCheckPhaseObservesContext(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0")
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("interrupted by the test")
	cancel(cause)
	opts := f.options()
	opts.DryRun = true
	var checked []string
	opts.Events = func(e pypi.Event) { checked = append(checked, e.File) }
	res, err := pypi.Publish(ctx, opts)
	if !errors.Is(err, cause) || res != nil || checked != nil {
		t.Errorf("Publish(cancelled) = %v, %v, events for %q; want the cause, no results, no events", res, err, checked)
	}
}
