package redact

import "testing"

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s       string
		secrets []string
		want    string
	}{
		{"body has pypi-abc twice: pypi-abc", []string{"pypi-abc"}, "body has [redacted] twice: [redacted]"},
		{"no secret here", []string{"pypi-abc"}, "no secret here"},
		{"empty secrets are ignored", []string{""}, "empty secrets are ignored"},
		{"jwt a.b.c and token t1", []string{"a.b.c", "t1"}, "jwt [redacted] and token [redacted]"},
	}
	for _, tt := range tests {
		if got := String(tt.s, tt.secrets...); got != tt.want {
			t.Errorf("String(%q, %q) = %q; want %q", tt.s, tt.secrets, got, tt.want)
		}
	}
}
