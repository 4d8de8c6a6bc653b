package verify

import (
	"mime"
	"slices"
	"strings"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// contentTypes is the order PyPI's message lists them in. (Python prints
// a set, so PyPI's own order varies from process to process.)
var contentTypes = []string{"text/x-rst", "text/plain", "text/markdown"}

// markdownVariants likewise.
var markdownVariants = []string{"GFM", "CommonMark"}

// DescriptionContentType checks the Description-Content-Type field as
// packaging 26.2 does: one of three types, charset exactly "UTF-8" (the
// comparison is case-sensitive, so PyPI refuses "utf-8"), and for Markdown
// a variant of GFM or CommonMark.
func DescriptionContentType(v string) error {
	const field = "description-content-type"
	mt, params, crash := parseContentType(v)
	if crash {
		e := newError(field, RuleContentType, pyfmt.Repr(v)+" is not a valid content type for 'description-content-type'")
		e.addDetail("PyPI fails with an internal error (HTTP 500) on this value")
		return e
	}
	if !slices.Contains(contentTypes, mt) || !strings.Contains(pyLower(v), mt) {
		return newError(field, RuleContentType, "'description-content-type' must be one of "+pyfmt.ReprValue(contentTypes)+", not "+pyfmt.Repr(v))
	}
	if cs, ok := params["charset"]; ok && cs != "UTF-8" {
		return newError(field, RuleContentType, "'description-content-type' can only specify the UTF-8 charset, not "+pyfmt.Repr(cs))
	}
	if variant, ok := params["variant"]; ok && mt == "text/markdown" && !slices.Contains(markdownVariants, variant) {
		return newError(field, RuleContentType, "valid Markdown variants for 'description-content-type' are "+pyfmt.ReprValue(markdownVariants)+", not "+pyfmt.Repr(variant))
	}
	return nil
}

// parseContentType reads v as Python's email package does for
// packaging: the type is the text before the first ";", stripped and
// lowercased, or text/plain unless it holds exactly one "/"; of the
// parameters, a bare one is ignored except "charset", which reads as "",
// and a repeated one keeps its first value. crash reports the bare
// "name*" parameter that makes packaging 26.2 raise IndexError.
func parseContentType(v string) (mediaType string, params map[string]string, crash bool) {
	head, rest, _ := strings.Cut(v, ";")
	mediaType = pyLower(pyStrip(head))
	if strings.Count(mediaType, "/") != 1 {
		mediaType = "text/plain"
	}
	var kept []string
	bare := map[string]bool{}
	seen := map[string]bool{}
	for _, p := range strings.Split(rest, ";") {
		name, _, hasValue := strings.Cut(p, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		switch {
		case name == "" || seen[name]:
		case !hasValue && strings.HasSuffix(name, "*"):
			return "", nil, true
		case !hasValue:
			bare[name] = true
		default:
			seen[name] = true
			kept = append(kept, p)
		}
	}
	_, params, err := mime.ParseMediaType(strings.Join(append([]string{"x/x"}, kept...), ";"))
	if err != nil || params == nil {
		params = map[string]string{}
	}
	if _, ok := params["charset"]; !ok && bare["charset"] {
		params["charset"] = ""
	}
	return mediaType, params, false
}
