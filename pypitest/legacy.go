package pypitest

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/dist/pep440"
	"github.com/trustpub/pypi/dist/verify"
	"github.com/trustpub/pypi/internal/pyfmt"
	"golang.org/x/crypto/blake2b"
)

const (
	slashMessage = "An upload was attempted to /legacy but the expected upload URL is /legacy/ (with a trailing slash)"
	uploadPage   = "<!DOCTYPE html>\n<html><head><title>Upload</title></head><body><h1>Upload</h1>" +
		"<p>This is the upload endpoint of the legacy API. Send a POST with :action=file_upload.</p></body></html>\n"
	releaseWindow = 14 * 24 * time.Hour // MAXIMUM_AGE_FOR_NEW_UPLOADS_DAYS
)

// rejection is an answer other than success: a status and Warehouse's
// message.
type rejection struct {
	status  int
	message string
}

func badRequest(format string, args ...any) *rejection {
	return &rejection{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// serveLegacy is the upload endpoint (warehouse/forklift/legacy.py, file_upload). The body is
// read whole before any answer, as Warehouse's WSGI stack does, so a
// client always gets to read the answer. The credentials are judged
// first, from the headers: the body of a request they do not authorise
// is read only for its :action, and dropped.
func (ix *index) serveLegacy(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeBody(w, http.StatusOK, "text/html; charset=utf-8", []byte(uploadPage))
		return
	}
	ix.mu.Lock()
	fault, limit := ix.faults.take(), ix.maxFileSize
	ix.mu.Unlock()
	id, authErr := ix.s.authorize(r)
	form, err := readUploadForm(r, faultyBody(r, fault), limit, ix.dir, authErr == nil)
	defer form.discard()
	if errors.Is(err, errReset) {
		ix.record(r, form, 0, "connection reset by the test", false)
		closeConnection(w)
		return
	}
	if err != nil {
		io.Copy(io.Discard, r.Body) // the rest, read and dropped, so that the client reads the answer
		ix.answer(w, r, form, &rejection{http.StatusBadRequest, "Invalid form: " + err.Error()}, false)
		return
	}
	if fault.reply != nil {
		ix.record(r, form, fault.reply.Status, "fault: "+http.StatusText(fault.reply.Status), false)
		fault.reply.serve(w, r)
		return
	}
	if !ix.routeAction(w, r, form) {
		return
	}
	rej, stored := ix.fileUpload(form, id, authErr)
	if fault.loseResponse {
		ix.record(r, form, 0, "response lost by the test", stored)
		closeConnection(w)
		return
	}
	ix.answer(w, r, form, rej, stored)
}

// routeAction answers the requests that are not a file upload, as
// Warehouse routes them (warehouse/forklift/__init__.py), and reports whether r is
// one: POST /legacy is redirected to /legacy/; the :action, from the
// query or the form, may be file_upload, a retired action (410), or
// missing (the upload page).
func (ix *index) routeAction(w http.ResponseWriter, r *http.Request, form *uploadForm) bool {
	if r.URL.Path == "/legacy" {
		ix.record(r, form, http.StatusPermanentRedirect, slashMessage, false)
		writeWithReason(w, http.StatusPermanentRedirect, slashMessage, http.Header{"Location": {"/legacy/"}}, "")
		return false
	}
	action := r.URL.Query().Get(":action")
	if action == "" {
		action = form.value(":action")
	}
	switch action {
	case "file_upload":
		return true
	case "submit", "submit_pkg_info":
		ix.answer(w, r, form, &rejection{http.StatusGone, "Project pre-registration is no longer required or supported, upload your files instead."}, false)
	case "doc_upload":
		ix.answer(w, r, form, &rejection{http.StatusGone, "Uploading documentation is no longer supported, we recommend using https://readthedocs.org/."}, false)
	case "":
		ix.record(r, form, http.StatusOK, "", false)
		writeBody(w, http.StatusOK, "text/html; charset=utf-8", []byte(uploadPage))
	default:
		ix.answer(w, r, form, &rejection{http.StatusNotFound, "Not Found"}, false)
	}
	return false
}

// answer records the upload and answers: 200 with an empty body, or the
// rejection as Warehouse words it.
func (ix *index) answer(w http.ResponseWriter, r *http.Request, form *uploadForm, rej *rejection, stored bool) {
	if rej == nil {
		ix.record(r, form, http.StatusOK, "", stored)
		w.WriteHeader(http.StatusOK)
		return
	}
	ix.record(r, form, rej.status, rej.message, false)
	writeWarehouseError(w, r, rej.status, rej.message)
}

// record appends an upload to the log.
func (ix *index) record(r *http.Request, form *uploadForm, status int, message string, stored bool) {
	u := Upload{UserAgent: r.UserAgent(), Status: status, Message: message, Stored: stored}
	if form != nil {
		u.Fields = form.fields
		if c := form.content; c != nil {
			u.Filename, u.ContentType, u.Size = c.filename, c.contentType, c.size
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.uploads = append(ix.uploads, u)
}

// fileUpload judges a file_upload in Warehouse's order
// (warehouse/forklift/legacy.py, file_upload), given the identity authorize found in its headers (or why it
// found none), and stores the file; nil means success.
func (ix *index) fileUpload(form *uploadForm, id *Identity, authErr error) (*rejection, bool) {
	var ae *authError
	if errors.As(authErr, &ae) {
		return &rejection{ae.status, ae.message}, false
	}
	received := form.fields
	form.fields = append([]FormField(nil), received...)
	defer func() { form.fields = received }() // the log keeps what was sent
	form.sanitize()
	for _, f := range form.fields {
		if f.IsFile && f.Name != "gpg_signature" {
			return badRequest("%s: Should not be a tuple.", f.Name), false
		}
	}
	if pv := form.value("protocol_version"); pv != "" && pv != "1" {
		return badRequest("Unknown protocol version."), false
	}
	if msg := checkFormFields(form); msg != "" {
		return badRequest("%s", msg), false
	}
	c := form.content
	if c == nil {
		return badRequest("Upload payload does not have a file."), false
	}
	d, openErr := openContent(c)
	metaProblems, fileProblems := judgeMetadata(form, c.filename, d)
	if msg := dist.PyPIReply(metaProblems); msg != "" {
		return badRequest("%s", msg), false
	}
	name := form.value("name")
	display, rej := ix.projectFor(name, id)
	if rej != nil {
		return rej, false
	}
	if err := id.permits(display, ix.s.now()); err != nil {
		errors.As(err, &ae)
		return &rejection{ae.status, ae.message}, false
	}
	filetype := form.value("filetype")
	if msg := checkFilename(c.filename, filetype); msg != "" {
		return badRequest("%s", msg), false
	}
	if strings.HasPrefix(c.contentType, "image/") {
		return badRequest("Invalid distribution file."), false
	}
	ix.mu.Lock()
	limit := ix.maxFileSize
	ix.mu.Unlock()
	if c.size > limit {
		return badRequest("File too large. Limit for project %s is %d MB. "+
			"See https://docs.pypi.org/project-management/storage-limits#requesting-a-file-size-limit-increase for more information.",
			pyfmt.Repr(display), limit>>20), false
	}
	for field, got := range map[string]string{"md5_digest": c.md5, "sha256_digest": c.sha256, "blake2_256_digest": c.blake2} {
		if v := form.value(field); v != "" && !strings.EqualFold(v, got) {
			return badRequest("The digest supplied does not match a digest calculated from the uploaded file."), false
		}
	}
	return ix.store(form, d, openErr, fileProblems, display, id)
}

// openContent opens the uploaded file as a distribution (nil when over
// the size limit), and computes the digests the index compares and
// stores (an sdist's in the read that opens it); a file that does not
// open is hashed apart.
func openContent(c *contentPart) (*dist.Distribution, error) {
	if c.file == nil {
		return nil, errors.New("pypitest: file over the size limit")
	}
	d, err := dist.OpenReaderAt(c.filename, c.file, c.size)
	if err != nil {
		c.sha256, c.blake2, c.md5 = hashContent(c)
		return nil, err
	}
	sums, err := d.Digests(true)
	if err != nil {
		return nil, err
	}
	c.sha256, c.blake2, c.md5 = sums.SHA256, sums.BLAKE2b256, sums.MD5
	return d, nil
}

// hashContent returns the sha256, blake2b-256 and md5 of c's file, or ""
// for all three if it cannot be read (no digest then matches).
func hashContent(c *contentPart) (sha, b2, md string) {
	b2h, _ := blake2b.New256(nil)
	hs := []hash.Hash{sha256.New(), b2h, md5.New()}
	if _, err := io.Copy(io.MultiWriter(hs[0], hs[1], hs[2]), io.NewSectionReader(c.file, 0, c.size)); err != nil {
		return "", "", ""
	}
	return hex.EncodeToString(hs[0].Sum(nil)), hex.EncodeToString(hs[1].Sum(nil)), hex.EncodeToString(hs[2].Sum(nil))
}

// judgeMetadata checks the form's metadata (with the file when it could
// be opened) under dist.PyPI, splitting the problems into those Warehouse
// finds in the metadata and those it finds in the file, later.
func judgeMetadata(form *uploadForm, filename string, d *dist.Distribution) (meta, file []*dist.Problem) {
	judged := dist.Distribution{Path: filename}
	if d != nil {
		judged = *d
	} else if fn, err := dist.ParseFilename(filename); err == nil {
		judged.Filename = fn
	} else {
		return nil, nil
	}
	judged.Metadata = formMetadata(form)
	for _, p := range judged.Check(dist.PyPI) {
		switch p.Field {
		case "filename", "archive", "WHEEL", "RECORD", "entry_points.txt", "metadata", "license-file":
			file = append(file, p)
		default:
			meta = append(meta, p)
		}
		if p.Rule == verify.RuleFieldTooNew && p.Severity == dist.SeverityWarning {
			// dist only warns of License-File below metadata version 2.4,
			// as uploaders leave it out of such uploads; this form
			// carries it, and packaging refuses it.
			refused := *p
			refused.Severity = dist.SeverityError
			meta = append(meta, &refused)
		}
	}
	return meta, file
}

// projectFor finds the project an upload of name goes to, returning its
// display name; a trusted publisher cannot create a project.
func (ix *index) projectFor(name string, id *Identity) (string, *rejection) {
	norm := normalizeProject(name)
	ix.s.mu.Lock()
	published := false
	for _, p := range ix.s.publishers {
		for _, q := range p.projects {
			published = published || normalizeProject(q) == norm
		}
	}
	ix.s.mu.Unlock()
	ix.mu.Lock()
	p := ix.projects[norm]
	ix.mu.Unlock()
	if p == nil && !published && id.Publisher != nil {
		return "", badRequest("Non-user identities cannot create new projects. This was probably caused by successfully using a " +
			"pending publisher but specifying the project name incorrectly (either in the publisher or in your project's metadata). " +
			"Please ensure that both match. See: https://docs.pypi.org/trusted-publishers/troubleshooting/")
	}
	return name, nil // Warehouse renames the project to the form's name
}

// store runs the checks against the files already stored, then the
// file's own (Warehouse's checks after the digests), and stores it.
func (ix *index) store(form *uploadForm, d *dist.Distribution, openErr error, fileProblems []*dist.Problem,
	display string, id *Identity) (*rejection, bool) {
	c := form.content
	now := ix.s.now()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if f, ok := ix.byName[c.filename]; ok && f.SHA256 == c.sha256 && f.BLAKE2b256 == c.blake2 {
		return nil, false // an exact re-upload: success, nothing stored
	}
	if ix.byName[c.filename] != nil || ix.byBLAKE2[c.blake2] != nil {
		return badRequest("File already exists (%s, with blake2_256 hash %s). See https://pypi.org/help/#file-name-reuse for more information.",
			pyfmt.Repr(c.filename), pyfmt.Repr(c.blake2)), false
	}
	if ix.deleted[c.filename] {
		return badRequest("This filename was previously used by a file that has since been deleted. Use a different version. " +
			"See https://pypi.org/help/#file-name-reuse for more information."), false
	}
	version := form.value("version")
	p := ix.projects[normalizeProject(display)]
	var rel *release
	if p != nil {
		rel = p.releases[releaseKey(version)]
	}
	if rel != nil && now.Sub(rel.created) > releaseWindow {
		return badRequest("Uploading new files to releases older than 14 days is not allowed."), false
	}
	if rel != nil && form.value("filetype") == "sdist" {
		for _, f := range rel.files {
			if f.Filetype == "sdist" {
				return badRequest("Only one sdist may be uploaded per release."), false
			}
		}
	}
	if openErr != nil {
		var ve *dist.ValidationError
		if errors.As(openErr, &ve) {
			if msg := dist.PyPIReply(ve.Problems); msg != "" {
				return badRequest("%s", msg), false
			}
		}
		return badRequest("Invalid distribution file. %s", openErr), false
	}
	if msg := dist.PyPIReply(fileProblems); msg != "" {
		return badRequest("%s", msg), false
	}
	var prov []byte
	if att := form.value("attestations"); att != "" {
		var msg string
		if prov, msg = ix.s.checkAttestations(att, c.filename, c.sha256, id); msg != "" {
			return badRequest("%s", attestationsPrefix+msg), false
		}
	}
	f := &File{
		Project: display, Version: version, Filename: c.filename, Filetype: form.value("filetype"),
		PythonVersion: form.value("pyversion"), Size: c.size, SHA256: c.sha256, BLAKE2b256: c.blake2, MD5: c.md5,
		RequiresPython: form.value("requires_python"), UploadedAt: now, Metadata: d.MetadataBytes,
		Attestations: form.value("attestations"), Provenance: prov, Fields: form.fields, Uploader: *id, path: c.file.Name(),
	}
	c.kept = true
	if p == nil {
		p = &project{releases: map[string]*release{}}
		ix.projects[normalizeProject(display)] = p
	}
	p.name = display
	if rel == nil {
		rel = &release{version: version, created: now}
		p.releases[releaseKey(version)] = rel
	}
	rel.files = append(rel.files, f)
	ix.files = append(ix.files, f)
	ix.byName[f.Filename], ix.byBLAKE2[f.BLAKE2b256] = f, f
	ix.serial++
	return nil, true
}

// releaseKey is the version a release is found by (canonical form).
func releaseKey(version string) string {
	if v, err := pep440.Parse(version); err == nil {
		return v.String()
	}
	return version
}
