package pypitest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
)

const (
	maxTextPart = 16 << 20 // bytes of one text field; a description is far smaller
	maxFormText = 32 << 20 // bytes of all the text fields of one request
	maxParts    = 1000     // parts of one request; an upload has a few dozen
	maxAction   = 64       // bytes of the :action kept from a refused request
)

// uploadForm is an upload request's form, read in full.
type uploadForm struct {
	fields  []FormField
	content *contentPart // nil without a "content" file part
}

// contentPart is the uploaded file: a temporary file holding its bytes
// when they are within the size limit, its size, and its digests once
// judged (see openContent).
type contentPart struct {
	filename, contentType string
	file                  *os.File // the bytes, or nil when over the limit
	kept                  bool     // the index stored the file: keep it on disk
	size                  int64
	sha256, blake2, md5   string
}

// discard closes the content's temporary file, removing it unless the
// index stored it.
func (f *uploadForm) discard() {
	if f == nil || f.content == nil || f.content.file == nil {
		return
	}
	c := f.content
	c.file.Close()
	if !c.kept {
		os.Remove(c.file.Name())
	}
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
// send uploads) or URL-encoded. The content part is streamed to a
// temporary file in dir, kept only when within limit bytes; on error
// nothing is left there. The text fields are bounded in size and number.
// Unless keep is set (the request's credentials were refused), nothing
// is kept but a multipart form's :action, for routing: the rest is read
// and dropped, so that requests without credentials cost no memory.
func readUploadForm(r *http.Request, body io.Reader, limit int64, dir string, keep bool) (_ *uploadForm, err error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	form := &uploadForm{}
	defer func() {
		if err != nil {
			form.discard()
		}
	}()
	if mt != "multipart/form-data" && !keep {
		_, err := io.Copy(io.Discard, body)
		return form, err
	}
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
	text := 0
	for parts := 1; ; parts++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			return form, nil
		}
		if err != nil {
			return nil, err
		}
		if parts > maxParts {
			return nil, errors.New("pypitest: too many form fields")
		}
		if !keep {
			if err := form.skim(p); err != nil {
				return nil, err
			}
			continue
		}
		if p.FormName() == "content" && p.FileName() != "" && form.content == nil {
			if form.content, err = readContent(p, limit, dir); err != nil {
				return nil, err
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, maxTextPart+1))
		if err != nil {
			return nil, err
		}
		if text += len(b); len(b) > maxTextPart || text > maxFormText {
			return nil, errors.New("pypitest: form field too large")
		}
		form.fields = append(form.fields, FormField{Name: p.FormName(), Value: string(b), IsFile: p.FileName() != ""})
	}
}

// skim keeps p if it is the first :action, a short text field, and drops
// anything else (the next part's reading skips the rest of p).
func (f *uploadForm) skim(p *multipart.Part) error {
	if p.FormName() != ":action" || p.FileName() != "" || f.value(":action") != "" {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(p, maxAction+1))
	if err == nil && len(b) <= maxAction {
		f.fields = append(f.fields, FormField{Name: ":action", Value: string(b)})
	}
	return err
}

// readContent streams the file part to a temporary file in dir, counting
// all of it but keeping it only when within limit bytes.
func readContent(p *multipart.Part, limit int64, dir string) (*contentPart, error) {
	c := &contentPart{filename: p.FileName(), contentType: p.Header.Get("Content-Type")}
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, err
	}
	c.file = f
	n, err := io.Copy(&limitedWriter{w: f, room: limit}, p)
	c.size = n
	if err != nil || n > limit { // over the limit only the size is kept
		f.Close()
		os.Remove(f.Name())
		c.file = nil
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// limitedWriter writes the first room bytes to w and drops the rest,
// while reporting every write as complete, so that a body over the limit
// is still read to its end.
type limitedWriter struct {
	w    io.Writer
	room int64
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.room > 0 {
		n, err := l.w.Write(p[:min(int64(len(p)), l.room)])
		l.room -= int64(n)
		if err != nil {
			return n, err
		}
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
