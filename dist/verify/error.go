package verify

import "strings"

// Stage is the step of Warehouse's upload pipeline that applies a rule.
// PyPI reports an error of an earlier stage and never runs later ones.
type Stage int

// The stages, in the order Warehouse runs them.
const (
	// StageForm is the upload form's own validation (forms.py), run first.
	StageForm Stage = iota + 1
	// StageUnparsed is the form-to-metadata mapping (a single-use field
	// sent twice, a duplicate Project-URL label).
	StageUnparsed
	// StagePackaging is packaging's Metadata.from_raw validation.
	StagePackaging
	// StageWarehouse is Warehouse's _validate_metadata, run only when
	// packaging found nothing.
	StageWarehouse
)

// Help URLs PyPI appends to a metadata error.
const (
	CoreMetadataURL  = "https://packaging.python.org/specifications/core-metadata"
	LocalVersionsURL = "https://packaging.python.org/en/latest/specifications/version-specifiers/#local-version-identifiers"
)

// Error is one field-content problem, in PyPI's words.
type Error struct {
	// Field is the lowercase key PyPI groups errors by: the core metadata
	// e-mail header name ("requires-dist", "classifier"), or the form key
	// ("project_urls") for an unparsed field.
	Field string
	// Rule is a stable identifier of the rule, e.g. "local-version".
	Rule string
	// Message is PyPI's message, exactly (before the help URL is added).
	Message string
	// Detail is the cause PyPI does not show, e.g. the parser's error for
	// a Requires-Dist entry; "" when PyPI's message says it all.
	Detail string
	// Stage is the pipeline step that reports it.
	Stage Stage
}

// Error returns "verify: field: message", with the detail after a colon.
func (e *Error) Error() string {
	s := "verify: " + e.Field + ": " + e.Message
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// HelpURL is the URL PyPI's reply points to for this error.
func (e *Error) HelpURL() string {
	if e.Rule == RuleLocalVersion {
		return LocalVersionsURL
	}
	return CoreMetadataURL
}

// Reply is the reason PyPI sends for this error alone: the message, a
// period unless it ends with one, and the help URL. (The HTTP status line
// then carries it Latin-1 encoded, with "?" for other characters.)
func (e *Error) Reply() string {
	msg := e.Message
	if e.Stage == StageForm {
		return msg // the form message already names its URL
	}
	if len(msg) == 0 || msg[len(msg)-1] != '.' {
		msg += "."
	}
	return msg + " See " + e.HelpURL() + " for more information."
}

func newError(field, rule, msg string) *Error {
	e := &Error{Field: field, Rule: rule, Message: msg, Stage: stages[rule]}
	if e.Stage == StagePackaging && strings.ContainsAny(msg, "{}") {
		// packaging 26.2 runs str.format_map on the message after putting
		// the value in it.
		e.addDetail("PyPI fails with an internal error (HTTP 500), or garbles this message, on a value with braces")
	}
	return e
}

// addDetail puts a cause before what e.Detail already says.
func (e *Error) addDetail(d string) {
	if e.Detail != "" {
		d += "; " + e.Detail
	}
	e.Detail = d
}

// Rule identifiers.
const (
	RuleMetadataVersion     = "metadata-version"
	RuleFieldTooNew         = "field-too-new"
	RuleRequired            = "required"
	RuleUnparsed            = "unparsed"
	RuleName                = "name"
	RuleVersion             = "version"
	RuleLocalVersion        = "local-version"
	RuleSummaryLine         = "summary-single-line"
	RuleSummaryLength       = "summary-length"
	RuleContentType         = "description-content-type"
	RuleEmail               = "email"
	RuleURL                 = "url"
	RuleProjectURL          = "project-url"
	RuleClassifierUnknown   = "classifier-unknown"
	RuleClassifierDeprecate = "classifier-deprecated"
	RuleRequirement         = "requirement"
	RuleDistRequirement     = "dist-requirement"
	RuleDirectReference     = "direct-reference"
	RuleRequiresPython      = "requires-python"
	RuleProvidesExtra       = "provides-extra"
	RuleDynamic             = "dynamic"
	RuleDynamicWarehouse    = "dynamic-warehouse"
	RuleLicenseConflict     = "license-conflict"
	RuleLicenseExpression   = "license-expression"
	RuleLicenseFile         = "license-file"
	RuleImportName          = "import-name"
)

// stages maps each rule to the stage that applies it.
var stages = map[string]Stage{
	RuleName:                StageForm,
	RuleUnparsed:            StageUnparsed,
	RuleMetadataVersion:     StagePackaging,
	RuleFieldTooNew:         StagePackaging,
	RuleRequired:            StagePackaging,
	RuleVersion:             StagePackaging,
	RuleSummaryLine:         StagePackaging,
	RuleContentType:         StagePackaging,
	RuleRequirement:         StagePackaging,
	RuleRequiresPython:      StagePackaging,
	RuleProvidesExtra:       StagePackaging,
	RuleDynamic:             StagePackaging,
	RuleLicenseExpression:   StagePackaging,
	RuleLicenseFile:         StagePackaging,
	RuleImportName:          StagePackaging,
	RuleLocalVersion:        StageWarehouse,
	RuleSummaryLength:       StageWarehouse,
	RuleEmail:               StageWarehouse,
	RuleURL:                 StageWarehouse,
	RuleProjectURL:          StageWarehouse,
	RuleClassifierUnknown:   StageWarehouse,
	RuleClassifierDeprecate: StageWarehouse,
	RuleDistRequirement:     StageWarehouse,
	RuleDirectReference:     StageWarehouse,
	RuleDynamicWarehouse:    StageWarehouse,
	RuleLicenseConflict:     StageWarehouse,
}

// StageOf returns the stage that applies the rule with identifier rule,
// or 0 when rule is not one of this package's rules.
func StageOf(rule string) Stage { return stages[rule] }
