package sampledist_test

import (
	"testing"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/examples/quickstart/sampledist"
)

// The sample files must pass PyPI's rules without a single warning, or
// the examples would publish something PyPI refuses.
func TestBuildPassesPyPIChecks(t *testing.T) {
	t.Parallel()
	for _, p := range []sampledist.Project{
		{Name: "sampleproject", Version: "1.0.0"},
		{Name: "My.Sample_Project", Version: "2.1rc1", Summary: "Another one"},
	} {
		paths, err := p.Build(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			d, err := dist.Open(path)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if d.Metadata.Name != p.Name || d.Metadata.Version != p.Version {
				t.Errorf("%s: metadata says %s %s", path, d.Metadata.Name, d.Metadata.Version)
			}
			for _, prob := range d.Check(dist.PyPI) {
				t.Errorf("%s: %v (rule %s)", path, prob, prob.Rule)
			}
		}
	}
}
