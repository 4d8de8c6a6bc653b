package pypitest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"strings"
)

// NewWheel returns the file name and bytes of a small pure-Python wheel
// of name and version (name as a file name writes it, e.g. "my_pkg") that
// PyPI, and so the Server, accepts. Each of metadata is added as a line
// of its METADATA headers (Metadata-Version 2.1, Name, Version and
// Summary are already there), e.g. "Requires-Python: >=3.9".
func NewWheel(name, version string, metadata ...string) (filename string, content []byte) {
	dir := fmt.Sprintf("%s-%s.dist-info", name, version)
	files := [][2]string{
		{name + "/__init__.py", "VERSION = '" + version + "'\n"},
		{dir + "/METADATA", newMetadata(name, version, metadata)},
		{dir + "/WHEEL", "Wheel-Version: 1.0\nGenerator: pypitest\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	}
	var record strings.Builder
	for _, f := range files {
		sum := sha256.Sum256([]byte(f[1]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f[0], base64.RawURLEncoding.EncodeToString(sum[:]), len(f[1]))
	}
	record.WriteString(dir + "/RECORD,,\n")
	files = append(files, [2]string{dir + "/RECORD", record.String()})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		// stored with sizes up front: PyPI refuses data descriptors
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f[0], Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(f[1])),
			CompressedSize64: uint64(len(f[1])), UncompressedSize64: uint64(len(f[1]))})
		if err != nil {
			panic("pypitest: " + err.Error())
		}
		w.Write([]byte(f[1]))
	}
	if err := zw.Close(); err != nil {
		panic("pypitest: " + err.Error())
	}
	return fmt.Sprintf("%s-%s-py3-none-any.whl", name, version), buf.Bytes()
}

// NewSdist returns the file name and bytes of a small sdist (.tar.gz)
// of name and version that PyPI accepts; metadata is as for NewWheel.
func NewSdist(name, version string, metadata ...string) (filename string, content []byte) {
	top := name + "-" + version
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range [][2]string{
		{top + "/PKG-INFO", newMetadata(name, version, metadata)},
		{top + "/pyproject.toml", "[project]\nname = '" + name + "'\n"},
	} {
		tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), Typeflag: tar.TypeReg})
		tw.Write([]byte(f[1]))
	}
	if err := tw.Close(); err != nil {
		panic("pypitest: " + err.Error())
	}
	gz.Close()
	return top + ".tar.gz", buf.Bytes()
}

func newMetadata(name, version string, extra []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: A test package\n", name, version)
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	return b.String()
}
