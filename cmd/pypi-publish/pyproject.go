package main

import (
	"fmt"
	"strconv"
	"strings"
)

// uvIndex is one [[tool.uv.index]] table of a pyproject.toml.
type uvIndex struct {
	name, url, publishURL string
}

// parseUVIndexes reads the [[tool.uv.index]] tables of a pyproject.toml:
// their name, url and publish-url keys, when their values are one-line
// TOML strings ("basic" with escapes, or 'literal'). It reads only that
// subset of TOML: other tables and keys are skipped line by line, so a
// multi-line value elsewhere can at worst hide a key, never invent one.
// name is the file's name for errors.
func parseUVIndexes(name string, data []byte) ([]uvIndex, error) {
	var out []uvIndex
	var cur *uvIndex
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			cur = nil
			header, _, _ := strings.Cut(line, "#")
			if strings.ReplaceAll(strings.TrimSpace(header), " ", "") == "[[tool.uv.index]]" {
				out = append(out, uvIndex{})
				cur = &out[len(out)-1]
			}
			continue
		}
		if cur == nil {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.Trim(strings.TrimSpace(k), `"'`)
		dst := map[string]*string{"name": &cur.name, "url": &cur.url, "publish-url": &cur.publishURL}[k]
		if dst == nil {
			continue
		}
		s, err := tomlString(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: [[tool.uv.index]] %s: %v", name, n+1, k, err)
		}
		*dst = s
	}
	return out, nil
}

// tomlString reads a one-line TOML string value, with an optional
// trailing comment. Errors do not quote the value: it may hold a secret.
func tomlString(v string) (string, error) {
	switch {
	case strings.HasPrefix(v, "'"):
		end := strings.IndexByte(v[1:], '\'')
		if end < 0 {
			return "", fmt.Errorf("unterminated string")
		}
		return v[1 : end+1], trailing(v[end+2:])
	case strings.HasPrefix(v, `"`):
		for i := 1; i < len(v); i++ {
			switch v[i] {
			case '\\':
				i++
			case '"':
				s, err := strconv.Unquote(v[:i+1])
				if err != nil {
					return "", fmt.Errorf("a bad escape sequence")
				}
				return s, trailing(v[i+1:])
			}
		}
		return "", fmt.Errorf("unterminated string")
	}
	return "", fmt.Errorf("want a one-line string")
}

// trailing checks that only a comment follows a value.
func trailing(rest string) error {
	if rest = strings.TrimSpace(rest); rest != "" && rest[0] != '#' {
		return fmt.Errorf("want only a comment after the value")
	}
	return nil
}

// uvIndexByName finds the [[tool.uv.index]] named name in the
// pyproject.toml at path, as uv publish --index does: it must have a
// publish-url.
func uvIndexByName(path, name string) (*uvIndex, error) {
	data, err := readConfigFile(path)
	if err != nil {
		return nil, fmt.Errorf("--index %s: %w", name, err)
	}
	idx, err := parseUVIndexes(path, data)
	if err != nil {
		return nil, err
	}
	for i := range idx {
		if idx[i].name == name {
			if idx[i].publishURL == "" {
				return nil, fmt.Errorf("%s: index %q has no publish-url: uv publish --index needs one", path, name)
			}
			return &idx[i], nil
		}
	}
	return nil, fmt.Errorf("%s: no [[tool.uv.index]] named %q", path, name)
}
