package oidc

import (
	"context"
	"strings"
)

// gitlab reads the token GitLab CI exposes through the job's id_tokens
// section, e.g. `id_tokens: PYPI_ID_TOKEN: {aud: pypi}`.
func (c *Config) gitlab(_ context.Context, audience string) (string, error) {
	name := gitlabTokenVariable(audience)
	jwt := c.getenv(name)
	if jwt == "" {
		return "", c.fail(ProviderGitLab, "GitLab: Environment variable "+name+" not found", nil, nil)
	}
	return jwt, nil
}

// gitlabTokenVariable returns the environment variable in which a GitLab CI
// job receives its identity token for audience: the audience upper-cased,
// every character outside [A-Z0-9_] and a leading digit replaced by "_",
// then "_ID_TOKEN". So "pypi" gives PYPI_ID_TOKEN and "testpypi" gives
// TESTPYPI_ID_TOKEN.
func gitlabTokenVariable(audience string) string {
	var b strings.Builder
	for i, ch := range []rune(strings.ToUpper(audience)) {
		letter := 'A' <= ch && ch <= 'Z' || ch == '_'
		digit := '0' <= ch && ch <= '9'
		if !letter && (i == 0 || !digit) {
			ch = '_'
		}
		b.WriteRune(ch)
	}
	return b.String() + "_ID_TOKEN"
}
