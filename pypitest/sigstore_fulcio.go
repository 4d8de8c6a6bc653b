package pypitest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Fulcio's messages to clients (sigstore/fulcio pkg/server/error.go).
const (
	fulcioInvalidCredentials = "There was an error processing the credentials for this request"
	fulcioInvalidPublicKey   = "The public key supplied in the request could not be parsed"
	fulcioInvalidSignature   = "The signature supplied in the request could not be verified"
)

// gRPC status codes Fulcio's JSON gateway puts in its error bodies.
const (
	grpcInvalidArgument = 3
	grpcUnauthenticated = 16
)

// fulcioLeafLifetime is how long Fulcio's leaf certificates are valid.
const fulcioLeafLifetime = 10 * time.Minute

// maxSigstoreBody bounds the request bodies Fulcio and Rekor read.
const maxSigstoreBody = 1 << 20

// readSigstorePost reads the body of a POST to Fulcio or Rekor, up to
// maxSigstoreBody. It reports false, having answered 405 to another
// method, or when the client went away.
func readSigstorePost(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, http.MethodPost)
		return nil, false
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxSigstoreBody))
	return b, err == nil
}

// gitHubURL is the server URL Fulcio's GitHub template puts before paths.
const gitHubURL = "https://github.com"

// Object identifiers of the certificate extensions.
var (
	oidSCTList  = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2} // RFC 6962 §3.3
	oidSigstore = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1}       // Fulcio's arc
)

// fulcioLegacyClaims are the claims Fulcio's deprecated GitHub extensions
// .2 to .6 hold, in order.
var fulcioLegacyClaims = []string{"event_name", "sha", "workflow", "repository", "ref"}

// signingCertRequest is the body of POST /api/v2/signingCert, as far as
// the public-key flow goes.
type signingCertRequest struct {
	Credentials struct {
		OIDCIdentityToken string `json:"oidcIdentityToken"`
	} `json:"credentials"`
	PublicKeyRequest struct {
		PublicKey struct {
			Algorithm string `json:"algorithm"`
			Content   string `json:"content"`
		} `json:"publicKey"`
		ProofOfPossession []byte `json:"proofOfPossession"`
	} `json:"publicKeyRequest"`
}

// serveSigningCert answers Fulcio's v2 signingCert: it checks the identity
// token, the public key and the proof of possession, in that order, and
// answers with a chain whose leaf carries the token's identity.
func (g *Sigstore) serveSigningCert(w http.ResponseWriter, r *http.Request) {
	body, ok := readSigstorePost(w, r)
	if !ok {
		return
	}
	f := g.takeFulcioFault()
	if f.reply != nil {
		f.reply.serve(w, r)
		return
	}
	var req signingCertRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeFulcioError(w, http.StatusBadRequest, grpcInvalidArgument, "invalid request body")
		return
	}
	token := req.Credentials.OIDCIdentityToken
	if scheme, bearer, _ := strings.Cut(r.Header.Get("Authorization"), " "); token == "" && strings.EqualFold(scheme, "bearer") {
		token = bearer
	}
	claims, ok := g.verifyToken(r, token)
	if !ok {
		writeFulcioError(w, http.StatusUnauthorized, grpcUnauthenticated, fulcioInvalidCredentials)
		return
	}
	pub, ok := parsePEMPublicKey(req.PublicKeyRequest.PublicKey.Content)
	if !ok {
		writeFulcioError(w, http.StatusBadRequest, grpcInvalidArgument, fulcioInvalidPublicKey)
		return
	}
	sub, _ := claims["sub"].(string)
	digest := sha256.Sum256([]byte(sub))
	if f.badProof || sub == "" || !ecdsa.VerifyASN1(pub, digest[:], req.PublicKeyRequest.ProofOfPossession) {
		writeFulcioError(w, http.StatusBadRequest, grpcInvalidArgument, fulcioInvalidSignature)
		return
	}
	leaf := g.issueLeaf(pub, claims, !f.noSCT)
	chain := []string{}
	for _, der := range [][]byte{leaf, g.intermediate.cert.Raw, g.root.cert.Raw} {
		chain = append(chain, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"signedCertificateEmbeddedSct": map[string]any{"chain": map[string]any{"certificates": chain}},
	})
}

// writeFulcioError answers as Fulcio's JSON gateway does for a gRPC error.
func writeFulcioError(w http.ResponseWriter, status, code int, message string) {
	writeJSON(w, status, map[string]any{"code": code, "message": message, "details": []any{}})
}

// verifyToken checks an identity token as the fake PyPI's mint does (the
// issuer's keys, RS256, expiry with leeway), against the Sigstore's
// audience, and returns its claims.
func (g *Sigstore) verifyToken(r *http.Request, token string) (map[string]any, bool) {
	header, claims, ok := decodeUnverified(token)
	if !ok || g.verifier.issuer == nil || claims["iss"] != g.verifier.issuer.URL {
		return nil, false
	}
	return g.verifier.verifyJWT(r.Context(), token, header)
}

// parsePEMPublicKey parses a PEM "PUBLIC KEY" block holding an ECDSA key,
// the only kind the fake certifies.
func parsePEMPublicKey(s string) (*ecdsa.PublicKey, bool) {
	block, _ := pem.Decode([]byte(s))
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, false
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, false
	}
	pub, ok := k.(*ecdsa.PublicKey)
	return pub, ok
}

// issueLeaf returns the DER of a leaf certificate for pub carrying claims'
// identity, valid for ten minutes from now, with an embedded SCT if withSCT.
func (g *Sigstore) issueLeaf(pub *ecdsa.PublicKey, claims map[string]any, withSCT bool) []byte {
	now := g.now().Truncate(time.Second)
	san, exts := fulcioIdentity(claims)
	tmpl := &x509.Certificate{
		SerialNumber:    randomSerial(),
		NotBefore:       now,
		NotAfter:        now.Add(fulcioLeafLifetime),
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		URIs:            []*url.URL{san},
		SubjectKeyId:    subjectKeyID(pub),
		ExtraExtensions: exts,
	}
	if !withSCT {
		return createCert(tmpl, g.intermediate.cert, pub, g.intermediate.key).Raw
	}
	// The SCT signs the TBS certificate without the SCT list, which is
	// what removing the extension from the final certificate gives back.
	pre := createCert(tmpl, g.intermediate.cert, pub, g.intermediate.key)
	sct := g.signSCT(pre.RawTBSCertificate, now)
	list := make([]byte, 0, 4+len(sct))
	list = binary.BigEndian.AppendUint16(list, uint16(2+len(sct)))
	list = binary.BigEndian.AppendUint16(list, uint16(len(sct)))
	list = append(list, sct...)
	value, err := asn1.Marshal(list)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkixExtension(oidSCTList, value))
	return createCert(tmpl, g.intermediate.cert, pub, g.intermediate.key).Raw
}

// subjectKeyID returns the key identifier Fulcio gives a leaf: the SHA-1
// of the public key's bits (RFC 5280 §4.2.1.2, method 1).
func subjectKeyID(pub *ecdsa.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	var spki struct {
		Algorithm asn1.RawValue
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		panic("pypitest: " + err.Error())
	}
	sum := sha1.Sum(spki.PublicKey.Bytes)
	return sum[:]
}

// fulcioIdentity returns the SAN and the extensions Fulcio gives a leaf
// for the claims of a token: by its gitlab-pipeline template for a GitLab
// CI/CD job's, else by its github-workflow template, with GitHub's
// deprecated raw-string extensions (.2 to .6). Both have the raw issuer
// (.1) and the DER UTF8String extensions from .8 on, less those whose
// value is empty, which Fulcio leaves out.
func fulcioIdentity(claims map[string]any) (*url.URL, []pkix.Extension) {
	str := func(name string) string { s, _ := claims[name].(string); return s }
	exts := []pkix.Extension{pkixExtension(sigstoreOID(1), []byte(str("iss")))}
	var san string
	var values []string
	host := "github.com" // of the SAN if the claims make no URL
	if isGitLabClaims(claims) {
		san, values = gitLabTemplate(str)
		host = gitLabHost
	} else {
		san, values = gitHubTemplate(str)
		for i, claim := range fulcioLegacyClaims {
			exts = append(exts, pkixExtension(sigstoreOID(2+i), []byte(str(claim))))
		}
	}
	for i, v := range values {
		if v == "" {
			continue
		}
		der, err := asn1.MarshalWithParams(v, "utf8")
		if err != nil {
			panic("pypitest: " + err.Error())
		}
		exts = append(exts, pkixExtension(sigstoreOID(8+i), der))
	}
	u, err := url.Parse(san)
	if err != nil {
		u = &url.URL{Scheme: "https", Host: host}
	}
	return u, exts
}

// gitHubTemplate renders GitHub Actions claims (read by str) as Fulcio's
// github-workflow template does: the SAN, then the values of the
// extensions .8 to .22.
func gitHubTemplate(str func(string) string) (san string, values []string) {
	return gitHubURL + "/" + str("job_workflow_ref"), []string{
		str("iss"),
		gitHubURL + "/" + str("job_workflow_ref"),
		str("job_workflow_sha"),
		str("runner_environment"),
		gitHubURL + "/" + str("repository"),
		str("sha"),
		str("ref"),
		str("repository_id"),
		gitHubURL + "/" + str("repository_owner"),
		str("repository_owner_id"),
		gitHubURL + "/" + str("workflow_ref"),
		str("workflow_sha"),
		str("event_name"),
		gitHubURL + "/" + str("repository") + "/actions/runs/" + str("run_id") + "/attempts/" + str("run_attempt"),
		str("repository_visibility"),
	}
}

// sigstoreOID returns Fulcio's OID 1.3.6.1.4.1.57264.1.n.
func sigstoreOID(n int) asn1.ObjectIdentifier {
	return append(oidSigstore[:len(oidSigstore):len(oidSigstore)], n)
}

func pkixExtension(id asn1.ObjectIdentifier, value []byte) pkix.Extension {
	return pkix.Extension{Id: id, Value: value}
}

// signSCT returns an RFC 6962 v1 SignedCertificateTimestamp, in its TLS
// encoding, for a precertificate whose TBS (without poison) is tbs, issued
// by the intermediate, signed at t by the CT log's key.
func (g *Sigstore) signSCT(tbs []byte, t time.Time) []byte {
	issuerKeyHash := sha256.Sum256(g.intermediate.cert.RawSubjectPublicKeyInfo)
	ms := uint64(t.UnixMilli())
	signed := []byte{0, 0} // v1, certificate_timestamp
	signed = binary.BigEndian.AppendUint64(signed, ms)
	signed = binary.BigEndian.AppendUint16(signed, 1) // precert_entry
	signed = append(signed, issuerKeyHash[:]...)
	signed = append(signed, byte(len(tbs)>>16), byte(len(tbs)>>8), byte(len(tbs)))
	signed = append(signed, tbs...)
	signed = append(signed, 0, 0) // no extensions
	sig := signECDSA(g.ctKey, signed)
	logID := sha256.Sum256(publicKeyDER(g.ctKey))
	sct := []byte{0} // v1
	sct = append(sct, logID[:]...)
	sct = binary.BigEndian.AppendUint64(sct, ms)
	sct = append(sct, 0, 0, 4, 3) // no extensions; sha256, ecdsa
	sct = binary.BigEndian.AppendUint16(sct, uint16(len(sig)))
	return append(sct, sig...)
}

// signECDSA returns k's ASN.1 signature over SHA-256(msg).
func signECDSA(k *ecdsa.PrivateKey, msg []byte) []byte {
	digest := sha256.Sum256(msg)
	sig, err := ecdsa.SignASN1(rand.Reader, k, digest[:])
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return sig
}
