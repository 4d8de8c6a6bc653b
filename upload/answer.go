package upload

import (
	"encoding/json"
	"html"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	maxErrorBody   = 64 << 10 // bytes of an error body kept
	maxMessageText = 1 << 10  // characters of a message taken from a body
)

// readError turns a non-2xx answer into an *Error; redact removes
// secrets from everything taken from the answer: the whole body is
// redacted before anything is taken from it or cut short, so that a
// secret cannot survive in pieces.
func readError(resp *http.Response, file, url string, legacyExists bool, redact func(string) string) *Error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	body := []byte(redact(string(raw)))
	e := &Error{
		File:       file,
		URL:        url,
		StatusCode: resp.StatusCode,
		Body:       body,
		Location:   redact(resp.Header.Get("Location")),
	}
	e.Message = redact(serverMessage(resp, body))
	e.classify(legacyExists)
	return e
}

// serverMessage finds the index's message: the JSON "code" (Warehouse)
// or "detail" (RFC 9457), else the reason phrase, else the text of an
// HTML or plain body; at most maxMessageText characters of it.
func serverMessage(resp *http.Response, body []byte) string {
	text := []rune(findMessage(resp, body))
	if len(text) > maxMessageText {
		return string(text[:maxMessageText]) + "…"
	}
	return string(text)
}

func findMessage(resp *http.Response, body []byte) string {
	code := strconv.Itoa(resp.StatusCode)
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if strings.HasSuffix(mt, "json") {
		if m := jsonMessage(body, code); m != "" {
			return m
		}
	}
	if reason, ok := strings.CutPrefix(resp.Status, code+" "); ok && reason != "" && reason != http.StatusText(resp.StatusCode) {
		return reason
	}
	var text string
	if mt == "text/html" || strings.HasPrefix(strings.TrimSpace(string(body)), "<") {
		text = htmlMessage(string(body))
	} else {
		text = firstLine(string(body))
	}
	text = strings.TrimSpace(strings.TrimPrefix(text, resp.Status))
	return strings.TrimSpace(strings.TrimPrefix(text, code+" "))
}

func jsonMessage(body []byte, code string) string {
	var v struct {
		Code    any    `json:"code"`
		Detail  string `json:"detail"`
		Message string `json:"message"`
		Title   string `json:"title"`
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	if s, ok := v.Code.(string); ok && s != "" {
		return strings.TrimPrefix(s, code+" ")
	}
	for _, s := range []string{v.Detail, v.Message, v.Title} {
		if s = strings.TrimSpace(s); s != "" {
			return collapse(s)
		}
	}
	return ""
}

var (
	tagRe   = regexp.MustCompile(`<[^>]*>`)
	breakRe = regexp.MustCompile(`(?is)<br\s*/?>\s*<br\s*/?>(.*?)</body>`)
	h1Re    = regexp.MustCompile(`(?is)<h1[^>]*>(.*?)</h1>`)
)

// htmlMessage reads Pyramid's error page ("<h1>status</h1> explanation
// <br/><br/> detail"): the detail, else the heading, else all the text.
func htmlMessage(page string) string {
	for _, re := range []*regexp.Regexp{breakRe, h1Re} {
		if m := re.FindStringSubmatch(page); m != nil {
			if t := htmlText(m[1]); t != "" {
				return t
			}
		}
	}
	return htmlText(page)
}

func htmlText(s string) string {
	return collapse(html.UnescapeString(tagRe.ReplaceAllString(s, " ")))
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return ""
}

// MaxResultBody bounds Result.Body.
const MaxResultBody = 4 << 10

// keptBody keeps the first maxErrorBody bytes read through it: the part
// of an answer that is judged.
type keptBody struct {
	io.ReadCloser
	kept []byte
}

func (b *keptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if room := maxErrorBody - len(b.kept); room > 0 {
		b.kept = append(b.kept, p[:min(n, room)]...)
	}
	return n, err
}

// resultBody cuts an answer's redacted text to MaxResultBody bytes, at
// the start of a UTF-8 sequence; redacting first means no secret can
// survive in part at the cut.
func resultBody(text string) []byte {
	if len(text) > MaxResultBody {
		cut := MaxResultBody
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	return []byte(text)
}
