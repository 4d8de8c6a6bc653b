package upload

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/trustpub/pypi/dist"
)

// Attestations says what to do with PEP 740 attestation files, named
// <dist>.<kind>.attestation (e.g. pkg-1.0.tar.gz.publish.attestation)
// and kept beside the distribution file. PyPI accepts them only from a
// Trusted Publishing identity.
type Attestations int

const (
	// AttestationsAuto (the zero value) sends the attestations found
	// beside a file, and nothing when there are none.
	AttestationsAuto Attestations = iota
	// AttestationsRequire sends them and fails for a file that has none.
	AttestationsRequire
	// AttestationsOff never sends attestations.
	AttestationsOff
)

// The in-toto statement type and the predicate types PyPI accepts.
const (
	inTotoStatementV1   = "https://in-toto.io/Statement/v1"
	predicatePublishV1  = "https://docs.pypi.org/attestations/publish/v1"
	predicateSLSAProvV1 = "https://slsa.dev/provenance/v1"
	maxAttestations     = 2       // PyPI's limit per file
	maxAttestationBytes = 1 << 20 // far above a real one (~10 KiB)
)

// attestation is the PEP 740 shape, as far as it can be checked offline.
type attestation struct {
	Version              int `json:"version"`
	VerificationMaterial *struct {
		Certificate         string            `json:"certificate"`
		TransparencyEntries []json.RawMessage `json:"transparency_entries"`
	} `json:"verification_material"`
	Envelope *struct {
		Statement string `json:"statement"`
		Signature string `json:"signature"`
	} `json:"envelope"`
}

// statement is the in-toto statement inside the envelope.
type statement struct {
	Type    string `json:"_type"`
	Subject []struct {
		Name   string            `json:"name"`
		Digest map[string]string `json:"digest"`
	} `json:"subject"`
	PredicateType string `json:"predicateType"`
}

// A Listing reads each directory once for the attestation files beside a
// batch of distributions, where each file's form would read its directory
// again (a directory of n files read n times, for each form made). It
// does not see files made in a directory after it read it: use a new
// Listing then. The zero value is ready; it is safe for concurrent use.
type Listing struct {
	mu   sync.Mutex
	dirs map[string]listed
}

// listed is a directory's entries as os.ReadDir returned them.
type listed struct {
	entries []fs.DirEntry
	err     error
}

// read returns os.ReadDir(dir), read once if l is not nil.
func (l *Listing) read(dir string) ([]fs.DirEntry, error) {
	if l == nil {
		return os.ReadDir(dir)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	got, ok := l.dirs[dir]
	if !ok {
		got.entries, got.err = os.ReadDir(dir)
		if l.dirs == nil {
			l.dirs = map[string]listed{}
		}
		l.dirs[dir] = got
	}
	return got.entries, got.err
}

// attestationFiles returns the paths of the attestation files beside d,
// sorted: the files in d's directory named <basename>.<kind>.attestation,
// listed by l.
func attestationFiles(d *dist.Distribution, l *Listing) ([]string, error) {
	dir, base := filepath.Split(d.Path)
	if dir == "" {
		dir = "."
	}
	entries, err := l.read(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // d came from OpenReaderAt with a bare name
	}
	if err != nil {
		return nil, fmt.Errorf("upload: %s: looking for attestations: %w", base, err)
	}
	var out []string
	for _, e := range entries {
		kind, ok := strings.CutPrefix(e.Name(), base+".")
		if !ok || !e.Type().IsRegular() {
			continue
		}
		kind, ok = strings.CutSuffix(kind, ".attestation")
		if ok && kind != "" && !strings.Contains(kind, ".") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil // ReadDir sorts by name
}

// attestationsField returns the "attestations" form value for d: a JSON
// array of its attestation files, each checked for the PEP 740 shape and
// for naming d's file and sha256; "" when none are to be sent.
func attestationsField(d *dist.Distribution, opts Options) (string, error) {
	mode := opts.Attestations
	if mode == AttestationsOff {
		return "", nil
	}
	base := baseName(d)
	paths, err := attestationFiles(d, opts.Listing)
	if err != nil {
		return "", err
	}
	if len(paths) == 0 {
		if mode == AttestationsRequire {
			return "", fmt.Errorf("upload: %s: attestations required, but the file has no <file>.<kind>.attestation beside it", base)
		}
		return "", nil
	}
	if len(paths) > maxAttestations {
		return "", fmt.Errorf("upload: %s: %d attestation files: A maximum of %d attestations per file are supported", base, len(paths), maxAttestations)
	}
	sums, err := d.Digests(opts.MD5)
	if err != nil {
		return "", fmt.Errorf("upload: %s: %w", base, err)
	}
	seen := map[string]string{}
	var list bytes.Buffer
	list.WriteByte('[')
	for i, p := range paths {
		raw, predicate, err := readAttestation(p, base, sums.SHA256)
		if err != nil {
			return "", fmt.Errorf("upload: %s: attestation %s: %w", base, filepath.Base(p), err)
		}
		if other, dup := seen[predicate]; dup {
			return "", fmt.Errorf("upload: %s: attestations %s and %s: Multiple attestations for the same file with the same predicate type (%s) are not supported",
				base, other, filepath.Base(p), predicate)
		}
		seen[predicate] = filepath.Base(p)
		if i > 0 {
			list.WriteString(", ")
		}
		if err := json.Compact(&list, raw); err != nil {
			return "", fmt.Errorf("upload: %s: attestation %s: %w", base, filepath.Base(p), err)
		}
	}
	list.WriteByte(']')
	return list.String(), nil
}

// readAttestation reads and checks one attestation file, returning its
// JSON and its predicate type.
func readAttestation(path, file, sha256 string) (json.RawMessage, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxAttestationBytes+1))
	if err != nil {
		return nil, "", err
	}
	if len(raw) > maxAttestationBytes {
		return nil, "", fmt.Errorf("larger than %d MiB", maxAttestationBytes>>20)
	}
	predicate, err := checkAttestation(raw, file, sha256)
	return raw, predicate, err
}

// checkAttestation checks raw for the PEP 740 shape and returns the
// predicate type of its statement, which must name file and sha256.
func checkAttestation(raw []byte, file, sha256 string) (string, error) {
	var a attestation
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&a); err != nil {
		return "", fmt.Errorf("invalid JSON in attestation: %w", err)
	}
	if dec.More() {
		return "", errors.New("invalid JSON in attestation: data after the object")
	}
	switch {
	case a.Version != 1:
		//lint:ignore ST1005 PyPI's own words, capital included
		return "", fmt.Errorf("Malformed attestations: version is %d, want 1", a.Version)
	case a.VerificationMaterial == nil || a.VerificationMaterial.Certificate == "":
		//lint:ignore ST1005 PyPI's own words, capital included
		return "", errors.New("Malformed attestations: no verification_material.certificate")
	case len(a.VerificationMaterial.TransparencyEntries) == 0:
		//lint:ignore ST1005 PyPI's own words, capital included
		return "", errors.New("Malformed attestations: no verification_material.transparency_entries")
	case a.Envelope == nil || a.Envelope.Statement == "" || a.Envelope.Signature == "":
		//lint:ignore ST1005 PyPI's own words, capital included
		return "", errors.New("Malformed attestations: envelope needs a statement and a signature")
	}
	if _, err := base64.StdEncoding.DecodeString(a.Envelope.Signature); err != nil {
		//lint:ignore ST1005 PyPI's own words, capital included
		return "", fmt.Errorf("Malformed attestations: envelope.signature is not base64: %w", err)
	}
	body, err := base64.StdEncoding.DecodeString(a.Envelope.Statement)
	if err != nil {
		//lint:ignore ST1005 PyPI's own words, capital included
		return "", fmt.Errorf("Malformed attestations: envelope.statement is not base64: %w", err)
	}
	var st statement
	if err := json.Unmarshal(body, &st); err != nil {
		//lint:ignore ST1005 PyPI's own words, capital included
		return "", fmt.Errorf("Malformed attestations: envelope.statement is not an in-toto statement: %w", err)
	}
	if st.Type != inTotoStatementV1 {
		//lint:ignore ST1005 PyPI's own words, capital included
		return "", fmt.Errorf("Malformed attestations: statement _type %q, want %q", st.Type, inTotoStatementV1)
	}
	if st.PredicateType != predicatePublishV1 && st.PredicateType != predicateSLSAProvV1 {
		//lint:ignore ST1005 PyPI's own words, capital included
		return "", fmt.Errorf("Attestation with unsupported predicate type: %s", st.PredicateType)
	}
	if len(st.Subject) != 1 || st.Subject[0].Name != file || !strings.EqualFold(st.Subject[0].Digest["sha256"], sha256) {
		//lint:ignore ST1005 PyPI's own words, capital included
		return "", fmt.Errorf("Could not verify the uploaded artifact using the included attestation: its subject is not %s with sha256 %s", file, sha256)
	}
	return st.PredicateType, nil
}
