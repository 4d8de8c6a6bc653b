package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/trustpub/pypi/upload"
)

// Upload URLs twine gives the built-in pypi and testpypi sections of a
// .pypirc (twine 6.2, twine/utils.py): PyPI's and TestPyPI's.
const (
	pypiUploadURL     = upload.PyPIURL
	testPyPIUploadURL = upload.TestPyPIURL
)

// defaultPypirc is twine's default --config-file.
const defaultPypirc = "~/.pypirc"

// maxConfigFile bounds the size of a .pypirc or pyproject.toml read.
const maxConfigFile = 1 << 20

// repoConfig is one repository of a .pypirc, as twine's get_config
// builds it.
type repoConfig struct {
	url, username, password, caCert, clientCert string
}

// iniFile is a .pypirc as Python's configparser.RawConfigParser reads
// it: sections by name (case-sensitive), options by lower-cased name.
type iniFile map[string]map[string]string

// parseINI reads data as RawConfigParser does: "[section]" headers,
// "key = value" or "key: value" options (the first "=" or ":" splits),
// indented lines continuing the previous value, whole-line "#" and ";"
// comments, no interpolation; a UTF-8 byte order mark is skipped. Duplicate sections or options, and options
// before any section, are errors, as in configparser's strict mode. name
// is the file's name for errors.
func parseINI(name string, data []byte) (iniFile, error) {
	f := iniFile{}
	var sect map[string]string
	var key string // the option a continuation line extends
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		bad := func(rule string) error { return fmt.Errorf("%s: line %d: %s", name, n+1, rule) }
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';':
			continue
		case key != "" && line[0] != trimmed[0]: // indented: continues key's value
			sect[key] += "\n" + trimmed
			continue
		}
		key = ""
		if strings.HasPrefix(trimmed, "[") && strings.HasSuffix(trimmed, "]") && len(trimmed) > 2 {
			s := trimmed[1 : len(trimmed)-1]
			if f[s] != nil {
				return nil, bad(fmt.Sprintf("section %q already exists", s))
			}
			sect = map[string]string{}
			f[s] = sect
			continue
		}
		if sect == nil {
			return nil, bad("an option before the first [section] header")
		}
		i := strings.IndexAny(trimmed, "=:")
		if i <= 0 {
			// the line is not quoted: it may be a secret out of place
			return nil, bad(`want "key = value", an indented continuation or a [section] header`)
		}
		k := strings.ToLower(strings.TrimSpace(trimmed[:i]))
		if _, dup := sect[k]; dup {
			return nil, bad(fmt.Sprintf("option %q already exists in its section", k))
		}
		sect[k] = strings.TrimSpace(trimmed[i+1:])
		key = k
	}
	return f, nil
}

// pypircRepositories applies twine's rules to a parsed .pypirc: the
// sections named by [distutils] index-servers (default "pypi testpypi")
// are the repositories; pypi always exists with PyPI's upload URL, and
// testpypi with TestPyPI's when index-servers names it; [server-login]
// gives every repository its username and password, which the
// repository's own section overrides along with repository (the URL),
// ca_cert and client_cert.
func pypircRepositories(f iniFile) map[string]*repoConfig {
	login := f["server-login"]
	fresh := func() *repoConfig { return &repoConfig{username: login["username"], password: login["password"]} }
	servers := []string{"pypi", "testpypi"}
	if v, ok := f["distutils"]["index-servers"]; ok {
		servers = strings.Fields(v)
	}
	repos := map[string]*repoConfig{"pypi": fresh()}
	repos["pypi"].url = pypiUploadURL
	for _, s := range servers {
		if s == "testpypi" {
			repos[s] = fresh()
			repos[s].url = testPyPIUploadURL
		}
	}
	for _, s := range servers {
		r := repos[s]
		if r == nil {
			r = fresh()
			repos[s] = r
		}
		sect := f[s]
		for k, dst := range map[string]*string{"repository": &r.url, "username": &r.username,
			"password": &r.password, "ca_cert": &r.caCert, "client_cert": &r.clientCert} {
			if v, ok := sect[k]; ok {
				*dst = v
			}
		}
	}
	return repos
}

// readConfigFile reads at most maxConfigFile bytes of path.
func readConfigFile(path string) ([]byte, error) {
	return readAtMost(path, maxConfigFile)
}

// readAtMost reads path, an error if it has more than limit bytes.
func readAtMost(path string, limit int) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, int64(limit)+1))
	if err == nil && len(data) > limit {
		err = fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, err
}

// pypircRepository finds repository name in the .pypirc at path, as
// twine's get_repository_from_config does: "~/" is $HOME; a missing file
// (or no $HOME) is no error when path is the default, and a name the file
// does not define is an error in twine's words. Unlike twine, which
// matches section names exactly, a name the file lacks that is pypi or
// testpypi in another case (or not listed in index-servers) is that
// index, as the library's repository names are: never another index.
func pypircRepository(path, name string, getenv func(string) string) (*repoConfig, error) {
	var data []byte
	file, home, err := path, getenv("HOME"), error(nil)
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		file = filepath.Join(home, rest)
	}
	if home != "" || file == path {
		data, err = readConfigFile(file)
	}
	if errors.Is(err, fs.ErrNotExist) && path == defaultPypirc {
		data, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := parseINI(file, data)
	if err != nil {
		return nil, err
	}
	r := pypircRepositories(f)[name]
	switch {
	case r != nil && r.url == "":
		return nil, fmt.Errorf("%s: [%s] has no repository URL (its \"repository\" option)", path, name)
	case r != nil:
		return r, nil
	case strings.EqualFold(name, "pypi"):
		return &repoConfig{url: pypiUploadURL}, nil
	case strings.EqualFold(name, "testpypi"):
		return &repoConfig{url: testPyPIUploadURL}, nil
	}
	return nil, fmt.Errorf("Missing '%s' section from %s.\nMore info: https://packaging.python.org/specifications/pypirc/ ", name, path)
}
