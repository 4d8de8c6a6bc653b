package pypi

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// FindFiles returns the distribution files that patterns name, as Publish
// finds them: each pattern is a file, a directory (its wheels and sdists,
// not its subdirectories) or, when no such path exists, a glob pattern.
// Signatures (.asc) and attestations (.attestation) are left out, as are
// files in a directory that are not distributions by their extension.
// The paths are in the order of the patterns (sorted within each) without
// duplicates. No patterns means "dist". A pattern that matches nothing is
// an error; matching only non-distributions gives ErrNoDistributions.
// A distribution that is not a regular file (a named pipe, a device, a
// socket; symbolic links are followed) is an error naming it, found
// before anything opens it: reading a named pipe could wait forever.
func FindFiles(patterns ...string) ([]string, error) {
	if len(patterns) == 0 {
		patterns = []string{"dist"}
	}
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		key := filepath.Clean(p)
		if !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	for _, pat := range patterns {
		paths, err := expand(pat)
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			add(p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no wheel (.whl) or sdist (.tar.gz) in %s", ErrNoDistributions, strings.Join(patterns, ", "))
	}
	return out, nil
}

// expand returns the distributions one pattern names.
func expand(pat string) ([]string, error) {
	fi, err := os.Stat(pat)
	switch {
	case err == nil && fi.IsDir():
		entries, err := os.ReadDir(pat)
		if err != nil {
			return nil, fmt.Errorf("pypi: %w", err)
		}
		var out []string
		for _, e := range entries {
			if !e.IsDir() && isDistName(e.Name()) {
				out, err = appendRegular(out, filepath.Join(pat, e.Name()))
				if err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	case err == nil:
		if isCompanion(pat) {
			return nil, nil
		}
		if !fi.Mode().IsRegular() {
			return nil, notRegular(pat, fi.Mode())
		}
		return []string{pat}, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("pypi: %w", err)
	}
	matches, err := filepath.Glob(pat)
	if err != nil {
		return nil, fmt.Errorf("pypi: %q: %w", pat, err)
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("pypi: cannot find file (or expand pattern): %q", pat)
	}
	slices.Sort(matches)
	var out []string
	for _, m := range matches {
		if !isCompanion(m) {
			if out, err = appendRegular(out, m); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// appendRegular appends path to paths if it is a regular file (after
// symbolic links); a directory is left out, anything else is an error.
func appendRegular(paths []string, path string) ([]string, error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("pypi: %w", err)
	case fi.IsDir():
		return paths, nil
	case !fi.Mode().IsRegular():
		return nil, notRegular(path, fi.Mode())
	}
	return append(paths, path), nil
}

// notRegular is the error for a distribution that is not a regular file.
func notRegular(path string, mode fs.FileMode) error {
	kind := "not a regular file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		kind = "a socket"
	case mode&fs.ModeCharDevice != 0:
		kind = "a character device"
	case mode&fs.ModeDevice != 0:
		kind = "a device"
	}
	return fmt.Errorf("pypi: %s: %s, not a regular file: a distribution must be a regular file", path, kind)
}

// isDistName reports whether a file in a directory is a distribution by
// its extension.
func isDistName(name string) bool {
	for _, ext := range []string{".whl", ".tar.gz", ".zip"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// isCompanion reports whether a file travels beside a distribution
// rather than being one: a signature or an attestation.
func isCompanion(name string) bool {
	return strings.HasSuffix(name, ".asc") || strings.HasSuffix(name, ".attestation")
}
