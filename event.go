package pypi

// EventKind tells what an Event reports.
type EventKind int

// The kinds of events, in the order Publish reports them.
const (
	// EventChecked: a file was opened, hashed and checked, and its upload
	// form made. Result holds its size, digests, problems and final
	// Verdict; Outcome is not final yet. Reported for every file, in the
	// order of the files, before anything is sent.
	EventChecked EventKind = iota + 1
	// EventWarning: something the user should know; Title and Message say
	// what (e.g. the job runs in a reusable workflow).
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
}
