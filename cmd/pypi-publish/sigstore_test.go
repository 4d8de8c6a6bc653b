package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSigstoreConfig(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "root.json")
	if err := os.WriteFile(bad, []byte(`{"mediaType": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		cfg  sigstoreConfig
		want string // "" for no error
	}{
		{"public-good", sigstoreConfig{}, ""},
		{"both URLs", sigstoreConfig{fulcioURL: "http://127.0.0.1:1", rekorURL: "http://127.0.0.1:2"}, ""},
		{"Fulcio alone", sigstoreConfig{fulcioURL: "http://127.0.0.1:1"}, "--fulcio-url and --rekor-url go together"},
		{"root alone", sigstoreConfig{trustedRoot: bad}, "--fulcio-url and --rekor-url go together"},
		{"bad root", sigstoreConfig{fulcioURL: "http://127.0.0.1:1", rekorURL: "http://127.0.0.1:2", trustedRoot: bad},
			"--sigstore-trusted-root " + bad + ": "},
		{"missing root", sigstoreConfig{fulcioURL: "http://127.0.0.1:1", rekorURL: "http://127.0.0.1:2", trustedRoot: bad + ".none"},
			"--sigstore-trusted-root: "},
	} {
		s, err := c.cfg.signer()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		case c.want == "" && (s != nil) != (c.cfg.fulcioURL != ""):
			t.Errorf("%s: signer %v", c.name, s)
		case s != nil && (s.FulcioURL != c.cfg.fulcioURL || s.RekorURL != c.cfg.rekorURL || s.IDToken != nil):
			t.Errorf("%s: signer %+v", c.name, s)
		}
	}
}
