package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpub/pypi/examples/quickstart/sampledist"
)

// The quickstart, built and run as the README runs it, tells the whole
// story and lists on the index the very files it built.
func TestQuickstartOutput(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "quickstart")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "TMPDIR=" + t.TempDir()}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("quickstart: %v\n%s", err, out)
	}
	text := string(out)

	// The files are reproducible: build them again and expect their
	// digests in the index's listing.
	paths, err := sampledist.Project{Name: "sampleproject", Version: "1.0.0"}.Build(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1. Start a fake GitHub Actions identity provider, a fake Sigstore and a fake PyPI.\n",
		"2. Be the workflow's job",
		"4. Publish them with pypi.Publish.\n",
		"authenticated by trusted publishing",
		"sampleproject-1.0.0-py3-none-any.whl: uploaded\n",
		"sampleproject-1.0.0.tar.gz: uploaded\n",
		"PyPI minted one upload token for [sampleproject]",
		"/simple/sampleproject/\n",
		"6. Fetch each file's provenance",
		"sampleproject 1.0.0 published: 2 files, checked before upload, attested,",
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		name := filepath.Base(p)
		want = append(want, "   "+name+"  sha256="+hex.EncodeToString(sum[:])+"\n",
			"checked "+name+": passes PyPI's checks",
			"attested "+name+": Sigstore certificate for the job's identity, Rekor log index ",
			"written to "+name+".publish.attestation\n",
			"   "+name+": https://docs.pypi.org/attestations/publish/v1 attestation by GitHub octo-org/sampleproject (release.yml), Rekor log index ")
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the output lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "pypi-") || strings.Contains(text, "eyJ") {
		t.Errorf("the output shows a token:\n%s", text)
	}
}
