package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/upload"
)

// With -tls-cert and -tls-key the index serves HTTPS and offers HTTP/2
// and HTTP/1.1 by ALPN, as PyPI does: a client that speaks HTTP/2 gets
// it, and our upload client (HTTP/1.1) uploads.
func testTLS(t *testing.T, bin string, demo *dist.Distribution) {
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for file, b := range map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: der}, keyFile: {Type: "PRIVATE KEY", Bytes: keyDER}} {
		if err := os.WriteFile(file, pem.EncodeToMemory(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := launch(t, bin, "-tls-cert", certFile, "-tls-key", keyFile, "-token", testToken)
	if !strings.HasPrefix(p.UploadURL, "https://127.0.0.1:") {
		t.Fatalf("upload URL %q; want https on loopback", p.UploadURL)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}}
	resp, err := hc.Get(p.URL + "/simple/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ProtoMajor != 2 {
		t.Errorf("GET /simple/: %s over %s; want 200 over HTTP/2", resp.Status, resp.Proto)
	}
	c := &upload.Client{URL: p.UploadURL, Username: "__token__", Password: testToken, HTTPClient: hc, Retry: upload.Retry{Attempts: 1}}
	if _, err := c.Upload(t.Context(), demo, upload.Options{}); err != nil {
		t.Fatal(err)
	}
	if log := p.stop(t); !strings.Contains(log, "1 files stored") {
		t.Errorf("stderr:\n%s", log)
	}
}
