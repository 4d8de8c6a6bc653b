package attest

import (
	"crypto/sha256"
	"crypto/x509"
	encasn1 "encoding/asn1"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// oidSCTList is the X.509 extension holding embedded SCTs (RFC 6962 §3.3).
var oidSCTList = encasn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}

// maxSCTs bounds the SCTs read from one certificate.
const maxSCTs = 16

// verifyChain checks that the leaf chains, at time t, to a Fulcio CA of
// the root that was valid at t; the code signing EKU is checked apart, as
// sigstore-python does. It returns the chain found, leaf first.
func verifyChain(leaf *x509.Certificate, root *TrustedRoot, t time.Time) ([]*x509.Certificate, error) {
	var lastErr error = errors.New("no certificate authority valid at the integrated time")
	for _, ca := range root.CertificateAuthorities {
		if !ca.Contains(t) {
			continue
		}
		roots, inter := x509.NewCertPool(), x509.NewCertPool()
		roots.AddCert(ca.Chain[len(ca.Chain)-1])
		for _, c := range ca.Chain[:len(ca.Chain)-1] {
			inter.AddCert(c)
		}
		chains, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: t,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		if err == nil {
			return chains[0], nil
		}
		lastErr = err
	}
	return nil, verrWrap(CheckChain, "failed to build timestamp certificate chain", lastErr)
}

// sct is one signed certificate timestamp, version 1.
type sct struct {
	logID      []byte
	timestamp  uint64
	extensions []byte
	signature  []byte // the DigitallySigned signature, without algorithm bytes
}

// parseSCTs reads the SCT list of a certificate's extension value.
func parseSCTs(ext []byte) ([]sct, error) {
	in := cryptobyte.String(ext)
	var octets, list cryptobyte.String
	if !in.ReadASN1(&octets, asn1.OCTET_STRING) || !in.Empty() ||
		!octets.ReadUint16LengthPrefixed(&list) || !octets.Empty() {
		return nil, errors.New("malformed SCT list")
	}
	var out []sct
	for !list.Empty() {
		if len(out) == maxSCTs {
			return nil, fmt.Errorf("more than %d SCTs", maxSCTs)
		}
		var item, logID, exts, sig cryptobyte.String
		var s sct
		var version, hashAlg, sigAlg uint8
		if !list.ReadUint16LengthPrefixed(&item) || !item.ReadUint8(&version) || version != 0 ||
			!item.ReadBytes((*[]byte)(&logID), 32) || !item.ReadUint64(&s.timestamp) ||
			!item.ReadUint16LengthPrefixed(&exts) || !item.ReadUint8(&hashAlg) || !item.ReadUint8(&sigAlg) ||
			!item.ReadUint16LengthPrefixed(&sig) || !item.Empty() {
			return nil, errors.New("malformed SCT")
		}
		s.logID, s.extensions, s.signature = logID, exts, sig
		out = append(out, s)
	}
	return out, nil
}

// precertTBS rebuilds the precertificate's TBSCertificate the CT log
// signed: the leaf's, without the SCT list extension.
func precertTBS(rawTBS []byte) ([]byte, error) {
	in := cryptobyte.String(rawTBS)
	var tbs cryptobyte.String
	if !in.ReadASN1(&tbs, asn1.SEQUENCE) || !in.Empty() {
		return nil, errors.New("malformed TBSCertificate")
	}
	extsTag := asn1.Tag(3).Constructed().ContextSpecific()
	var b cryptobyte.Builder
	var parseErr error
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for !tbs.Empty() {
			var elem cryptobyte.String
			var tag asn1.Tag
			if !tbs.ReadAnyASN1Element(&elem, &tag) {
				parseErr = errors.New("malformed TBSCertificate")
				return
			}
			if tag != extsTag {
				b.AddBytes(elem)
				continue
			}
			var wrapped, exts cryptobyte.String
			if !elem.ReadASN1(&wrapped, extsTag) || !wrapped.ReadASN1(&exts, asn1.SEQUENCE) {
				parseErr = errors.New("malformed extensions")
				return
			}
			b.AddASN1(extsTag, func(b *cryptobyte.Builder) {
				b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
					for !exts.Empty() {
						var ext, body cryptobyte.String
						var oid encasn1.ObjectIdentifier
						if !exts.ReadASN1Element(&ext, asn1.SEQUENCE) {
							parseErr = errors.New("malformed extension")
							return
						}
						e := ext
						if !e.ReadASN1(&body, asn1.SEQUENCE) || !body.ReadASN1ObjectIdentifier(&oid) {
							parseErr = errors.New("malformed extension")
							return
						}
						if !oid.Equal(oidSCTList) {
							b.AddBytes(ext)
						}
					}
				})
			})
		}
	})
	if parseErr != nil {
		return nil, parseErr
	}
	return b.Bytes()
}

// verifySCT checks that one embedded SCT of the leaf is signed by a CT
// log of the root (RFC 6962 §3.2, precert entry), as sigstore-python
// requires.
func verifySCT(leaf, issuer *x509.Certificate, root *TrustedRoot) error {
	const reason = "failed to verify SCT on signing certificate"
	var ext []byte
	for _, e := range leaf.Extensions {
		if e.Id.Equal(oidSCTList) {
			ext = e.Value
		}
	}
	if ext == nil {
		return verr(CheckSCT, reason+": certificate has no embedded SCT")
	}
	scts, err := parseSCTs(ext)
	if err != nil {
		return verrWrap(CheckSCT, reason, err)
	}
	tbs, err := precertTBS(leaf.RawTBSCertificate)
	if err != nil {
		return verrWrap(CheckSCT, reason, err)
	}
	issuerKeyHash := sha256.Sum256(issuer.RawSubjectPublicKeyInfo)
	for _, s := range scts {
		log := findLog(root.CTLogs, s.logID)
		if log == nil || !log.Contains(time.UnixMilli(int64(s.timestamp))) {
			continue
		}
		var b cryptobyte.Builder
		b.AddUint8(0) // version v1
		b.AddUint8(0) // signature type: certificate_timestamp
		b.AddUint64(s.timestamp)
		b.AddUint16(1) // entry type: precert_entry
		b.AddBytes(issuerKeyHash[:])
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(tbs) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.extensions) })
		msg, err := b.Bytes()
		if err == nil && verifySignature(log.PublicKey, msg, s.signature) == nil {
			return nil
		}
	}
	return verr(CheckSCT, reason+": no SCT signed by a known CT log")
}

// extensionString returns a Fulcio extension's value: raw bytes for
// 1.3.6.1.4.1.57264.1.1 to .6, a DER UTF8String from .8 on.
func extensionString(cert *x509.Certificate, oid encasn1.ObjectIdentifier) (string, bool) {
	for _, e := range cert.Extensions {
		if !e.Id.Equal(oid) {
			continue
		}
		if oid[len(oid)-1] < 8 {
			return string(e.Value), true
		}
		var s string
		if rest, err := encasn1.UnmarshalWithParams(e.Value, &s, "utf8"); err != nil || len(rest) != 0 {
			return "", false
		}
		return s, true
	}
	return "", false
}
