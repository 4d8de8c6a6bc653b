// Package sampledist writes small but complete Python distributions, a
// wheel and an sdist that PyPI would accept, with nothing but the
// standard library: the files the examples publish. It knows the formats
// itself (PEP 427 wheels, PEP 625 sdists, core metadata 2.1) and does not
// use package dist, so that the examples show that dist judges files it
// did not write.
package sampledist

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Project describes the sample project.
type Project struct {
	Name    string // e.g. "sampleproject"
	Version string // e.g. "1.0.0"
	Summary string // one line; "" gives a default
	// Extra holds more metadata header lines, each ending in "\n"
	// (e.g. "Foo: bar\n"), written after the others.
	Extra string
}

// modTime dates every archive member, so that builds are reproducible.
var modTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Escaped returns the name as file names write it (PEP 427/625): lower
// case, runs of "-", "_" and "." as one "_".
func (p Project) Escaped() string {
	return strings.ToLower(regexp.MustCompile(`[-_.]+`).ReplaceAllString(p.Name, "_"))
}

// Metadata returns the core metadata file (METADATA, PKG-INFO).
func (p Project) Metadata() []byte {
	summary := p.Summary
	if summary == "" {
		summary = "A sample project published with github.com/trustpub/pypi"
	}
	return []byte("Metadata-Version: 2.1\n" +
		"Name: " + p.Name + "\n" +
		"Version: " + p.Version + "\n" +
		"Summary: " + summary + "\n" +
		"Requires-Python: >=3.9\n" +
		"Classifier: Programming Language :: Python :: 3\n" +
		"Description-Content-Type: text/markdown\n" +
		p.Extra +
		"\n" +
		"# " + p.Name + "\n\n" + summary + ".\n")
}

// module is the project's one Python module.
func (p Project) module() []byte {
	return []byte("__version__ = \"" + p.Version + "\"\n")
}

// Build writes the project's wheel and sdist into dir and returns their
// paths, wheel first.
func (p Project) Build(dir string) ([]string, error) {
	whl, err := p.Wheel(dir)
	if err != nil {
		return nil, err
	}
	sdist, err := p.Sdist(dir)
	if err != nil {
		return nil, err
	}
	return []string{whl, sdist}, nil
}

// Wheel writes <name>-<version>-py3-none-any.whl into dir: the module,
// and the .dist-info directory with METADATA, WHEEL and RECORD (which
// lists every other member with its sha256 and size).
func (p Project) Wheel(dir string) (string, error) {
	info := p.Escaped() + "-" + p.Version + ".dist-info/"
	members := []struct {
		name string
		data []byte
	}{
		{p.Escaped() + "/__init__.py", p.module()},
		{info + "METADATA", p.Metadata()},
		{info + "WHEEL", []byte("Wheel-Version: 1.0\nGenerator: sampledist\nRoot-Is-Purelib: true\nTag: py3-none-any\n")},
	}
	var record strings.Builder
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		sum := sha256.Sum256(m.data)
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", m.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(m.data))
		if err := addZip(zw, m.name, m.data); err != nil {
			return "", err
		}
	}
	record.WriteString(info + "RECORD,,\n")
	if err := addZip(zw, info+"RECORD", []byte(record.String())); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	path := filepath.Join(dir, p.Escaped()+"-"+p.Version+"-py3-none-any.whl")
	return path, os.WriteFile(path, buf.Bytes(), 0o644)
}

// addZip stores a member with its sizes and CRC in the local header:
// PyPI refuses ZIP data descriptors, which zip.Writer.CreateHeader writes.
func addZip(zw *zip.Writer, name string, data []byte) error {
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Store, Modified: modTime,
		CRC32: crc32.ChecksumIEEE(data), CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data)),
	})
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// Sdist writes <name>-<version>.tar.gz into dir: one top directory
// holding PKG-INFO, pyproject.toml and the module.
func (p Project) Sdist(dir string) (string, error) {
	top := p.Escaped() + "-" + p.Version + "/"
	pyproject := "[build-system]\nrequires = [\"flit_core>=3.9\"]\nbuild-backend = \"flit_core.buildapi\"\n\n" +
		"[project]\nname = \"" + p.Name + "\"\nversion = \"" + p.Version + "\"\n"
	members := []struct {
		name string
		data []byte
	}{
		{top + "PKG-INFO", p.Metadata()},
		{top + "pyproject.toml", []byte(pyproject)},
		{top + p.Escaped() + "/__init__.py", p.module()},
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, m := range members {
		hdr := &tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), ModTime: modTime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return "", err
		}
		if _, err := tw.Write(m.data); err != nil {
			return "", err
		}
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	if err := gz.Close(); err != nil {
		return "", err
	}
	path := filepath.Join(dir, p.Escaped()+"-"+p.Version+".tar.gz")
	return path, os.WriteFile(path, buf.Bytes(), 0o644)
}
