package pypi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
	"github.com/trustpub/pypi/upload"
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

// A file whose upload form cannot be made (here a METADATA field that
// twine and packaging do not know) fails its check, and that is the
// verdict reported with EventKindChecked, acted on and returned, whatever the
// checks asked for and whether or not it is a dry run.
func TestPublishOneVerdictPerFile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		checks pypi.Checks
		dryRun bool
	}{
		{"dry run", pypi.ChecksPyPI, true},
		{"upload", pypi.ChecksPyPI, false},
		{"no checks", pypi.ChecksNone, false},
	} {
		f := newFixture(t, pypitest.GitHubRun{})
		if _, err := (sampledist.Project{Name: "sampleproject", Version: "1.0", Extra: "Foo: bar\n"}).Build(f.dir); err != nil {
			t.Fatal(err)
		}
		opts := f.options()
		opts.Checks, opts.DryRun = tc.checks, tc.dryRun
		reported := map[string]pypi.Verdict{}
		opts.Events = func(e pypi.Event) {
			if e.Kind == pypi.EventKindChecked {
				reported[e.File] = e.Result.Verdict
			}
		}
		res, err := pypi.Publish(context.Background(), opts)
		if !errors.Is(err, pypi.ErrChecksFailed) || len(res) != 2 {
			t.Fatalf("%s: Publish = %d results, %v; want ErrChecksFailed", tc.name, len(res), err)
		}
		for _, r := range res {
			if r.Verdict != pypi.VerdictFailed || reported[r.File] != pypi.VerdictFailed || r.Outcome != upload.OutcomeFailed {
				t.Errorf("%s: %s: verdict %v, reported %v, outcome %v; want FAILED everywhere", tc.name, r.File, r.Verdict, reported[r.File], r.Outcome)
			}
			want := r.File + ": upload form: invalid distribution metadata: unrecognized or malformed field 'foo'"
			if len(r.Problems) == 0 || r.Problems[len(r.Problems)-1].Error() != want || !strings.Contains(r.Err.Error(), want) {
				t.Errorf("%s: %s: problems %v, error %v; want %q", tc.name, r.File, r.Problems, r.Err, want)
			}
		}
		if len(f.srv.Uploads()) != 0 || f.iss.Issued() != 0 {
			t.Errorf("%s: credentials were fetched or files sent", tc.name)
		}
	}
}

// The verdicts: a clean file passes, warnings pass with warnings, and
// both are what EventKindChecked reported.
func TestPublishVerdicts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	if _, err := (sampledist.Project{Name: "sampleproject", Version: "1.0", Summary: strings.Repeat("s", 600)}).Build(f.dir); err != nil {
		t.Fatal(err)
	}
	f.build(t, "2.0")
	opts := f.options()
	opts.Checks, opts.DryRun = pypi.ChecksLenient, true
	res, err := pypi.Publish(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		want := pypi.VerdictPassed
		if r.Version == "1.0" {
			want = pypi.VerdictWarnings
		}
		if r.Verdict != want || (want == pypi.VerdictWarnings) != (len(r.Problems) > 0) {
			t.Errorf("%s: verdict %v with problems %v; want %v", r.File, r.Verdict, r.Problems, want)
		}
	}
	if b, _ := pypi.VerdictWarnings.MarshalText(); string(b) != "passed_with_warnings" {
		t.Errorf("MarshalText = %q", b)
	}
}
