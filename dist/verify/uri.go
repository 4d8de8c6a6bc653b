package verify

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// The rfc3986 2.0.0 grammar pieces Warehouse's URL check relies on.
const (
	reIPv4     = `(?:[0-9]{1,3}\.){3}[0-9]{1,3}`
	reH16      = `[0-9A-Fa-f]{1,4}`
	reLS32     = `(?:` + reH16 + `:` + reH16 + `|` + reIPv4 + `)`
	reIPv6     = `(?:(?:` + reH16 + `:){6}` + reLS32 + `|::(?:` + reH16 + `:){5}` + reLS32 + `|(?:` + reH16 + `)?::(?:` + reH16 + `:){4}` + reLS32 + `|(?:(?:` + reH16 + `:)?` + reH16 + `)?::(?:` + reH16 + `:){3}` + reLS32 + `|(?:(?:` + reH16 + `:){0,2}` + reH16 + `)?::(?:` + reH16 + `:){2}` + reLS32 + `|(?:(?:` + reH16 + `:){0,3}` + reH16 + `)?::` + reH16 + `:` + reLS32 + `|(?:(?:` + reH16 + `:){0,4}` + reH16 + `)?::` + reLS32 + `|(?:(?:` + reH16 + `:){0,5}` + reH16 + `)?::` + reH16 + `|(?:(?:` + reH16 + `:){0,6}` + reH16 + `)?::)`
	reZoneChar = `(?:[A-Za-z0-9._~\-]|%[A-Fa-f0-9]{2})+`
	reRegName  = `(?:%[0-9A-Fa-f]{2}|[!$&'()\*+,;=A-Za-z0-9._~\-])*`
	reFuture   = `v[0-9A-Fa-f]+\.[A-Za-z0-9._~\-!$&'()\*+,;=:]+`
	reHost     = `(?:` + reRegName + `|` + reIPv4 + `|\[(?:` + reIPv6 + `(?:(?:%25|%)` + reZoneChar + `)?|` + reFuture + `)\])`
	reUserinfo = `(?:[A-Za-z0-9._~\-!$&'()\*+,;=:]|%[A-Fa-f0-9]{2})+`
)

var (
	uriRE          = regexp.MustCompile(`^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?://([^\\/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?`)
	subauthorityRE = regexp.MustCompile(`^(?:` + reUserinfo + `@)?(` + reHost + `):?([0-9]{1,5})?\n?$`) // Python's $ also matches before a final newline
	ipv4RE         = regexp.MustCompile(`^` + reIPv4 + `$`)
)

// ValidURL reports whether Warehouse's is_valid_uri(v,
// require_authority=False) accepts v: an http or https scheme (any case);
// an authority that parses must have a port up to 65535 (one that does
// not parse, such as "exa mple.com" or "256.1.1.1", is dropped); the path,
// once its dot segments are removed, and the query must not hold "[" or "]".
// It is not net/url's rule: "https://exa mple.com/" is valid here.
func ValidURL(v string) bool {
	m := uriRE.FindStringSubmatchIndex(v)
	part := func(i int) (string, bool) {
		if m[2*i] < 0 {
			return "", false
		}
		return v[m[2*i]:m[2*i+1]], true
	}
	scheme, hasScheme := part(1)
	if !hasScheme {
		return false
	}
	if s := strings.ToLower(scheme); s != "http" && s != "https" {
		return false
	}
	if path, _ := part(3); strings.ContainsAny(removeDotSegments(path), "[]") {
		return false
	}
	if query, _ := part(4); strings.ContainsAny(query, "[]") {
		return false
	}
	// rfc3986 re-parses the authority after normalising it (lowercase
	// host, "%" in an IPv6 zone as "%25"), which never changes the outcome.
	authority, _ := part(2)
	port, ok := authorityPort(authority)
	if !ok || port == "" {
		return true // rfc3986 drops an authority it cannot parse
	}
	n, err := strconv.Atoi(port)
	return err == nil && n <= 65535
}

// authorityPort is rfc3986's authority_info reduced to what matters
// here: ok is false when the authority does not parse or its host is
// IPv4-shaped with an octet over 255.
func authorityPort(authority string) (port string, ok bool) {
	if authority == "" {
		return "", false
	}
	m := subauthorityRE.FindStringSubmatch(authority)
	if m == nil {
		return "", false
	}
	if host := m[1]; ipv4RE.MatchString(host) {
		for _, octet := range strings.Split(host, ".") {
			if n, _ := strconv.Atoi(octet); n > 255 {
				return "", false
			}
		}
	}
	return m[2], true
}

// URL checks Home-page or Download-URL (field "home-page" or
// "download-url").
func URL(field, v string) error {
	if ValidURL(v) {
		return nil
	}
	return newError(field, RuleURL, pyfmt.Repr(v)+" is not a valid url.")
}

// ProjectURL checks one Project-URL entry, already split into its label
// and URL (each stripped), in Warehouse's order.
func ProjectURL(label, url string) error {
	switch {
	case label == "":
		return newError("project-url", RuleProjectURL, "Must have a label")
	case len([]rune(label)) > 32:
		return newError("project-url", RuleProjectURL, pyfmt.Repr(label)+" must be 32 characters or less.")
	case url == "":
		return newError("project-url", RuleProjectURL, "Must have a URL")
	case !ValidURL(url):
		return newError("project-url", RuleProjectURL, pyfmt.Repr(url)+" is not a valid url")
	}
	return nil
}

// SplitProjectURL splits a Project-URL value as packaging does: at the
// first comma, both parts stripped; with no comma the URL is "".
func SplitProjectURL(v string) (label, url string) {
	label, url, _ = strings.Cut(v, ",")
	return pyStrip(label), pyStrip(url)
}

// removeDotSegments is rfc3986's remove_dot_segments (RFC 3986 §5.2.4 as
// that library implements it), applied before the path is validated.
func removeDotSegments(s string) string {
	var out []string
	for _, seg := range strings.Split(s, "/") {
		switch {
		case seg == ".":
		case seg != "..":
			out = append(out, seg)
		case len(out) > 0:
			out = out[:len(out)-1]
		}
	}
	if strings.HasPrefix(s, "/") && (len(out) == 0 || out[0] != "") {
		out = append([]string{""}, out...)
	}
	if strings.HasSuffix(s, "/.") || strings.HasSuffix(s, "/..") {
		out = append(out, "")
	}
	return strings.Join(out, "/")
}
