package warehousecases

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"io"
	"slices"
	"strings"

	"github.com/trustpub/pypi/pypitest"
)

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

// dist describes the case's file for pypitest's builder: the defaults of
// its kind less those omitted, the case's metadata, then the case's own
// files by name. Under the "latin1" archive they are encoded as Latin-1.
func (c *Case) dist() pypitest.Dist {
	name, version, _ := strings.Cut(strings.TrimSuffix(c.Root, ".dist-info"), "-")
	d := pypitest.Dist{Name: name, Version: version, Sdist: c.Kind == "sdist", Omit: c.Omit}
	metadata := "METADATA"
	if d.Sdist {
		metadata = "PKG-INFO"
	}
	files := map[string]string{}
	if !slices.Contains(c.Omit, metadata) {
		files[c.Root+"/"+metadata] = c.metadataText()
	}
	for path, content := range c.Files {
		files[path] = content
	}
	paths := make([]string, 0, len(files))
	for path := range files {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	for _, path := range paths {
		content := files[path]
		if c.Archive == "latin1" {
			content = toLatin1(content)
		}
		d.Members = append(d.Members, pypitest.Member{Name: path, Content: content})
	}
	return d
}

// toLatin1 encodes s, whose characters must be Latin-1, as Latin-1.
func toLatin1(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	return string(b)
}

// build returns the bytes of the case's file. The archives PyPI refuses
// for their format are rewritten from the builder's: "zip" stores an
// sdist's members in a ZIP, "descriptor" deflates a wheel's with data
// descriptors (Go's default), "bzip2" labels them bzip2-compressed.
func (c *Case) build() ([]byte, error) {
	if c.Archive == "garbage" {
		return []byte("this is not an archive\n"), nil
	}
	_, content := c.dist().Build()
	switch c.Archive {
	case "zip", "descriptor", "bzip2":
		return rezip(content, c.Kind == "sdist", c.Archive)
	}
	return content, nil
}

// rezip writes the members of a built wheel, or sdist, as a ZIP archive
// in the given broken form.
func rezip(built []byte, sdist bool, archive string) ([]byte, error) {
	type member struct{ name, content string }
	var ms []member
	if sdist {
		gz, err := gzip.NewReader(bytes.NewReader(built))
		if err != nil {
			return nil, err
		}
		for tr := tar.NewReader(gz); ; {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			b, err := io.ReadAll(tr)
			if err != nil {
				return nil, err
			}
			ms = append(ms, member{h.Name, string(b)})
		}
	} else {
		zr, err := zip.NewReader(bytes.NewReader(built), int64(len(built)))
		if err != nil {
			return nil, err
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, err
			}
			ms = append(ms, member{f.Name, string(b)})
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range ms {
		var (
			w   io.Writer
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
		if err == nil {
			_, err = io.WriteString(w, m.content)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
