package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/trustpub/pypi/dist"
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
