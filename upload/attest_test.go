package upload

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// attestationJSON builds a PEP 740 attestation (unsigned: the shape is
// what the client checks) for file with sha256, of predicate type pt.
func attestationJSON(file, sha256, pt string) string {
	st := fmt.Sprintf(`{"_type":%q,"subject":[{"name":%q,"digest":{"sha256":%q}}],"predicateType":%q,"predicate":{}}`,
		inTotoStatementV1, file, sha256, pt)
	return fmt.Sprintf(`{"version": 1, "verification_material": {"certificate": "Y2VydA==", "transparency_entries": [{"logIndex": "1"}]},
  "envelope": {"statement": %q, "signature": "c2ln"}}`, base64.StdEncoding.EncodeToString([]byte(st)))
}

func TestAttestationsSent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := newDist(t, dir, "pkg-1.0.tar.gz", []byte("sdist"), nil)
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pkg-1.0.tar.gz.publish.attestation", attestationJSON("pkg-1.0.tar.gz", sums(t, d).SHA256, predicatePublishV1))
	write("pkg-1.0.tar.gz.slsa.attestation", attestationJSON("pkg-1.0.tar.gz", sums(t, d).SHA256, predicateSLSAProvV1))
	write("pkg-1.0.tar.gz.asc", "not an attestation")
	write("pkg-1.0.tar.gz.a.b.attestation", "not ours: kind has a dot")
	newDist(t, dir, "pkg-1.0-py3-none-any.whl", []byte("wheel"), nil) // no attestations

	ix := newIndex(t, nil)
	if _, err := ix.client().Upload(t.Context(), d, Options{}); err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(ix.upload(0).field("attestations")), &list); err != nil || len(list) != 2 {
		t.Fatalf("attestations field = %q (%v), want a list of 2", ix.upload(0).field("attestations"), err)
	}
	if _, err := Form(d, Options{Attestations: AttestationsOff}); err != nil {
		t.Fatal(err)
	}
	w := newDist(t, dir, "pkg-1.0-py3-none-any.whl", []byte("wheel"), nil)
	if f, err := Form(w, Options{}); err != nil || strings.Contains(fmt.Sprint(f), "attestations") {
		t.Errorf("a wheel without attestations: %v, %v", f, err)
	}
	if _, err := Form(w, Options{Attestations: AttestationsRequire}); err == nil || !strings.Contains(err.Error(), "pkg-1.0-py3-none-any.whl") {
		t.Errorf("AttestationsRequire without files: err = %v", err)
	}
}

func TestAttestationProblems(t *testing.T) {
	t.Parallel()
	good := func(d string) string { return attestationJSON("pkg-1.0.tar.gz", d, predicatePublishV1) }
	for _, tc := range []struct {
		name  string
		files map[string]func(sha string) string
		want  string
	}{
		{"not json", map[string]func(string) string{"publish": func(string) string { return "{" }}, "invalid JSON in attestation"},
		{"version", map[string]func(string) string{"publish": func(s string) string { return strings.Replace(good(s), `"version": 1`, `"version": 2`, 1) }}, "version is 2"},
		{"no entries", map[string]func(string) string{"publish": func(s string) string {
			return strings.Replace(good(s), `[{"logIndex": "1"}]`, `[]`, 1)
		}}, "transparency_entries"},
		{"other file", map[string]func(string) string{"publish": func(s string) string {
			return attestationJSON("other-1.0.tar.gz", s, predicatePublishV1)
		}}, "Could not verify the uploaded artifact"},
		{"other digest", map[string]func(string) string{"publish": func(string) string { return good(strings.Repeat("0", 64)) }}, "Could not verify"},
		{"predicate", map[string]func(string) string{"publish": func(s string) string {
			return attestationJSON("pkg-1.0.tar.gz", s, "https://example.com/p")
		}}, "Attestation with unsupported predicate type: https://example.com/p"},
		{"same predicate twice", map[string]func(string) string{"a": good, "b": good}, "Multiple attestations for the same file with the same predicate type"},
		{"three", map[string]func(string) string{"a": good, "b": good, "c": good}, "A maximum of 2 attestations per file are supported"},
	} {
		dir := t.TempDir()
		d := newDist(t, dir, "pkg-1.0.tar.gz", []byte("sdist"), nil)
		for kind, body := range tc.files {
			os.WriteFile(filepath.Join(dir, "pkg-1.0.tar.gz."+kind+".attestation"), []byte(body(sums(t, d).SHA256)), 0o644)
		}
		_, err := Form(d, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "pkg-1.0.tar.gz") {
			t.Errorf("%s: err = %v, want %q naming the file", tc.name, err, tc.want)
		}
	}
}

// A Listing reads a directory once: an attestation file made after it
// did is not seen by the forms made with it, and is by a new Listing's
// and by forms made without one.
func TestListingReadsOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := newDist(t, dir, "pkg-1.0.tar.gz", []byte("sdist"), nil)
	l := new(Listing)
	if _, err := Form(d, Options{Listing: l}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.Path+".publish.attestation", []byte("not JSON"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Form(d, Options{Listing: l}); err != nil {
		t.Errorf("a form made with the first listing saw the new file: %v", err)
	}
	for name, opts := range map[string]Options{"a new listing": {Listing: new(Listing)}, "no listing": {}} {
		if _, err := Form(d, opts); err == nil || !strings.Contains(err.Error(), "pkg-1.0.tar.gz.publish.attestation") {
			t.Errorf("with %s, the new attestation file was not read: %v", name, err)
		}
	}
}
