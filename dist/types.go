package dist

import "io"

// Kind is the kind of a distribution file.
type Kind int

// The kinds of distribution files.
const (
	Wheel Kind = iota + 1 // a built distribution, PEP 427 (.whl)
	Sdist                 // a source distribution, PEP 625 (.tar.gz; legacy .zip)
)

// String returns "wheel" or "sdist".
func (k Kind) String() string {
	switch k {
	case Wheel:
		return "wheel"
	case Sdist:
		return "sdist"
	}
	return "unknown"
}

// Filetype returns the legacy upload API's name for the kind:
// "bdist_wheel" or "sdist".
func (k Kind) Filetype() string {
	if k == Wheel {
		return "bdist_wheel"
	}
	return "sdist"
}

// Digests are a file's digests in lowercase hex; "" for one not
// computed.
type Digests struct {
	SHA256     string // sha256
	BLAKE2b256 string // blake2b with a 32-byte digest size (not truncated blake2b-512)
	MD5        string // md5, computed only on request
}

// Distribution is an opened wheel or sdist: what it is called and what
// its core metadata says. Its digests are computed when first needed
// (see [Distribution.Digests]).
type Distribution struct {
	Path     string    // the path given to Open, or the name given to OpenReaderAt
	Filename *Filename // the parsed file name (Kind is Filename.Kind)
	Size     int64     // bytes

	// Metadata is the parsed METADATA (wheel) or PKG-INFO (sdist).
	Metadata *Metadata
	// MetadataBytes are the raw bytes of that member, as PEP 658 serves
	// them beside the file; MetadataDigests are their digests (MD5 unset).
	// They are read-only: Metadata's strings share their memory.
	MetadataBytes   []byte
	MetadataDigests Digests

	// Members lists the archive's member names in archive order; the
	// PyPI profile checks it (WHEEL, RECORD, License-File present).
	Members []string

	ra    io.ReaderAt  // the content, for OpenReaderAt; nil when read from Path
	cache *digestCache // the digests known; nil in a literal
}

// Kind returns the kind of the distribution.
func (d *Distribution) Kind() Kind { return d.Filename.Kind }

// Filename is a parsed distribution file name. Name and Version are as
// written in the name (escaped, not normalised).
type Filename struct {
	Kind    Kind
	Name    string // distribution name as written, e.g. "my_pkg"
	Version string // version as written, e.g. "1.0.post1"
	Ext     string // ".whl", ".tar.gz" or ".zip"

	// Wheel parts (PEP 427); empty for an sdist. Compressed tag sets such
	// as "py2.py3" are split on ".".
	Build        string   // optional build tag, e.g. "1" or "2foo"; "" if absent
	PythonTags   []string // e.g. ["py3"] or ["cp312"]
	ABITags      []string // e.g. ["none"] or ["cp312"]
	PlatformTags []string // e.g. ["any"] or ["manylinux_2_17_x86_64", "manylinux2014_x86_64"]
}

// ProjectURL is one Project-URL field: "label, url".
type ProjectURL struct {
	Label string
	URL   string
}

// Header is one raw header of a core metadata file, as it was written:
// Name keeps its case; Value is the compat32 value (continuation lines
// kept with their line breaks and indentation).
type Header struct {
	Name  string
	Value string
}

// Metadata is a parsed core metadata file (METADATA or PKG-INFO), versions
// 1.0 to 2.6. Single-use fields hold "" when absent; Present tells an
// absent field from an empty one. Multi-use fields are lists in file order.
type Metadata struct {
	MetadataVersion        string
	Name                   string
	Version                string
	Dynamic                []string
	Platforms              []string
	SupportedPlatforms     []string
	Summary                string
	Description            string // from the body (2.1+) or the header, legacy "|" escaping undone
	DescriptionContentType string
	Keywords               string // raw, as written; see KeywordList
	HomePage               string
	DownloadURL            string
	Author                 string
	AuthorEmail            string
	Maintainer             string
	MaintainerEmail        string
	License                string
	LicenseExpression      string
	LicenseFiles           []string
	Classifiers            []string
	RequiresDist           []string
	RequiresPython         string
	RequiresExternal       []string
	ProjectURLs            []ProjectURL
	ProvidesExtra          []string
	ProvidesDist           []string
	ObsoletesDist          []string
	Requires               []string // deprecated (1.1)
	Provides               []string // deprecated (1.1)
	Obsoletes              []string // deprecated (1.1)
	ImportNames            []string // 2.5
	ImportNamespaces       []string // 2.5

	// Headers are all headers in file order, known or not.
	Headers []Header
	// Unparsed holds what could not be parsed into the fields above, keyed
	// by lowercase field name as packaging's parse_email does: unknown
	// headers, repeated single-use fields, invalid UTF-8, duplicate
	// Project-URL labels, a Description both in a header and the body.
	Unparsed map[string][]string
	// DescriptionInBody reports whether the Description came from the body.
	DescriptionInBody bool
}
