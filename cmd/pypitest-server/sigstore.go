package main

import (
	"os"
	"path/filepath"

	"github.com/trustpub/pypi/pypitest"
)

// startSigstore starts a fake Sigstore that trusts iss's tokens and writes
// its trusted_root.json into a new temporary directory. The caller closes
// the Sigstore and removes the file's directory.
func startSigstore(iss *pypitest.Issuer) (*pypitest.Sigstore, string, error) {
	dir, err := os.MkdirTemp("", "pypitest-sigstore-")
	if err != nil {
		return nil, "", err
	}
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss))
	root := filepath.Join(dir, "trusted_root.json")
	if err := os.WriteFile(root, sig.TrustedRoot(), 0o600); err != nil {
		sig.Close()
		os.RemoveAll(dir)
		return nil, "", err
	}
	return sig, root, nil
}
