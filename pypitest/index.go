package pypitest

import (
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// defaultMaxFileSize is Warehouse's MAX_FILESIZE.
const defaultMaxFileSize = 100 << 20

// A File is a distribution file the index stores, as its upload left it.
type File struct {
	// Project is the project's name as the index displays it (the name
	// field of its first upload); Version is the version as uploaded.
	Project, Version string
	// Filename is the file's name; Filetype is "sdist" or "bdist_wheel";
	// PythonVersion is the pyversion field ("source" for an sdist).
	Filename, Filetype, PythonVersion string
	// Size is the file's length in bytes.
	Size int64
	// The file's digests, in lowercase hex, computed by the index.
	SHA256, BLAKE2b256, MD5 string
	// RequiresPython is the requires_python field.
	RequiresPython string
	// UploadedAt is the server's time of the upload.
	UploadedAt time.Time
	// Content is the file's bytes; Metadata its core metadata file (PEP
	// 658), served beside it. The index keeps stored files on disk, in a
	// directory of its own, so that its memory stays flat whatever their
	// size: [Server.Files] and [Server.File] read Content from there on
	// each call, and leave it nil once the Server is closed.
	Content, Metadata []byte
	// Attestations is the attestations field as sent; "" if none.
	Attestations string
	// Provenance is the file's provenance object as PyPI's integrity API
	// serves it (GET /integrity/{project}/{version}/{filename}/provenance):
	// the accepted attestations and the Trusted Publisher that uploaded
	// them; nil if the file came without attestations.
	Provenance []byte
	// Fields are the upload's text fields, in the order received.
	Fields []FormField
	// Uploader is who the credentials proved the uploader to be.
	Uploader Identity

	path string // the stored bytes, in the index's directory
}

// withContent returns a copy of f with its Content read from disk.
func (f *File) withContent() File {
	g := *f
	g.Content, _ = os.ReadFile(f.path) // nil once the Server is closed
	return g
}

// A FormField is one part of an upload form other than the file.
type FormField struct {
	Name, Value string
	// IsFile is set for a part sent with a file name (gpg_signature, or a
	// field Warehouse refuses as "Should not be a tuple").
	IsFile bool
}

// An Upload is one request to the upload endpoint and the index's answer.
type Upload struct {
	// Fields are the text fields, in the order received.
	Fields []FormField
	// Filename, ContentType and Size describe the content part ("", "", 0
	// without one).
	Filename, ContentType string
	Size                  int64
	// UserAgent is the request's User-Agent.
	UserAgent string
	// Status and Message are the answer: 200 and "" on success, else the
	// status and Warehouse's message. A fault's answer is recorded as sent
	// (Status 0 when the connection was closed instead).
	Status  int
	Message string
	// Stored reports whether the upload added a file (an exact re-upload
	// answers 200 and stores nothing).
	Stored bool
}

// field returns the first value of the named text field, or "".
func (u *Upload) field(name string) string {
	for _, f := range u.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// index is the state of a Server's upload, simple and JSON APIs, and the
// handler of their paths (see register). It asks its Server to judge
// credentials and tell the time.
type index struct {
	s   *Server
	dir string // temporary directory of uploads and stored files

	mu          sync.Mutex
	files       []*File          // stored, in upload order
	byName      map[string]*File // by file name
	byBLAKE2    map[string]*File
	deleted     map[string]bool // names of deleted files, never reusable
	projects    map[string]*project
	uploads     []Upload
	maxFileSize int64
	serial      int // bumped by every change, served as _last-serial
	faults      faults
}

// project is one project and its releases.
type project struct {
	name     string              // display name
	releases map[string]*release // by canonical version
}

// release is one version of a project.
type release struct {
	version string    // as first uploaded
	created time.Time // its first file's upload time
	files   []*File
}

// newIndex returns an empty index for s, with a new temporary directory
// that close removes.
func newIndex(s *Server) *index {
	dir, err := os.MkdirTemp("", "pypitest-*")
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return &index{
		s:           s,
		dir:         dir,
		byName:      map[string]*File{},
		byBLAKE2:    map[string]*File{},
		deleted:     map[string]bool{},
		projects:    map[string]*project{},
		maxFileSize: defaultMaxFileSize,
	}
}

// register makes ix mux's handler of the paths it serves; ServeHTTP
// routes among them.
func (ix *index) register(mux *http.ServeMux) {
	for _, p := range []string{"/legacy", "/legacy/", "/simple/", "/pypi/", "/packages/", "/integrity/"} {
		mux.Handle(p, ix)
	}
}

// ServeHTTP routes the index's requests, after any latency fault.
func (ix *index) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !ix.delay(r) {
		return
	}
	switch p := r.URL.Path; {
	case p == "/legacy" || p == "/legacy/":
		ix.serveLegacy(w, r)
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 Method Not Allowed", http.StatusMethodNotAllowed)
	case p == "/simple/":
		ix.serveSimpleIndex(w, r)
	case strings.HasPrefix(p, "/simple/"):
		ix.serveSimpleProject(w, r)
	case strings.HasPrefix(p, "/pypi/"):
		ix.serveJSON(w, r)
	case strings.HasPrefix(p, "/integrity/"):
		ix.serveProvenance(w, r)
	default:
		ix.serveFile(w, r)
	}
}

// Files returns the stored files, in upload order.
func (s *Server) Files() []File {
	ix := s.index
	ix.mu.Lock()
	defer ix.mu.Unlock()
	out := make([]File, len(ix.files))
	for i, f := range ix.files {
		out[i] = f.withContent()
	}
	return out
}

// File returns the stored file named filename.
func (s *Server) File(filename string) (File, bool) {
	ix := s.index
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if f, ok := ix.byName[filename]; ok {
		return f.withContent(), true
	}
	return File{}, false
}

// Uploads returns every request the upload endpoint received, oldest
// first, with the answer given.
func (s *Server) Uploads() []Upload {
	ix := s.index
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return slices.Clone(ix.uploads)
}

// DeleteFile deletes the stored file named filename, as a project owner
// can at PyPI; its name can never be uploaded again ("This filename was
// previously used..."). It reports whether the file existed.
func (s *Server) DeleteFile(filename string) bool {
	ix := s.index
	ix.mu.Lock()
	defer ix.mu.Unlock()
	f, ok := ix.byName[filename]
	if !ok {
		return false
	}
	ix.files = slices.DeleteFunc(ix.files, func(g *File) bool { return g == f })
	delete(ix.byName, filename)
	delete(ix.byBLAKE2, f.BLAKE2b256)
	ix.deleted[filename] = true
	os.Remove(f.path)
	p := ix.projects[normalizeProject(f.Project)]
	for _, r := range p.releases {
		r.files = slices.DeleteFunc(r.files, func(g *File) bool { return g == f })
	}
	ix.serial++
	return true
}

// SetMaxFileSize sets the largest file the index accepts (default 100
// MiB, PyPI's default); larger ones get PyPI's "File too large" answer.
func (s *Server) SetMaxFileSize(n int64) {
	ix := s.index
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.maxFileSize = n
}
