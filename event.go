package pypi

import "github.com/trustpub/pypi/oidc"

// EventKind tells what an Event reports.
type EventKind int

// The kinds of events, in the order Publish reports them.
const (
	// EventKindChecked: a file was opened, hashed and checked, and its upload
	// form made. Result holds its size, digests, problems and final
	// Verdict; Outcome is not final yet. Reported for every file, in the
	// order of the files, before anything is sent.
	EventKindChecked EventKind = iota + 1
	// EventKindWarning: something the user should know; Warning says which,
	// Title and Message say what in a line each.
	EventKindWarning
	// EventKindAuthenticated: credentials were obtained; Message says which:
	// "trusted publishing", "an API token", "a username and password" or
	// "no credentials".
	EventKindAuthenticated
	// EventKindAttested: File's publish attestation was signed and written
	// beside it; the last of Result.Attestations is the new one. Reported
	// for each file attested, once all are, before anything is uploaded.
	EventKindAttested
	// EventKindSending: Sent of Total bytes of File's upload body are sent.
	EventKindSending
	// EventKindDone: File is done; Result holds its final outcome. Reported
	// as each upload ends, so in the order the files finish, from the
	// goroutine that uploaded the file.
	EventKindDone
)

// Event is one step of Publish's work, reported to Options.Events.
type Event struct {
	Kind  EventKind
	File  string // base name of the file, for file events
	Sent  int64  // EventKindSending: body bytes sent in this attempt
	Total int64  // EventKindSending: the body's length
	// Attempt numbers the tries of one upload (EventKindSending), from 1.
	Attempt int
	Result  *Result // EventKindChecked, EventKindDone
	Title   string  // EventKindWarning: a short title
	Message string  // EventKindWarning, EventKindAuthenticated
	// Warning says which warning an EventKindWarning is.
	Warning Warning
	// Claims are the unverified claims of the identity token, for
	// WarningReusableWorkflow.
	Claims oidc.Claims
}

// Warning identifies an EventKindWarning, for callers that word it their own
// way.
type Warning int

const (
	// WarningOther (the zero value) is a warning without data of its own.
	WarningOther Warning = iota
	// WarningReusableWorkflow: the identity token shows a GitHub reusable
	// workflow (see oidc.Claims.ReusableWorkflow), which PyPI's Trusted
	// Publishing does not officially support.
	WarningReusableWorkflow
	// WarningAttestationsIgnored: attestations are not generated, since
	// PyPI would refuse them: the job runs a reusable workflow whose file
	// name differs from its caller's (Claims holds the identity token's
	// claims).
	WarningAttestationsIgnored
)
