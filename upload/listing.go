package upload

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// listingAPI says which read API a listing comes from.
type listingAPI int

const (
	simpleAPI listingAPI = iota // PEP 691: {"files": [{"filename", "hashes": {"sha256"}}]}
	jsonAPI                     // {"urls": [file], "releases": {"<version>": [file]}}, file = {"filename", "digests": {"sha256"}}
)

// listedFile is what is kept of one file of a listing.
type listedFile struct {
	Filename string `json:"filename"`
	Hashes   struct {
		SHA256 string `json:"sha256"`
	} `json:"hashes"`
	Digests struct {
		SHA256 string `json:"sha256"`
	} `json:"digests"`
}

// parseListing reads a project's listing from r as a stream, one file at
// a time, and returns the sha256 ("" when not given) of the files keep
// accepts: memory grows with those, not with the listing.
func parseListing(r io.Reader, api listingAPI, keep func(filename string) bool) (map[string]string, error) {
	p := &listingParser{dec: json.NewDecoder(r), api: api, keep: keep, files: map[string]string{}}
	if err := p.object(p.topLevel); err != nil {
		return nil, err
	}
	return p.files, nil
}

type listingParser struct {
	dec   *json.Decoder
	api   listingAPI
	keep  func(string) bool
	files map[string]string
}

var errListing = errors.New("not a project listing")

// object reads an object, calling member for each key.
func (p *listingParser) object(member func(key string) error) error {
	if err := p.delim('{'); err != nil {
		return err
	}
	for p.dec.More() {
		t, err := p.dec.Token()
		if err != nil {
			return err
		}
		if err := member(t.(string)); err != nil {
			return err
		}
	}
	return p.delim('}')
}

func (p *listingParser) delim(want json.Delim) error {
	t, err := p.dec.Token()
	if err != nil {
		return err
	}
	if t != want {
		return fmt.Errorf("%w: want %v, found %v", errListing, want, t)
	}
	return nil
}

func (p *listingParser) topLevel(key string) error {
	switch {
	case p.api == simpleAPI && key == "files", p.api == jsonAPI && key == "urls":
		return p.fileList()
	case p.api == jsonAPI && key == "releases":
		return p.object(func(string) error { return p.fileList() })
	}
	return p.skip()
}

// fileList reads an array of files (or null).
func (p *listingParser) fileList() error {
	if !p.dec.More() {
		return errListing
	}
	t, err := p.dec.Token()
	if err != nil || t == nil {
		return err
	}
	if t != json.Delim('[') {
		return fmt.Errorf("%w: want a list of files, found %v", errListing, t)
	}
	for p.dec.More() {
		var f listedFile
		if err := p.dec.Decode(&f); err != nil {
			return err
		}
		if p.keep(f.Filename) {
			p.files[f.Filename] = f.Hashes.SHA256 + f.Digests.SHA256
		}
	}
	return p.delim(']')
}

// maxListingDepth bounds the nesting skip follows, as encoding/json bounds
// what Decode reads: the Decoder keeps a stack entry per open bracket.
const maxListingDepth = 10000

// skip reads a value of any kind, a token at a time.
func (p *listingParser) skip() error {
	depth := 0
	for {
		t, err := p.dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
			if depth > maxListingDepth {
				return fmt.Errorf("%w: nested deeper than %d", errListing, maxListingDepth)
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}
