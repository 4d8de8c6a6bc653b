package dist

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"path"
	"strings"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// sdistLayout finds an sdist's core metadata as Warehouse does: the
// top-level directory is the common path of all member names (Python's
// os.path.commonpath), and PKG-INFO must be exactly <top>/PKG-INFO. With
// one member, or only a PKG-INFO, the common path is that file, so
// PKG-INFO is never found.
type sdistLayout struct {
	common  []string // the common path of the names so far, split at "/"
	started bool
	pkgInfo int    // how many members are named <first component>/PKG-INFO
	deeper  string // the shallowest directory below the first component holding a PKG-INFO
}

// add records one member; it returns whether the member is named
// <first component>/PKG-INFO, where a well-made sdist keeps it.
func (l *sdistLayout) add(name string) bool {
	if !l.started {
		l.common, l.started = pathComponents(name), true
	} else {
		// Only the common prefix is kept: count it without splitting
		// name into a new slice, once per member.
		n := 0
		for p := range strings.SplitSeq(name, "/") {
			if p == "" || p == "." {
				continue
			}
			if n == len(l.common) || l.common[n] != p {
				break
			}
			n++
		}
		l.common = l.common[:n]
	}
	if len(l.common) == 0 {
		return false
	}
	dir, ok := strings.CutSuffix(strings.TrimSuffix(name, "/"), "/PKG-INFO")
	if !ok {
		return false
	}
	if strings.Contains(dir, "/") && (l.deeper == "" || len(dir) < len(l.deeper)) {
		l.deeper = dir
	}
	if dir == l.common[0] {
		l.pkgInfo++
		return true
	}
	return false
}

// pathComponents splits a member name as os.path.commonpath does,
// leaving out empty and "." components.
func pathComponents(name string) []string {
	var parts []string
	for p := range strings.SplitSeq(name, "/") {
		if p != "" && p != "." {
			parts = append(parts, p)
		}
	}
	return parts
}

// finish returns the layout's fatal issues once every member was added.
func (l *sdistLayout) finish(is *issues) {
	top := strings.Join(l.common, "/")
	switch {
	case top == "":
		is.add(RuleSdistTopLevel, invalidDist("Incorrect number of top-level directories in sdist"), false)
	case len(l.common) > 1 && l.deeper == top:
		// Warehouse would take it; the sdist format and this package do not.
		is.add(RulePkgInfoMissing, invalidDist("PKG-INFO is at %s/PKG-INFO, not in the top-level directory %s", top, l.common[0]), false)
	case len(l.common) > 1 || l.pkgInfo == 0:
		is.add(RulePkgInfoMissing, invalidDist("PKG-INFO not found at %s/PKG-INFO", top), false)
	case l.pkgInfo > 1:
		is.add(RulePkgInfoMultiple, invalidDist("Multiple PKG-INFO files found at %s/PKG-INFO", top), false)
	}
}

// sdistContents is what reading an sdist archive yields.
type sdistContents struct {
	names   []string
	pkgInfo []byte
}

// countingReader counts the bytes the gzip stream inflates to and stops
// at the zip-bomb ratio.
type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
}

var errRatio = errors.New("compression ratio exceeded")

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		return n, errRatio
	}
	return n, err
}

// readTarGz reads the gzip-compressed tar stream r of an sdist of the given
// compressed size. With whole, it reads every member header (Open's
// archive checks need them all); otherwise it stops after PKG-INFO.
func readTarGz(r io.Reader, size int64, whole bool) (*sdistContents, issues) {
	var is issues
	zr, err := gzip.NewReader(r)
	if err != nil {
		is.add(RuleTarNotTar, invalidDist("File is not a tarfile"), false)
		return nil, is
	}
	cr := &countingReader{r: zr, limit: math.MaxInt64}
	if size <= math.MaxInt64/ratioMax { // else ratioMax*size overflows
		cr.limit = max(ratioMinSize, ratioMax*size)
	}
	tr := tar.NewReader(cr)
	var (
		c         sdistContents
		layout    sdistLayout
		nameBytes int
	)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			switch {
			case errors.Is(err, errRatio):
				is.add(RuleCompressionRatio, invalidDist("File exceeds compression ratio of %d", ratioMax), false)
			case len(c.names) == 0:
				is.add(RuleTarNotTar, invalidDist("File is not a tarfile"), false)
			default:
				is.add(RuleTarCorrupt, invalidDist("Truncated or corrupt tar archive: %v", err), false)
			}
			return nil, is
		}
		if h.Typeflag == tar.TypeXGlobalHeader {
			continue // pax global header: attributes, not a member
		}
		if msg := tarNameLimit(h.Name, len(c.names), &nameBytes); msg != "" {
			is.add(RuleArchiveLimit, msg, false)
			return nil, is
		}
		c.names = append(c.names, h.Name)
		if !checkTarMember(h, &is) {
			continue
		}
		if !layout.add(h.Name) || layout.pkgInfo > 1 {
			continue
		}
		if h.Typeflag != tar.TypeReg {
			is.add(RulePkgInfoNotRegular, invalidDist("PKG-INFO is not a regular file"), false)
			continue
		}
		if h.Size > maxMemberRead {
			is.add(RulePkgInfoTooLarge, invalidDist("PKG-INFO is larger than %d MiB", maxMemberRead>>20), false)
			continue
		}
		c.pkgInfo = make([]byte, h.Size) // one allocation: one copy
		if _, err = io.ReadFull(tr, c.pkgInfo); err != nil {
			is.add(RuleTarCorrupt, invalidDist("Truncated or corrupt tar archive: %v", err), false)
			return nil, is
		}
		if !whole {
			return &c, is
		}
	}
	if is.fatal() { // the layout of a tree with unusable members is moot
		return nil, is
	}
	layout.finish(&is)
	if is.fatal() {
		return nil, is
	}
	return &c, is
}

// tarNameLimit applies the caps on names to the next member name, given
// how many names are kept and their total length so far (which it
// updates); it returns the message of the cap exceeded, or "".
func tarNameLimit(name string, kept int, total *int) string {
	switch *total += len(name); {
	case len(name) > maxMemberName:
		return nameTooLong(name)
	case kept == maxMembers:
		return tooManyMembers()
	case *total > maxNameBytes:
		return namesTooLong()
	}
	return ""
}

// checkTarMember rejects what PEP 721 says an unpacker must not extract
// (devices, FIFOs, links leaving the tree, unsafe paths) and what PyPI
// refuses (sparse members). It reports whether the member is usable.
func checkTarMember(h *tar.Header, is *issues) bool {
	name := pyfmt.Repr(h.Name)
	if !safeMemberPath(h.Name) {
		is.add(RuleUnsafePath, invalidDist("Member %s has an unsafe path", name), false)
		return false
	}
	if h.Typeflag == tar.TypeGNUSparse || hasSparseRecords(h) {
		is.add(RuleTarSparse, invalidDist("tar archive not accepted: Sparse members are not allowed. See https://docs.pypi.org/archives for more information"), false)
		return false
	}
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeDir, tar.TypeCont:
		return true
	case tar.TypeSymlink:
		target := h.Linkname
		if !path.IsAbs(target) {
			target = path.Join(path.Dir(h.Name), target)
		}
		if !withinRoot(h.Name, target) {
			is.add(RuleTarLinkEscapes, invalidDist("Member %s links outside the archive's top-level directory", name), false)
			return false
		}
		return true
	case tar.TypeLink:
		if !safeMemberPath(h.Linkname) || !withinRoot(h.Name, h.Linkname) {
			is.add(RuleTarLinkEscapes, invalidDist("Member %s links outside the archive's top-level directory", name), false)
			return false
		}
		return true
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		is.add(RuleTarSpecial, invalidDist("Member %s is a device or FIFO", name), false)
		return false
	}
	is.add(RuleTarType, invalidDist("Member %s has unsupported type %q", name, h.Typeflag), false)
	return false
}

func hasSparseRecords(h *tar.Header) bool {
	for k := range h.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

// withinRoot reports whether the cleaned target lies inside the top-level
// directory of member name.
func withinRoot(name, target string) bool {
	if path.IsAbs(target) {
		return false
	}
	root, _, _ := strings.Cut(name, "/")
	t := path.Clean(target)
	return t == root || strings.HasPrefix(t, root+"/")
}

// zipSdistMetadata finds PKG-INFO in a legacy .zip sdist with the layout
// rule of tar sdists.
func zipSdistMetadata(z *zipArchive) ([]byte, issues) {
	var (
		is     issues
		layout sdistLayout
		info   *zipEntry
	)
	for _, e := range z.entries {
		if layout.add(e.name) {
			info = e
		}
	}
	layout.finish(&is)
	if is.fatal() {
		return nil, is
	}
	if info.isSymlink() || info.isDir() {
		is.add(RulePkgInfoNotRegular, invalidDist("PKG-INFO is not a regular file"), false)
		return nil, is
	}
	b, err := z.read(info)
	if err != nil {
		is.add(RuleMetadataUnreadable, invalidDist("%v", err), false)
		return nil, is
	}
	return b, is
}

// sdistRoot returns the top-level directory of an sdist's member names.
func sdistRoot(names []string) string {
	if len(names) == 0 {
		return ""
	}
	root, _, _ := strings.Cut(names[0], "/")
	return root
}
