package pypitest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// A Reply is a canned HTTP answer that replaces an endpoint's normal one, so
// that a client's error paths can be tested: see [Server.SetMintReply] and
// [Server.FailUploads].
type Reply struct {
	// Status is the HTTP status code; 0 means 200.
	Status int
	// ContentType is sent as the Content-Type header; "" sends none.
	ContentType string
	// Body is the response body, sent as it is.
	Body string
	// Delay holds the answer back this long, or until the client gives up
	// (use it to test timeouts).
	Delay time.Duration
}

// JSONReply returns a Reply with the given status and a JSON body.
func JSONReply(status int, body string) *Reply {
	return &Reply{Status: status, ContentType: "application/json", Body: body}
}

// HTMLReply returns a Reply with the given status and an HTML error page
// such as a proxy or load balancer in front of an index sends, e.g. for 502
// or 503 during an outage.
func HTMLReply(status int) *Reply {
	title := strconv.Itoa(status) + " " + http.StatusText(status)
	return &Reply{
		Status:      status,
		ContentType: "text/html; charset=utf-8",
		Body: fmt.Sprintf("<html>\n<head><title>%s</title></head>\n<body>\n<h1>%s</h1>\n"+
			"<p>The server is temporarily unable to service your request.</p>\n</body>\n</html>\n", title, title),
	}
}

// serve writes r to w, after its Delay unless the request is cancelled first.
func (r *Reply) serve(w http.ResponseWriter, req *http.Request) {
	if !delayAnswer(req, r.Delay) {
		return
	}
	if r.ContentType != "" {
		w.Header().Set("Content-Type", r.ContentType)
	} else {
		w.Header()["Content-Type"] = nil // no sniffed type either
	}
	status := r.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(r.Body))
}

// delayAnswer waits d, or less if req's client goes away first, and reports
// whether the client is still there to be answered.
func delayAnswer(req *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-req.Context().Done():
		return false
	}
}
