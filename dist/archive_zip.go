package dist

import (
	"cmp"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"math/bits"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// ZIP record signatures (APPNOTE.TXT 4.3).
const (
	sigLocal      = 0x04034b50
	sigCentral    = 0x02014b50
	sigEOCD       = 0x06054b50
	sigEOCD64     = 0x06064b50
	sigLocator    = 0x07064b50
	sigDescriptor = 0x08074b50
)

// ZIP compression methods pip or uv can read; PyPI takes only the first two.
const (
	methodStored  = 0
	methodDeflate = 8
	methodBzip2   = 12
	methodLZMA    = 14
	methodZstd    = 93
)

const (
	// maxMemberRead caps what one member read for checking (METADATA,
	// WHEEL, RECORD, PKG-INFO) may inflate to.
	maxMemberRead = 64 << 20
	// Warehouse's zip-bomb rule: more than ratioMinSize bytes inflated and
	// more than ratioMax times the archive size.
	ratioMinSize = 64 << 20
	ratioMax     = 50

	// maxMembers caps the members of an archive, ZIP or tar. The largest
	// projects on PyPI ship tens of thousands of files in one archive;
	// past this many, the directory alone would cost more memory than
	// checking is allowed.
	maxMembers = 1 << 17
	// maxMemberName caps the length of one member name: Linux's PATH_MAX,
	// so no installer could extract a longer one there. (Neither Python's
	// tarfile and zipfile nor Warehouse have a limit.)
	maxMemberName = 4096
	// maxNameBytes caps the total length of an archive's member names,
	// which are kept: maxMembers names of 128 bytes.
	maxNameBytes = 16 << 20
	// maxCentralDir caps a ZIP central directory, which is read whole:
	// room for maxMembers records with their names and usual extras.
	maxCentralDir = 32 << 20
)

// tooManyMembers, nameTooLong and namesTooLong are the messages of the
// caps on names and members.
func tooManyMembers() string {
	return fmt.Sprintf("the archive has more than %d members, the limit for checking it", maxMembers)
}

func nameTooLong[T string | []byte](name T) string {
	return fmt.Sprintf("member name %s... is %d bytes long; the limit is %d (PATH_MAX), as no installer could extract it", pyfmt.Repr(string(name[:64])), len(name), maxMemberName)
}

func namesTooLong() string {
	return fmt.Sprintf("the archive's member names total more than %d MiB, the limit for checking it", maxNameBytes>>20)
}

// satAdd returns a+b, or the largest uint64 if that overflows.
func satAdd(a, b uint64) uint64 {
	if s, carry := bits.Add64(a, b, 0); carry == 0 {
		return s
	}
	return math.MaxUint64
}

// exceedsRatio applies Warehouse's zip-bomb rule: more than ratioMinSize
// bytes inflated and a ratio of inflated to file size above ratioMax
// (inflated > ratioMax*size, computed without overflow).
func exceedsRatio(inflated uint64, size int64) bool {
	hi, lo := bits.Mul64(ratioMax, uint64(max(size, 1)))
	return inflated > ratioMinSize && hi == 0 && inflated > lo
}

// zipEntry is one central-directory record.
type zipEntry struct {
	name     string
	flags    uint16
	method   uint16
	crc      uint32
	csize    uint64
	usize    uint64
	offset   uint64 // of the local header
	mode     uint32 // Unix mode from the external attributes, 0 if none
	dataAt   int64  // where the member's data starts (after the local header)
	zip64loc bool   // the local header has a ZIP64 extra (8-byte descriptor sizes)
}

func (e *zipEntry) isDir() bool     { return strings.HasSuffix(e.name, "/") }
func (e *zipEntry) isSymlink() bool { return e.mode&0o170000 == 0o120000 }

// zipArchive is a ZIP file's directory, cross-checked against its local
// headers.
type zipArchive struct {
	ra      io.ReaderAt
	size    int64
	entries []*zipEntry
	byName  map[string]*zipEntry
}

// archiveIssue is a finding about an archive's structure. Issues that are
// not pypiOnly make the archive unusable for any installer, so Open fails
// on them; pypiOnly ones are errors for PyPI and warnings otherwise.
type archiveIssue struct {
	rule     string
	msg      string
	pypiOnly bool
}

func invalidDist(format string, args ...any) string {
	return "Invalid distribution file. " + fmt.Sprintf(format, args...)
}

// zipRejected words a framing problem as Warehouse's ZIP validator does.
func zipRejected(reason string) string {
	return invalidDist("ZIP archive not accepted: %s. See https://docs.pypi.org/archives for more information", reason)
}

// issues collects archive issues; fatal reports whether an issue that is
// not pypiOnly was found.
type issues []archiveIssue

func (is *issues) add(rule, msg string, pypiOnly bool) {
	*is = append(*is, archiveIssue{rule: rule, msg: msg, pypiOnly: pypiOnly})
}

func (is issues) fatal() bool {
	for _, i := range is {
		if !i.pypiOnly {
			return true
		}
	}
	return false
}

// readZip reads the directory of the ZIP archive in ra and checks its
// framing: the end records, every central-directory record and, with
// walk, every local header, walked in file order as a streaming reader
// would see them (only headers are read, never member data). It returns
// nil only with a fatal issue.
func readZip(ra io.ReaderAt, size int64, walk bool) (*zipArchive, issues) {
	var is issues
	z := &zipArchive{ra: ra, size: size, byName: map[string]*zipEntry{}}
	eocdAt, eocd, err := findEOCD(ra, size)
	if err != nil {
		is.add(RuleZipNotZip, invalidDist("File is not a zipfile"), false)
		return nil, is
	}
	commentLen := int64(binary.LittleEndian.Uint16(eocd[20:]))
	if end := eocdAt + 22 + commentLen; end != size {
		is.add(RuleZipTrailingData, zipRejected("Trailing data"), false)
	}
	disk, cdDisk := binary.LittleEndian.Uint16(eocd[4:]), binary.LittleEndian.Uint16(eocd[6:])
	onDisk, records := uint64(binary.LittleEndian.Uint16(eocd[8:])), uint64(binary.LittleEndian.Uint16(eocd[10:]))
	cdSize, cdOffset := uint64(binary.LittleEndian.Uint32(eocd[12:])), uint64(binary.LittleEndian.Uint32(eocd[16:]))
	cdEnd := eocdAt // where the central directory must end
	if disk != 0 || cdDisk != 0 || onDisk != records {
		is.add(RuleZipMalformed, zipRejected("Malformed zip file"), false)
		return nil, is
	}
	if onDisk == 0xffff || records == 0xffff || cdSize == 0xffffffff || cdOffset == 0xffffffff || hasLocator(ra, eocdAt) {
		var ok bool
		records, cdSize, cdOffset, cdEnd, ok = readEOCD64(ra, eocdAt, &is)
		if !ok {
			return nil, is
		}
	}
	if cdOffset > uint64(cdEnd) || cdSize != uint64(cdEnd)-cdOffset {
		// Bytes before the first record, or between records, are what
		// archive/zip and zipfile silently skip and a streaming reader
		// does not.
		is.add(RuleZipUnknownRecord, zipRejected("Unknown record signature"), false)
		return nil, is
	}
	if cdSize > maxCentralDir {
		is.add(RuleArchiveLimit, fmt.Sprintf("the central directory is larger than %d MiB, the limit for checking it", maxCentralDir>>20), false)
		return nil, is
	}
	cd := make([]byte, cdSize)
	if _, err := ra.ReadAt(cd, int64(cdOffset)); err != nil {
		is.add(RuleZipMalformed, zipRejected("Malformed zip file"), false)
		return nil, is
	}
	var nameBytes int
	for len(cd) > 0 {
		if len(z.entries) == maxMembers {
			is.add(RuleArchiveLimit, tooManyMembers(), false)
			return nil, is
		}
		e, rest, ok := parseCentral(cd, &is)
		if !ok {
			return nil, is
		}
		cd = rest
		if _, dup := z.byName[e.name]; dup {
			is.add(RuleZipDuplicateName, zipRejected("Duplicate filename in central directory"), false)
			return nil, is
		}
		if nameBytes += len(e.name); nameBytes > maxNameBytes {
			is.add(RuleArchiveLimit, namesTooLong(), false)
			return nil, is
		}
		z.byName[e.name] = e
		z.entries = append(z.entries, e)
	}
	if uint64(len(z.entries)) != records {
		is.add(RuleZipRecordCount, zipRejected("Mismatched central directory records"), false)
		return nil, is
	}
	if walk && !z.walkLocal(cdOffset, &is) {
		return nil, is
	}
	z.checkEntries(&is)
	if is.fatal() {
		return nil, is
	}
	return z, is
}

// findEOCD returns the offset and the 22 fixed bytes of the last end of
// central directory record whose comment fits in the file.
func findEOCD(ra io.ReaderAt, size int64) (int64, []byte, error) {
	const maxTail = 22 + 0xffff
	tail := min(size, maxTail)
	buf := make([]byte, tail)
	if _, err := ra.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, nil, err
	}
	for i := len(buf) - 22; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) != sigEOCD {
			continue
		}
		n := int(binary.LittleEndian.Uint16(buf[i+20:]))
		if i+22+n <= len(buf) {
			return size - tail + int64(i), buf[i : i+22], nil
		}
	}
	return 0, nil, io.ErrUnexpectedEOF
}

// hasLocator reports whether a ZIP64 locator precedes the EOCD record.
func hasLocator(ra io.ReaderAt, eocdAt int64) bool {
	if eocdAt < 20 {
		return false
	}
	var b [4]byte
	_, err := ra.ReadAt(b[:], eocdAt-20)
	return err == nil && binary.LittleEndian.Uint32(b[:]) == sigLocator
}

// readEOCD64 reads the ZIP64 locator and end record before eocdAt.
func readEOCD64(ra io.ReaderAt, eocdAt int64, is *issues) (records, cdSize, cdOffset uint64, cdEnd int64, ok bool) {
	malformed := func() (uint64, uint64, uint64, int64, bool) {
		is.add(RuleZipMalformed, zipRejected("Malformed zip file"), false)
		return 0, 0, 0, 0, false
	}
	if eocdAt < 20+56 {
		return malformed()
	}
	loc := make([]byte, 20)
	if _, err := ra.ReadAt(loc, eocdAt-20); err != nil || binary.LittleEndian.Uint32(loc) != sigLocator {
		return malformed()
	}
	at := binary.LittleEndian.Uint64(loc[8:])
	if at != uint64(eocdAt-20-56) {
		// Extensible data or junk between the ZIP64 end record and
		// its locator.
		is.add(RuleZip64Extensible, zipRejected("ZIP64 extensible data not allowed"), false)
		return 0, 0, 0, 0, false
	}
	rec := make([]byte, 56)
	if _, err := ra.ReadAt(rec, int64(at)); err != nil || binary.LittleEndian.Uint32(rec) != sigEOCD64 {
		return malformed()
	}
	if binary.LittleEndian.Uint64(rec[4:]) != 44 {
		is.add(RuleZip64Extensible, zipRejected("ZIP64 extensible data not allowed"), false)
		return 0, 0, 0, 0, false
	}
	onDisk, records := binary.LittleEndian.Uint64(rec[24:]), binary.LittleEndian.Uint64(rec[32:])
	if onDisk != records || binary.LittleEndian.Uint32(rec[16:]) != 0 || binary.LittleEndian.Uint32(rec[20:]) != 0 {
		return malformed()
	}
	return records, binary.LittleEndian.Uint64(rec[40:]), binary.LittleEndian.Uint64(rec[48:]), int64(at), true
}

// parseCentral parses the central-directory record at the start of cd.
func parseCentral(cd []byte, is *issues) (*zipEntry, []byte, bool) {
	if len(cd) < 46 || binary.LittleEndian.Uint32(cd) != sigCentral {
		is.add(RuleZipMalformed, zipRejected("Malformed zip file"), false)
		return nil, nil, false
	}
	le := binary.LittleEndian
	e := &zipEntry{
		flags:  le.Uint16(cd[8:]),
		method: le.Uint16(cd[10:]),
		crc:    le.Uint32(cd[16:]),
		csize:  uint64(le.Uint32(cd[20:])),
		usize:  uint64(le.Uint32(cd[24:])),
		offset: uint64(le.Uint32(cd[42:])),
	}
	if le.Uint16(cd[4:])>>8 == 3 { // made by Unix: mode in the high half
		e.mode = le.Uint32(cd[38:]) >> 16
	}
	n, x, c := int(le.Uint16(cd[28:])), int(le.Uint16(cd[30:])), int(le.Uint16(cd[32:]))
	if len(cd) < 46+n+x+c || le.Uint16(cd[34:]) != 0 {
		is.add(RuleZipMalformed, zipRejected("Malformed zip file"), false)
		return nil, nil, false
	}
	name, extra := cd[46:46+n], cd[46+n:46+n+x]
	if c != 0 {
		is.add(RuleZipCDComment, zipRejected("Comment in central directory"), true)
	}
	if !checkName(name, is) {
		return nil, nil, false
	}
	e.name = string(name)
	if !applyZip64(extra, e, is) {
		return nil, nil, false
	}
	return e, cd[46+n+x+c:], true
}

// checkName applies Warehouse's and uv's rules for member names, and the
// length cap.
func checkName(name []byte, is *issues) bool {
	if len(name) > maxMemberName {
		is.add(RuleArchiveLimit, nameTooLong(name), false)
		return false
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f {
			is.add(RuleZipNameCharacter, zipRejected("Invalid character in filename"), false)
			return false
		}
	}
	if !utf8.Valid(name) {
		is.add(RuleZipNameUTF8, zipRejected("Filename not unicode"), false)
		return false
	}
	return true
}

// applyZip64 reads the ZIP64 extra of a central record into e and rejects
// duplicated extras that Warehouse forbids.
func applyZip64(extra []byte, e *zipEntry, is *issues) bool {
	seen := map[uint16]bool{}
	for len(extra) > 0 {
		if len(extra) < 4 {
			is.add(RuleZipMalformed, zipRejected("Malformed zip file"), false)
			return false
		}
		id, n := binary.LittleEndian.Uint16(extra), int(binary.LittleEndian.Uint16(extra[2:]))
		if len(extra) < 4+n {
			is.add(RuleZipMalformed, zipRejected("Malformed zip file"), false)
			return false
		}
		if seen[id] && (id == 0x0001 || id == 0x7075) {
			is.add(RuleZipDuplicateExtra, zipRejected("Invalid duplicate extra in local file"), false)
			return false
		}
		seen[id] = true
		if id == 0x0001 {
			f := extra[4 : 4+n]
			for _, p := range []*uint64{&e.usize, &e.csize, &e.offset} {
				if *p != 0xffffffff {
					continue
				}
				if len(f) < 8 {
					is.add(RuleZipMalformed, zipRejected("Malformed zip file"), false)
					return false
				}
				*p, f = binary.LittleEndian.Uint64(f), f[8:]
			}
		}
		extra = extra[4+n:]
	}
	return true
}

// walkLocal visits every local header in file order and checks that the
// records tile the file from offset 0 to the central directory, with
// names and sizes equal to the directory's.
func (z *zipArchive) walkLocal(cdOffset uint64, is *issues) bool {
	order := slices.Clone(z.entries)
	slices.SortFunc(order, func(a, b *zipEntry) int { return cmp.Compare(a.offset, b.offset) })
	var at uint64
	for _, e := range order {
		if e.offset != at {
			msg := "Unknown record signature"
			if e.offset < at {
				msg = "Duplicate filename in local headers" // overlapping records
			}
			is.add(RuleZipUnknownRecord, zipRejected(msg), false)
			return false
		}
		next, ok := z.readLocal(e, is)
		if !ok {
			return false
		}
		at = next
	}
	if at != cdOffset {
		is.add(RuleZipUnknownRecord, zipRejected("Unknown record signature"), false)
		return false
	}
	return true
}

// readLocal checks e's local header and returns the offset just past its
// data (and data descriptor).
func (z *zipArchive) readLocal(e *zipEntry, is *issues) (uint64, bool) {
	le := binary.LittleEndian
	var h [30]byte
	if _, err := z.ra.ReadAt(h[:], int64(e.offset)); err != nil || le.Uint32(h[:]) != sigLocal {
		is.add(RuleZipUnknownRecord, zipRejected("Unknown record signature"), false)
		return 0, false
	}
	n, x := uint64(le.Uint16(h[26:])), uint64(le.Uint16(h[28:]))
	nx := make([]byte, n+x)
	if _, err := z.ra.ReadAt(nx, int64(e.offset+30)); err != nil {
		is.add(RuleZipMalformed, zipRejected("Malformed zip file"), false)
		return 0, false
	}
	if !checkName(nx[:n], is) {
		return 0, false
	}
	if string(nx[:n]) != e.name {
		is.add(RuleZipLocalName, zipRejected("Filename not in central directory"), false)
		return 0, false
	}
	local := &zipEntry{csize: uint64(le.Uint32(h[18:])), usize: uint64(le.Uint32(h[22:]))}
	if !applyZip64(nx[n:], local, is) {
		return 0, false
	}
	e.zip64loc = hasExtra(nx[n:], 0x0001)
	flags := le.Uint16(h[6:])
	// walkLocal only visits offsets within the file, and the name and
	// extra were read from it: dataAt <= size.
	e.dataAt = int64(e.offset + 30 + n + x)
	if e.csize > uint64(z.size-e.dataAt) {
		is.add(RuleZipMalformed, zipRejected("Malformed zip file"), false)
		return 0, false
	}
	end := uint64(e.dataAt) + e.csize
	if flags&0x8 != 0 || e.flags&0x8 != 0 {
		is.add(RuleZipDataDescriptor, zipRejected("ZIP contains a data descriptor"), true)
		return z.skipDescriptor(e, end, is)
	}
	switch {
	case local.csize != e.csize:
		is.add(RuleZipSizeMismatch, zipRejected("Mis-matched data size"), false)
		return 0, false
	case local.usize != e.usize:
		is.add(RuleZipSizeMismatch, zipRejected("Mis-matched file size"), false)
		return 0, false
	}
	return end, true
}

func hasExtra(extra []byte, want uint16) bool {
	for len(extra) >= 4 {
		id, n := binary.LittleEndian.Uint16(extra), int(binary.LittleEndian.Uint16(extra[2:]))
		if id == want {
			return true
		}
		if len(extra) < 4+n {
			return false
		}
		extra = extra[4+n:]
	}
	return false
}

// skipDescriptor returns the offset after the data descriptor that follows
// e's data at end, checking that it repeats the directory's values.
func (z *zipArchive) skipDescriptor(e *zipEntry, end uint64, is *issues) (uint64, bool) {
	size := uint64(12)
	if e.zip64loc {
		size = 20
	}
	var b [24]byte
	m, _ := z.ra.ReadAt(b[:], int64(end))
	d := b[:m]
	if len(d) >= 4 && binary.LittleEndian.Uint32(d) == sigDescriptor {
		d, end = d[4:], end+4
	}
	if uint64(len(d)) < size || binary.LittleEndian.Uint32(d) != e.crc {
		is.add(RuleZipSizeMismatch, zipRejected("Mis-matched data size"), false)
		return 0, false
	}
	return end + size, true
}

// checkEntries applies the per-member rules: no encryption, a compression
// method someone can read, safe paths and the zip-bomb ratio.
func (z *zipArchive) checkEntries(is *issues) {
	var total uint64 // saturating: ZIP64 sizes of 2^63 must not wrap to 0
	unsupported := false
	for _, e := range z.entries {
		total = satAdd(total, e.usize)
		if e.flags&0x1 != 0 {
			is.add(RuleZipEncrypted, invalidDist("Member %s is encrypted", pyfmt.Repr(e.name)), false)
		}
		switch e.method {
		case methodStored, methodDeflate:
		case methodBzip2, methodLZMA, methodZstd:
			unsupported = true
		default:
			is.add(RuleZipCompression, invalidDist("Member %s uses unknown compression method %d", pyfmt.Repr(e.name), e.method), false)
		}
		if !safeMemberPath(e.name) {
			is.add(RuleUnsafePath, invalidDist("Member %s has an unsafe path", pyfmt.Repr(e.name)), false)
		}
	}
	if unsupported {
		is.add(RuleZipCompression, invalidDist("%v", errCompression), true)
	}
	if exceedsRatio(total, z.size) {
		is.add(RuleCompressionRatio, invalidDist("File exceeds compression ratio of %d", ratioMax), false)
	}
}

// safeMemberPath rejects absolute names, backslashes, drive letters and
// "." or ".." components: an installer must never write outside its
// target, and an sdist must be a clean tree.
func safeMemberPath(name string) bool {
	n := strings.TrimSuffix(name, "/")
	if n == "" || strings.HasPrefix(n, "/") || strings.Contains(n, "\\") || (len(n) > 1 && n[1] == ':') {
		return false
	}
	for _, c := range strings.Split(n, "/") {
		if c == "" || c == "." || c == ".." {
			return false
		}
	}
	return true
}

// errCompression is reading a member compressed other than stored or
// deflate (bzip2, LZMA, zstd), in Warehouse's words: it refuses such a
// file whatever the member.
//
//lint:ignore ST1005 Warehouse's words, capital included
var errCompression = errors.New("File does not use a supported compression type")

// read returns the inflated bytes of member e, at most maxMemberRead, and
// checks their length and CRC against the directory. It allocates the
// declared size once: the member is held in one copy.
func (z *zipArchive) read(e *zipEntry) ([]byte, error) {
	r, err := z.open(e)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b := make([]byte, e.usize)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	if _, err := r.Read(make([]byte, 1)); err != io.EOF {
		return nil, err // the CRC, or data past the declared size
	}
	return b, nil
}

// open returns a reader of the inflated bytes of member e, at most
// maxMemberRead, which fails as soon as the data inflates past the
// declared size and, at the end, if the size or CRC-32 differs from the
// directory's.
func (z *zipArchive) open(e *zipEntry) (io.ReadCloser, error) {
	if e.usize > maxMemberRead {
		return nil, fmt.Errorf("%s is larger than %d MiB", e.name, maxMemberRead>>20)
	}
	if e.dataAt == 0 {
		if err := z.locate(e); err != nil {
			return nil, err
		}
	}
	data := io.NewSectionReader(z.ra, e.dataAt, int64(e.csize))
	m := &memberReader{e: e, crc: crc32.NewIEEE(), close: func() error { return nil }}
	switch e.method {
	case methodStored:
		m.r = data
	case methodDeflate:
		fr := flate.NewReader(data)
		m.r, m.close = fr, fr.Close
	default:
		return nil, errCompression
	}
	return m, nil
}

// memberReader checks a member's inflated bytes against the directory.
type memberReader struct {
	e     *zipEntry
	r     io.Reader
	n     uint64
	crc   hash.Hash32
	close func() error
}

func (m *memberReader) Read(p []byte) (int, error) {
	// Ask for one byte past the declared size at most, to see an excess.
	if rest := m.e.usize - m.n + 1; uint64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := m.r.Read(p)
	m.n += uint64(n)
	m.crc.Write(p[:n])
	switch {
	case m.n > m.e.usize:
		return n, m.mismatch()
	case err == io.EOF && (m.n != m.e.usize || m.crc.Sum32() != m.e.crc):
		return n, m.mismatch()
	case err != nil && err != io.EOF:
		return n, fmt.Errorf("%s: %v", m.e.name, err)
	}
	return n, err
}

func (m *memberReader) mismatch() error {
	return fmt.Errorf("%s: size or CRC-32 does not match the central directory", m.e.name)
}

func (m *memberReader) Close() error { return m.close() }

// locate reads e's local header to find where its data starts, for
// archives read without walkLocal.
func (z *zipArchive) locate(e *zipEntry) error {
	var h [30]byte
	if e.offset > uint64(z.size) {
		return fmt.Errorf("%s: no local header at offset %d", e.name, e.offset)
	}
	if _, err := z.ra.ReadAt(h[:], int64(e.offset)); err != nil || binary.LittleEndian.Uint32(h[:]) != sigLocal {
		return fmt.Errorf("%s: no local header at offset %d", e.name, e.offset)
	}
	// offset+30 <= size was just read; the name and extra add < 2^17.
	dataAt := int64(e.offset) + 30 + int64(binary.LittleEndian.Uint16(h[26:])) + int64(binary.LittleEndian.Uint16(h[28:]))
	if dataAt > z.size || e.csize > uint64(z.size-dataAt) {
		return fmt.Errorf("%s: data past the end of the file", e.name)
	}
	e.dataAt = dataAt
	return nil
}

// names returns the member names in directory order.
func (z *zipArchive) names() []string {
	ns := make([]string, len(z.entries))
	for i, e := range z.entries {
		ns[i] = e.name
	}
	return ns
}

// topDirs returns the distinct first path components of names that have
// more than one component, in first-seen order.
func topDirs(names []string) []string {
	var dirs []string
	seen := map[string]bool{}
	for _, n := range names {
		top, _, ok := strings.Cut(n, "/")
		if ok && !seen[top] {
			seen[top] = true
			dirs = append(dirs, top)
		}
	}
	return dirs
}

// distInfoDirs returns the top-level directories named *.dist-info.
func distInfoDirs(names []string) []string {
	var ds []string
	for _, d := range topDirs(names) {
		if strings.HasSuffix(d, ".dist-info") {
			ds = append(ds, d)
		}
	}
	return ds
}

// member returns the entry for name if it is a regular file.
func (z *zipArchive) member(name string) (*zipEntry, bool) {
	e, ok := z.byName[name]
	if !ok || e.isDir() || e.isSymlink() {
		return nil, false
	}
	return e, true
}

// findWheelMetadata finds the one .dist-info directory of a wheel named f and
// reads its METADATA. The directory must belong to the project: its name,
// normalised, starts with the normalised project name and a "-" (pip and
// uv compare the prefix only; the PyPI profile then requires the exact
// name).
func findWheelMetadata(z *zipArchive, file string, f *Filename) (string, []byte, *Problem) {
	dirs := distInfoDirs(z.names())
	prob := func(rule, msg string) (string, []byte, *Problem) {
		return "", nil, &Problem{File: file, Field: "archive", Rule: rule, Message: msg}
	}
	switch len(dirs) {
	case 0:
		return prob(RuleDistInfoMissing, fmt.Sprintf("Wheel '%s' does not contain the required METADATA file: %s.dist-info/METADATA", file, rawNameVersion(file)))
	case 1:
	default:
		return prob(RuleDistInfoMultiple, "multiple .dist-info directories found: "+strings.Join(dirs, ", "))
	}
	dir := dirs[0]
	if !strings.HasPrefix(NormalizeName(strings.TrimSuffix(dir, ".dist-info"))+"-", NormalizeName(f.Name)+"-") {
		return prob(RuleDistInfoName, fmt.Sprintf(".dist-info directory %s does not start with %s", pyfmt.Repr(dir), pyfmt.Repr(NormalizeName(f.Name))))
	}
	name := path.Join(dir, "METADATA")
	e, ok := z.member(name)
	if !ok {
		return prob(RuleMetadataMissing, fmt.Sprintf("Wheel '%s' does not contain the required METADATA file: %s", file, name))
	}
	b, err := z.read(e)
	if err != nil {
		return prob(RuleMetadataUnreadable, invalidDist("%v", err))
	}
	return dir, b, nil
}

// rawNameVersion returns "name-version" as Warehouse splits it from a
// wheel file name: the text before the second "-".
func rawNameVersion(file string) string {
	parts := strings.SplitN(file, "-", 3)
	if len(parts) < 3 {
		return strings.TrimSuffix(file, ".whl")
	}
	return parts[0] + "-" + parts[1]
}
