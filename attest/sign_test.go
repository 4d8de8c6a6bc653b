package attest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/oidc"
	"github.com/trustpub/pypi/pypitest"
)

// signEnv is a fake issuer and Sigstore, and a Signer using them.
type signEnv struct {
	iss    *pypitest.Issuer
	sig    *pypitest.Sigstore
	signer *attest.Signer
	root   *attest.TrustedRoot
	policy attest.Policy
}

func newSignEnv(t *testing.T, opts ...pypitest.Option) *signEnv {
	t.Helper()
	iss := pypitest.NewIssuer(opts...)
	t.Cleanup(iss.Close)
	sig := pypitest.NewSigstore(append(opts, pypitest.WithIssuer(iss))...)
	t.Cleanup(sig.Close)
	src, err := (&oidc.Config{Getenv: iss.Getenv, HTTPClient: iss.Client()}).TokenSource(t.Context(), attest.IdentityAudience)
	if err != nil {
		t.Fatal(err)
	}
	root, err := attest.ParseTrustedRoot(sig.TrustedRoot())
	if err != nil {
		t.Fatal(err)
	}
	run := iss.Run()
	return &signEnv{
		iss: iss, sig: sig, root: root,
		signer: &attest.Signer{IDToken: src, FulcioURL: sig.FulcioURL(), RekorURL: sig.RekorURL(),
			HTTPClient: sig.Client(), Backoff: time.Millisecond},
		policy: attest.GitHubPublisher{Repository: run.Owner + "/" + run.Repository, Workflow: run.Workflow, Issuer: iss.URL},
	}
}

// sign signs a made-up distribution and returns its attestation, read
// back from its JSON, and its subject.
func (e *signEnv) sign(t *testing.T, name string) (*attest.Attestation, attest.Subject) {
	t.Helper()
	s := attest.Subject{Filename: name, SHA256: sha256.Sum256([]byte(name))}
	a, err := e.signer.Sign(t.Context(), s.Filename, s.SHA256)
	if err != nil {
		t.Fatalf("Sign(%s): %v", name, err)
	}
	return a, s
}

// verify checks a with attest.Verify as PyPI would, after a trip through
// its JSON.
func (e *signEnv) verify(a *attest.Attestation, s attest.Subject) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	back, err := attest.Parse(b)
	if err != nil {
		return err
	}
	_, err = back.Verify(e.root, e.policy, s)
	return err
}

func TestSignTwoFiles(t *testing.T) {
	t.Parallel()
	e := newSignEnv(t)
	a1, s1 := e.sign(t, "sampleproject-1.0.tar.gz")
	a2, s2 := e.sign(t, "sampleproject-1.0-py3-none-any.whl")
	for _, c := range []struct {
		a *attest.Attestation
		s attest.Subject
	}{{a1, s1}, {a2, s2}} {
		if err := e.verify(c.a, c.s); err != nil {
			t.Errorf("Verify(%s): %v", c.s.Filename, err)
		}
	}
	if !bytes.Equal(a1.VerificationMaterial.Certificate, a2.VerificationMaterial.Certificate) {
		t.Error("two certificates for one batch")
	}
	if n := e.iss.Issued(); n != 1 {
		t.Errorf("issuer handed out %d tokens, want 1", n)
	}
	i1, i2 := a1.VerificationMaterial.TransparencyEntries[0].LogIndex, a2.VerificationMaterial.TransparencyEntries[0].LogIndex
	if i1 == i2 {
		t.Errorf("both entries at log index %d", i1)
	}
	if err := e.verify(a1, s2); !errors.Is(err, attest.ErrVerification) {
		t.Errorf("attestation of %s verified for %s: %v", s1.Filename, s2.Filename, err)
	}
}

func TestSignTransientFaults(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]func(*pypitest.Sigstore){
		"fulcio 503 twice": func(g *pypitest.Sigstore) { g.FailFulcio(2, pypitest.HTMLReply(http.StatusServiceUnavailable)) },
		"fulcio 429": func(g *pypitest.Sigstore) {
			g.FailFulcio(1, pypitest.JSONReply(429, `{"code":8,"message":"rate limited"}`))
		},
		"rekor 502": func(g *pypitest.Sigstore) { g.FailRekor(1, pypitest.HTMLReply(http.StatusBadGateway)) },
		"rekor 429 thrice": func(g *pypitest.Sigstore) {
			g.FailRekor(3, pypitest.JSONReply(429, `{"code":429,"message":"slow down"}`))
		},
		"rekor 409": func(g *pypitest.Sigstore) { g.ConflictEntries(1) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newSignEnv(t)
			fault(e.sig)
			a, s := e.sign(t, "sampleproject-1.0.tar.gz")
			if err := e.verify(a, s); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// wantSignError checks that err is a *SignError of op with status and a
// message containing want.
func wantSignError(t *testing.T, err error, op attest.SignOp, status int, want string) {
	t.Helper()
	var se *attest.SignError
	if !errors.As(err, &se) || !errors.Is(err, attest.ErrSigning) {
		t.Fatalf("error %v (%T), want a *SignError", err, err)
	}
	if se.Op != op || se.StatusCode != status || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q (op %v, status %d), want op %v, status %d, containing %q", err, se.Op, se.StatusCode, op, status, want)
	}
}

func TestSignFailures(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		fault  func(*pypitest.Sigstore)
		op     attest.SignOp
		status int
		want   string
	}{
		{"bad proof", func(g *pypitest.Sigstore) { g.RefuseProofs(1) }, attest.SignOpFulcio, 400,
			"attest: sign sampleproject-1.0.tar.gz: fulcio: 400 Bad Request: The signature supplied in the request could not be verified"},
		{"fulcio down", func(g *pypitest.Sigstore) { g.FailFulcio(9, pypitest.HTMLReply(http.StatusServiceUnavailable)) }, attest.SignOpFulcio, 503,
			"fulcio: 503 Service Unavailable"},
		{"rekor rate limit", func(g *pypitest.Sigstore) {
			g.FailRekor(9, pypitest.JSONReply(429, "{\"message\":\"slow\\u001b[2J down\"}"))
		}, attest.SignOpRekor, 429, "rekor: 429 Too Many Requests: slow?[2J down"},
		{"rekor refuses", func(g *pypitest.Sigstore) {
			g.FailRekor(1, pypitest.JSONReply(400, `{"code":400,"message":"bad entry"}`))
		},
			attest.SignOpRekor, 400, "rekor: 400 Bad Request: bad entry"},
		{"rekor garbage", func(g *pypitest.Sigstore) { g.FailRekor(1, pypitest.JSONReply(201, `{"a":1}`)) },
			attest.SignOpRekor, 201, "rekor: invalid answer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newSignEnv(t)
			e.signer.Retries = 2
			c.fault(e.sig)
			_, err := e.signer.Sign(t.Context(), "sampleproject-1.0.tar.gz", [32]byte{})
			wantSignError(t, err, c.op, c.status, c.want)
		})
	}
}

func TestSignWithoutSCT(t *testing.T) {
	t.Parallel()
	e := newSignEnv(t)
	e.sig.OmitSCTs(1)
	a, s := e.sign(t, "sampleproject-1.0.tar.gz")
	var ve *attest.VerificationError
	if err := e.verify(a, s); !errors.As(err, &ve) || ve.Check != attest.CheckSCT {
		t.Fatalf("Verify: %v, want a failed %v check", err, attest.CheckSCT)
	}
}

// With a trusted root, a certificate without SCT is refused before
// anything is signed or logged.
func TestSignChecksSCTWithRoot(t *testing.T) {
	t.Parallel()
	e := newSignEnv(t)
	e.signer.TrustedRoot = e.root
	e.sig.OmitSCTs(1)
	_, err := e.signer.Sign(t.Context(), "sampleproject-1.0.tar.gz", [32]byte{})
	wantSignError(t, err, attest.SignOpFulcio, 200, "fulcio: failed to verify SCT on signing certificate: certificate has no embedded SCT")
	a, s := e.sign(t, "sampleproject-1.0.tar.gz") // the next certificate has its SCT
	if err := e.verify(a, s); err != nil {
		t.Fatal(err)
	}
}

func TestSignRenewsCertificate(t *testing.T) {
	t.Parallel()
	clock := pypitest.NewClock(time.Now())
	e := newSignEnv(t, pypitest.WithClock(clock.Now))
	e.signer.Now = clock.Now
	a1, s1 := e.sign(t, "sampleproject-1.0.tar.gz")
	clock.Advance(8 * time.Minute) // two minutes left: kept
	a2, s2 := e.sign(t, "sampleproject-1.0-py3-none-any.whl")
	clock.Advance(90 * time.Second) // thirty seconds left: renewed
	a3, s3 := e.sign(t, "sampleproject-1.0.zip")
	if !bytes.Equal(a1.VerificationMaterial.Certificate, a2.VerificationMaterial.Certificate) {
		t.Error("certificate renewed with two minutes left")
	}
	if bytes.Equal(a2.VerificationMaterial.Certificate, a3.VerificationMaterial.Certificate) {
		t.Error("certificate not renewed with thirty seconds left")
	}
	for i, a := range []*attest.Attestation{a1, a2, a3} {
		if err := e.verify(a, []attest.Subject{s1, s2, s3}[i]); err != nil {
			t.Errorf("attestation %d: %v", i+1, err)
		}
	}
}

func TestSignRefusesWrongAudience(t *testing.T) {
	t.Parallel()
	e := newSignEnv(t)
	token := e.iss.Token("pypi")
	e.signer.IDToken = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})
	_, err := e.signer.Sign(t.Context(), "sampleproject-1.0.tar.gz", [32]byte{})
	wantSignError(t, err, attest.SignOpIdentity, 0, `identity token: Identity token is malformed or missing claims: audience is not "sigstore"`)
	if strings.Contains(err.Error(), token) {
		t.Error("the error quotes the token")
	}
}

func TestSignFile(t *testing.T) {
	t.Parallel()
	e := newSignEnv(t)
	dist := filepath.Join(t.TempDir(), "sampleproject-1.0.tar.gz")
	content := []byte("not really a tarball")
	if err := os.WriteFile(dist, content, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := e.signer.SignFile(t.Context(), dist); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(dist + ".publish.attestation")
	if err != nil {
		t.Fatal(err)
	}
	a, err := attest.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.verify(a, attest.Subject{Filename: "sampleproject-1.0.tar.gz", SHA256: sha256.Sum256(content)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.signer.SignFile(context.Background(), dist)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second SignFile: %v, want fs.ErrExist", err)
	}
	wantSignError(t, err, attest.SignOpWrite, 0, dist+" already has a publish attestation: "+dist+".publish.attestation")
}

// frontSigstore puts a server before e's Sigstore: handle answers the
// requests it wants to (returning true), the others go to the Sigstore.
func frontSigstore(t *testing.T, e *signEnv, handle func(w http.ResponseWriter, r *http.Request) bool) {
	t.Helper()
	target, err := url.Parse(e.sig.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = e.sig.Client().Transport
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !handle(w, r) {
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(front.Close)
	e.signer.FulcioURL, e.signer.RekorURL, e.signer.HTTPClient = front.URL, front.URL, front.Client()
}

func TestSignConflictWithAnotherEntry(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		location func(other string) string
		status   int // of the last answer
		want     string
	}{
		"another entry":  {func(other string) string { return "/api/v1/log/entries/" + other }, 200, "rekor: the entry does not record this envelope: attest: transparency log body: log entry payload hash does not match bundle"},
		"foreign origin": {func(other string) string { return "http://192.0.2.1/api/v1/log/entries/" + other }, 409, "rekor: 409 Conflict: the Location of the existing entry is not on the log's origin"},
		"no location":    {func(string) string { return "" }, 409, "rekor: 409 Conflict: no Location of the existing entry"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newSignEnv(t)
			first, _ := e.sign(t, "sampleproject-1.0.tar.gz")
			leaf := sha256.Sum256(append([]byte{0}, first.VerificationMaterial.TransparencyEntries[0].CanonicalizedBody...))
			frontSigstore(t, e, func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodPost || r.URL.Path != "/api/v1/log/entries" {
					return false
				}
				if loc := c.location(hex.EncodeToString(leaf[:])); loc != "" {
					w.Header().Set("Location", loc)
				}
				w.WriteHeader(http.StatusConflict)
				return true
			})
			_, err := e.signer.Sign(t.Context(), "sampleproject-1.0-py3-none-any.whl", [32]byte{1})
			wantSignError(t, err, attest.SignOpRekor, c.status, c.want)
		})
	}
}

func TestSignOversizedAnswer(t *testing.T) {
	t.Parallel()
	e := newSignEnv(t)
	e.signer.Retries = -1
	frontSigstore(t, e, func(w http.ResponseWriter, r *http.Request) bool {
		w.Write(bytes.Repeat([]byte(" "), 2<<20))
		return true
	})
	_, err := e.signer.Sign(t.Context(), "sampleproject-1.0.tar.gz", [32]byte{})
	wantSignError(t, err, attest.SignOpFulcio, 0, "fulcio: answer larger than 1048576 bytes")
}

func TestSignCancelledDuringBackoff(t *testing.T) {
	t.Parallel()
	e := newSignEnv(t)
	e.signer.Backoff = time.Hour
	ctx, cancel := context.WithCancel(t.Context())
	var requests atomic.Int32
	frontSigstore(t, e, func(w http.ResponseWriter, r *http.Request) bool {
		requests.Add(1)
		cancel()
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	})
	_, err := e.signer.Sign(ctx, "sampleproject-1.0.tar.gz", [32]byte{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Sign: %v, want context.Canceled", err)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestSignPolicyStillChecked(t *testing.T) {
	t.Parallel()
	e := newSignEnv(t)
	a, s := e.sign(t, "sampleproject-1.0.tar.gz")
	e.policy = attest.GitHubPublisher{Repository: "octo-org/other", Workflow: "release.yml", Issuer: e.iss.URL}
	var ve *attest.VerificationError
	if err := e.verify(a, s); !errors.As(err, &ve) || ve.Check != attest.CheckPolicy {
		t.Fatalf("Verify with another repository: %v, want a failed %v check", err, attest.CheckPolicy)
	}
}

func TestSignConcurrently(t *testing.T) {
	t.Parallel()
	e := newSignEnv(t)
	names := []string{"a-1.0.tar.gz", "a-1.0-py3-none-any.whl", "a-1.0-cp313-cp313-manylinux_2_28_x86_64.whl", "a-1.0.zip"}
	atts := make([]*attest.Attestation, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { atts[i], errs[i] = e.signer.Sign(t.Context(), name, sha256.Sum256([]byte(name))) })
	}
	wg.Wait()
	for i, name := range names {
		if errs[i] != nil {
			t.Fatalf("Sign(%s): %v", name, errs[i])
		}
		if err := e.verify(atts[i], attest.Subject{Filename: name, SHA256: sha256.Sum256([]byte(name))}); err != nil {
			t.Errorf("Verify(%s): %v", name, err)
		}
		if !bytes.Equal(atts[i].VerificationMaterial.Certificate, atts[0].VerificationMaterial.Certificate) {
			t.Errorf("%s has a certificate of its own", name)
		}
	}
	if n := e.iss.Issued(); n != 1 {
		t.Errorf("issuer handed out %d tokens, want 1", n)
	}
}

func TestSignSendsTokenToFulcioOnly(t *testing.T) {
	t.Parallel()
	e := newSignEnv(t)
	var fulcio, rekor atomic.Int32
	frontSigstore(t, e, func(w http.ResponseWriter, r *http.Request) bool {
		auth := r.Header.Get("Authorization")
		switch {
		case r.URL.Path == "/api/v2/signingCert" && strings.HasPrefix(auth, "Bearer ey"):
			fulcio.Add(1)
		case strings.HasPrefix(r.URL.Path, "/api/v1/log/entries") && auth != "":
			rekor.Add(1)
		}
		return false
	})
	e.sign(t, "sampleproject-1.0.tar.gz")
	if f, r := fulcio.Load(), rekor.Load(); f != 1 || r != 0 {
		t.Fatalf("%d Fulcio requests with the token, %d Rekor requests with credentials; want 1 and 0", f, r)
	}
}
