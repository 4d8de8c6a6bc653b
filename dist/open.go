package dist

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"unsafe"
)

// Open opens the wheel or sdist at path. It reads the archive's
// directory, checks its structure and parses its core metadata, reading
// only what that needs: a wheel's end records, central directory, local
// headers and METADATA member, whatever its size; an sdist's whole gzip
// stream, which it hashes on the way (sha256 and blake2b-256, each in its
// own goroutine), so that [Distribution.Digests] costs nothing later. A
// wheel's digests are computed when first asked for, or while it is
// uploaded ([Distribution.HashingReader]).
//
// A file the name of which does not parse, an archive that no installer
// could trust (see [Distribution.Check] for the rules) or one without core
// metadata gives a *ValidationError, whose problems name the file, the
// rule and, where PyPI has words for it, PyPI's message. Other errors are
// I/O errors naming the path.
//
// Only a regular file (or a symbolic link to one) is read: a FIFO, a
// device, a socket or a directory is refused with an error naming the
// path, before anything could wait on it.
func Open(path string) (*Distribution, error) {
	f, size, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return open(path, whole(f, size), size)
}

// smallFile is the size up to which a file's archive is read whole, in
// one system call, rather than a record at a time: the end records, the
// central directory, then each member's header and data took a small
// wheel's Open and checks a score of reads.
const smallFile = 64 << 10

// whole returns ra's size bytes in memory if they are few, else ra. A
// read that fails leaves ra, whose own reads then report the failure.
func whole(ra io.ReaderAt, size int64) io.ReaderAt {
	if size > smallFile {
		return ra
	}
	buf := make([]byte, size)
	if n, _ := ra.ReadAt(buf, 0); n < len(buf) {
		return ra
	}
	return bytes.NewReader(buf)
}

// openRegular opens path for reading if it is a regular file, and returns
// it with its size. It checks the type before opening (os.Stat follows
// symbolic links), opens without blocking (O_NONBLOCK: a FIFO swapped in
// meanwhile cannot make open wait for a writer) and checks the opened
// file's type again, so what is read is what was checked.
func openRegular(path string) (*os.File, int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, 0, fmt.Errorf("dist: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, notRegular(path, fi.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("dist: %w", err)
	}
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, 0, fmt.Errorf("dist: %w", err)
		}
		return nil, 0, notRegular(path, fi.Mode())
	}
	return f, fi.Size(), nil
}

// notRegular is the error for a path that is not a regular file.
func notRegular(path string, mode fs.FileMode) error {
	kind := "not a regular file"
	switch {
	case mode.IsDir():
		kind = "a directory, not a regular file"
	case mode&fs.ModeNamedPipe != 0:
		kind = "a FIFO, not a regular file"
	case mode&fs.ModeSocket != 0:
		kind = "a socket, not a regular file"
	case mode&fs.ModeDevice != 0:
		kind = "a device, not a regular file"
	}
	return fmt.Errorf("dist: %s: %s", path, kind)
}

// OpenReaderAt is [Open] for content that is not a file on disk: name is
// the distribution's file name (its base name is parsed), r its bytes and
// size their length. The Distribution keeps r, so that
// [Distribution.Reader] and [Distribution.Check] can read it again.
func OpenReaderAt(name string, r io.ReaderAt, size int64) (*Distribution, error) {
	d, err := open(name, r, size)
	if err != nil {
		return nil, err
	}
	d.ra = r
	return d, nil
}

// ReadMetadata returns the core metadata of the distribution at path and
// its raw bytes, reading as little as it can: for a wheel the ZIP end
// records, the central directory and the one METADATA member, whatever the
// size of the file; for an sdist the gzip stream up to PKG-INFO. It
// computes no digests and checks only what it reads; use [Open] before
// uploading. The raw bytes are read-only: the Metadata's strings share
// their memory.
func ReadMetadata(path string) (*Metadata, []byte, error) {
	f, size, err := openRegular(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	file := filepath.Base(path)
	fn, err := ParseFilename(file)
	if err != nil {
		return nil, nil, filenameError(file, err)
	}
	var (
		raw []byte
		is  issues
	)
	if fn.Ext == ".tar.gz" {
		var c *sdistContents
		if c, is = readTarGz(f, size, false); c != nil {
			raw = c.pkgInfo
		}
	} else {
		raw, _, is = zipMetadata(f, size, file, fn, false)
	}
	if is.fatal() {
		return nil, nil, issuesError(file, is)
	}
	m, err := parseMetadataBytes(file, raw)
	if err != nil {
		return nil, nil, err
	}
	return m, raw, nil
}

// open checks the content and parses its metadata. An sdist's every
// byte is read to walk the tar stream, and hashed in that same read; a
// wheel is read only where its directory points.
func open(name string, ra io.ReaderAt, size int64) (*Distribution, error) {
	file := filepath.Base(name)
	fn, err := ParseFilename(file)
	if err != nil {
		return nil, filenameError(file, err)
	}
	d := &Distribution{Path: name, Filename: fn, Size: size, cache: &digestCache{}}
	var (
		raw []byte
		is  issues
	)
	if fn.Ext == ".tar.gz" {
		h := newHashers(Digests{}.missing(false))
		c, tis, n, err := hashAndReadTar(io.NewSectionReader(ra, 0, size), size, h)
		if err != nil {
			return nil, fmt.Errorf("dist: reading %s: %w", name, err)
		}
		if n != size {
			return nil, changedSize(name, n, size)
		}
		if c != nil {
			raw, d.Members = c.pkgInfo, c.names
		}
		is = tis
		h.sumInto(&d.cache.d)
	} else {
		raw, d.Members, is = zipMetadata(ra, size, file, fn, true)
	}
	if is.fatal() {
		return nil, issuesError(file, is)
	}
	if d.Metadata, err = parseMetadataBytes(file, raw); err != nil {
		return nil, err
	}
	d.MetadataBytes = raw
	d.MetadataDigests = digestBytes(raw)
	return d, nil
}

// hashAndReadTar feeds the content to the hashers and, through a pipe, to
// the tar reader: one read serves both. When the reader is done (at the
// end of the tar stream) the rest is drained so hashing goes on to the
// last byte, whatever follows the tar end marker.
func hashAndReadTar(content io.Reader, size int64, h *hashers) (*sdistContents, issues, int64, error) {
	pr, pw := io.Pipe()
	type result struct {
		c  *sdistContents
		is issues
	}
	done := make(chan result, 1)
	go func() {
		c, is := readTarGz(pr, size, true)
		io.Copy(io.Discard, pr)
		done <- result{c, is}
	}()
	consumers := append(h.consumers(), func(b []byte) { pw.Write(b) })
	n, err := fanOut(content, size, consumers...)
	pw.Close()
	res := <-done
	return res.c, res.is, n, err
}

// zipMetadata reads the directory of a wheel or a legacy .zip sdist and
// its core metadata member.
func zipMetadata(ra io.ReaderAt, size int64, file string, fn *Filename, walk bool) ([]byte, []string, issues) {
	z, is := readZip(ra, size, walk)
	if z == nil {
		return nil, nil, is
	}
	if fn.Kind == Sdist {
		raw, sis := zipSdistMetadata(z)
		return raw, z.names(), append(is, sis...)
	}
	_, raw, p := findWheelMetadata(z, file, fn)
	if p != nil {
		is.add(p.Rule, p.Message, false)
	}
	return raw, z.names(), is
}

// parseMetadataBytes parses a core metadata member; the error is for bytes
// that cannot be read as a metadata file at all.
// The Metadata's strings share raw's memory: raw is never written to.
func parseMetadataBytes(file string, raw []byte) (*Metadata, error) {
	m, err := parseMetadata(raw, func(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) })
	if err != nil {
		return nil, &ValidationError{File: file, Problems: []*Problem{{
			File: file, Field: "metadata", Rule: RuleMetadataUnreadable, Message: err.Error(),
		}}}
	}
	return m, nil
}

// filenameError turns a ParseFilename error into a *ValidationError.
func filenameError(file string, err error) error {
	p := &Problem{File: file, Field: "filename", Rule: "filename", Message: err.Error()}
	var fe *FilenameError
	if errors.As(err, &fe) {
		p.Rule = "filename-" + fe.Rule // RuleFilenameCharacters ... RuleFilenameTags
		if msg := fe.PyPIMessage(); msg != "" {
			p.Message = msg
		}
	}
	return &ValidationError{File: file, Problems: []*Problem{p}}
}

// issuesError returns the fatal archive issues as a *ValidationError.
func issuesError(file string, is issues) error {
	e := &ValidationError{File: file}
	for _, i := range is {
		if !i.pypiOnly {
			e.Problems = append(e.Problems, &Problem{File: file, Field: "archive", Rule: i.rule, Message: i.msg})
		}
	}
	return e
}

// Reader returns the distribution's bytes again, from the start: the file
// at Path re-opened, or the ReaderAt given to OpenReaderAt. It fails if
// the content no longer has the size it had when opened.
func (d *Distribution) Reader() (io.ReadCloser, error) {
	ra, closeFn, err := d.content()
	if err != nil {
		return nil, err
	}
	return readCloser{io.NewSectionReader(ra, 0, d.Size), closeFn}, nil
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// content returns the distribution's bytes as a ReaderAt of size d.Size
// and the function that releases it.
func (d *Distribution) content() (io.ReaderAt, func() error, error) {
	if d.ra != nil {
		// A ReaderAt has no size: probe its last byte and one past it.
		var b [1]byte
		n, err := d.ra.ReadAt(b[:], d.Size)
		if n != 0 || err != io.EOF || (d.Size > 0 && !readsAt(d.ra, d.Size-1)) {
			return nil, nil, fmt.Errorf("dist: %s: the content is no longer %d bytes long", d.Path, d.Size)
		}
		return d.ra, func() error { return nil }, nil
	}
	f, size, err := openRegular(d.Path)
	if err != nil {
		return nil, nil, err
	}
	if size != d.Size {
		f.Close()
		return nil, nil, fmt.Errorf("dist: %s: the file is now %d bytes long, it was %d when opened", d.Path, size, d.Size)
	}
	return f, f.Close, nil
}

func readsAt(ra io.ReaderAt, off int64) bool {
	var b [1]byte
	n, _ := ra.ReadAt(b[:], off)
	return n == 1
}
