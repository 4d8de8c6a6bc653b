package readme

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// directiveSpec describes a docutils directive: its arguments, options and
// content, and how its content is parsed.
type directiveSpec struct {
	required, optional int
	finalWhitespace    bool
	hasContent         bool
	options            map[string]optionKind
	body               bodyKind
}

// bodyKind says what a directive does with its content.
type bodyKind int

const (
	bodyNone             bodyKind = iota // content kept as text, or none
	bodyNested                           // content parsed as body elements
	bodyRequired                         // content required and parsed as body elements
	bodyRequiredRaw                      // content required, kept as text
	bodyInvisible                        // renders nothing in the fragment
	bodyDisabled                         // disabled by readme_renderer's settings
	bodySubstitutionOnly                 // valid only inside a substitution definition
)

// optionKind names a docutils option converter.
type optionKind int

const (
	optUnchanged optionKind = iota
	optRequired
	optFlag
	optNonNegInt
	optInt
	optPercentage
	optLength
	optLengthPercent
	optClass
	optAlignImage
	optAlignH
	optBacklinks
	optFigwidth
	optIntOrFlag // docutils' value_or((None,), int)
	optLoading
)

var (
	commonOpts = map[string]optionKind{"class": optClass, "name": optUnchanged}
	imageOpts  = map[string]optionKind{"alt": optUnchanged, "height": optLength, "width": optLengthPercent,
		"scale": optPercentage, "align": optAlignImage, "target": optRequired, "class": optClass,
		"name": optUnchanged, "loading": optLoading}
	figureOpts = map[string]optionKind{"alt": optUnchanged, "height": optLength, "width": optLengthPercent,
		"scale": optPercentage, "align": optAlignH, "target": optRequired, "class": optClass,
		"name": optUnchanged, "loading": optLoading, "figwidth": optFigwidth, "figclass": optClass,
		"figname": optUnchanged}
	tableOpts = map[string]optionKind{"header-rows": optNonNegInt, "stub-columns": optNonNegInt,
		"width": optLengthPercent, "widths": optRequired, "class": optClass, "name": optUnchanged, "align": optAlignH}
	csvOpts = map[string]optionKind{"header-rows": optNonNegInt, "stub-columns": optNonNegInt,
		"header": optUnchanged, "width": optLengthPercent, "widths": optRequired, "file": optRequired,
		"url": optRequired, "encoding": optRequired, "class": optClass, "name": optUnchanged, "align": optAlignH,
		"delim": optRequired, "keepspace": optFlag, "quote": optRequired, "escape": optRequired}
	codeOpts = map[string]optionKind{"class": optClass, "name": optUnchanged, "number-lines": optIntOrFlag}
)

func admonition() directiveSpec {
	return directiveSpec{finalWhitespace: true, hasContent: true, options: commonOpts, body: bodyRequired}
}

// directives is docutils' registry with its English names (DU 0.23 adds
// the image "loading" option).
var directives = map[string]directiveSpec{
	"attention": admonition(), "caution": admonition(), "danger": admonition(), "error": admonition(),
	"hint": admonition(), "important": admonition(), "note": admonition(), "tip": admonition(),
	"warning":    admonition(),
	"admonition": {required: 1, finalWhitespace: true, hasContent: true, options: commonOpts, body: bodyRequired},
	"topic":      {required: 1, finalWhitespace: true, hasContent: true, options: commonOpts, body: bodyRequired},
	"sidebar": {optional: 1, finalWhitespace: true, hasContent: true, body: bodyRequired,
		options: map[string]optionKind{"class": optClass, "name": optUnchanged, "subtitle": optRequired}},
	"line-block":     {hasContent: true, options: commonOpts, body: bodyRequiredRaw},
	"parsed-literal": {hasContent: true, options: commonOpts, body: bodyRequiredRaw},
	"code":           {optional: 1, hasContent: true, options: codeOpts, body: bodyRequiredRaw},
	"code-block":     {optional: 1, hasContent: true, options: codeOpts, body: bodyRequiredRaw},
	"sourcecode":     {optional: 1, hasContent: true, options: codeOpts, body: bodyRequiredRaw},
	"math":           {hasContent: true, options: commonOpts, body: bodyRequiredRaw},
	"rubric":         {required: 1, finalWhitespace: true, options: commonOpts},
	"epigraph":       {hasContent: true, body: bodyRequired},
	"highlights":     {hasContent: true, body: bodyRequired},
	"pull-quote":     {hasContent: true, body: bodyRequired},
	"compound":       {hasContent: true, options: commonOpts, body: bodyRequired},
	"container":      {optional: 1, finalWhitespace: true, hasContent: true, options: map[string]optionKind{"name": optUnchanged}, body: bodyRequired},
	"table":          {optional: 1, finalWhitespace: true, hasContent: true, options: tableOpts, body: bodyRequired},
	"csv-table":      {optional: 1, finalWhitespace: true, hasContent: true, options: csvOpts, body: bodyNone},
	"list-table":     {optional: 1, finalWhitespace: true, hasContent: true, options: tableOpts, body: bodyRequired},
	"image":          {required: 1, finalWhitespace: true, options: imageOpts},
	"figure":         {required: 1, finalWhitespace: true, hasContent: true, options: figureOpts, body: bodyNested},
	"meta":           {hasContent: true, body: bodyInvisible},
	"contents": {optional: 1, finalWhitespace: true, body: bodyNone,
		options: map[string]optionKind{"depth": optNonNegInt, "local": optFlag, "backlinks": optBacklinks, "class": optClass}},
	"sectnum": {options: map[string]optionKind{"depth": optInt, "start": optInt, "prefix": optRequired, "suffix": optRequired},
		body: bodyInvisible},
	"section-numbering": {options: map[string]optionKind{"depth": optInt, "start": optInt, "prefix": optRequired, "suffix": optRequired},
		body: bodyInvisible},
	"header":       {hasContent: true, body: bodyInvisible},
	"footer":       {hasContent: true, body: bodyInvisible},
	"target-notes": {options: commonOpts, body: bodyInvisible},
	"include": {required: 1, finalWhitespace: true, body: bodyDisabled, options: map[string]optionKind{
		"literal": optFlag, "code": optUnchanged, "encoding": optRequired, "parser": optRequired,
		"tab-width": optInt, "start-line": optInt, "end-line": optInt, "start-after": optRequired,
		"end-before": optRequired, "number-lines": optIntOrFlag, "class": optClass, "name": optUnchanged}},
	"raw": {required: 1, finalWhitespace: true, hasContent: true, body: bodyDisabled, options: map[string]optionKind{
		"file": optRequired, "url": optRequired, "encoding": optRequired, "class": optClass}},
	"replace": {hasContent: true, body: bodySubstitutionOnly},
	"unicode": {required: 1, finalWhitespace: true, body: bodySubstitutionOnly,
		options: map[string]optionKind{"trim": optFlag, "ltrim": optFlag, "rtrim": optFlag}},
	"date":         {hasContent: true, body: bodySubstitutionOnly},
	"class":        {required: 1, finalWhitespace: true, hasContent: true, body: bodyInvisible},
	"rst-class":    {required: 1, finalWhitespace: true, hasContent: true, body: bodyInvisible},
	"role":         {hasContent: true, body: bodyInvisible},
	"default-role": {optional: 1, body: bodyInvisible},
	"title":        {required: 1, finalWhitespace: true, body: bodyInvisible},
	"restructuredtext-test-directive": {optional: 1, finalWhitespace: true, hasContent: true,
		options: map[string]optionKind{"option": optRequired}},
}

// reMeasure is docutils' nodes.parse_measure pattern.
var reMeasure = regexp.MustCompile(`^(-?[0-9.]+) *([a-zA-Zµ]*|%?)$`)

// lengthUnits are docutils' CSS3_LENGTH_UNITS, as its messages list
// them.
const lengthUnits = "em, ex, ch, rem, vw, vh, vmin, vmax, cm, mm, Q, in, pt, pc, px"

// measure is docutils' length_or_unitless (percent false) and
// length_or_percentage_or_unitless (percent true): a number, optionally
// followed by a CSS3 length unit (or "%"), not negative.
func measure(v string, percent bool) string {
	m := reMeasure.FindStringSubmatch(v)
	if m == nil {
		return `"` + v + `" is no valid measure.`
	}
	value, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return `"` + v + `" is no valid measure.`
	}
	units := lengthUnits
	if percent {
		units += ", %"
	}
	if value < 0 || m[2] != "" && !slices.Contains(strings.Split(units, ", "), m[2]) {
		// length_or_percentage_or_unitless retries a bare number, but
		// reports the first error.
		return "not a positive number or measure of one of the following units:\n" + units
	}
	return ""
}

// convertOption checks an option value as docutils' converter would;
// value is nil when the option has no body. It returns the error text.
func convertOption(kind optionKind, value *string) string {
	v := ""
	if value != nil {
		v = *value
	}
	switch kind {
	case optRequired:
		if value == nil {
			return "argument required but none supplied"
		}
	case optClass:
		if value == nil {
			return "argument required but none supplied"
		}
		for _, name := range strings.Fields(v) {
			if makeID(name) == "" {
				return `cannot make "` + name + `" into a class name`
			}
		}
	case optFlag:
		if strings.TrimSpace(v) != "" {
			return `no argument is allowed; "` + v + `" supplied`
		}
	case optNonNegInt, optInt, optPercentage, optIntOrFlag:
		if kind == optIntOrFlag && value == nil {
			return ""
		}
		if kind == optPercentage {
			v = strings.TrimRight(v, " %")
		}
		if value == nil {
			return "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"
		}
		n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(v, "_", "")))
		if err != nil {
			return "invalid literal for int() with base 10: " + pyfmt.Repr(v)
		}
		if n < 0 && kind != optInt && kind != optIntOrFlag {
			return "negative value; must be positive or zero"
		}
	case optLength, optLengthPercent, optFigwidth:
		if kind == optFigwidth && strings.ToLower(v) == "image" {
			return ""
		}
		return measure(v, kind != optLength)
	case optAlignImage:
		return choice(value, []string{"top", "middle", "bottom", "left", "center", "right"})
	case optAlignH:
		return choice(value, []string{"left", "center", "right"})
	case optLoading:
		return choice(value, []string{"embed", "link", "lazy"})
	case optBacklinks:
		return choice(value, []string{"top", "entry", "none"})
	}
	return ""
}

func choice(value *string, values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = `"` + v + `"`
	}
	list := strings.Join(quoted[:len(quoted)-1], ", ") + `, or ` + quoted[len(quoted)-1]
	if value == nil {
		return "must supply an argument; choose from " + list
	}
	v := strings.ToLower(strings.TrimSpace(*value))
	for _, ok := range values {
		if v == ok {
			return ""
		}
	}
	return `"` + *value + `" unknown; choose from ` + list
}
