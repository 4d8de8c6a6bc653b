package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/trustpub/pypi/internal/gha"
)

// --timeout takes seconds, fractions too, for pypi.Options.Timeout; no
// flag leaves the library's default (0).
func TestTimeoutFlag(t *testing.T) {
	t.Parallel()
	getenv := func(string) string { return "" }
	for _, tc := range []struct {
		args []string
		want time.Duration
	}{
		{[]string{"dist"}, 0},
		{[]string{"--timeout", "2.5", "dist"}, 2500 * time.Millisecond},
		{[]string{"dist", "--timeout=120"}, 120 * time.Second},
	} {
		c, err := parseConfig(tc.args, getenv, gha.New(io.Discard, getenv, false), io.Discard)
		if err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		if got := c.options().Timeout; got != tc.want {
			t.Errorf("%q: Timeout %v, want %v", tc.args, got, tc.want)
		}
	}
	for _, v := range []string{"0", "-1", "soon", "NaN", "+Inf", "1e300"} {
		var stderr bytes.Buffer
		_, err := parseConfig([]string{"--timeout", v}, getenv, gha.New(io.Discard, getenv, false), &stderr)
		if !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), "-timeout: want a number of seconds above 0") {
			t.Errorf("--timeout %s: %v, stderr %q; want a usage error", v, err, stderr.String())
		}
	}
}
