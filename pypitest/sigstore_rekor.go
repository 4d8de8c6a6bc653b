package pypitest

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// rekorTreeID is the fake log's tree ID, which prefixes its entry IDs and
// names its checkpoints' origin.
const rekorTreeID = 1193050959916656506

// rekorShardOffset is added to positions in the tree to give the entries'
// logIndex, as Rekor adds the sizes of its frozen shards. It keeps every
// logIndex above 0, which protobuf's JSON would leave out.
const rekorShardOffset = 1000

// Bounds of the log, in entries and in bytes of bodies; a full log
// answers 507.
const (
	maxRekorEntries = 1 << 14
	maxRekorBytes   = 64 << 20
)

// maxDSSESigners bounds an entry's signatures and its verifiers alike:
// each signature is tried with each verifier, so the work grows with
// their product, which the body's size alone would let reach millions of
// ECDSA verifications. Rekor has no such bound; its clients send one
// signature and one verifier.
const maxDSSESigners = 16

// rekorLog is Rekor's log in memory: the canonical bodies and their
// RFC 6962 leaf hashes, in order (the Sigstore's mu guards it).
type rekorLog struct {
	name   string // the server's host, which signs checkpoints as Rekor's does
	key    *ecdsa.PrivateKey
	logID  string // hex SHA-256 of the key's DER
	bodies [][]byte
	times  []int64
	leaves [][32]byte
	index  map[[32]byte]int // by leaf hash
	size   int              // bytes of bodies
}

func (l *rekorLog) init(name string, key *ecdsa.PrivateKey) {
	id := sha256.Sum256(publicKeyDER(key))
	l.name, l.key, l.logID, l.index = name, key, hex.EncodeToString(id[:]), map[[32]byte]int{}
}

// entryID returns the ID of the entry at position i: the tree ID and the
// leaf hash, in hex.
func (l *rekorLog) entryID(i int) string {
	return fmt.Sprintf("%016x%x", rekorTreeID, l.leaves[i])
}

// rekorProposal is the body of POST /api/v1/log/entries for a dsse entry.
type rekorProposal struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Spec       struct {
		ProposedContent struct {
			Envelope  string   `json:"envelope"`
			Verifiers [][]byte `json:"verifiers"`
		} `json:"proposedContent"`
	} `json:"spec"`
}

// dsseEnvelope is a DSSE envelope in its JSON form.
type dsseEnvelope struct {
	Payload     []byte `json:"payload"`
	PayloadType string `json:"payloadType"`
	Signatures  []struct {
		Sig string `json:"sig"`
	} `json:"signatures"`
}

// rekorHash is a hash in a dsse entry's canonical body.
type rekorHash struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

// rekorSignature is a signature and its verifier in a canonical body.
type rekorSignature struct {
	Signature string `json:"signature"`
	Verifier  []byte `json:"verifier"`
}

// dsseBody is a dsse v0.0.1 entry's canonical body: its fields in the
// order RFC 8785 sorts them, so that encoding/json writes it canonically.
type dsseBody struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Spec       struct {
		EnvelopeHash rekorHash        `json:"envelopeHash"`
		PayloadHash  rekorHash        `json:"payloadHash"`
		Signatures   []rekorSignature `json:"signatures"`
	} `json:"spec"`
}

// canonicalDSSE checks a proposed dsse entry as Rekor does (a v0.0.1 dsse
// proposal whose envelope's every signature verifies over the DSSE PAE
// with one of the verifiers; at most maxDSSESigners of each here) and
// returns its canonical body, or a message.
func canonicalDSSE(b []byte) ([]byte, string) {
	var p rekorProposal
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, "unable to parse the proposed entry: " + err.Error()
	}
	if p.Kind != "dsse" || p.APIVersion != "0.0.1" {
		return nil, "only dsse entries of apiVersion 0.0.1 are logged"
	}
	pc := p.Spec.ProposedContent
	var env dsseEnvelope
	if err := json.Unmarshal([]byte(pc.Envelope), &env); err != nil {
		return nil, "invalid DSSE envelope: " + err.Error()
	}
	if len(env.Signatures) == 0 || len(pc.Verifiers) == 0 {
		return nil, "the envelope needs at least one signature and one verifier"
	}
	if len(env.Signatures) > maxDSSESigners || len(pc.Verifiers) > maxDSSESigners {
		return nil, fmt.Sprintf("the envelope may have at most %d signatures and %d verifiers", maxDSSESigners, maxDSSESigners)
	}
	digest := sha256.Sum256(dssePAE(env.PayloadType, env.Payload))
	keys := verifierKeys(pc.Verifiers)
	var body dsseBody
	body.APIVersion, body.Kind = "0.0.1", "dsse"
	envHash, payloadHash := sha256.Sum256([]byte(pc.Envelope)), sha256.Sum256(env.Payload)
	body.Spec.EnvelopeHash = rekorHash{"sha256", hex.EncodeToString(envHash[:])}
	body.Spec.PayloadHash = rekorHash{"sha256", hex.EncodeToString(payloadHash[:])}
	for _, s := range env.Signatures {
		i := matchVerifier(keys, s.Sig, digest)
		if i < 0 {
			return nil, "could not verify envelope signature"
		}
		body.Spec.Signatures = append(body.Spec.Signatures, rekorSignature{Signature: s.Sig, Verifier: pc.Verifiers[i]})
	}
	out, err := json.Marshal(body)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return out, ""
}

// verifierKeys returns the ECDSA key of each verifier, nil where it has
// none, parsing each once however many signatures are checked with it.
func verifierKeys(verifiers [][]byte) []*ecdsa.PublicKey {
	keys := make([]*ecdsa.PublicKey, len(verifiers))
	for i, v := range verifiers {
		keys[i] = verifierKey(v)
	}
	return keys
}

// matchVerifier returns the index of the key that made sig (base64) over
// the SHA-256 digest of the signed message, or -1.
func matchVerifier(keys []*ecdsa.PublicKey, sig string, digest [32]byte) int {
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return -1
	}
	for i, pub := range keys {
		if pub != nil && ecdsa.VerifyASN1(pub, digest[:], raw) {
			return i
		}
	}
	return -1
}

// verifierKey returns the ECDSA key of a PEM certificate or public key.
func verifierKey(v []byte) *ecdsa.PublicKey {
	block, _ := pem.Decode(v)
	if block == nil {
		return nil
	}
	if block.Type == "CERTIFICATE" {
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil
		}
		pub, _ := cert.PublicKey.(*ecdsa.PublicKey)
		return pub
	}
	pub, _ := parsePEMPublicKey(string(v))
	return pub
}

// dssePAE returns DSSE's pre-authentication encoding of a payload.
func dssePAE(payloadType string, payload []byte) []byte {
	return fmt.Appendf(nil, "DSSEv1 %d %s %d %s", len(payloadType), payloadType, len(payload), payload)
}

// writeRekorError answers as Rekor's API does for an error.
func writeRekorError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]any{"code": status, "message": message})
}

// serveCreateEntry answers POST /api/v1/log/entries: it logs a dsse entry
// and answers 201 with it, or 409 if the log holds it already.
func (g *Sigstore) serveCreateEntry(w http.ResponseWriter, r *http.Request) {
	b, ok := readSigstorePost(w, r)
	if !ok {
		return
	}
	f := g.takeRekorFault()
	if f.reply != nil {
		f.reply.serve(w, r)
		return
	}
	body, problem := canonicalDSSE(b)
	if problem != "" {
		writeRekorError(w, http.StatusBadRequest, problem)
		return
	}
	leaf := sha256.Sum256(append([]byte{0}, body...))
	g.mu.Lock()
	defer g.mu.Unlock()
	l := &g.log
	i, exists := l.index[leaf]
	if !exists && (len(l.leaves) >= maxRekorEntries || l.size+len(body) > maxRekorBytes) {
		writeRekorError(w, http.StatusInsufficientStorage, "the log is full")
		return
	}
	if !exists {
		i = len(l.leaves)
		l.index[leaf] = i
		l.bodies, l.leaves = append(l.bodies, body), append(l.leaves, leaf)
		l.times = append(l.times, g.now().Unix())
		l.size += len(body)
	}
	id := l.entryID(i)
	w.Header().Set("Location", rekorEntriesPath+"/"+id)
	if exists || f.conflict {
		writeRekorError(w, http.StatusConflict, "an equivalent entry already exists in the transparency log with UUID "+id)
		return
	}
	w.Header().Set("ETag", id)
	writeJSON(w, http.StatusCreated, map[string]any{id: l.entry(i)})
}

// serveGetEntry answers GET /api/v1/log/entries/{uuid}, where uuid is the
// entry's ID or its leaf hash alone, with a proof for the current tree.
func (g *Sigstore) serveGetEntry(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		methodNotAllowed(w, http.MethodGet)
		return
	}
	uuid := strings.ToLower(r.PathValue("uuid"))
	if prefix := fmt.Sprintf("%016x", rekorTreeID); len(uuid) == 80 && strings.HasPrefix(uuid, prefix) {
		uuid = uuid[len(prefix):]
	}
	var leaf [32]byte
	if n, err := hex.Decode(leaf[:], []byte(uuid)); err != nil || n != len(leaf) || len(uuid) != 64 {
		writeRekorError(w, http.StatusBadRequest, "invalid UUID")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	i, ok := g.log.index[leaf]
	if !ok {
		writeRekorError(w, http.StatusNotFound, "entry not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{g.log.entryID(i): g.log.entry(i)})
}

// rekorEntry is a log entry as Rekor's API gives it.
type rekorEntry struct {
	Body           []byte            `json:"body"`
	IntegratedTime int64             `json:"integratedTime"`
	LogID          string            `json:"logID"`
	LogIndex       int64             `json:"logIndex"`
	Verification   rekorVerification `json:"verification"`
}

type rekorVerification struct {
	InclusionProof       rekorInclusionProof `json:"inclusionProof"`
	SignedEntryTimestamp []byte              `json:"signedEntryTimestamp"`
}

type rekorInclusionProof struct {
	Checkpoint string   `json:"checkpoint"`
	Hashes     []string `json:"hashes"`
	LogIndex   int64    `json:"logIndex"`
	RootHash   string   `json:"rootHash"`
	TreeSize   int64    `json:"treeSize"`
}

// entry returns the entry at position i, with its signed entry timestamp
// and an inclusion proof and checkpoint for the tree as it is now.
func (l *rekorLog) entry(i int) rekorEntry {
	e := rekorEntry{Body: l.bodies[i], IntegratedTime: l.times[i], LogID: l.logID, LogIndex: int64(i) + rekorShardOffset}
	set, err := json.Marshal(struct {
		Body           []byte `json:"body"`
		IntegratedTime int64  `json:"integratedTime"`
		LogID          string `json:"logID"`
		LogIndex       int64  `json:"logIndex"`
	}{e.Body, e.IntegratedTime, e.LogID, e.LogIndex})
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	root := merkleRoot(l.leaves)
	hashes := []string{}
	for _, h := range merklePath(i, l.leaves) {
		hashes = append(hashes, hex.EncodeToString(h[:]))
	}
	e.Verification = rekorVerification{
		SignedEntryTimestamp: signECDSA(l.key, set),
		InclusionProof: rekorInclusionProof{
			Checkpoint: l.checkpoint(len(l.leaves), root),
			Hashes:     hashes,
			LogIndex:   int64(i),
			RootHash:   hex.EncodeToString(root[:]),
			TreeSize:   int64(len(l.leaves)),
		},
	}
	return e
}

// checkpoint returns a signed note for the tree of size n with root hash
// root, as Rekor writes it: its origin ("host - tree ID"), size and base64
// root, a blank line, then "— host" and the base64 of the key hint and the
// ECDSA signature. Verifiers (sigstore-js) require the host to match the
// log's base URL in the trusted root.
func (l *rekorLog) checkpoint(n int, root [32]byte) string {
	origin := l.name + " - " + strconv.FormatInt(rekorTreeID, 10)
	text := origin + "\n" + strconv.Itoa(n) + "\n" + base64.StdEncoding.EncodeToString(root[:]) + "\n"
	hint := sha256.Sum256(publicKeyDER(l.key))
	sig := append(hint[:4:4], signECDSA(l.key, []byte(text))...)
	return text + "\n\u2014 " + l.name + " " + base64.StdEncoding.EncodeToString(sig) + "\n"
}

// merkleRoot returns the RFC 6962 Merkle tree hash of leaves (leaf hashes).
func merkleRoot(leaves [][32]byte) [32]byte {
	switch len(leaves) {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return leaves[0]
	}
	k := splitPoint(len(leaves))
	return merkleNode(merkleRoot(leaves[:k]), merkleRoot(leaves[k:]))
}

// merklePath returns the RFC 6962 audit path of leaf m in leaves.
func merklePath(m int, leaves [][32]byte) [][32]byte {
	if len(leaves) <= 1 {
		return nil
	}
	k := splitPoint(len(leaves))
	if m < k {
		return append(merklePath(m, leaves[:k]), merkleRoot(leaves[k:]))
	}
	return append(merklePath(m-k, leaves[k:]), merkleRoot(leaves[:k]))
}

// splitPoint returns the largest power of two smaller than n (n > 1).
func splitPoint(n int) int {
	k := 1
	for k<<1 < n {
		k <<= 1
	}
	return k
}

// merkleNode returns the hash of an interior node.
func merkleNode(l, r [32]byte) [32]byte {
	return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
}
