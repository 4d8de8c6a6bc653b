package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trustpub/pypi/attest"
)

// readAttestation reads the publish attestation written beside a file of
// the fixture's directory.
func readAttestation(t *testing.T, f *fixture, file string) *attest.Attestation {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(f.dir, file) + ".publish.attestation")
	if err != nil {
		t.Fatal(err)
	}
	a, err := attest.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// The action's default: attestations are generated with the job's
// identity, written beside the files, uploaded, accepted by the fake
// PyPI, and listed in the log, the job summary and the outputs.
func e2eActionAttestations(t *testing.T) {
	t.Parallel()
	f := newSigstoreFixture(t)
	env := f.sigstoreEnv(t, f.actionsEnv(t, map[string]string{"REPOSITORY-URL": f.uploadURL(), "PACKAGES-DIR": f.dir}))
	r := runCLI(t, env)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	files := f.srv.Files()
	if len(files) != 2 {
		t.Fatalf("the index has %d files, want 2", len(files))
	}
	if !strings.Contains(r.stdout, "::notice::Generating and uploading digital attestations\n") ||
		strings.Contains(r.stdout, "attestations input ignored") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	for _, file := range files {
		if file.Provenance == nil {
			t.Errorf("%s: no provenance at the index", file.Filename)
		}
		a := readAttestation(t, f, file.Filename)
		index := strconv.FormatInt(int64(a.VerificationMaterial.TransparencyEntries[0].LogIndex), 10)
		path := filepath.Join(f.dir, file.Filename) + ".publish.attestation"
		for where, want := range map[string]string{
			"stdout":  "::debug::saved publish attestation: dist_path=PosixPath('" + filepath.Join(f.dir, file.Filename) + "') attestation_path=PosixPath('" + path + "')",
			"summary": "| `" + file.Filename + "` | `" + path + "` | [" + index + "](" + f.sig.RekorURL() + "/api/v1/log/entries?logIndex=" + index + ") |",
			"outputs": f.sig.RekorURL() + "/api/v1/log/entries?logIndex=" + index + "\n",
		} {
			text := map[string]string{"stdout": r.stdout, "summary": r.summary, "outputs": r.output}[where]
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q:\n%s", where, want, text)
			}
		}
		if !strings.Contains(r.output, path+"\n") {
			t.Errorf("the attestations output lacks %s:\n%s", path, r.output)
		}
	}
	noSecrets(t, r, env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"])
}

// A publish attestation already beside a file stops the action before
// anything is signed or sent, in its words.
func e2eActionAttestationsExist(t *testing.T) {
	t.Parallel()
	f := newSigstoreFixture(t)
	whl := filepath.Join(f.dir, "sampleproject-1.0.0-py3-none-any.whl")
	if err := os.WriteFile(whl+".publish.attestation", []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := f.sigstoreEnv(t, f.actionsEnv(t, map[string]string{"REPOSITORY-URL": f.uploadURL(), "PACKAGES-DIR": f.dir}))
	r := runCLI(t, env)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	want := "::error::Attestation generation failure: The following distributions already have publish attestations: * " +
		whl + " -> " + whl + ".publish.attestation\n"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
	}
	if !strings.Contains(r.summary, "You're seeing this because the action attempted to generated PEP 740\nattestations for its inputs, but failed to do so.") {
		t.Errorf("summary:\n%s", r.summary)
	}
	if n := len(f.srv.Uploads()) + len(f.srv.Minted()); n != 0 {
		t.Errorf("%d uploads and mints, want none", n)
	}
}

// Fulcio refusing the proof of possession fails the action before any
// upload, in its words, leaving no attestation file.
func e2eActionAttestationFailure(t *testing.T) {
	t.Parallel()
	f := newSigstoreFixture(t)
	f.sig.RefuseProofs(1)
	env := f.sigstoreEnv(t, f.actionsEnv(t, map[string]string{"REPOSITORY-URL": f.uploadURL(), "PACKAGES-DIR": f.dir}))
	r := runCLI(t, env)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	want := "::error::Attestation generation failure: attest: sign sampleproject-1.0.0-py3-none-any.whl: fulcio: 400 Bad Request: The signature supplied in the request could not be verified\n"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
	}
	if !strings.Contains(r.summary, "Attestation generation failure:\n\nattest: sign") {
		t.Errorf("summary:\n%s", r.summary)
	}
	if n := len(f.srv.Uploads()); n != 0 {
		t.Errorf("%d uploads reached the index", n)
	}
	if left, _ := filepath.Glob(filepath.Join(f.dir, "*.attestation")); len(left) != 0 {
		t.Errorf("attestation files left: %q", left)
	}
}

// The CLI in a GitHub job (not the action): attestations by default,
// listed by --json with their log index; --no-attestations and
// UV_PUBLISH_NO_ATTESTATIONS turn them off.
func e2eAttestationsJSONAndOff(t *testing.T) {
	t.Parallel()
	f := newSigstoreFixture(t)
	r := runCLI(t, f.iss.Env(), "--json", "--repository-url", f.uploadURL(), "--fulcio-url", f.sig.FulcioURL(),
		"--rekor-url", f.sig.RekorURL(), f.dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var doc struct {
		Files []struct {
			File         string
			Attestations []struct {
				PredicateType string `json:"predicate_type"`
				LogIndex      int64  `json:"log_index"`
				Path          string
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Files) != 2 {
		t.Fatalf("--json: %v\n%s", err, r.stdout)
	}
	for _, file := range doc.Files {
		a := readAttestation(t, f, file.File)
		index := int64(a.VerificationMaterial.TransparencyEntries[0].LogIndex)
		if len(file.Attestations) != 1 || file.Attestations[0].PredicateType != attest.PublishV1 || file.Attestations[0].LogIndex != index {
			t.Errorf("%s: attestations %+v", file.File, file.Attestations)
		}
		line := "Attested " + file.File + ": " + filepath.Join(f.dir, file.File) + ".publish.attestation (Rekor log index " + strconv.FormatInt(index, 10) + ")\n"
		if !strings.Contains(r.stderr, line) {
			t.Errorf("the log lacks %q:\n%s", line, r.stderr)
		}
	}
	for name, run := range map[string]struct {
		env  map[string]string // besides the job's
		args []string
	}{
		"--no-attestations":            {nil, []string{"--no-attestations"}},
		"UV_PUBLISH_NO_ATTESTATIONS=1": {map[string]string{"UV_PUBLISH_NO_ATTESTATIONS": "1"}, nil},
	} {
		g := newSigstoreFixture(t)
		env := g.iss.Env()
		for k, v := range run.env {
			env[k] = v
		}
		args := append([]string{"--repository-url", g.uploadURL(), "--fulcio-url", g.sig.FulcioURL(), "--rekor-url", g.sig.RekorURL(), g.dir}, run.args...)
		if r := runCLI(t, env, args...); r.code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", name, r.code, r.stdout, r.stderr)
		}
		for _, file := range g.srv.Files() {
			if file.Attestations != "" {
				t.Errorf("%s: %s sent with attestations", name, file.Filename)
			}
		}
		if left, _ := filepath.Glob(filepath.Join(g.dir, "*.attestation")); len(left) != 0 {
			t.Errorf("%s: attestation files written: %q", name, left)
		}
	}
}
