package main

import (
	"flag"
	"fmt"

	"github.com/trustpub/pypi/attest"
)

// sigstoreConfig points attestation signing at another Sigstore than the
// public-good one, e.g. pypitest-server -sigstore's fake, which it
// announces with its trusted root. Each setting has a flag and a variable.
type sigstoreConfig struct {
	fulcioURL, rekorURL string
	trustedRoot         string // a trusted_root.json to check certificates against
}

// sigstoreSettings are the flags and variables of sigstoreConfig.
var sigstoreSettings = []struct {
	flag, env, usage string
	field            func(*sigstoreConfig) *string
}{
	{"fulcio-url", "PYPI_PUBLISH_FULCIO_URL", "sign attestations with the Fulcio at `URL` (default " + attest.DefaultFulcioURL + ")",
		func(s *sigstoreConfig) *string { return &s.fulcioURL }},
	{"rekor-url", "PYPI_PUBLISH_REKOR_URL", "log attestations in the Rekor v1 at `URL` (default " + attest.DefaultRekorURL + ")",
		func(s *sigstoreConfig) *string { return &s.rekorURL }},
	{"sigstore-trusted-root", "PYPI_PUBLISH_SIGSTORE_TRUSTED_ROOT", "check each signing certificate's chain and SCT against the " +
		"trusted_root.json `FILE` before signing (optional; PyPI checks them)", func(s *sigstoreConfig) *string { return &s.trustedRoot }},
}

// flags defines the settings' flags on fs.
func (s *sigstoreConfig) flags(fs *flag.FlagSet) {
	for _, st := range sigstoreSettings {
		fs.StringVar(st.field(s), st.flag, "", st.usage+" (also "+st.env+")")
	}
}

// fromEnv fills the settings no flag gave from their variables.
func (s *sigstoreConfig) fromEnv(fromEnv func(*string, []string, ...string)) {
	for _, st := range sigstoreSettings {
		fromEnv(st.field(s), []string{st.flag}, st.env)
	}
}

// signer returns a Signer template (pypi.Options.Signer without IDToken:
// the CI's tokens are used) for the configured Sigstore, or nil for the
// public-good one. Another Sigstore also makes the index, whatever it
// is, get attestations: it is a test of a fake PyPI.
func (s *sigstoreConfig) signer() (*attest.Signer, error) {
	if s.fulcioURL == "" && s.rekorURL == "" && s.trustedRoot == "" {
		return nil, nil
	}
	if s.fulcioURL == "" || s.rekorURL == "" {
		return nil, fmt.Errorf("--fulcio-url and --rekor-url go together: give both, or neither for Sigstore's public-good instance")
	}
	sg := &attest.Signer{FulcioURL: s.fulcioURL, RekorURL: s.rekorURL}
	if s.trustedRoot != "" {
		b, err := readConfigFile(s.trustedRoot)
		if err != nil {
			return nil, fmt.Errorf("--sigstore-trusted-root: %w", err)
		}
		if sg.TrustedRoot, err = attest.ParseTrustedRoot(b); err != nil {
			return nil, fmt.Errorf("--sigstore-trusted-root %s: %w", s.trustedRoot, err)
		}
	}
	return sg, nil
}
