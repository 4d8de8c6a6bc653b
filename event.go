package pypi

import "github.com/trustpub/pypi/oidc"

// EventKind tells what an Event reports.
type EventKind int

// The kinds of events, in the order Publish reports them.
const (
	// EventChecked: a file was opened, hashed and checked, and its upload
	// form made. Result holds its size, digests, problems and final
	// Verdict; Outcome is not final yet. Reported for every file, in the
	// order of the files, before anything is sent.
	EventChecked EventKind = iota + 1
	// EventWarning: something the user should know; Warning says which,
	// Title and Message say what in a line each.
	EventWarning
	// EventAuthenticated: credentials were obtained; Message says which:
	// "trusted publishing", "an API token", "a username and password" or
	// "no credentials".
	EventAuthenticated
	// EventSending: Sent of Total bytes of File's upload body are sent.
	EventSending
	// EventDone: File is done; Result holds its final outcome. Reported
	// as each upload ends, so in the order the files finish, from the
	// goroutine that uploaded the file.
	EventDone
)

// Event is one step of Publish's work, reported to Options.Events.
type Event struct {
	Kind  EventKind
	File  string // base name of the file, for file events
	Sent  int64  // EventSending: body bytes sent in this attempt
	Total int64  // EventSending: the body's length
	// Attempt numbers the tries of one upload (EventSending), from 1.
	Attempt int
	Result  *Result // EventChecked, EventDone
	Title   string  // EventWarning: a short title
	Message string  // EventWarning, EventAuthenticated
	// Warning says which warning an EventWarning is.
	Warning Warning
	// Claims are the unverified claims of the identity token, for
	// WarningReusableWorkflow.
	Claims oidc.Claims
}

// Warning identifies an EventWarning, for callers that word it their own
// way.
type Warning int

const (
	// WarningOther (the zero value) is a warning without data of its own.
	WarningOther Warning = iota
	// WarningReusableWorkflow: the identity token shows a GitHub reusable
	// workflow (see oidc.Claims.ReusableWorkflow), which PyPI's Trusted
	// Publishing does not officially support.
	WarningReusableWorkflow
	// WarningAttestationsIgnored: attestations were requested but are not
	// sent, since the upload is not by Trusted Publishing to PyPI or
	// TestPyPI.
	WarningAttestationsIgnored
)
