package attest

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// attestationFixtures are the real attestations of fixtureDir.
var attestationFixtures = []string{
	Filename(sdist0019),
	sdist0019 + ".slsa.attestation",
	Filename(gitlabDist),
	Filename("rfc8785-0.1.2-py3-none-any.whl"),
	Filename("spt3g-1.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"),
}

// sameJSON asserts a and b are the same JSON value.
func sameJSON(t testing.TB, a, b []byte) {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(va, vb) {
		t.Fatalf("JSON differs:\n%s\n%s", a, b)
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, name := range attestationFixtures {
		in := readFixture(t, name)
		a, err := Parse(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, in, out)

		bundle, err := a.Bundle()
		if err != nil {
			t.Fatalf("%s: Bundle: %v", name, err)
		}
		back, err := FromBundle(bundle)
		if err != nil {
			t.Fatalf("%s: FromBundle: %v", name, err)
		}
		if !reflect.DeepEqual(back, a) {
			t.Errorf("%s: attestation → bundle → attestation changed it", name)
		}
	}
}

func TestBundleShape(t *testing.T) {
	t.Parallel()
	a := fixtureAttestation(t, Filename(sdist0019))
	b, err := a.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		MediaType            string
		VerificationMaterial struct {
			Certificate struct{ RawBytes []byte }
			TlogEntries []json.RawMessage
		}
		DSSEEnvelope struct {
			Payload     []byte
			PayloadType string
			Signatures  []struct{ Sig []byte }
		}
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.MediaType != BundleMediaType || got.DSSEEnvelope.PayloadType != PayloadType ||
		string(got.VerificationMaterial.Certificate.RawBytes) != string(a.VerificationMaterial.Certificate) ||
		len(got.VerificationMaterial.TlogEntries) != 1 || string(got.DSSEEnvelope.Payload) != string(a.Envelope.Statement) ||
		len(got.DSSEEnvelope.Signatures) != 1 || string(got.DSSEEnvelope.Signatures[0].Sig) != string(a.Envelope.Signature) {
		t.Errorf("bundle %s does not map the attestation", b)
	}
}

func TestFromBundleErrors(t *testing.T) {
	t.Parallel()
	for bundle, want := range map[string]string{
		`{"mediaType":"x","verificationMaterial":{"tlogEntries":[]}}`:                                                   "bundle does not contain a DSSE envelope",
		`{"dsseEnvelope":{"payload":"AA==","signatures":[]}}`:                                                           "expected exactly one signature, got 0",
		`{"dsseEnvelope":{"payload":"AA==","signatures":[{"sig":"AA=="},{"sig":"AA=="}]}}`:                              "expected exactly one signature, got 2",
		`{"dsseEnvelope":{"payload":"AA==","signatures":[{"sig":"AA=="}]}}`:                                             "invalid transparency log entry",
		`{"verificationMaterial":{"tlogEntries":[{}]},"dsseEnvelope":{"payload":"AA==","signatures":[{"sig":"AA=="}]}}`: "verification_material.certificate: missing",
		`[]`: "malformed bundle",
	} {
		_, err := FromBundle([]byte(bundle))
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), want) {
			t.Errorf("FromBundle(%s) = %v, want %q", bundle, err, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile("testdata/attestation.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(good); err != nil {
		t.Fatalf("testdata/attestation.json: %v", err)
	}
	edit := func(from, to string) string { return strings.Replace(string(good), from, to, 1) }
	// pydantic ignores unknown fields.
	if _, err := Parse([]byte(edit(`"version": 1`, `"version": 1, "extra": 1`))); err != nil {
		t.Errorf("unknown field: %v", err)
	}
	// protojson reads int64 fields from numbers too.
	if a, err := Parse([]byte(edit(`"integratedTime": "1717699145"`, `"integratedTime": 1717699145`))); err != nil ||
		a.VerificationMaterial.TransparencyEntries[0].IntegratedTime != 1717699145 {
		t.Errorf("integratedTime as a number: %v", err)
	}
	for in, want := range map[string]string{
		edit(`"version": 1`, `"version": 2`):                              "version: must be 1, not 2",
		edit(`"signature": "MEUCIQ=="`, `"signature": ""`):                "envelope.signature: missing",
		edit(`"signature": "MEUCIQ=="`, `"signature": "MEU*"`):            "illegal base64",
		edit(`"integratedTime": "1717699145"`, `"integratedTime": "17x"`): "integratedTime",
		`{"version":1,"verification_material":{"certificate":"AA==","transparency_entries":[]},"envelope":{"statement":"AA==","signature":"AA=="}}`:     "transparency_entries: must have at least 1 item",
		`{"version":1,"verification_material":{"certificate":"AA==","transparency_entries":[null]},"envelope":{"statement":"AA==","signature":"AA=="}}`: "transparency_entries[0]: null",
		string(good) + "{}":                       "data after the JSON object",
		strings.Repeat(" ", MaxAttestationSize+1): "larger than",
	} {
		_, err := Parse([]byte(in))
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse: error %v, want %q", err, want)
		}
	}
}

func TestParseTrustedRoot(t *testing.T) {
	t.Parallel()
	r := publicGood(t)
	if len(r.CertificateAuthorities) == 0 || len(r.TransparencyLogs) == 0 || len(r.CTLogs) == 0 {
		t.Fatalf("public-good root: %d CAs, %d tlogs, %d ctlogs", len(r.CertificateAuthorities), len(r.TransparencyLogs), len(r.CTLogs))
	}
	if tl := r.TransparencyLogs[0]; tl.BaseURL != "https://rekor.sigstore.dev" || !tl.End.IsZero() ||
		!tl.Start.Equal(time.Date(2021, 1, 12, 11, 53, 27, 0, time.UTC)) {
		t.Errorf("first tlog: %+v", tl)
	}

	good, err := os.ReadFile("testdata/trusted_root.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err = ParseTrustedRoot(good)
	if err != nil {
		t.Fatalf("testdata/trusted_root.json: %v", err)
	}
	ct := r.CTLogs[0]
	if !ct.Contains(time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)) || ct.Contains(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)) ||
		ct.Contains(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ctlog validity %+v", ct.ValidityPeriod)
	}
	edit := func(from, to string) string { return strings.Replace(string(good), from, to, 1) }
	many := `"tlogs": [` + strings.Repeat(`{},`, maxRootEntries) + `{}], "x": [`
	for in, want := range map[string]string{
		edit(`"keyId": "Dd3`, `"keyId": "AAA`):                                              "tlogs[0].logId: not the SHA-256 of the public key",
		edit(`"rawBytes": "MFkw`, `"rawBytes": "MGkw`):                                      "tlogs[0].publicKey",
		edit(`"certificates": [{"rawBytes": "MII`, `"certificates": [{"rawBytes": "MIM`):    "certificateAuthorities[0].certChain.certificates[0]",
		edit(`"certificates": [{"rawBytes": "`, `"certificates": [], "x": [{"rawBytes": "`): "certificateAuthorities[0].certChain: must hold 1 to 8 certificates",
		edit(`"tlogs": [`, many):                                                            "more than 64",
		`{"tlogs": 1}`:                                                                      "malformed trusted root",
	} {
		_, err := ParseTrustedRoot([]byte(in))
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTrustedRoot: error %v, want %q", err, want)
		}
	}
}

// addSeeds adds testdata/name and, when present, the real fixtures.
func addSeeds(f *testing.F, name string, fixtures ...string) {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	for _, fx := range fixtures {
		if b, err := os.ReadFile(filepath.Join(fixtureDir, fx)); err == nil {
			f.Add(b)
		}
	}
}

func FuzzParse(f *testing.F) {
	addSeeds(f, "attestation.json", attestationFixtures...)
	rootJSON, err := os.ReadFile("testdata/trusted_root.json")
	if err != nil {
		f.Fatal(err)
	}
	root, err := ParseTrustedRoot(rootJSON)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Parse(b)
		if err != nil {
			return
		}
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(out)
		if err != nil || !reflect.DeepEqual(again, a) {
			t.Fatalf("Parse(Marshal(a)) = %v, %v; want a", again, err)
		}
		// Every step of verification must fail cleanly on hostile input.
		_, _ = a.Verify(root, tobPolicy, Subject{Filename: "demo-1.0.tar.gz"})
		e := a.VerificationMaterial.TransparencyEntries[0]
		_ = verifyBody(e, a)
		_ = verifyInclusion(e, root.TransparencyLogs[0])
		if c, err := x509.ParseCertificate(a.VerificationMaterial.Certificate); err == nil {
			_ = verifySCT(c, c, root)
			_ = tobPolicy.VerifyCertificate(c)
			_ = gitlabPolicy.VerifyCertificate(c)
		}
	})
}

func FuzzFromBundle(f *testing.F) {
	addSeeds(f, "bundle.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := FromBundle(b)
		if err != nil {
			return
		}
		bundle, err := a.Bundle()
		if err != nil {
			t.Fatal(err)
		}
		again, err := FromBundle(bundle)
		if err != nil || !reflect.DeepEqual(again, a) {
			t.Fatalf("FromBundle(Bundle(a)) = %v, %v; want a", again, err)
		}
	})
}

func FuzzParseTrustedRoot(f *testing.F) {
	addSeeds(f, "trusted_root.json", "trusted_root.public-good.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseTrustedRoot(b)
		if err != nil {
			return
		}
		for _, ca := range r.CertificateAuthorities {
			if len(ca.Chain) == 0 || len(ca.Chain) > maxChainLength {
				t.Fatalf("chain of %d certificates accepted", len(ca.Chain))
			}
		}
	})
}

// FuzzSCTParsers feeds the SCT list and TBSCertificate parsers; seeds are
// the certificates of testdata and, when present, of the real fixtures.
func FuzzSCTParsers(f *testing.F) {
	for _, name := range []string{"testdata/attestation.json", filepath.Join(fixtureDir, Filename(sdist0019))} {
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		a, err := Parse(b)
		if err != nil {
			f.Fatal(err)
		}
		c, err := x509.ParseCertificate(a.VerificationMaterial.Certificate)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c.RawTBSCertificate)
		for _, e := range c.Extensions {
			f.Add(e.Value)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if scts, err := parseSCTs(b); err == nil && len(scts) > maxSCTs {
			t.Fatalf("%d SCTs accepted", len(scts))
		}
		tbs, err := precertTBS(b)
		if err != nil {
			return
		}
		// Removing the SCT extension is idempotent.
		again, err := precertTBS(tbs)
		if err != nil || string(again) != string(tbs) {
			t.Fatalf("precertTBS not idempotent: %v", err)
		}
	})
}
