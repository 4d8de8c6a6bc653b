package attest

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"strconv"
	"time"
)

// Bounds of a trusted root: the public-good one has 1 to 3 of each.
const (
	maxRootEntries = 64
	maxChainLength = 8
)

// TrustedRoot is the trust material of a Sigstore instance
// (trusted_root.json): Fulcio CAs, Rekor logs and CT logs, each valid
// for a time window.
type TrustedRoot struct {
	CertificateAuthorities []*CertificateAuthority
	TransparencyLogs       []*Log // Rekor
	CTLogs                 []*Log // certificate transparency
}

// CertificateAuthority is a Fulcio CA: its chain, leaf-most first and
// the root last, and its validity window.
type CertificateAuthority struct {
	URI   string
	Chain []*x509.Certificate
	ValidityPeriod
}

// Log is a Rekor or CT log: its key, ID (the SHA-256 of the key's DER
// SPKI) and validity window.
type Log struct {
	BaseURL   string
	PublicKey crypto.PublicKey
	KeyID     []byte
	ValidityPeriod
}

// ValidityPeriod is a window of time; a zero End means open-ended.
type ValidityPeriod struct {
	Start, End time.Time
}

// Contains reports whether t is inside the window.
func (v ValidityPeriod) Contains(t time.Time) bool {
	return !t.Before(v.Start) && (v.End.IsZero() || !t.After(v.End))
}

type validForJSON struct {
	Start time.Time  `json:"start"`
	End   *time.Time `json:"end"`
}

func (v validForJSON) period() ValidityPeriod {
	p := ValidityPeriod{Start: v.Start}
	if v.End != nil {
		p.End = *v.End
	}
	return p
}

type logJSON struct {
	BaseURL       string `json:"baseUrl"`
	HashAlgorithm string `json:"hashAlgorithm"`
	PublicKey     struct {
		RawBytes   []byte       `json:"rawBytes"`
		KeyDetails string       `json:"keyDetails"`
		ValidFor   validForJSON `json:"validFor"`
	} `json:"publicKey"`
	LogID LogID `json:"logId"`
}

type trustedRootJSON struct {
	MediaType              string `json:"mediaType"`
	CertificateAuthorities []struct {
		URI       string `json:"uri"`
		CertChain struct {
			Certificates []rawBytes `json:"certificates"`
		} `json:"certChain"`
		ValidFor validForJSON `json:"validFor"`
	} `json:"certificateAuthorities"`
	Tlogs  []logJSON `json:"tlogs"`
	CTlogs []logJSON `json:"ctlogs"`
}

// ParseTrustedRoot decodes a trusted_root.json (media type
// application/vnd.dev.sigstore.trustedroot+json, version 0.1 or 0.2).
// Timestamp authorities are ignored: PyPI's Rekor v1 attestations do not
// use them. At most 64 CAs and 64 logs of each kind, chains of at most 8.
func ParseTrustedRoot(b []byte) (*TrustedRoot, error) {
	var j trustedRootJSON
	if err := decodeJSON("trusted root", b, &j); err != nil {
		return nil, err
	}
	bad := func(format string, args ...any) error {
		return &ParseError{What: "trusted root", Reason: fmt.Sprintf(format, args...)}
	}
	if len(j.CertificateAuthorities) > maxRootEntries || len(j.Tlogs) > maxRootEntries || len(j.CTlogs) > maxRootEntries {
		return nil, bad("more than %d certificate authorities or logs", maxRootEntries)
	}
	r := &TrustedRoot{}
	for i, ca := range j.CertificateAuthorities {
		certs := ca.CertChain.Certificates
		if len(certs) == 0 || len(certs) > maxChainLength {
			return nil, bad("certificateAuthorities[%d].certChain: must hold 1 to %d certificates", i, maxChainLength)
		}
		c := &CertificateAuthority{URI: ca.URI, ValidityPeriod: ca.ValidFor.period()}
		for k, raw := range certs {
			cert, err := x509.ParseCertificate(raw.RawBytes)
			if err != nil {
				return nil, bad("certificateAuthorities[%d].certChain.certificates[%d]: %v", i, k, err)
			}
			c.Chain = append(c.Chain, cert)
		}
		r.CertificateAuthorities = append(r.CertificateAuthorities, c)
	}
	var err error
	if r.TransparencyLogs, err = parseLogs("tlogs", j.Tlogs); err != nil {
		return nil, err
	}
	if r.CTLogs, err = parseLogs("ctlogs", j.CTlogs); err != nil {
		return nil, err
	}
	return r, nil
}

func parseLogs(field string, logs []logJSON) ([]*Log, error) {
	var out []*Log
	for i, l := range logs {
		where := field + "[" + strconv.Itoa(i) + "]"
		key, err := x509.ParsePKIXPublicKey(l.PublicKey.RawBytes)
		if err != nil {
			return nil, &ParseError{What: "trusted root", Reason: where + ".publicKey: " + err.Error(), Err: err}
		}
		id := sha256.Sum256(l.PublicKey.RawBytes)
		if len(l.LogID.KeyID) != 0 && string(l.LogID.KeyID) != string(id[:]) {
			return nil, &ParseError{What: "trusted root", Reason: where + ".logId: not the SHA-256 of the public key"}
		}
		out = append(out, &Log{BaseURL: l.BaseURL, PublicKey: key, KeyID: id[:], ValidityPeriod: l.PublicKey.ValidFor.period()})
	}
	return out, nil
}

// findLog returns the log of logs with the key ID, or nil.
func findLog(logs []*Log, keyID []byte) *Log {
	for _, l := range logs {
		if string(l.KeyID) == string(keyID) {
			return l
		}
	}
	return nil
}
