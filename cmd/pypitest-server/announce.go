package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/trustpub/pypi/pypitest"
)

// announcement is what a client needs to know about the servers.
type announcement struct {
	URL       string `json:"url"`        // the index's root
	UploadURL string `json:"upload_url"` // its legacy upload endpoint
	IssuerURL string `json:"issuer_url"` // the CI issuer's root (iss claim)
	// Env is the environment of the GitHub Actions job the issuer
	// pretends to run, ACTIONS_ID_TOKEN_REQUEST_* included.
	Env map[string]string `json:"env"`
	// SigstoreURL is the fake Sigstore's root (Fulcio and Rekor), with
	// -sigstore only.
	SigstoreURL string `json:"sigstore_url,omitempty"`
	// TrustedRoot is the path of a trusted_root.json for the fake
	// Sigstore, with -sigstore only.
	TrustedRoot string `json:"sigstore_trusted_root,omitempty"`
}

// newAnnouncement describes the index at url and the issuer.
func newAnnouncement(url string, iss *pypitest.Issuer) announcement {
	return announcement{URL: url, UploadURL: url + "/legacy/", IssuerURL: iss.URL, Env: iss.Env()}
}

// announce prints a: one JSON object, or KEY=value lines ending with
// PYPITEST_READY=1.
func announce(w io.Writer, asJSON bool, a announcement) error {
	if asJSON {
		return json.NewEncoder(w).Encode(a)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "PYPITEST_URL=%s\nPYPITEST_UPLOAD_URL=%s\nPYPITEST_ISSUER_URL=%s\n", a.URL, a.UploadURL, a.IssuerURL)
	if a.SigstoreURL != "" {
		fmt.Fprintf(&b, "PYPITEST_SIGSTORE_URL=%s\nPYPITEST_SIGSTORE_TRUSTED_ROOT=%s\n", a.SigstoreURL, a.TrustedRoot)
	}
	for _, k := range slices.Sorted(maps.Keys(a.Env)) {
		fmt.Fprintf(&b, "%s=%s\n", k, a.Env[k])
	}
	b.WriteString("PYPITEST_READY=1\n")
	_, err := io.WriteString(w, b.String())
	return err
}
