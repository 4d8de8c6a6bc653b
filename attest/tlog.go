package attest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// maxProofHashes bounds an audit path: 64 levels cover any tree.
const maxProofHashes = 64

var errBadSignature = errors.New("invalid signature")

// verifySignature checks sig over msg with a log's or a leaf's key:
// ECDSA (SHA-256 for P-256, SHA-384 for P-384), Ed25519 or RSA PKCS #1
// v1.5 with SHA-256, the algorithms Sigstore's trusted roots use.
func verifySignature(key crypto.PublicKey, msg, sig []byte) error {
	ok := false
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		var digest []byte
		if k.Curve == elliptic.P384() {
			d := sha512.Sum384(msg)
			digest = d[:]
		} else {
			d := sha256.Sum256(msg)
			digest = d[:]
		}
		ok = ecdsa.VerifyASN1(k, digest, sig)
	case ed25519.PublicKey:
		ok = ed25519.Verify(k, msg, sig)
	case *rsa.PublicKey:
		d := sha256.Sum256(msg)
		ok = rsa.VerifyPKCS1v15(k, crypto.SHA256, d[:], sig) == nil
	default:
		return fmt.Errorf("unsupported key type %T", key)
	}
	if !ok {
		return errBadSignature
	}
	return nil
}

// verifySET checks Rekor's signed entry timestamp: a signature by the
// log key over the canonical (RFC 8785) JSON of the entry's body,
// integrated time, log ID (hex) and log index.
func verifySET(e *TransparencyLogEntry, log *Log) *VerificationError {
	if e.InclusionPromise == nil || len(e.InclusionPromise.SignedEntryTimestamp) == 0 {
		return verr(CheckSET, "transparency log entry has no signed entry timestamp")
	}
	// Struct fields in key order, no HTML-significant characters: this is
	// RFC 8785 canonical form.
	payload, err := json.Marshal(struct {
		Body           string `json:"body"`
		IntegratedTime int64  `json:"integratedTime"`
		LogID          string `json:"logID"`
		LogIndex       int64  `json:"logIndex"`
	}{base64.StdEncoding.EncodeToString(e.CanonicalizedBody), int64(e.IntegratedTime), hex.EncodeToString(e.LogID.KeyID), int64(e.LogIndex)})
	if err != nil {
		return verrWrap(CheckSET, "invalid signed entry timestamp", err)
	}
	if err := verifySignature(log.PublicKey, payload, e.InclusionPromise.SignedEntryTimestamp); err != nil {
		return verrWrap(CheckSET, "invalid signed entry timestamp", err)
	}
	return nil
}

// verifyInclusion checks the RFC 6962 audit path from the entry's leaf
// hash to the proof's root hash, then the checkpoint that commits to it.
func verifyInclusion(e *TransparencyLogEntry, log *Log) *VerificationError {
	p := e.InclusionProof
	if p == nil {
		return verr(CheckInclusionProof, "transparency log entry has no inclusion proof")
	}
	if p.LogIndex < 0 || p.LogIndex >= p.TreeSize {
		return verr(CheckInclusionProof, fmt.Sprintf("inclusion proof has log index %d outside a tree of size %d", p.LogIndex, p.TreeSize))
	}
	if len(p.Hashes) > maxProofHashes {
		return verr(CheckInclusionProof, "inclusion proof has more than "+strconv.Itoa(maxProofHashes)+" hashes")
	}
	leaf := sha256.Sum256(append([]byte{0}, e.CanonicalizedBody...))
	root, err := rootFromPath(uint64(p.LogIndex), uint64(p.TreeSize), leaf[:], p.Hashes)
	if err != nil {
		return verrWrap(CheckInclusionProof, "invalid inclusion proof", err)
	}
	if !bytes.Equal(root, p.RootHash) {
		return verr(CheckInclusionProof, "inclusion proof contains invalid root hash: expected "+hex.EncodeToString(p.RootHash)+", calculated "+hex.EncodeToString(root))
	}
	return verifyCheckpoint(p, log)
}

func hashChildren(l, r []byte) []byte {
	h := sha256.New()
	h.Write([]byte{1})
	h.Write(l)
	h.Write(r)
	return h.Sum(nil)
}

// rootFromPath computes a Merkle tree root from a leaf hash and its audit
// path (RFC 9162 §2.1.3.2).
func rootFromPath(index, size uint64, leaf []byte, path [][]byte) ([]byte, error) {
	fn, sn := index, size-1
	r := leaf
	for _, p := range path {
		if len(p) != sha256.Size {
			return nil, errors.New("a hash is not 32 bytes")
		}
		if sn == 0 {
			return nil, errors.New("too many hashes for the tree size")
		}
		if fn&1 == 1 || fn == sn {
			r = hashChildren(p, r)
			for fn&1 == 0 && fn != 0 {
				fn >>= 1
				sn >>= 1
			}
		} else {
			r = hashChildren(r, p)
		}
		fn >>= 1
		sn >>= 1
	}
	if sn != 0 {
		return nil, errors.New("too few hashes for the tree size")
	}
	return r, nil
}

// verifyCheckpoint checks the proof's signed note: "origin\nsize\nroot
// (base64)\n[extensions]\n\n— name base64(keyhint ‖ signature)\n", signed
// by the log key, for the proof's tree size and root hash.
func verifyCheckpoint(p *InclusionProof, log *Log) *VerificationError {
	text, sigs, ok := strings.Cut(p.Checkpoint.Envelope, "\n\n")
	if !ok {
		return verr(CheckCheckpoint, "inclusion proof contains no checkpoint")
	}
	text += "\n"
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 {
		return verr(CheckCheckpoint, "checkpoint is not a signed note")
	}
	if lines[1] != strconv.FormatInt(int64(p.TreeSize), 10) || lines[2] != base64.StdEncoding.EncodeToString(p.RootHash) {
		return verr(CheckCheckpoint, "checkpoint does not match the inclusion proof's tree size and root hash")
	}
	for _, line := range strings.Split(strings.TrimSuffix(sigs, "\n"), "\n") {
		rest, ok := strings.CutPrefix(line, "\u2014 ")
		if !ok {
			continue
		}
		_, b64, _ := strings.Cut(rest, " ")
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(raw) < 5 || !bytes.Equal(raw[:4], log.KeyID[:4]) {
			continue
		}
		if verifySignature(log.PublicKey, []byte(text), raw[4:]) == nil {
			return nil
		}
	}
	return verr(CheckCheckpoint, "checkpoint has no valid signature by the log's key")
}

// dsseBody is a Rekor "dsse" 0.0.1 entry body.
type dsseBody struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Spec       struct {
		PayloadHash *struct {
			Algorithm string `json:"algorithm"`
			Value     string `json:"value"`
		} `json:"payloadHash"`
		Signatures []struct {
			Signature string `json:"signature"`
			Verifier  string `json:"verifier"`
		} `json:"signatures"`
	} `json:"spec"`
}

// verifyBody checks that the log entry records this envelope: the
// payload's sha256 and exactly one signature, by this certificate
// (sigstore-python's _validate_dsse_v001_entry_body).
func verifyBody(e *TransparencyLogEntry, a *Attestation) error {
	if kv := e.KindVersion; kv.Kind != "dsse" || kv.Version != "0.0.1" {
		return verr(CheckTlogBody, "Unsupported DSSE log entry type: "+kv.Kind+"/"+kv.Version)
	}
	var b dsseBody
	if err := json.Unmarshal(e.CanonicalizedBody, &b); err != nil {
		return verrWrap(CheckTlogBody, "invalid DSSE log entry", err)
	}
	if b.Kind != "dsse" || b.APIVersion != "0.0.1" {
		return verr(CheckTlogBody, "invalid DSSE log entry: kind "+strconv.Quote(b.Kind)+", apiVersion "+strconv.Quote(b.APIVersion))
	}
	sum := sha256.Sum256(a.Envelope.Statement)
	ph := b.Spec.PayloadHash
	if ph == nil || ph.Algorithm != "sha256" {
		return verr(CheckTlogBody, "expected SHA256 payload hash in DSSE log entry")
	}
	if ph.Value != hex.EncodeToString(sum[:]) {
		return verr(CheckTlogBody, "log entry payload hash does not match bundle")
	}
	if len(b.Spec.Signatures) != 1 || b.Spec.Signatures[0].Signature != base64.StdEncoding.EncodeToString(a.Envelope.Signature) {
		return verr(CheckTlogBody, "log entry signatures do not match bundle")
	}
	pemBytes, err := base64.StdEncoding.DecodeString(b.Spec.Signatures[0].Verifier)
	blk, _ := pem.Decode(pemBytes)
	if err != nil || blk == nil || !bytes.Equal(blk.Bytes, a.VerificationMaterial.Certificate) {
		return verr(CheckTlogBody, "log entry signatures do not match bundle")
	}
	return nil
}
