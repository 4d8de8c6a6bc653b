package pypitest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trustpub/pypi/dist/pep440"
)

// Media types of the simple API (PEP 691).
const (
	simpleV1JSON = "application/vnd.pypi.simple.v1+json"
	simpleV1HTML = "application/vnd.pypi.simple.v1+html"
	simpleAPI    = "1.4"
)

// simpleFile is a file of a PEP 691 project page.
type simpleFile struct {
	Filename       string            `json:"filename"`
	URL            string            `json:"url"`
	Hashes         map[string]string `json:"hashes"`
	RequiresPython *string           `json:"requires-python"`
	Size           int64             `json:"size"`
	UploadTime     string            `json:"upload-time"`
	Yanked         bool              `json:"yanked"`
	DistInfoMeta   any               `json:"data-dist-info-metadata"`
	CoreMetadata   any               `json:"core-metadata"`
	Provenance     *string           `json:"provenance"`
}

// serveSimpleIndex lists the projects (GET /simple/).
func (ix *index) serveSimpleIndex(w http.ResponseWriter, r *http.Request) {
	ix.mu.Lock()
	var names []string
	for norm := range ix.projects {
		names = append(names, norm)
	}
	serial := ix.serial
	ix.mu.Unlock()
	slices.Sort(names)
	mt := preferred(r.Header.Get("Accept"), "text/html", simpleV1HTML, simpleV1JSON)
	if mt == simpleV1JSON {
		type entry struct {
			Name string `json:"name"`
		}
		page := struct {
			Meta     map[string]any `json:"meta"`
			Projects []entry        `json:"projects"`
		}{Meta: map[string]any{"api-version": simpleAPI, "_last-serial": serial}, Projects: []entry{}}
		for _, n := range names {
			page.Projects = append(page.Projects, entry{n})
		}
		writeJSONAs(w, http.StatusOK, mt, page)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"%s\">\n    <title>Simple index</title>\n  </head>\n  <body>\n", simpleAPI)
	for _, n := range names {
		fmt.Fprintf(&b, "    <a href=\"/simple/%s/\">%s</a>\n", n, n)
	}
	b.WriteString("  </body>\n</html>\n")
	writeBody(w, http.StatusOK, htmlType(mt), []byte(b.String()))
}

// serveSimpleProject is a project's page, GET /simple/<name>/, in JSON or
// HTML as Accept prefers (HTML by default).
func (ix *index) serveSimpleProject(w http.ResponseWriter, r *http.Request) {
	name := strings.Trim(strings.TrimPrefix(r.URL.Path, "/simple/"), "/")
	if norm := normalizeProject(name); norm != name || !strings.HasSuffix(r.URL.Path, "/") {
		http.Redirect(w, r, "/simple/"+norm+"/", http.StatusMovedPermanently)
		return
	}
	files, versions, serial, ok := ix.projectFiles(r, name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "max-age=600, public")
	mt := preferred(r.Header.Get("Accept"), "text/html", simpleV1HTML, simpleV1JSON)
	if mt == simpleV1JSON {
		writeJSONAs(w, http.StatusOK, mt, map[string]any{
			"meta":           map[string]any{"api-version": simpleAPI, "_last-serial": serial},
			"name":           name,
			"project-status": map[string]string{"status": "active"},
			"versions":       versions,
			"files":          files,
		})
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"%s\">\n    <meta name=\"pypi:project-status\" content=\"active\">\n    <title>Links for %s</title>\n  </head>\n  <body>\n    <h1>Links for %s</h1>\n", simpleAPI, name, name)
	for _, f := range files {
		fmt.Fprintf(&b, "    <a href=\"%s#sha256=%s\"", html.EscapeString(f.URL), f.Hashes["sha256"])
		if f.RequiresPython != nil {
			fmt.Fprintf(&b, " data-requires-python=\"%s\"", html.EscapeString(*f.RequiresPython))
		}
		if m, ok := f.CoreMetadata.(map[string]string); ok {
			fmt.Fprintf(&b, " data-dist-info-metadata=\"sha256=%s\" data-core-metadata=\"sha256=%s\"", m["sha256"], m["sha256"])
		}
		if f.Provenance != nil {
			fmt.Fprintf(&b, " data-provenance=\"%s\"", html.EscapeString(*f.Provenance))
		}
		fmt.Fprintf(&b, ">%s</a><br />\n", html.EscapeString(f.Filename))
	}
	b.WriteString("  </body>\n</html>\n")
	writeBody(w, http.StatusOK, htmlType(mt), []byte(b.String()))
}

// htmlType is the Content-Type of an HTML page of the simple API, for the
// media type mt that Accept chose: the versioned type if asked for.
func htmlType(mt string) string {
	if mt == simpleV1HTML {
		return mt
	}
	return "text/html"
}

// projectFiles lists a project's files as the simple API shows them, its
// versions (PEP 440 order) and the serial; ok is false for no project.
func (ix *index) projectFiles(r *http.Request, norm string) (files []simpleFile, versions []string, serial int, ok bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	p := ix.projects[norm]
	if p == nil {
		return nil, nil, 0, false
	}
	for _, rel := range p.releases {
		versions = append(versions, rel.version)
	}
	sortVersions(versions)
	files = []simpleFile{} // by version, then file name, as Warehouse lists them
	for _, v := range versions {
		rel := p.releases[releaseKey(v)]
		sorted := slices.SortedFunc(slices.Values(rel.files), func(a, b *File) int { return strings.Compare(a.Filename, b.Filename) })
		for _, f := range sorted {
			files = append(files, newSimpleFile(r, f))
		}
	}
	return files, versions, ix.serial, true
}

// newSimpleFile describes f as a PEP 691 project page does.
func newSimpleFile(r *http.Request, f *File) simpleFile {
	sf := simpleFile{
		Filename:   f.Filename,
		URL:        fileURL(r, f),
		Hashes:     map[string]string{"sha256": f.SHA256},
		Size:       f.Size,
		UploadTime: f.UploadedAt.UTC().Format("2006-01-02T15:04:05.000000Z"),
	}
	if f.RequiresPython != "" {
		sf.RequiresPython = &f.RequiresPython
	}
	m := coreMetadata(f)
	sf.DistInfoMeta, sf.CoreMetadata = m, m
	if f.Provenance != nil {
		u := origin(r) + provenancePath(f)
		sf.Provenance = &u
	}
	return sf
}

// coreMetadata is f's core-metadata value in the simple and JSON APIs
// (PEP 658, PEP 714): the hashes of its core metadata file, or false when
// it has none.
func coreMetadata(f *File) any {
	if f.Metadata == nil {
		return false
	}
	sum := sha256.Sum256(f.Metadata)
	return map[string]string{"sha256": hex.EncodeToString(sum[:])}
}

// filePath is where the index serves f: /packages/<blake2 path>/<name>,
// as PyPI stores files.
func filePath(f *File) string {
	b := f.BLAKE2b256
	return fmt.Sprintf("/packages/%s/%s/%s/%s", b[:2], b[2:4], b[4:], f.Filename)
}

// fileURL is f's absolute URL, on the host r was sent to.
func fileURL(r *http.Request, f *File) string { return origin(r) + filePath(f) }

// origin is the scheme and host r was sent to, e.g. http://127.0.0.1:8080.
func origin(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// sortVersions sorts versions in PEP 440 order (unparseable ones first).
func sortVersions(versions []string) {
	slices.SortFunc(versions, func(a, b string) int {
		va, errA := pep440.Parse(a)
		vb, errB := pep440.Parse(b)
		switch {
		case errA != nil || errB != nil:
			return strings.Compare(a, b)
		}
		return pep440.Compare(va, vb)
	})
}

// jsonFile is a file of the JSON API.
type jsonFile struct {
	Filename          string            `json:"filename"`
	Packagetype       string            `json:"packagetype"`
	PythonVersion     string            `json:"python_version"`
	HasSig            bool              `json:"has_sig"`
	CommentText       string            `json:"comment_text"`
	MD5Digest         string            `json:"md5_digest"`
	Digests           map[string]string `json:"digests"`
	CoreMetadata      any               `json:"core-metadata"`
	Size              int64             `json:"size"`
	UploadTime        string            `json:"upload_time"`
	UploadTimeISO8601 string            `json:"upload_time_iso_8601"`
	URL               string            `json:"url"`
	RequiresPython    *string           `json:"requires_python"`
	Yanked            bool              `json:"yanked"`
	YankedReason      *string           `json:"yanked_reason"`
}

// serveJSON is the JSON API: GET /pypi/<name>/json and
// /pypi/<name>/<version>/json.
func (ix *index) serveJSON(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/pypi/"), "/"), "/")
	if len(parts) < 2 || len(parts) > 3 || parts[len(parts)-1] != "json" {
		http.NotFound(w, r)
		return
	}
	name, version := parts[0], ""
	if len(parts) == 3 {
		version = parts[1]
	}
	if norm := normalizeProject(name); norm != name {
		http.Redirect(w, r, "/pypi/"+strings.Join(append([]string{norm}, parts[1:]...), "/"), http.StatusMovedPermanently)
		return
	}
	body, ok := ix.projectJSON(r, name, version)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	w.Header().Set("X-PyPI-Last-Serial", fmt.Sprint(body["last_serial"]))
	writeJSON(w, http.StatusOK, body)
}

// projectJSON builds the JSON API's answer for a project, or one release.
func (ix *index) projectJSON(r *http.Request, norm, version string) (map[string]any, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	p := ix.projects[norm]
	if p == nil {
		return nil, false
	}
	releases := map[string][]jsonFile{}
	var versions []string
	for _, rel := range p.releases {
		versions = append(versions, rel.version)
		list := []jsonFile{}
		for _, f := range rel.files {
			list = append(list, newJSONFile(r, f))
		}
		releases[rel.version] = list
	}
	sortVersions(versions)
	chosen := versions[len(versions)-1]
	if version != "" {
		rel := p.releases[releaseKey(version)]
		if rel == nil {
			return nil, false
		}
		chosen = rel.version
	}
	info := map[string]any{"name": p.name, "version": chosen}
	if rel := p.releases[releaseKey(chosen)]; len(rel.files) > 0 {
		first := rel.files[0]
		for _, fl := range first.Fields {
			switch fl.Name {
			case "summary", "author", "author_email", "license", "home_page", "requires_python", "description_content_type":
				info[fl.Name] = fl.Value
			}
		}
	}
	body := map[string]any{"info": info, "last_serial": ix.serial, "urls": releases[chosen], "vulnerabilities": []any{}}
	if version == "" {
		body["releases"] = releases
	}
	return body, true
}

// newJSONFile describes f as the JSON API does.
func newJSONFile(r *http.Request, f *File) jsonFile {
	jf := jsonFile{
		Filename: f.Filename, Packagetype: f.Filetype, PythonVersion: f.PythonVersion, MD5Digest: f.MD5,
		Digests:           map[string]string{"md5": f.MD5, "sha256": f.SHA256, "blake2b_256": f.BLAKE2b256},
		Size:              f.Size,
		UploadTime:        f.UploadedAt.UTC().Format("2006-01-02T15:04:05"),
		UploadTimeISO8601: f.UploadedAt.UTC().Format(time.RFC3339Nano),
		URL:               fileURL(r, f),
		CoreMetadata:      coreMetadata(f),
	}
	if f.RequiresPython != "" {
		jf.RequiresPython = &f.RequiresPython
	}
	return jf
}

// serveFile serves a stored file, or its core metadata at <url>.metadata.
func (ix *index) serveFile(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	base, wantMeta := strings.CutSuffix(name, ".metadata")
	ix.mu.Lock()
	f := ix.byName[base]
	ix.mu.Unlock()
	switch {
	case f == nil || strings.TrimSuffix(r.URL.Path, ".metadata") != filePath(f) || wantMeta && f.Metadata == nil:
		http.NotFound(w, r)
	case wantMeta:
		writeBody(w, http.StatusOK, "application/octet-stream", f.Metadata)
	default:
		serveStored(w, r, f)
	}
}

// serveStored streams f's bytes from disk.
func serveStored(w http.ResponseWriter, r *http.Request, f *File) {
	file, err := os.Open(f.path)
	if err != nil { // deleted meanwhile
		http.NotFound(w, r)
		return
	}
	defer file.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(f.Size, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, file)
	}
}
