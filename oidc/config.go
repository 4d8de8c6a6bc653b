package oidc

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"os/exec"

	"github.com/trustpub/pypi/internal/origin"
)

// Config says how to look for ambient credentials. The zero value reads the
// process environment, runs programs from its PATH and uses an
// [http.Client] with [http.DefaultTransport]. Every field may be set for
// tests, so that they can run in parallel without touching the process.
type Config struct {
	// Getenv looks up an environment variable; nil means [os.Getenv].
	// PATH, for finding buildkite-agent and circleci, is read through it too.
	Getenv func(key string) string

	// HTTPClient makes the requests to GitHub's token endpoint and Google's
	// metadata server; nil means a client with [http.DefaultTransport]. Its
	// redirect policy is replaced: a redirect to another origin is never
	// followed.
	HTTPClient *http.Client

	// Command builds the command that runs a CI tool (buildkite-agent,
	// circleci), given its absolute path as found in PATH. Nil means
	// [exec.CommandContext]. This package sets the command's Stdout and
	// Stderr.
	Command func(ctx context.Context, path string, args ...string) *exec.Cmd

	// ReadFile reads the GitHub event file (GITHUB_EVENT_PATH) and the DMI
	// product name that reveals a Google Cloud machine; nil means
	// [os.ReadFile].
	ReadFile func(name string) ([]byte, error)

	// Masker, if set, is called with every identity token before it is
	// returned, so that a caller can hide it from CI logs (for GitHub
	// Actions, by printing "::add-mask::" and the token).
	Masker func(secret string)

	// Logger receives debug messages; nil means no logging. Tokens are
	// never logged.
	Logger *slog.Logger
}

func (c *Config) getenv(key string) string {
	if c.Getenv != nil {
		return c.Getenv(key)
	}
	return os.Getenv(key)
}

// client is HTTPClient following redirects only within a request's
// origin: the requests carry the CI's request token or access token.
func (c *Config) client() *http.Client {
	return origin.Client(c.HTTPClient)
}

func (c *Config) command(ctx context.Context, path string, args ...string) *exec.Cmd {
	if c.Command != nil {
		return c.Command(ctx, path, args...)
	}
	return exec.CommandContext(ctx, path, args...)
}

func (c *Config) readFile(name string) ([]byte, error) {
	if c.ReadFile != nil {
		return c.ReadFile(name)
	}
	return os.ReadFile(name)
}

func (c *Config) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (c *Config) mask(secret string) {
	if c.Masker != nil {
		c.Masker(secret)
	}
}
