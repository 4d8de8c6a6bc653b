package pypitest

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// sigstoreCheckScript verifies, with Debian's python3-cryptography, what
// a Sigstore verifier checks of a certificate and a log entry: the leaf's
// signature by the intermediate, its embedded SCT over the precertificate
// (cryptography's own tbs_precertificate_bytes) with the CT key, the
// entry's SET, its RFC 9162 inclusion proof and its checkpoint's
// signature with the Rekor key. It reads one JSON object on stdin.
const sigstoreCheckScript = `
import base64, datetime, hashlib, json, struct, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.certificate_transparency import LogEntryType

a = json.load(sys.stdin)
leaf = x509.load_pem_x509_certificate(a["leaf"].encode())
inter = x509.load_pem_x509_certificate(a["intermediate"].encode())
root = json.loads(a["trusted_root"])
ct_der = base64.b64decode(root["ctlogs"][0]["publicKey"]["rawBytes"])
rekor_der = base64.b64decode(root["tlogs"][0]["publicKey"]["rawBytes"])
ct_key = serialization.load_der_public_key(ct_der)
rekor_key = serialization.load_der_public_key(rekor_der)
ecdsa = ec.ECDSA(hashes.SHA256())

inter.public_key().verify(leaf.signature, leaf.tbs_certificate_bytes, ec.ECDSA(leaf.signature_hash_algorithm))
scts = leaf.extensions.get_extension_for_class(x509.PrecertificateSignedCertificateTimestamps).value
assert len(scts) == 1, scts
sct = scts[0]
assert sct.log_id == hashlib.sha256(ct_der).digest(), "SCT log ID"
assert sct.entry_type == LogEntryType.PRE_CERTIFICATE
issuer_spki = inter.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
tbs = leaf.tbs_precertificate_bytes
ms = round(sct.timestamp.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)  # a naive UTC datetime
signed = (struct.pack(">BBQH", 0, 0, ms, 1) + hashlib.sha256(issuer_spki).digest()
          + len(tbs).to_bytes(3, "big") + tbs + struct.pack(">H", len(sct.extension_bytes)) + sct.extension_bytes)
ct_key.verify(sct.signature, signed, ecdsa)

for entry in a["entries"]:
    body = base64.b64decode(entry["body"])
    set_payload = json.dumps({"body": entry["body"], "integratedTime": entry["integratedTime"],
                              "logID": entry["logID"], "logIndex": entry["logIndex"]},
                             sort_keys=True, separators=(",", ":")).encode()
    rekor_key.verify(base64.b64decode(entry["verification"]["signedEntryTimestamp"]), set_payload, ecdsa)
    p = entry["verification"]["inclusionProof"]
    node = hashlib.sha256(b"\0" + body).digest()
    fn, sn = p["logIndex"], p["treeSize"] - 1
    for h in p["hashes"]:
        h = bytes.fromhex(h)
        assert sn != 0, "proof too long"
        if fn & 1 or fn == sn:
            node = hashlib.sha256(b"\1" + h + node).digest()
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = hashlib.sha256(b"\1" + node + h).digest()
        fn, sn = fn >> 1, sn >> 1
    assert sn == 0, "proof too short"
    assert node.hex() == p["rootHash"], "root hash"
    text, sig_lines = p["checkpoint"].split("\n\n", 1)
    text += "\n"
    origin, size, root_b64 = text.splitlines()
    assert int(size) == p["treeSize"] and base64.b64decode(root_b64) == node, "checkpoint"
    dash, name, sig = sig_lines.strip().split(" ")
    assert dash == "\u2014"
    sig = base64.b64decode(sig)
    assert sig[:4] == hashlib.sha256(rekor_der).digest()[:4], "key hint"
    rekor_key.verify(sig[4:], text.encode(), ecdsa)
print("ok", len(a["entries"]))
`

func TestSigstoreVerifiesWithPythonCryptography(t *testing.T) {
	t.Parallel()
	python := testenv.NeedPython(t, "cryptography.x509.certificate_transparency")
	s := newSigner(t, GitHubRun{})
	chain := s.certify()
	var entries []json.RawMessage
	for i := range 5 {
		proposal, _ := s.proposal(chain[0], fmt.Sprintf(`{"n":%d}`, i))
		resp, body := s.post("/api/v1/log/entries", http.Header{}, proposal)
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &m); resp.StatusCode != http.StatusCreated || err != nil {
			t.Fatalf("entry %d: %d %s", i, resp.StatusCode, body)
		}
		for _, e := range m {
			entries = append(entries, e)
		}
	}
	in, err := json.Marshal(map[string]any{
		"leaf":         string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: chain[0].Raw})),
		"intermediate": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: chain[1].Raw})),
		"trusted_root": string(s.sig.TrustedRoot()),
		"entries":      entries,
	})
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "check.py")
	if err := os.WriteFile(script, []byte(sigstoreCheckScript), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, script)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok 5" {
		t.Fatalf("python3-cryptography: %v\n%s", err, out)
	}
}
