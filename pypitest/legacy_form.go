package pypitest

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"golang.org/x/crypto/blake2b"
)

const maxTextPart = 16 << 20 // bytes of one text field; a description is far smaller

// uploadForm is an upload request's form, read in full.
type uploadForm struct {
	fields  []FormField
	content *contentPart // nil without a "content" file part
}

// contentPart is the uploaded file: its bytes up to the size limit, and
// the size and digests of all of it.
type contentPart struct {
	filename, contentType string
	data                  []byte // the bytes, if whole (see whole)
	whole                 bool   // data holds the file: it was within the limit
	size                  int64
	sha256, blake2, md5   string
}

// values returns every value of the named text field.
func (f *uploadForm) values(name string) []string {
	var out []string
	for _, fl := range f.fields {
		if fl.Name == name && !fl.IsFile {
			out = append(out, fl.Value)
		}
	}
	return out
}

// value returns the named field's first value, or "".
func (f *uploadForm) value(name string) string {
	if v := f.values(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// readUploadForm reads body as the request's form: multipart (as clients
// send uploads) or URL-encoded. The content part is kept in memory up to
// limit bytes and hashed whole.
func readUploadForm(r *http.Request, body io.Reader, limit int64) (*uploadForm, error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	form := &uploadForm{}
	if mt != "multipart/form-data" {
		b, err := io.ReadAll(io.LimitReader(body, maxTextPart))
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		for name, vs := range r.PostForm {
			for _, v := range vs {
				form.fields = append(form.fields, FormField{Name: name, Value: v})
			}
		}
		return form, nil
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return form, nil
		}
		if err != nil {
			return nil, err
		}
		if p.FormName() == "content" && p.FileName() != "" && form.content == nil {
			if form.content, err = readContent(p, limit); err != nil {
				return nil, err
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, maxTextPart+1))
		if err != nil {
			return nil, err
		}
		if len(b) > maxTextPart {
			return nil, errors.New("form field too large")
		}
		form.fields = append(form.fields, FormField{Name: p.FormName(), Value: string(b), IsFile: p.FileName() != ""})
	}
}

// readContent reads the file part, hashing all of it.
func readContent(p *multipart.Part, limit int64) (*contentPart, error) {
	c := &contentPart{filename: p.FileName(), contentType: p.Header.Get("Content-Type")}
	hs := []hash.Hash{sha256.New(), md5.New()}
	b2, _ := blake2b.New256(nil)
	hs = append(hs, b2)
	var buf bytes.Buffer
	w := io.MultiWriter(hs[0], hs[1], hs[2], &limitedBuffer{&buf, limit})
	n, err := io.Copy(w, p)
	if err != nil {
		return nil, err
	}
	c.size, c.whole = n, n <= limit
	if c.whole {
		c.data = buf.Bytes()
	}
	c.sha256, c.md5, c.blake2 = hex.EncodeToString(hs[0].Sum(nil)), hex.EncodeToString(hs[1].Sum(nil)), hex.EncodeToString(hs[2].Sum(nil))
	return c, nil
}

// limitedBuffer keeps the first limit bytes written and drops the rest,
// while reporting every write as complete.
type limitedBuffer struct {
	b     *bytes.Buffer
	limit int64
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.limit - int64(l.b.Len()); room > 0 {
		l.b.Write(p[:min(int64(len(p)), room)])
	}
	return len(p), nil
}

// sanitize does what Warehouse's sanitize does to the form: values whose
// stripped text is "UNKNOWN" are dropped, NUL characters become the text
// \x00.
func (f *uploadForm) sanitize() {
	kept := f.fields[:0]
	for _, fl := range f.fields {
		if !fl.IsFile && strings.TrimSpace(fl.Value) == "UNKNOWN" {
			continue
		}
		fl.Value = strings.ReplaceAll(fl.Value, "\x00", `\x00`)
		kept = append(kept, fl)
	}
	f.fields = kept
}
