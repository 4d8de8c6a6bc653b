package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"strconv"
)

// tfile is one member of a generated tar archive.
type tfile struct {
	name     string
	data     []byte
	typeflag byte // 0 means a regular file
	linkname string
	gnuSpars bool // rewrite the header's type to GNU sparse ('S')
	paxRaw   bool // rewrite the header's type to a pax extended header ('x')
}

// buildTar writes a pax-format tar stream.
func buildTar(files []tfile) []byte {
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), Typeflag: f.typeflag,
			Linkname: f.linkname, Format: tar.FormatPAX}
		switch f.typeflag {
		case 0:
			h.Typeflag = tar.TypeReg
		case tar.TypeDir, tar.TypeSymlink, tar.TypeLink, tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
			h.Size = 0
			if f.typeflag == tar.TypeDir {
				h.Mode = 0o755
			}
		}
		if f.gnuSpars {
			h.Format = tar.FormatGNU
		}
		start := b.Len()
		if err := w.WriteHeader(h); err != nil {
			panic(fmt.Sprintf("%s: %v", f.name, err))
		}
		switch {
		case f.gnuSpars:
			setType(b.Bytes()[start:start+512], 'S')
		case f.paxRaw:
			setType(b.Bytes()[start:start+512], 'x')
		}
		w.Write(f.data)
		w.Flush()
	}
	w.Close()
	return b.Bytes()
}

// setType rewrites the type of a header block and fixes its checksum:
// archive/tar writes neither sparse files nor GNU.sparse pax records.
func setType(h []byte, typeflag byte) {
	h[156] = typeflag
	copy(h[148:156], "        ")
	sum := 0
	for _, c := range h {
		sum += int(c)
	}
	copy(h[148:156], fmt.Sprintf("%06s\x00 ", strconv.FormatInt(int64(sum), 8)))
}

// gz compresses b as one gzip member.
func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// paxRecords encodes pax extended header records ("%d key=value\n").
func paxRecords(kv ...string) []byte {
	var b bytes.Buffer
	for i := 0; i+1 < len(kv); i += 2 {
		rec := " " + kv[i] + "=" + kv[i+1] + "\n"
		n := len(rec)
		for n != len(rec)+len(strconv.Itoa(n)) {
			n = len(rec) + len(strconv.Itoa(n))
		}
		fmt.Fprintf(&b, "%d%s", n, rec)
	}
	return b.Bytes()
}
