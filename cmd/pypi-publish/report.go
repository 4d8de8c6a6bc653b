package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/gha"
	"github.com/trustpub/pypi/upload"
)

// errorText renders err for people: a *pypi.FilesError lists its files'
// errors, indented, and an *upload.Error is followed by its hint, which
// its one-line Error leaves out.
func errorText(err error) string {
	var fe *pypi.FilesError
	if errors.As(err, &fe) {
		var b strings.Builder
		kind := pypi.ErrUploadFailed
		if errors.Is(err, pypi.ErrChecksFailed) {
			kind = pypi.ErrChecksFailed
		}
		fmt.Fprintf(&b, "%v (%d file(s)):", kind, len(fe.Errs))
		for _, e := range fe.Errs {
			b.WriteString("\n  ")
			b.WriteString(strings.ReplaceAll(errorText(e), "\n", "\n  "))
		}
		return b.String()
	}
	var ue *upload.Error
	if errors.As(err, &ue) && ue.Hint != "" {
		return err.Error() + "\n" + ue.Hint
	}
	return err.Error()
}

// responseText is what twine --verbose prints after the status of an
// upload's answer: its body (the start of it that upload.Result keeps,
// redacted there), or else the index's message; "" for an empty body.
// It is the index's text, to be printed through the sanitising writer.
func responseText(r *pypi.Result) string {
	if len(r.Body) > 0 {
		return strings.TrimRight(string(r.Body), "\r\n")
	}
	return r.Message
}

// checkLine is twine check's line for a file: its verdict.
func checkLine(r *pypi.Result) string {
	return "Checking " + r.File + ": " + r.Verdict.String()
}

// printHash prints a file's digests as the action's print-hash.py does.
func printHash(w io.Writer, r *pypi.Result) {
	path, err := filepath.Abs(r.Path)
	if err != nil {
		path = r.Path
	}
	fmt.Fprintf(w, "%s\n\nSHA256: %s\nMD5: %s\nBLAKE2-256: %s\n\n", path, r.Digests.SHA256, r.Digests.MD5, r.Digests.BLAKE2b256)
}

// printForm prints the exact form fields of a dry run, each value quoted
// as a Go string so that line breaks and spaces show.
func printForm(w io.Writer, r *pypi.Result, repository string) {
	fmt.Fprintf(w, "Would upload %s (%s) to %s with the form fields:\n", r.File, size(r.Size), repository)
	buf := make([]byte, 0, 4*quoteChunk+2)
	for _, f := range r.Form {
		io.WriteString(w, "  "+f.Name+" = \"")
		buf = writeQuoted(w, buf, f.Value)
		io.WriteString(w, "\"\n")
	}
	fmt.Fprintf(w, "  content = file %q (%d bytes, application/octet-stream)\n", r.File, r.Size)
}

// quoteChunk is how many bytes of a value writeQuoted quotes at a time.
const quoteChunk = 32 << 10

// writeQuoted writes s as strconv.Quote does, without its quotes, a chunk
// at a time so that a value of many megabytes (a description) is never
// copied whole; buf is the scratch space, returned for reuse. Chunks end
// at the start of a UTF-8 sequence, so each rune is quoted as in the
// whole string: no UTF-8 sequence holds a start byte past its first, and
// a byte with no start in the UTFMax-1 before it belongs to none.
func writeQuoted(w io.Writer, buf []byte, s string) []byte {
	for len(s) > 0 {
		n := min(len(s), quoteChunk)
		for i := n; i < len(s) && i > n-utf8.UTFMax; i-- {
			if utf8.RuneStart(s[i]) {
				n = i
				break
			}
		}
		buf = strconv.AppendQuote(buf[:0], s[:n])
		w.Write(buf[1 : len(buf)-1])
		s = s[n:]
	}
	return buf
}

// summary is the job summary: a Markdown table of the files.
func summary(results []pypi.Result, repository string, dryRun bool) string {
	var b strings.Builder
	title := summaryTitle(results, repository)
	if dryRun {
		title = "Dry run for " + repository + ": nothing was uploaded"
	}
	fmt.Fprintf(&b, "## %s\n\n| File | Check | Size | Outcome | SHA256 | BLAKE2-256 |\n|---|---|---:|---|---|---|\n", mdEscape(title))
	for _, r := range results {
		outcome := r.Outcome.String()
		if r.URL != "" {
			outcome = fmt.Sprintf("[%s](%s)", outcome, mdURL(r.URL))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | `%s` | `%s` |\n", gha.CodeSpan(r.File), r.Verdict, size(r.Size), outcome, r.Digests.SHA256, r.Digests.BLAKE2b256)
	}
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(&b, "\n%s\n\n%s", gha.CodeSpan(r.File), gha.CodeBlock(errorText(r.Err)))
		}
	}
	b.WriteString("\n")
	return b.String()
}

// mdURL makes a URL safe as a Markdown link's destination: on one line,
// without the spaces, parentheses and angle brackets that would end it.
func mdURL(u string) string { return mdURLEscaper.Replace(gha.Line(u)) }

// mdEscape keeps a URL or name from being read as Markdown.
func mdEscape(s string) string { return mdEscaper.Replace(s) }

// The replacers of mdURL and mdEscape, built once.
var (
	mdURLEscaper = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")
	mdEscaper    = strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)
)

// jsonFile is one file of the --json document.
type jsonFile struct {
	File     string         `json:"file"`
	Path     string         `json:"path"`
	Kind     string         `json:"kind,omitempty"`
	Name     string         `json:"name,omitempty"`
	Version  string         `json:"version,omitempty"`
	Size     int64          `json:"size"`
	Digests  jsonDigests    `json:"digests"`
	Verdict  pypi.Verdict   `json:"verdict"`
	Outcome  upload.Outcome `json:"outcome"`
	URL      string         `json:"url,omitempty"`
	Attempts int            `json:"attempts"`
	Problems []jsonProblem  `json:"problems"`
	Fields   []jsonField    `json:"fields"`
	// Attestations are those generated for the file.
	Attestations []jsonAttestation `json:"attestations"`
	Error        string            `json:"error,omitempty"`
}

type jsonDigests struct {
	SHA256     string `json:"sha256"`
	BLAKE2b256 string `json:"blake2b_256"`
	MD5        string `json:"md5"`
}

type jsonProblem struct {
	Field    string `json:"field"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

type jsonField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// jsonDocument is the --json document.
type jsonDocument struct {
	Repository string     `json:"repository"`
	DryRun     bool       `json:"dry_run"`
	OK         bool       `json:"ok"`
	Error      string     `json:"error,omitempty"`
	Files      []jsonFile `json:"files"`
}

// newJSONDocument returns the --json document of results with every form
// field's value left empty, and those values in order.
func newJSONDocument(results []pypi.Result, repository string, dryRun bool, err error) (jsonDocument, []string) {
	doc := jsonDocument{Repository: repository, DryRun: dryRun, OK: err == nil, Files: []jsonFile{}}
	if err != nil {
		doc.Error = errorText(err)
	}
	var values []string
	for _, r := range results {
		f := jsonFile{File: r.File, Path: r.Path, Name: r.Name, Version: r.Version, Size: r.Size,
			Digests: jsonDigests{r.Digests.SHA256, r.Digests.BLAKE2b256, r.Digests.MD5},
			Verdict: r.Verdict, Outcome: r.Outcome, URL: r.URL, Attempts: r.Attempts, Problems: []jsonProblem{}, Fields: []jsonField{},
			Attestations: jsonAttestations(&r)}
		if r.Kind != 0 {
			f.Kind = r.Kind.String()
		}
		for _, p := range r.Problems {
			sev := "error"
			if p.Severity == dist.SeverityWarning {
				sev = "warning"
			}
			f.Problems = append(f.Problems, jsonProblem{p.Field, p.Rule, sev, p.Message})
		}
		for _, fl := range r.Form {
			f.Fields = append(f.Fields, jsonField{Name: fl.Name})
			values = append(values, fl.Value)
		}
		if r.Err != nil {
			f.Error = errorText(r.Err)
		}
		doc.Files = append(doc.Files, f)
	}
	return doc, values
}

// emptyValue is how encoding/json indents a form field's empty value; no
// string's encoding holds it, since a quote inside a string is escaped.
const emptyValue = `"value": ""`

// writeJSON writes the --json document, escaped by gha.JSON so that no
// text in it can run a workflow command or drive a terminal. The form
// fields' values, a whole description among them, are streamed into
// their places rather than encoded within the document.
func writeJSON(w io.Writer, results []pypi.Result, repository string, dryRun bool, err error) error {
	doc, values := newJSONDocument(results, repository, dryRun, err)
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	rest := gha.JSON(b)
	bw := bufio.NewWriter(w)
	for _, v := range values {
		i := bytes.Index(rest, []byte(emptyValue)) + len(emptyValue) - len(`""`)
		bw.Write(rest[:i])
		if err := gha.WriteJSONString(bw, v); err != nil {
			return err
		}
		rest = rest[i+len(`""`):]
	}
	bw.Write(rest)
	bw.WriteByte('\n')
	return bw.Flush()
}
