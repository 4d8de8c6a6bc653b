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
	"io"
	"slices"
	"strings"
	"time"
)

// A Dist describes a distribution to publish in a test: a small wheel or
// sdist that PyPI accepts as it is or, with members replaced or left out,
// one that it refuses. [Dist.Build] makes it in memory; [Dist.WriteTo]
// streams it, so that a member of gigabytes is never held in memory.
//
// A wheel holds <Name>/__init__.py, then <Name>-<Version>.dist-info/
// METADATA and WHEEL, then Members, then RECORD, which lists them all with
// their sha256 and size. An sdist holds <Name>-<Version>/PKG-INFO and
// pyproject.toml, then Members. Members are stored with their sizes and
// CRC up front (PyPI refuses ZIP data descriptors) and dated alike, so
// that the same Dist always gives the same bytes.
type Dist struct {
	// Name and Version name the project as file names write it, e.g.
	// "my_pkg" and "1.0".
	Name, Version string
	// Sdist makes a gzipped tar sdist instead of a wheel.
	Sdist bool
	// Tag is a wheel's python-abi-platform tag; "" means "py3-none-any".
	Tag string
	// Metadata are header lines ("Requires-Python: >=3.9") of the core
	// metadata (METADATA, PKG-INFO). A line for Metadata-Version, Name,
	// Version or Summary replaces the default one (2.1, Name, Version, "A
	// test package"); others follow them in order.
	Metadata []string
	// Description is the core metadata's body.
	Description string
	// Members are more files; one with the path of a default member
	// replaces it.
	Members []Member
	// Omit leaves out default members, by base name ("METADATA", "WHEEL",
	// "RECORD", "__init__.py", "PKG-INFO", "pyproject.toml").
	Omit []string
}

// A Member is a file of a [Dist].
type Member struct {
	// Name is the member's path in the archive.
	Name string
	// Content is the member's bytes, unless Open is set.
	Content string
	// Open, if set, returns a new reader at each call, of which the
	// member is the first Size bytes: [Dist.WriteTo] reads a large member
	// twice (for its checksums, then into the archive) instead of holding
	// it.
	Open func() io.Reader
	Size int64
}

// modTime dates every member.
var modTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Filename returns the distribution's file name.
func (d Dist) Filename() string {
	if d.Sdist {
		return d.Name + "-" + d.Version + ".tar.gz"
	}
	return d.Name + "-" + d.Version + "-" + d.tag() + ".whl"
}

// Build returns the distribution's file name and bytes. It panics if a
// Member's Open gives fewer than Size bytes.
func (d Dist) Build() (filename string, content []byte) {
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		panic("pypitest: " + err.Error())
	}
	return d.Filename(), buf.Bytes()
}

// WriteTo writes the distribution to w.
func (d Dist) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	var err error
	if d.Sdist {
		err = d.writeSdist(cw)
	} else {
		err = d.writeWheel(cw)
	}
	return cw.n, err
}

func (d Dist) tag() string {
	if d.Tag == "" {
		return "py3-none-any"
	}
	return d.Tag
}

// metadata returns the core metadata file.
func (d Dist) metadata() string {
	headers := [][2]string{{"Metadata-Version", "2.1"}, {"Name", d.Name}, {"Version", d.Version}, {"Summary", "A test package"}}
	var extra strings.Builder
	for _, line := range d.Metadata {
		field, value, _ := strings.Cut(line, ": ")
		i := slices.IndexFunc(headers, func(h [2]string) bool { return h[0] == field })
		if i < 0 {
			extra.WriteString(line + "\n")
			continue
		}
		headers[i][1] = value
	}
	var b strings.Builder
	for _, h := range headers {
		b.WriteString(h[0] + ": " + h[1] + "\n")
	}
	b.WriteString(extra.String())
	if d.Description != "" {
		b.WriteString("\n" + d.Description)
	}
	return b.String()
}

// members returns the default members less those omitted or replaced,
// then Members.
func (d Dist) members(defaults []Member) []Member {
	ms := slices.DeleteFunc(defaults, func(m Member) bool {
		base := m.Name[strings.LastIndexByte(m.Name, '/')+1:]
		return slices.Contains(d.Omit, base) || slices.ContainsFunc(d.Members, func(o Member) bool { return o.Name == m.Name })
	})
	return append(ms, d.Members...)
}

func (d Dist) writeWheel(w io.Writer) error {
	info := d.Name + "-" + d.Version + ".dist-info/"
	ms := d.members([]Member{
		{Name: d.Name + "/__init__.py", Content: "__version__ = \"" + d.Version + "\"\n"},
		{Name: info + "METADATA", Content: d.metadata()},
		{Name: info + "WHEEL", Content: fmt.Sprintf("Wheel-Version: 1.0\nGenerator: pypitest\nRoot-Is-Purelib: %t\nTag: %s\n",
			strings.HasSuffix(d.tag(), "-none-any"), d.tag())},
	})
	zw := zip.NewWriter(w)
	var record strings.Builder
	ownRecord := slices.Contains(d.Omit, "RECORD") || slices.ContainsFunc(ms, func(m Member) bool { return m.Name == info+"RECORD" })
	for _, m := range ms {
		sum, err := addZip(zw, m)
		if err != nil {
			return err
		}
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", m.Name, base64.RawURLEncoding.EncodeToString(sum), m.size())
	}
	if !ownRecord {
		record.WriteString(info + "RECORD,,\n")
		if _, err := addZip(zw, Member{Name: info + "RECORD", Content: record.String()}); err != nil {
			return err
		}
	}
	return zw.Close()
}

// addZip stores m with its sizes and CRC in its local header, and
// returns its sha256.
func addZip(zw *zip.Writer, m Member) ([]byte, error) {
	crc, sum := crc32.NewIEEE(), sha256.New()
	if err := m.copy(io.MultiWriter(crc, sum)); err != nil {
		return nil, err
	}
	size := uint64(m.size())
	w, err := zw.CreateRaw(&zip.FileHeader{Name: m.Name, Method: zip.Store, Modified: modTime,
		CRC32: crc.Sum32(), CompressedSize64: size, UncompressedSize64: size})
	if err == nil {
		err = m.copy(w)
	}
	return sum.Sum(nil), err
}

func (d Dist) writeSdist(w io.Writer) error {
	top := d.Name + "-" + d.Version + "/"
	ms := d.members([]Member{
		{Name: top + "PKG-INFO", Content: d.metadata()},
		{Name: top + "pyproject.toml", Content: "[build-system]\nrequires = [\"flit_core>=3.9\"]\nbuild-backend = \"flit_core.buildapi\"\n\n" +
			"[project]\nname = \"" + d.Name + "\"\nversion = \"" + d.Version + "\"\n"},
	})
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for _, m := range ms {
		hdr := &tar.Header{Name: m.Name, Mode: 0o644, Size: m.size(), ModTime: modTime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if err := m.copy(tw); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func (m Member) size() int64 {
	if m.Open != nil {
		return m.Size
	}
	return int64(len(m.Content))
}

// copy writes the member's bytes to w.
func (m Member) copy(w io.Writer) error {
	if m.Open == nil {
		_, err := io.WriteString(w, m.Content)
		return err
	}
	_, err := io.CopyN(w, m.Open(), m.Size)
	return err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
