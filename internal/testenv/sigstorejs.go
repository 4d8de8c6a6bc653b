package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// SigstoreJSDir is the npm project, relative to the repository's root,
// that pins npm's @sigstore/verify in its package-lock.json (`npm ci`
// there installs it) and holds verify.js, the script SigstoreJS runs.
const SigstoreJSDir = "internal/sigstorecheck/js"

// SigstoreJSInput is what verify.js checks: a bundle against a trusted
// root, an identity policy and, optionally, the statement's subject.
type SigstoreJSInput struct {
	Root       json.RawMessage      `json:"root"`   // trusted_root.json
	Bundle     json.RawMessage      `json:"bundle"` // Sigstore bundle JSON
	Identities []SigstoreJSIdentity `json:"identities"`
	// SHA256, if set, is the lowercase hex digest the in-toto statement's
	// one subject must have; @sigstore/verify itself does not read the
	// statement.
	SHA256 string `json:"sha256,omitempty"`
}

// SigstoreJSIdentity is one acceptable signer: the certificate's SAN
// (exactly), its Fulcio issuer, and Fulcio extensions by dotted OID (e.g.
// "1.3.6.1.4.1.57264.1.12" for the Source Repository URI) with their
// string values.
type SigstoreJSIdentity struct {
	SAN        string            `json:"san"`
	Issuer     string            `json:"issuer"`
	Extensions map[string]string `json:"extensions,omitempty"`
}

// SigstoreJSVerdict is verify.js's answer: verified, with the SAN of the
// certificate, or refused with @sigstore/verify's error code and message
// (code SUBJECT_ERROR for a statement that does not name SHA256).
type SigstoreJSVerdict struct {
	Verified bool   `json:"verified"`
	SAN      string `json:"san"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

// String returns "verified: SAN" or "refused: CODE: MESSAGE".
func (v SigstoreJSVerdict) String() string {
	if v.Verified {
		return "verified: " + v.SAN
	}
	return "refused: " + v.Code + ": " + v.Message
}

// SigstoreJS runs verify.js with node on in. repoRoot is the repository's
// root relative to the test's directory (".." for a package at the top).
// It skips (fails under CI=true) when node or the npm project's
// node_modules is missing, and fails when the installed @sigstore/verify
// is not the version package.json pins.
func SigstoreJS(t testing.TB, repoRoot string, in SigstoreJSInput) SigstoreJSVerdict {
	t.Helper()
	node := NeedCommand(t, "node")
	dir := filepath.Join(repoRoot, SigstoreJSDir)
	installed, err := os.ReadFile(filepath.Join(dir, "node_modules", "@sigstore", "verify", "package.json"))
	if os.IsNotExist(err) {
		Missing(t, "@sigstore/verify (npm ci in "+SigstoreJSDir+")")
	}
	if err != nil {
		t.Fatal(err)
	}
	pinned, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var project struct{ Dependencies map[string]string }
	var verify struct{ Version string }
	if err := json.Unmarshal(pinned, &project); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(installed, &verify); err != nil {
		t.Fatal(err)
	}
	if want := project.Dependencies["@sigstore/verify"]; verify.Version != want {
		t.Fatalf("@sigstore/verify %s is installed in %s, package.json pins %s: run npm ci there", verify.Version, SigstoreJSDir, want)
	}

	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	// A bound for a hung node only: one run takes well under a second.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "verify.js"))
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node verify.js: %v\n%s", err, stderr.Bytes())
	}
	var v SigstoreJSVerdict
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("node verify.js: %v in its answer %q", err, out)
	}
	return v
}
