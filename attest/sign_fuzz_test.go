package attest

import (
	"os"
	"strings"
	"testing"
)

// addSignSeeds seeds f with a recorded answer of the fake Sigstore and
// some broken forms of it.
func addSignSeeds(f *testing.F, name string) {
	b, err := os.ReadFile("testdata/sign/" + name)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte(strings.Replace(string(b), `"`, `'`, 1)))
	f.Add([]byte("{}"))
	f.Add([]byte("null"))
}

func FuzzParseFulcioResponse(f *testing.F) {
	addSignSeeds(f, "fulcio-chain.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		leaf, err := parseFulcioResponse(b)
		if (err == nil) != (leaf != nil) {
			t.Fatalf("leaf %v with error %v", leaf != nil, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "invalid answer: ") {
			t.Fatalf("error %q does not say the answer is invalid", err)
		}
	})
}

func FuzzParseRekorResponse(f *testing.F) {
	addSignSeeds(f, "rekor-entry.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := parseRekorResponse(b)
		if err != nil {
			if e != nil || !strings.HasPrefix(err.Error(), "invalid answer: ") {
				t.Fatalf("entry %v with error %q", e != nil, err)
			}
			return
		}
		if e.InclusionPromise == nil || e.InclusionProof == nil {
			t.Fatal("entry without its proofs")
		}
		if n := len(e.InclusionProof.Hashes); n > maxProofHashes {
			t.Fatalf("entry with %d proof hashes", n)
		}
	})
}

func TestParseSigstoreAnswers(t *testing.T) {
	t.Parallel()
	rekor, err := os.ReadFile("testdata/sign/rekor-entry.json")
	if err != nil {
		t.Fatal(err)
	}
	e, err := parseRekorResponse(rekor)
	if err != nil {
		t.Fatal(err)
	}
	if e.KindVersion != (KindVersion{"dsse", "0.0.1"}) || len(e.LogID.KeyID) != 32 || len(e.InclusionProof.RootHash) != 32 {
		t.Errorf("entry %+v: want a dsse 0.0.1 entry with a 32-byte log ID and root hash", e)
	}
	for _, c := range []struct{ in, want string }{
		{`{}`, "invalid answer: 0 entries, not 1"},
		{`{"a":{},"b":{}}`, "invalid answer: 2 entries, not 1"},
		{`{"a":{"body":"e30=","logID":"zz"}}`, "invalid answer: logID: not hex"},
		{`{"a":{"body":"e30=","logID":"00"}}`, "invalid answer: no inclusion proof or signed entry timestamp"},
		{`{"a":{"body":"e30=","logID":"00","verification":{"signedEntryTimestamp":"AA==","inclusionProof":{"rootHash":"x"}}}}`, "invalid answer: rootHash: not hex"},
		{`{"a":{"body":"bm90IGpzb24=","logID":"00"}}`, "invalid answer: body: invalid character"},
	} {
		if _, err := parseRekorResponse([]byte(c.in)); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("parseRekorResponse(%s): %v, want %q", c.in, err, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{`{"signedCertificateEmbeddedSct":{"chain":{"certificates":[]}}}`, "invalid answer: no certificate chain"},
		{`{"signedCertificateDetachedSct":{"chain":{"certificates":["x"]}}}`, "invalid answer: the leaf is not a PEM certificate"},
		{`{"signedCertificateEmbeddedSct":{"chain":{"certificates":["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]}}}`, "invalid answer: the leaf: x509"},
	} {
		if _, err := parseFulcioResponse([]byte(c.in)); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("parseFulcioResponse(%s): %v, want %q", c.in, err, c.want)
		}
	}
}
