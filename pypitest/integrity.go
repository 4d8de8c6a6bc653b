package pypitest

import (
	"net/http"
	"net/url"
	"strings"
)

// integrityV1JSON is the media type of PyPI's integrity API
// (warehouse/api/integrity.py), preferred to application/json.
const integrityV1JSON = "application/vnd.pypi.integrity.v1+json"

// provenancePath is the integrity API's path of f's provenance.
func provenancePath(f *File) string {
	return "/integrity/" + url.PathEscape(normalizeProject(f.Project)) + "/" + url.PathEscape(f.Version) + "/" +
		url.PathEscape(f.Filename) + "/provenance"
}

// serveProvenance answers GET /integrity/{project}/{version}/{filename}/provenance
// as Warehouse's provenance_for_file does: the provenance object of a file
// uploaded with attestations, {"message": "No provenance available for
// {filename}"} with 404 for a file without, a plain 404 for a path that
// names no file of that project and version, and 406 when the Accept
// header takes neither JSON type.
func (ix *index) serveProvenance(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/integrity/"), "/")
	if len(parts) != 4 || parts[3] != "provenance" {
		http.NotFound(w, r)
		return
	}
	ix.mu.Lock()
	f := ix.byName[parts[2]]
	found := f != nil && normalizeProject(f.Project) == normalizeProject(parts[0]) && releaseKey(f.Version) == releaseKey(parts[1])
	var filename string
	var prov []byte
	if found {
		filename, prov = f.Filename, f.Provenance
	}
	ix.mu.Unlock()
	if !found {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Vary", "Accept")
	mt := preferred(r.Header.Get("Accept"), integrityV1JSON, "application/json")
	switch {
	case mt == "":
		writeJSON(w, http.StatusNotAcceptable, map[string]string{"message": "Request not acceptable"})
	case prov == nil:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "No provenance available for " + filename})
	default:
		w.Header().Set("Cache-Control", "max-age=600, public")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		writeBody(w, http.StatusOK, mt, prov)
	}
}
