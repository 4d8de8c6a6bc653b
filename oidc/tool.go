package oidc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// buildkite asks the Buildkite agent for a token.
func (c *Config) buildkite(ctx context.Context, audience string) (string, error) {
	stdout, stderr, err := c.runTool(ctx, "buildkite-agent", "oidc", "request-token", "--audience", audience)
	switch {
	case isNotFound(err):
		return "", c.fail(ProviderBuildkite, "Buildkite: could not find Buildkite agent in Buildkite environment", err, nil)
	case err != nil:
		return "", c.fail(ProviderBuildkite, "Buildkite: the Buildkite agent encountered an error: "+either(stdout, stderr), err, nil)
	}
	return stdout, nil
}

// circleci asks the CircleCI tool for a token from the root issuer.
func (c *Config) circleci(ctx context.Context, audience string) (string, error) {
	claims, _ := json.Marshal(map[string]string{"aud": audience}) // a map of strings always encodes
	stdout, stderr, err := c.runTool(ctx, "circleci", "run", "oidc", "get", "--claims", string(claims), "--root-issuer")
	switch {
	case isNotFound(err):
		return "", c.fail(ProviderCircleCI, "CircleCI: could not find `circleci` in the environment", err, nil)
	case err != nil:
		return "", c.fail(ProviderCircleCI, "CircleCI: the `circleci` tool encountered an error: "+either(stderr, stdout), err, nil)
	}
	return stdout, nil
}

// runTool runs the named program, found in the PATH that Getenv reports,
// and returns its trimmed output.
func (c *Config) runTool(ctx context.Context, name string, args ...string) (stdout, stderr string, err error) {
	path, err := lookPath(c.getenv("PATH"), name)
	if err != nil {
		return "", "", err
	}
	var out, errOut bytes.Buffer
	cmd := c.command(ctx, path, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return strings.TrimSpace(out.String()), strings.TrimSpace(errOut.String()), err
}

// lookPath finds an executable named name in the directories of pathList,
// as exec.LookPath does with the process's own PATH.
func lookPath(pathList, name string) (string, error) {
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" {
			continue // an empty entry means ".", which a CI tool never is
		}
		path := filepath.Join(dir, name)
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return path, nil
		}
	}
	return "", &exec.Error{Name: name, Err: exec.ErrNotFound}
}

func isNotFound(err error) bool { return errors.Is(err, exec.ErrNotFound) }

// either returns first, or second when first is empty: the tools do not
// agree on which stream carries their error message.
func either(first, second string) string {
	if first != "" {
		return first
	}
	return second
}
