package pypitest

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// npmModules is where Debian's nodejs package keeps npm's own modules,
// among them @sigstore/verify, with which npm checks provenance.
const npmModules = "/usr/lib/node_modules/npm/node_modules"

// sigstoreJSScript verifies a Sigstore bundle with @sigstore/verify at
// its defaults (one SCT, one log entry, one timestamp) against a trusted
// root, with the identity policy of a SAN and a Fulcio issuer. It reads
// {"root", "bundle", "san", "issuer"} on stdin.
const sigstoreJSScript = `
const { Verifier, toSignedEntity, toTrustMaterial } = require("@sigstore/verify");
const { bundleFromJSON } = require("@sigstore/bundle");
const { TrustedRoot } = require("@sigstore/protobuf-specs");
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const a = JSON.parse(input);
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(a.root)));
  try {
    const signer = verifier.verify(toSignedEntity(bundleFromJSON(a.bundle)),
      { subjectAlternativeName: a.san, extensions: { issuer: a.issuer } });
    console.log("ok", signer.identity.subjectAlternativeName);
  } catch (e) {
    console.log("refused", e.code, e.message);
  }
});
`

func TestSigstoreVerifiesWithSigstoreJS(t *testing.T) {
	t.Parallel()
	node := testenv.NeedCommand(t, "node")
	if _, err := os.Stat(filepath.Join(npmModules, "@sigstore", "verify")); err != nil {
		testenv.Missing(t, "npm's @sigstore/verify")
	}
	script := filepath.Join(t.TempDir(), "verify.js")
	if err := os.WriteFile(script, []byte(sigstoreJSScript), 0o600); err != nil {
		t.Fatal(err)
	}
	s := newSigner(t, GitHubRun{})
	var root map[string]any
	if err := json.Unmarshal(s.sig.TrustedRoot(), &root); err != nil {
		t.Fatal(err)
	}
	verify := func(bundle map[string]any) string {
		t.Helper()
		in, err := json.Marshal(map[string]any{"root": root, "bundle": bundle, "issuer": s.iss.URL,
			"san": "https://github.com/" + s.iss.Run().workflowRef()})
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(node, script)
		cmd.Env = append(os.Environ(), "NODE_PATH="+npmModules)
		cmd.Stdin = strings.NewReader(string(in))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("node: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}

	chain := s.certify()
	// Two entries first, so that the one verified has a proof with hashes.
	for _, statement := range []string{`{"n":1}`, `{"n":2}`} {
		p, _ := s.proposal(chain[0], statement)
		s.logEntry(p)
	}
	statement := `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a-1.0.tar.gz","digest":{"sha256":"00"}}]}`
	proposal, env := s.proposal(chain[0], statement)
	status, _, _, e := s.logEntry(proposal)
	if status != 201 {
		t.Fatalf("entry: %d", status)
	}
	if got := verify(sigstoreBundle(t, chain[0], e, env)); got != "ok https://github.com/"+s.iss.Run().workflowRef() {
		t.Fatalf("@sigstore/verify refused the fake's bundle: %s", got)
	}

	// The same with a leaf the fake issued without an SCT: refused.
	s.sig.OmitSCTs(1)
	bare := s.certify()
	proposal, env = s.proposal(bare[0], statement)
	_, _, _, e = s.logEntry(proposal)
	if got := verify(sigstoreBundle(t, bare[0], e, env)); !strings.HasPrefix(got, "refused CERTIFICATE_ERROR") {
		t.Errorf("@sigstore/verify on a leaf without SCT: %s", got)
	}
}

// sigstoreBundle assembles a Sigstore bundle v0.3 from a leaf, its log
// entry and its DSSE envelope, as a signer does.
func sigstoreBundle(t *testing.T, leaf *x509.Certificate, e logged, envelope string) map[string]any {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal([]byte(envelope), &env); err != nil {
		t.Fatal(err)
	}
	b64hex := func(h string) string {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	p := e.Verification.InclusionProof
	var hashes []string
	for _, h := range p.Hashes {
		hashes = append(hashes, b64hex(h))
	}
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
	return map[string]any{
		"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
		"verificationMaterial": map[string]any{
			"certificate": map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(leaf.Raw)},
			"tlogEntries": []any{map[string]any{
				"logIndex":          itoa(e.LogIndex),
				"logId":             map[string]any{"keyId": b64hex(e.LogID)},
				"kindVersion":       map[string]any{"kind": "dsse", "version": "0.0.1"},
				"integratedTime":    itoa(e.IntegratedTime),
				"inclusionPromise":  map[string]any{"signedEntryTimestamp": e.Verification.SignedEntryTimestamp},
				"inclusionProof":    map[string]any{"logIndex": itoa(p.LogIndex), "rootHash": b64hex(p.RootHash), "treeSize": itoa(p.TreeSize), "hashes": hashes, "checkpoint": map[string]any{"envelope": p.Checkpoint}},
				"canonicalizedBody": e.Body,
			}},
		},
		"dsseEnvelope": env,
	}
}
