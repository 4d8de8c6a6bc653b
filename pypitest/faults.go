package pypitest

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// faults are the misbehaviours a test asks of the index's endpoints.
type faults struct {
	fail      int    // uploads left to answer with failReply
	failReply *Reply //
	reset     int    // uploads left whose connection is cut mid-body
	resetAt   int64  // body bytes read before the cut
	lose      int    // uploads left stored without an answer
	latency   time.Duration
	bandwidth int64 // body bytes per second; 0 is unlimited
}

// uploadFault is what happens to one upload request.
type uploadFault struct {
	reply        *Reply // answer this instead of judging the upload
	resetAt      int64  // cut the connection after this many body bytes; -1 never
	loseResponse bool   // judge and store, then close without answering
	bandwidth    int64
}

// take decides the fault of the next upload (ix.mu held): a cut first,
// then a canned answer, then a lost response.
func (f *faults) take() uploadFault {
	u := uploadFault{resetAt: -1, bandwidth: f.bandwidth}
	switch {
	case f.reset > 0:
		f.reset--
		u.resetAt = f.resetAt
	case f.fail > 0:
		f.fail--
		u.reply = f.failReply
	case f.lose > 0:
		f.lose--
		u.loseResponse = true
	}
	return u
}

// FailUploads makes the next n upload requests get r (after their body
// is read) instead of being judged, e.g. HTMLReply(503) for an outage or
// &Reply{Status: 429} for rate limiting. Nothing is stored.
func (s *Server) FailUploads(n int, r *Reply) {
	ix := s.index
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.faults.fail, ix.faults.failReply = n, r
}

// ResetUploads makes the server cut the connection of the next n upload
// requests after reading afterBytes bytes of their body, as a failing
// network or proxy does. Nothing is stored.
func (s *Server) ResetUploads(n int, afterBytes int64) {
	ix := s.index
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.faults.reset, ix.faults.resetAt = n, afterBytes
}

// LoseUploadResponses makes the server judge and store the next n uploads
// as usual, then close the connection without answering: the client
// cannot tell whether the file was stored.
func (s *Server) LoseUploadResponses(n int) {
	ix := s.index
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.faults.lose = n
}

// SetLatency delays every answer of the upload, simple and JSON APIs by d
// (0 removes the delay).
func (s *Server) SetLatency(d time.Duration) {
	ix := s.index
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.faults.latency = d
}

// SetBandwidth limits how fast the server reads upload bodies, in bytes
// per second (0 removes the limit).
func (s *Server) SetBandwidth(bytesPerSecond int64) {
	ix := s.index
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.faults.bandwidth = bytesPerSecond
}

// delay waits out the latency fault; false means the client went away.
func (ix *index) delay(r *http.Request) bool {
	ix.mu.Lock()
	d := ix.faults.latency
	ix.mu.Unlock()
	return delayAnswer(r, d)
}

// errReset ends the body of an upload whose connection the test cuts.
var errReset = errors.New("pypitest: connection reset by the test")

// faultyBody is r's body as the upload's fault reads it: throttled, and
// cut after resetAt bytes.
func faultyBody(r *http.Request, f uploadFault) io.Reader {
	return &faultyReader{r: r.Body, left: f.resetAt, rate: f.bandwidth, start: time.Now()}
}

type faultyReader struct {
	r     io.Reader
	left  int64 // bytes before the cut; -1 never
	rate  int64 // bytes per second; 0 unlimited
	read  int64
	start time.Time
}

func (f *faultyReader) Read(p []byte) (int, error) {
	if f.left == 0 {
		return 0, errReset
	}
	if f.left > 0 && int64(len(p)) > f.left {
		p = p[:f.left]
	}
	if f.rate > 0 && int64(len(p)) > f.rate/10 {
		p = p[:max(1, f.rate/10)] // at most a tenth of a second's worth at once
	}
	n, err := f.r.Read(p)
	f.read += int64(n)
	if f.left > 0 {
		f.left -= int64(n)
	}
	if f.rate > 0 {
		due := f.start.Add(time.Duration(f.read * int64(time.Second) / f.rate))
		time.Sleep(time.Until(due))
	}
	return n, err
}

// closeConnection drops the client's connection without an answer.
func closeConnection(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
		return
	}
	panic(http.ErrAbortHandler) // HTTP/2: net/http resets the stream
}
