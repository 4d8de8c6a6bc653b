package pypitest

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// Warehouse's answers to credentials it refuses before reading the upload
// (warehouse/accounts/security_policy.py, forklift/legacy.py).
const (
	passwordAuthMessage = "Username/Password authentication is no longer supported. " +
		"Migrate to API Tokens or Trusted Publishers instead. " +
		"See https://pypi.org/help/#apitoken and https://pypi.org/help/#trusted-publishers"
	invalidAuthMessage = "Invalid or non-existent authentication information. " +
		"See https://pypi.org/help/#invalid-auth for more information."
)

// An Identity is who an upload request's credentials prove the uploader to
// be, as Warehouse's security policies see it.
type Identity struct {
	// User is the account of a password or an API token; "" for a token
	// minted by trusted publishing.
	User string
	// Publisher is the trusted publisher that minted the token; nil for
	// other credentials. Its Project is the first of Projects.
	Publisher *GitHubPublisher
	// Projects are the projects the credentials may upload to; nil means
	// any project.
	Projects []string
	// NotBefore and Expires bound the life of a minted token; both are zero
	// for credentials that do not expire.
	NotBefore, Expires time.Time

	apiToken bool // an API token registered with AddAPIToken
}

// authError is a refusal of an upload request, with the status and message
// Warehouse gives (the message goes in the status line and the body).
type authError struct {
	status  int
	message string
}

func (e *authError) Error() string { return e.message }

func forbidden(message string) *authError {
	return &authError{status: http.StatusForbidden, message: message}
}

// AddUser makes the server accept HTTP Basic authentication with username
// and password, for uploads to projects (any project if none are given).
// PyPI refuses passwords; use this to test clients against indexes that
// accept them. It panics if username is "" or "__token__".
func (s *Server) AddUser(username, password string, projects ...string) {
	if username == "" || username == "__token__" {
		panic("pypitest: AddUser needs a username other than __token__")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.passwords[username+":"+password] = &Identity{User: username, Projects: nilIfEmpty(projects)}
}

// AddAPIToken makes the server accept token, an API token of user's, for
// uploads to projects (any project if none are given), as PyPI accepts a
// project-scoped or account-wide token. It panics unless token starts with
// "pypi-".
func (s *Server) AddAPIToken(user, token string, projects ...string) {
	if !strings.HasPrefix(token, "pypi-") || len(token) == len("pypi-") {
		panic(`pypitest: AddAPIToken needs a token of the form "pypi-..."`)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = &Identity{User: user, Projects: nilIfEmpty(projects), apiToken: true}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// authorize judges an upload request's credentials as Warehouse's security
// policies do, before the form is read (warehouse/forklift/legacy.py, file_upload), and
// returns who they prove the uploader to be. In order:
//   - Basic authentication with a username other than __token__ is refused
//     with 403 and PyPI's password message, unless the username and
//     password were registered with AddUser;
//   - "Basic __token__:<token>" (token trimmed of spaces), "token <token>"
//     and "bearer <token>" (any case) must carry a token the server minted
//     or one registered with AddAPIToken; anything else, including no
//     Authorization header, is refused with 403 and PyPI's invalid-auth
//     message.
//
// An expired token, or one scoped to other projects, is accepted here:
// Warehouse refuses it only when it checks the upload permission, which
// Identity.permits does.
func (s *Server) authorize(r *http.Request) (*Identity, error) {
	scheme, value, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	var key string
	switch strings.ToLower(scheme) {
	case "basic":
		decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
		if err != nil {
			return nil, forbidden(invalidAuthMessage)
		}
		user, password, found := strings.Cut(string(decoded), ":")
		if !found {
			return nil, forbidden(invalidAuthMessage)
		}
		if user == "__token__" {
			key = strings.TrimSpace(password)
			break
		}
		s.mu.Lock()
		c, ok := s.passwords[user+":"+password]
		s.mu.Unlock()
		if !ok {
			return nil, forbidden(passwordAuthMessage)
		}
		id := *c
		return &id, nil
	case "token", "bearer":
		key = value
	}
	s.mu.Lock()
	c, ok := s.tokens[key]
	s.mu.Unlock()
	if !ok {
		return nil, forbidden(invalidAuthMessage)
	}
	id := *c
	return &id, nil
}

// permits reports whether id may upload to project (its name as the index
// displays it) at time now, returning Warehouse's 403 refusal when it may
// not (warehouse/forklift/legacy.py, file_upload). A minted token's caveats are checked in
// Warehouse's order: publisher's projects first, then expiry.
func (id *Identity) permits(project string, now time.Time) error {
	allowed := id.Projects == nil || slices.ContainsFunc(id.Projects, func(p string) bool {
		return normalizeProject(p) == normalizeProject(project)
	})
	switch {
	case id.Publisher != nil && !allowed:
		return forbidden("Invalid API Token: OIDC scoped token is not valid for project '" + project + "'")
	case id.Publisher != nil && (now.Unix() < id.NotBefore.Unix() || now.Unix() >= id.Expires.Unix()):
		return forbidden("Invalid API Token: token is expired")
	case id.apiToken && !allowed:
		return forbidden("Invalid API Token: project-scoped token is not valid for project: " + pyfmt.Repr(project))
	case !allowed:
		return forbidden("The user '" + id.User + "' isn't allowed to upload to project '" + project +
			"'. See https://pypi.org/help/#project-name for more information.")
	}
	return nil
}
