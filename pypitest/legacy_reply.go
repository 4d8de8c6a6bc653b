package pypitest

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// explanations are Pyramid's texts for the statuses the upload endpoint
// answers with (pyramid/httpexceptions.py).
var explanations = map[int]string{
	http.StatusBadRequest:      "The server could not comply with the request since it is either malformed or otherwise incorrect.",
	http.StatusForbidden:       "Access was denied to this resource.",
	http.StatusNotFound:        "The resource could not be found.",
	http.StatusConflict:        "There was a conflict when trying to complete your request.",
	http.StatusGone:            "This resource is no longer available. No forwarding address is given.",
	http.StatusTooManyRequests: "The action could not be performed because there were too many requests by the client.",
}

// writeWarehouseError answers as Warehouse's _exc_with_message does
// (warehouse/forklift/legacy.py): the status line "<code> <message>", and a body that
// Accept chooses among HTML, JSON and plain text.
func writeWarehouseError(w http.ResponseWriter, r *http.Request, status int, message string) {
	explanation := explanations[status]
	line := strconv.Itoa(status) + " " + message
	var ctype, body string
	switch preferred(r.Header.Get("Accept"), "text/html", "application/json") {
	case "text/html":
		ctype = "text/html; charset=UTF-8"
		body = fmt.Sprintf("<html>\n <head>\n  <title>%s</title>\n </head>\n <body>\n  <h1>%s</h1>\n  %s<br/><br/>\n%s\n\n\n </body>\n</html>",
			html.EscapeString(line), html.EscapeString(line), html.EscapeString(explanation), html.EscapeString(message))
	case "application/json":
		ctype = "application/json"
		body = string(pyfmt.JSON(pyfmt.Object{
			{Key: "message", Value: explanation + "\n\n\n" + message + "\n\n"},
			{Key: "code", Value: line},
			{Key: "title", Value: http.StatusText(status)},
		}))
	default:
		ctype = "text/plain; charset=UTF-8"
		body = line + "\n\n" + explanation + "\n\n\n" + message + "\n\n"
	}
	writeWithReason(w, status, statusReason(message), http.Header{"Content-Type": {ctype}}, body)
}

// statusReason makes message fit a status line as WebOb sends it: Latin-1,
// other characters as "?", and no line breaks.
func statusReason(message string) string {
	var b strings.Builder
	for _, r := range message {
		switch {
		case r == '\r' || r == '\n':
			b.WriteByte(' ')
		case r > 0xff:
			b.WriteByte('?')
		default:
			b.WriteByte(byte(r))
		}
	}
	return b.String()
}

// writeWithReason writes a response whose status line carries reason,
// which net/http cannot do: it takes the connection over (HTTP/1.x) and
// closes it after the answer. Over HTTP/2, which has no reason phrase, it
// answers normally.
func writeWithReason(w http.ResponseWriter, status int, reason string, h http.Header, body string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		for k, v := range h {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", status, reason)
	h = h.Clone()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Connection", "close")
	h.Write(buf)
	buf.WriteString("\r\n")
	buf.WriteString(body)
	buf.Flush()
}

// preferred returns the offer the Accept header value prefers, by quality
// and then by the order of offers, or "" if it accepts none. An empty
// header accepts anything.
func preferred(accept string, offers ...string) string {
	best, bestQ := "", 0.0
	for _, offer := range offers {
		if q := quality(accept, offer); q > bestQ {
			best, bestQ = offer, q
		}
	}
	return best
}

// quality is the q value accept gives to the media type offer, taken from
// its most specific matching range.
func quality(accept, offer string) float64 {
	if strings.TrimSpace(accept) == "" {
		return 1
	}
	typ, _, _ := strings.Cut(offer, "/")
	q, specificity := 0.0, -1
	for _, rng := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(strings.TrimSpace(rng), ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		spec := -1
		switch {
		case mt == offer:
			spec = 2
		case mt == typ+"/*":
			spec = 1
		case mt == "*/*" || mt == "*":
			spec = 0
		}
		if spec <= specificity {
			continue
		}
		specificity, q = spec, 1
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.TrimSpace(k) == "q" {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
	}
	return q
}
