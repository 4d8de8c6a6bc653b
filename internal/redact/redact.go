// Package redact removes secrets from text before it reaches an error, a log
// line or a panic.
package redact

import "strings"

// Placeholder replaces every secret that [String] removes.
const Placeholder = "[redacted]"

// String returns s with every occurrence of each non-empty secret replaced
// by [Placeholder].
func String(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, Placeholder)
		}
	}
	return s
}
