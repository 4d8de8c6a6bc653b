package upload

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/bounded"
	"github.com/trustpub/pypi/internal/origin"
)

const (
	simpleJSON      = "application/vnd.pypi.simple.v1+json"
	maxListingBytes = 64 << 20 // a big project's listing is a few MiB; it is streamed
)

// listing is what an index lists for one project: file name → sha256
// (lowercase hex, "" when not given).
type listing struct {
	once   sync.Once
	files  map[string]string
	source string // the URL it came from
	err    error
}

// findFile reports whether the index lists d's file with d's sha256. It
// returns a *MismatchError when the index lists the name with another
// sha256, and false when the file is not listed or the index cannot
// tell. cached reuses this session's earlier listing of the project.
func (s *session) findFile(ctx context.Context, d *dist.Distribution, cached bool) (bool, error) {
	found, _, err := s.lookup(ctx, d, cached)
	return found, err
}

// lookup is findFile, returning also the listing asked, whose err says
// why the index could not tell.
func (s *session) lookup(ctx context.Context, d *dist.Distribution, cached bool) (bool, *listing, error) {
	name := dist.NormalizeName(d.Metadata.Name)
	var l *listing
	if cached {
		s.mu.Lock()
		l = s.listings[name]
		if l == nil {
			l = &listing{}
			s.listings[name] = l
		}
		s.mu.Unlock()
	} else {
		l = &listing{}
	}
	l.once.Do(func() { l.files, l.source, l.err = s.list(ctx, name) })
	if l.err != nil {
		return false, l, nil // the index cannot tell: upload and let it judge
	}
	sha := l.files[baseName(d)]
	if sha == "" { // not listed, or listed without a sha256
		return false, l, nil
	}
	// Hashed only now that the index has a file of this name; the
	// upload that may follow then sends the digests before the file.
	sums, err := d.Digests(s.opts.MD5)
	switch {
	case err != nil:
		return false, l, fmt.Errorf("upload: %s: %w", baseName(d), err)
	case strings.EqualFold(sha, sums.SHA256):
		return true, l, nil
	}
	return false, l, &MismatchError{File: baseName(d), Index: l.source, LocalSHA256: sums.SHA256, IndexSHA256: sha}
}

// list fetches the project's files from the simple API (PEP 691 JSON),
// falling back to the JSON API.
func (s *session) list(ctx context.Context, name string) (map[string]string, string, error) {
	simple := s.readAPI.JoinPath("simple", name) // JoinPath drops the trailing slash
	simple.Path += "/"
	files, err := s.getListing(ctx, simple, simpleJSON, simpleAPI)
	if err == nil {
		return files, simple.String(), nil
	}
	api := s.readAPI.JoinPath("pypi", name, "json")
	files, err = s.getListing(ctx, api, "application/json", jsonAPI)
	if errors.Is(err, errNotFound) {
		return map[string]string{}, api.String(), nil
	}
	if err != nil {
		return nil, "", err
	}
	return files, api.String(), nil
}

var errNotFound = errors.New("upload: not found on the index")

// getListing GETs u, wanting the media type accept, and reads the
// listing of the api it holds, keeping the session's files. Credentials
// go only to the upload URL's origin.
func (s *session) getListing(ctx context.Context, u *url.URL, accept string, api listingAPI) (map[string]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("Cache-Control", "no-cache") // a file just uploaded must show
	req.Header.Set("User-Agent", s.agent)
	if origin.Same(u, s.uploadURL()) {
		auth, err := s.authorization()
		if err != nil {
			return nil, err
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
	}
	resp, err := s.get.Do(req)
	if err != nil {
		return nil, err
	}
	defer drain(resp)
	if resp.StatusCode == http.StatusNotFound {
		return nil, errNotFound
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != http.StatusOK || !strings.HasSuffix(mt, "json") {
		return nil, fmt.Errorf("%s answered %d (%s)", u, resp.StatusCode, mt)
	}
	files, err := parseListing(bounded.Body(resp, maxListingBytes), api, s.wanted)
	var be *bounded.Error
	if err != nil && !errors.As(err, &be) {
		err = fmt.Errorf("%s: %w", u, err)
	}
	return files, err
}
