package upload

import (
	"fmt"
	"strings"
	"time"

	"github.com/trustpub/pypi/dist"
)

// Outcome is what became of one file.
type Outcome int

// The outcomes of a file. Upload and UploadAll never return
// OutcomeNotSent: it is the state of a file before its upload, or of one
// a caller decides not to send.
const (
	OutcomeNotSent        Outcome = iota // not sent (yet)
	OutcomeUploaded                      // the index accepted it (a 2xx; see Client.Upload)
	OutcomeAlreadyPresent                // the index lists the same file (same name and sha256)
	OutcomeSkipped                       // SkipExisting, and the index said the file exists
	OutcomeFailed                        // not on the index; Result.Err says why
)

var outcomeNames = []string{"not sent", "uploaded", "already present", "skipped", "failed"}

// String returns "not sent", "uploaded", "already present", "skipped" or
// "failed".
func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return fmt.Sprintf("Outcome(%d)", int(o))
	}
	return outcomeNames[o]
}

// MarshalText returns String, with "_" for spaces: "already_present".
func (o Outcome) MarshalText() ([]byte, error) {
	return []byte(strings.ReplaceAll(o.String(), " ", "_")), nil
}

// OK reports whether the file is on the index: uploaded, already present
// or skipped as existing.
func (o Outcome) OK() bool {
	return o == OutcomeUploaded || o == OutcomeAlreadyPresent || o == OutcomeSkipped
}

// Result is what became of one file.
type Result struct {
	File     string // base name of the distribution file
	Dist     *dist.Distribution
	Outcome  Outcome
	Status   int   // HTTP status of the last answer; 0 if none
	Attempts int   // uploads tried (0 when the index already had it)
	BodySize int64 // bytes of the upload body
	Duration time.Duration
	// Message is the index's message when it said the file exists.
	Message string
	// Body is the start (at most MaxResultBody bytes) of the last
	// answer's body, every secret the client knows redacted, for a
	// verbose log as twine --verbose shows it. It is the index's text:
	// sanitize it before printing.
	Body []byte
	// Mismatch names both digests when SkipMismatched skipped a file the
	// index holds with other bytes.
	Mismatch *MismatchError
	Err      error // nil unless Outcome is OutcomeFailed
}
