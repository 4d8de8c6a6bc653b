package warehousecases

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
)

// The builder makes each case's file from its description. pypitest's
// NewWheel and NewSdist make only well-formed files of a fixed layout;
// the cases need members left out or added, any file name, a .dist-info
// directory named otherwise, and broken archives.

// member is one file of an archive.
type member struct{ name, content string }

// metadataText is the case's METADATA or PKG-INFO, written as the
// generator writes it for packaging.
func (c *Case) metadataText() string {
	var b strings.Builder
	for _, h := range c.Headers {
		b.WriteString(h[0] + ": " + h[1] + "\n")
	}
	if c.Description != "" {
		b.WriteString("\n" + c.Description)
	}
	return b.String()
}

// members lists the archive's files in order: the defaults of its kind
// (less those omitted or given by the case), then the case's own files by
// name, then a wheel's RECORD unless the case gives or omits it. Under
// the "latin1" archive the members are encoded as Latin-1.
func (c *Case) members() []member {
	var ms []member
	if c.Kind == "wheel" {
		pkg, _, _ := strings.Cut(c.Root, "-")
		ms = []member{
			{pkg + "/__init__.py", "VERSION = '1.0'\n"},
			{c.Root + "/METADATA", c.metadataText()},
			{c.Root + "/WHEEL", "Wheel-Version: 1.0\nGenerator: warehousecases\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
		}
	} else {
		ms = []member{
			{c.Root + "/PKG-INFO", c.metadataText()},
			{c.Root + "/pyproject.toml", "[project]\nname = 'sample'\n"},
		}
	}
	ms = slices.DeleteFunc(ms, func(m member) bool {
		_, base, _ := strings.Cut(m.name, "/")
		_, replaced := c.Files[m.name]
		return replaced || slices.Contains(c.Omit, base)
	})
	names := make([]string, 0, len(c.Files))
	for name := range c.Files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		ms = append(ms, member{name, c.Files[name]})
	}
	_, ownRecord := c.Files[c.Root+"/RECORD"]
	if c.Kind == "wheel" && !ownRecord && !slices.Contains(c.Omit, "RECORD") {
		var record strings.Builder
		for _, m := range ms {
			sum := sha256.Sum256([]byte(m.content))
			fmt.Fprintf(&record, "%s,sha256=%s,%d\n", m.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(m.content))
		}
		record.WriteString(c.Root + "/RECORD,,\n")
		ms = append(ms, member{c.Root + "/RECORD", record.String()})
	}
	if c.Archive == "latin1" {
		for i := range ms {
			ms[i].content = toLatin1(ms[i].content)
		}
	}
	return ms
}

// toLatin1 encodes s, whose characters must be Latin-1, as Latin-1.
func toLatin1(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	return string(b)
}

// build returns the bytes of the case's file.
func (c *Case) build() ([]byte, error) {
	ms := c.members()
	switch {
	case c.Archive == "garbage":
		return []byte("this is not an archive\n"), nil
	case c.Kind == "wheel" || c.Archive == "zip":
		return buildZip(ms, c.Archive)
	default:
		return buildTarGz(ms)
	}
}

// buildZip writes ms as a ZIP archive: stored with sizes up front, as
// PyPI wants; "descriptor" deflates with data descriptors (Go's default)
// and "bzip2" labels the members bzip2-compressed.
func buildZip(ms []member, archive string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range ms {
		var (
			w   interface{ Write([]byte) (int, error) }
			err error
		)
		switch archive {
		case "descriptor":
			w, err = zw.Create(m.name)
		default:
			method := zip.Store
			if archive == "bzip2" {
				method = 12
			}
			w, err = zw.CreateRaw(&zip.FileHeader{Name: m.name, Method: method, CRC32: crc32.ChecksumIEEE([]byte(m.content)),
				CompressedSize64: uint64(len(m.content)), UncompressedSize64: uint64(len(m.content))})
		}
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(m.content)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// buildTarGz writes ms as a gzip-compressed tar archive.
func buildTarGz(ms []member) ([]byte, error) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, m := range ms {
		if err := tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.content)), Typeflag: tar.TypeReg}); err != nil {
			return nil, err
		}
		if _, err := tw.Write([]byte(m.content)); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
