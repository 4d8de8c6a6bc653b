package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// writePEM writes blocks to a new file and returns its path.
func writePEM(t *testing.T, blocks ...*pem.Block) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bundle.pem")
	var data []byte
	for _, b := range blocks {
		data = append(data, pem.EncodeToMemory(b)...)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// --cert trusts a CA bundle besides the system's roots, and
// --client-cert shows a certificate with its key from one PEM file, as
// twine's do.
func TestTLSClient(t *testing.T) {
	t.Parallel()
	var sawClientCert bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawClientCert = len(r.TLS.PeerCertificates) == 1
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := writePEM(t, &pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(1)}, &x509.Certificate{SerialNumber: big.NewInt(1)}, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	client := writePEM(t, &pem.Block{Type: "CERTIFICATE", Bytes: der}, &pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})

	for _, tc := range []struct {
		ca, client string
		ok         bool
	}{
		{"", "", false},     // the test server's CA is not a system root
		{ca, "", false},     // the server wants a client certificate
		{"", client, false}, // still an unknown CA
		{ca, client, true},
	} {
		hc, err := tlsClient(tc.ca, tc.client)
		if err != nil {
			t.Fatal(err)
		}
		sawClientCert = false
		resp, err := hc.Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		if (err == nil) != tc.ok || tc.ok && !sawClientCert {
			t.Errorf("--cert %q --client-cert %q: %v, client certificate seen %v; want success %v", tc.ca, tc.client, err, sawClientCert, tc.ok)
		}
	}
}
