package pypitest

// sigstoreFaults are the misbehaviours a test asks of a Sigstore: how many
// of the next requests each fault still applies to.
type sigstoreFaults struct {
	fulcioFail, rekorFail   int
	fulcioReply, rekorReply *Reply
	badProof                int // signingCert requests refused as a bad proof
	noSCT                   int // leaves issued without an SCT
	conflict                int // entries logged, then answered 409
}

// sigstoreFault is what happens to one request.
type sigstoreFault struct {
	reply    *Reply // answer this instead
	badProof bool
	noSCT    bool
	conflict bool
}

// takeFulcioFault decides the fault of the next signingCert request: a
// canned answer first, then a refused proof, then a leaf without SCT.
func (g *Sigstore) takeFulcioFault() sigstoreFault {
	g.mu.Lock()
	defer g.mu.Unlock()
	f := &g.faults
	if take(&f.fulcioFail) {
		return sigstoreFault{reply: f.fulcioReply}
	}
	if take(&f.badProof) {
		return sigstoreFault{badProof: true}
	}
	return sigstoreFault{noSCT: take(&f.noSCT)}
}

// takeRekorFault decides the fault of the next entry request: a canned
// answer first, then a conflict.
func (g *Sigstore) takeRekorFault() sigstoreFault {
	g.mu.Lock()
	defer g.mu.Unlock()
	f := &g.faults
	if take(&f.rekorFail) {
		return sigstoreFault{reply: f.rekorReply}
	}
	return sigstoreFault{conflict: take(&f.conflict)}
}

// take uses up one of the requests *n applies to, if any are left.
func take(n *int) bool {
	if *n <= 0 {
		return false
	}
	*n--
	return true
}

// FailFulcio makes the next n signingCert requests get r instead of a
// certificate, e.g. HTMLReply(503) for an outage or
// JSONReply(429, `{"code":8,"message":"rate limited"}`).
func (g *Sigstore) FailFulcio(n int, r *Reply) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults.fulcioFail, g.faults.fulcioReply = n, r
}

// FailRekor makes the next n requests to create a log entry get r
// instead; nothing is logged.
func (g *Sigstore) FailRekor(n int, r *Reply) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults.rekorFail, g.faults.rekorReply = n, r
}

// RefuseProofs makes Fulcio refuse the next n valid signingCert requests
// as it refuses a bad proof of possession: 400, "The signature supplied in
// the request could not be verified".
func (g *Sigstore) RefuseProofs(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults.badProof = n
}

// OmitSCTs makes Fulcio issue the next n leaf certificates without an
// embedded SCT, as a Fulcio without a CT log does; verifiers that require
// an SCT (sigstore-go, sigstore-js and PyPI's) refuse them.
func (g *Sigstore) OmitSCTs(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults.noSCT = n
}

// ConflictEntries makes Rekor log the next n valid entries and answer 409
// with their location, as it answers a client that retries an entry whose
// first answer was lost; the client must GET the entry.
func (g *Sigstore) ConflictEntries(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults.conflict = n
}
