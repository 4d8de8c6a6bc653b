package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/upload"
)

// testSigstore runs the server with -sigstore: it announces the fake
// Sigstore and a trusted root naming it, Fulcio takes the issuer's tokens
// for audience sigstore, and the trusted root goes away with the server.
func testSigstore(t *testing.T, bin string, _ *dist.Distribution) {
	p := launch(t, bin, "-sigstore")
	if p.SigstoreURL == "" || p.TrustedRoot == "" {
		t.Fatalf("announcement without the Sigstore: %+v", p.announcement)
	}
	b, err := os.ReadFile(p.TrustedRoot)
	if err != nil {
		t.Fatal(err)
	}
	var root struct{ Tlogs []struct{ BaseURL string } }
	if err := json.Unmarshal(b, &root); err != nil || len(root.Tlogs) != 1 || root.Tlogs[0].BaseURL != p.SigstoreURL {
		t.Fatalf("trusted root %s: %v", b, err)
	}

	var token struct{ Value string }
	getJSON(t, p.Env["ACTIONS_ID_TOKEN_REQUEST_URL"]+"&audience=sigstore", "bearer "+p.Env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"], &token)
	// A valid token with a bad proof gets past the token check (401) to
	// the proof's (400).
	for auth, want := range map[string]int{"": http.StatusUnauthorized, "Bearer " + token.Value: http.StatusBadRequest} {
		req, _ := http.NewRequest(http.MethodPost, p.SigstoreURL+"/api/v2/signingCert",
			strings.NewReader(`{"publicKeyRequest":{"publicKey":{"content":""},"proofOfPossession":""}}`))
		req.Header.Set("Authorization", auth)
		var answer struct{ Message string }
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		if err != nil || resp.StatusCode != want || answer.Message == "" {
			t.Errorf("signingCert with Authorization %.20q: %d %q (%v), want %d", auth, resp.StatusCode, answer.Message, err, want)
		}
	}
	p.stop(t)
	if _, err := os.Stat(p.TrustedRoot); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("trusted root left behind after exit: %v", err)
	}
}

// testSigstoreText checks -sigstore's KEY=value lines.
func testSigstoreText(t *testing.T, bin string, _ *dist.Distribution) {
	p := prepare(t, bin, "-sigstore")
	sc := bufio.NewScanner(p.stdout(t))
	vars := map[string]string{}
	for sc.Scan() && sc.Text() != "PYPITEST_READY=1" {
		k, v, _ := strings.Cut(sc.Text(), "=")
		vars[k] = v
	}
	if !strings.HasPrefix(vars["PYPITEST_SIGSTORE_URL"], "http://127.0.0.1:") {
		t.Errorf("PYPITEST_SIGSTORE_URL %q", vars["PYPITEST_SIGSTORE_URL"])
	}
	if _, err := os.Stat(vars["PYPITEST_SIGSTORE_TRUSTED_ROOT"]); err != nil {
		t.Errorf("PYPITEST_SIGSTORE_TRUSTED_ROOT: %v", err)
	}
	p.stop(t)
}

// testSigstoreVerifies checks that with -sigstore the index verifies the
// attestations of an upload against the fake Sigstore's root: an
// attestation whose statement names the file but which no Sigstore signed
// is refused in PyPI's words, and the file is not stored.
func testSigstoreVerifies(t *testing.T, bin string, demo *dist.Distribution) {
	p := launch(t, bin, "-sigstore", "-publisher", "benchpkg_000", "-repository", "acme/demo", "-workflow", "publish.yml")
	wheel := filepath.Join(t.TempDir(), filepath.Base(demo.Path))
	b, err := os.ReadFile(demo.Path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	statement := fmt.Sprintf(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":%q,"digest":{"sha256":"%x"}}],"predicateType":"https://docs.pypi.org/attestations/publish/v1","predicate":null}`,
		filepath.Base(wheel), sum)
	forged := fmt.Sprintf(`{"version":1,"verification_material":{"certificate":"MAA=","transparency_entries":[{"logIndex":"1","logId":{"keyId":"AA=="},"kindVersion":{"kind":"dsse","version":"0.0.1"},"integratedTime":"1","canonicalizedBody":"e30="}]},"envelope":{"statement":%q,"signature":"MAA="}}`,
		base64.StdEncoding.EncodeToString([]byte(statement)))
	if err := os.WriteFile(wheel, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(wheel+".publish.attestation", []byte(forged), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := dist.Open(wheel)
	if err != nil {
		t.Fatal(err)
	}
	_, err = uploadAs(t, p.UploadURL, "__token__", p.mint(t), d)
	var ue *upload.Error
	const want = "Invalid attestations supplied during upload: Could not verify the uploaded artifact using the included attestation: Verification failed: "
	if !errors.As(err, &ue) || ue.StatusCode != http.StatusBadRequest || !strings.HasPrefix(ue.Message, want) {
		t.Fatalf("upload with a forged attestation: %v, want 400 %s…", err, want)
	}
	if got := p.files(t, demoProject); got != nil {
		t.Errorf("the index stored %q", got)
	}
}
