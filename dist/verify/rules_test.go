package verify

import (
	"errors"
	"sort"
	"strings"
	"testing"
)

// msg returns the PyPI message of err, or "" for nil.
func msg(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is a %T, not *verify.Error", err, err)
	}
	return e.Message
}

// sameListMessage compares two messages that embed a Python set printed as
// a list ([...]), whose order PyPI randomises: the lists are compared as
// sets, the rest exactly.
func sameListMessage(got, want string) bool {
	split := func(s string) (string, []string, string) {
		i, j := strings.Index(s, "["), strings.Index(s, "]")
		if i < 0 || j < i {
			return s, nil, ""
		}
		items := strings.Split(s[i+1:j], ", ")
		sort.Strings(items)
		return s[:i], items, s[j+1:]
	}
	gp, gi, gs := split(got)
	wp, wi, ws := split(want)
	return gp == wp && gs == ws && strings.Join(gi, "|") == strings.Join(wi, "|")
}

// TestSpecTable holds each field-content rule PyPI applies at the level
// of the rule functions, each with PyPI's exact message ("" = accepted).
func TestSpecTable(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 513)
	label33 := "A23456789012345678901234567890123"
	label64 := strings.Repeat("a", 64)
	classifiers := DefaultClassifiers()
	firstClassifier := func(vs ...string) error {
		if errs := classifiers.Check(vs); len(errs) > 0 {
			return errs[0]
		}
		return nil
	}
	const (
		ctList  = "'description-content-type' must be one of ['text/x-rst', 'text/plain', 'text/markdown'], not "
		special = "The part after the @-sign is a special-use or reserved name that cannot be used with email."
	)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"License-Expression under 2.1", FieldIntroduced("License-Expression", "2.4", "2.1"), "license-expression introduced in metadata version 2.4, not 2.1"},
		{"License-Expression under 2.10", FieldIntroduced("License-Expression", "2.4", "2.10"), ""},
		{"Import-Name under 2.6", FieldIntroduced("Import-Name", "2.5", "2.6"), ""},
		{"under a bad version", FieldIntroduced("Import-Name", "2.5", "two"), ""},
		{"Dynamic under 2.1", FieldIntroduced("Dynamic", "2.2", "2.1"), "dynamic introduced in metadata version 2.2, not 2.1"},
		{"Import-Name under 2.4", FieldIntroduced("Import-Name", "2.5", "2.4"), "import-name introduced in metadata version 2.5, not 2.4"},
		{"Version missing", Version(""), "'version' is a required field"},
		{"Version 1.0.x", Version("1.0.x"), "'1.0.x' is invalid for 'version'"},
		{"local version", Version("01.0+Local_Build"), "The use of local versions in '1.0+local.build' is not allowed."},
		{"form name demo_", Name("demo_"), "'demo_' is an invalid value for Name. Error: Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'. See https://packaging.python.org/specifications/core-metadata for more information."},
		{"summary two lines", Summary("a\nb"), "'summary' must be a single line"},
		{"summary 513", Summary(long), "'summary' field must be 512 characters or less."},
		{"summary twice", Unparsed("summary"), "'summary' has invalid data"},
		{"DCT text/html", DescriptionContentType("text/html"), ctList + "'text/html'"},
		{"DCT charset utf-8", DescriptionContentType("text/markdown; charset=utf-8"), "'description-content-type' can only specify the UTF-8 charset, not 'utf-8'"},
		{"DCT variant gfm", DescriptionContentType("text/markdown; variant=gfm"), "valid Markdown variants for 'description-content-type' are ['GFM', 'CommonMark'], not 'gfm'"},
		{"DCT x* crash", DescriptionContentType("text/x-rst; x*"), "'text/x-rst; x*' is not a valid content type for 'description-content-type'"},
		{"author not an email", Email("author-email", "not an email"), "'not' is not a valid email address: An email address must have an @-sign."},
		{"maintainer localhost", Email("maintainer-email", "Foo <foo@localhost>"), "'foo@localhost' is not a valid email address: The part after the @-sign is not valid. It should have a period."},
		{"example.test", Email("author-email", "foo@example.test"), "'foo@example.test' is not a valid email address: " + special},
		{".local", Email("author-email", "foo@example.local"), "'foo@example.local' is not a valid email address: " + special},
		{".invalid", Email("author-email", "foo@example.invalid"), "'foo@example.invalid' is not a valid email address: " + special},
		{".onion", Email("author-email", "foo@example.onion"), "'foo@example.onion' is not a valid email address: " + special},
		{".arpa", Email("author-email", "foo@example.arpa"), "'foo@example.arpa' is not a valid email address: " + special},
		{"sub.localhost", Email("author-email", "foo@sub.localhost"), "'foo@sub.localhost' is not a valid email address: " + special},
		{"two periods", Email("author-email", "foo..bar@x.com"), "'foo..bar@x.com' is not a valid email address: An email address cannot have two periods in a row."},
		{"leading period", Email("author-email", ".foo@x.com"), "'.foo@x.com' is not a valid email address: An email address cannot start with a period."},
		{"period before @", Email("author-email", "foo.@x.com"), "'foo.@x.com' is not a valid email address: An email address cannot have a period immediately before the @-sign."},
		{"trailing period", Email("author-email", "foo@x.com."), "'foo@x.com.' is not a valid email address: An email address cannot end with a period."},
		{"underscore domain", Email("author-email", "foo@ex_ample.com"), "'foo@ex_ample.com' is not a valid email address: The part after the @-sign contains invalid characters: '_'."},
		{"space local", Email("author-email", "foo bar@x.com"), "'foo bar@x.com' is not a valid email address: The email address contains invalid characters before the @-sign: SPACE."},
		{"nbsp local", Email("author-email", "foo\u00a0bar@x.com"), "'foo\\xa0bar@x.com' is not a valid email address: The email address contains unsafe characters: NO-BREAK SPACE."},
		{"numeric tld", Email("author-email", "foo@123.45"), "'foo@123.45' is not a valid email address: The part after the @-sign is not valid. It is not within a valid top-level domain."},
		{"hyphen after @", Email("author-email", "foo@-x.com"), "'foo@-x.com' is not a valid email address: An email address cannot have a hyphen immediately after the @-sign."},
		{"hyphen before period", Email("author-email", "foo@x-.com"), "'foo@x-.com' is not a valid email address: An email address cannot have a period and a hyphen next to each other."},
		{"R-LDH", Email("author-email", "foo@ab--cd.com"), "'foo@ab--cd.com' is not a valid email address: An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode."},
		{"64-char label", Email("author-email", "foo@"+label64+".com"), "'foo@" + label64 + ".com' is not a valid email address: After the @-sign, periods cannot be separated by so many characters (1 character too many)."},
		{"quoted local", Email("author-email", `"foo bar"@x.com`), `'"foo bar"@x.com' is not a valid email address: Quoting the part before the @-sign is not allowed here.`},
		{"two addresses", Email("author-email", "a@x.com, b@localhost"), ""},
		{"domain literal", Email("author-email", "foo@[127.0.0.1]"), ""},
		{"double @", Email("author-email", "foo@@x.com"), ""},
		{"non-ASCII local", Email("author-email", "fóo@example.com"), ""},
		{".internal", Email("author-email", "foo@example.internal"), ""},
		{"classifier unknown", firstClassifier("Foo :: Bar"), "'Foo :: Bar' is not a valid classifier."},
		{"classifier private", firstClassifier("Private :: Do Not Upload"), "'Private :: Do Not Upload' is not a valid classifier."},
		{"classifier case", firstClassifier("license :: osi approved :: mit license"), "'license :: osi approved :: mit license' is not a valid classifier."},
		{"classifier Ukranian", firstClassifier("Natural Language :: Ukranian"), "The classifier 'Natural Language :: Ukranian' has been deprecated, use one of ['Natural Language :: Ukrainian'] instead."},
		{"classifier Intel", firstClassifier("License :: OSI Approved :: Intel Open Source License"), "The classifier 'License :: OSI Approved :: Intel Open Source License' has been deprecated."},
		{"classifier order", firstClassifier("Zzz :: A", "Natural Language :: Ukranian", "Aaa :: B"), "'Aaa :: B' is not a valid classifier."},
		{"home-page no scheme", URL("home-page", "example.com"), "'example.com' is not a valid url."},
		{"home-page ftp", URL("home-page", "ftp://x"), "'ftp://x' is not a valid url."},
		{"home-page git+https", URL("home-page", "git+https://example.com/x.git"), "'git+https://example.com/x.git' is not a valid url."},
		{"home-page javascript", URL("home-page", "javascript:alert(1)"), "'javascript:alert(1)' is not a valid url."},
		{"home-page UNKNOWN", URL("home-page", "UNKNOWN"), "'UNKNOWN' is not a valid url."},
		{"home-page leading space", URL("home-page", " https://x"), "' https://x' is not a valid url."},
		{"home-page big port", URL("home-page", "https://example.com:99999/"), "'https://example.com:99999/' is not a valid url."},
		{"download-url file", URL("download-url", "file:///etc/passwd"), "'file:///etc/passwd' is not a valid url."},
		{"url with space", URL("home-page", "https://exa mple.com/"), ""},
		{"url 256", URL("home-page", "https://256.1.1.1/"), ""},
		{"url empty authority", URL("home-page", "https://"), ""},
		{"url scheme case", URL("home-page", "Https://x"), ""},
		{"url IPv6", URL("home-page", "https://[::1]/"), ""},
		{"project-url no label", ProjectURL(SplitProjectURL(", https://x")), "Must have a label"},
		{"project-url no URL", ProjectURL(SplitProjectURL("Homepage")), "Must have a URL"},
		{"project-url long label", ProjectURL(SplitProjectURL(label33 + ", https://x")), "'" + label33 + "' must be 32 characters or less."},
		{"project-url bad URL", ProjectURL(SplitProjectURL("Docs, not a url")), "'not a url' is not a valid url"},
		{"project-url duplicate", Unparsed("project_urls"), "'project_urls' has invalid data"},
		{"project-url extra comma", ProjectURL(SplitProjectURL("Source Code, https://a.org, extra")), ""},
		{"requires-dist >=", RequiresDist("foo >="), "'foo >=' is invalid for 'requires-dist'"},
		{"requires-dist ~=1", RequiresDist("foo~=1"), "'foo~=1' is invalid for 'requires-dist'"},
		{"requires-dist >=1.0.*", RequiresDist("foo>=1.0.*"), "'foo>=1.0.*' is invalid for 'requires-dist'"},
		{"requires-dist >=local", RequiresDist("foo>=1.0+local"), "'foo>=1.0+local' is invalid for 'requires-dist'"},
		{"requires-dist unknown var", RequiresDist("foo; unknown_var == 'x'"), `"foo; unknown_var == 'x'" is invalid for 'requires-dist'`},
		{"requires-dist URL", RequiresDist("foo @ https://example.com/foo-1.0.tar.gz"), "Can't have direct dependency: foo @ https://example.com/foo-1.0.tar.gz"},
		{"requires-dist URL marker", RequiresDist("foo@https://x/foo.whl ; python_version>'3'"), `Can't have direct dependency: foo @ https://x/foo.whl ; python_version > "3"`},
		{"requires-dist KeyError", RequiresDist("foo{bar}"), "'foo{bar}' is invalid for 'requires-dist'"},
		{"provides-dist URL", DistRequirement("provides-dist", "foo @ https://example.com/x"), "Can't have direct dependency: 'foo @ https://example.com/x'"},
		{"obsoletes-dist parens", DistRequirement("obsoletes-dist", "Foo (1.0)"), "'Foo (1.0)' is invalid: Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier\n    Foo (1.0)\n        ~^"},
		{"requires-python 3.8", RequiresPython("3.8"), "'3.8' is invalid for 'requires-python'"},
		{"requires-python no comma", RequiresPython(">=3.8 <4"), "'>=3.8 <4' is invalid for 'requires-python'"},
		{"requires-python ~=3", RequiresPython("~=3"), "'~=3' is invalid for 'requires-python'"},
		{"requires-python 3.14t", RequiresPython(">=3.14t"), "'>=3.14t' is invalid for 'requires-python'"},
		{"requires-python marker", RequiresPython(">=3.8; python_version>'3'"), `">=3.8; python_version>'3'" is invalid for 'requires-python'`},
		{"provides-extra space", ProvidesExtra("foo bar"), "'foo bar' is invalid for 'provides-extra'"},
		{"provides-extra -foo", ProvidesExtra("-foo"), "'-foo' is invalid for 'provides-extra'"},
		{"provides-extra foo_", ProvidesExtra("foo_"), "'foo_' is invalid for 'provides-extra'"},
		{"provides-extra Foo_Bar", ProvidesExtra("Foo_Bar"), ""},
		{"dynamic Name", Dynamic("Name"), "'name' is not allowed as a dynamic field"},
		{"dynamic Foo", Dynamic("Foo"), "'foo' is not a valid dynamic field"},
		{"dynamic Dynamic", Dynamic("Dynamic"), "Dynamic field 'dynamic' is not a valid dynamic field."},
		{"license conflict", LicenseConflict(), "License is deprecated when License-Expression is present. Only License-Expression should be present."},
		{"license-expression Foo", LicenseExpression("Foo"), "'Foo' is invalid for 'license-expression'"},
		{"license-expression MIT OR", LicenseExpression("MIT OR"), "'MIT OR' is invalid for 'license-expression'"},
		{"license-expression (MIT", LicenseExpression("(MIT"), "'(MIT' is invalid for 'license-expression'"},
		{"license-expression bad exception", LicenseExpression("MIT WITH Foo-exception"), "'MIT WITH Foo-exception' is invalid for 'license-expression'"},
		{"license-expression bad ref", LicenseExpression("LicenseRef-Foo_Bar"), "'LicenseRef-Foo_Bar' is invalid for 'license-expression'"},
		{"license-expression DocumentRef", LicenseExpression("DocumentRef-x:LicenseRef-y"), "'DocumentRef-x:LicenseRef-y' is invalid for 'license-expression'"},
		{"license-expression slash", LicenseExpression("MIT/Apache-2.0"), "'MIT/Apache-2.0' is invalid for 'license-expression'"},
		{"license-expression KeyError", LicenseExpression("LicenseRef-Foo+"), "'LicenseRef-Foo+' is invalid for 'license-expression'"},
		{"license-file parent", LicenseFile("../LICENSE"), "'../LICENSE' is invalid for 'license-file', parent directory indicators are not allowed"},
		{"license-file glob", LicenseFile("LICEN*"), "'LICEN*' is invalid for 'license-file', paths must be resolved"},
		{"license-file absolute", LicenseFile("/LICENSE"), "'/LICENSE' is invalid for 'license-file', paths must be relative"},
		{"license-file drive", LicenseFile(`C:\LICENSE`), `'C:\\LICENSE' is invalid for 'license-file', paths must be relative`},
		{"license-file backslash", LicenseFile(`a\b`), `'a\\b' is invalid for 'license-file', paths must use '/' delimiter`},
		{"license-file dot", LicenseFile("./LICENSE"), "'./LICENSE' is invalid for 'license-file', paths must use '/' delimiter"},
		{"license-file double slash", LicenseFile("a//b"), "'a//b' is invalid for 'license-file', paths must use '/' delimiter"},
		{"license-file drive-relative", LicenseFile("C:LICENSE"), ""},
		{"import-name digit", ImportName("import-name", "1foo"), "'1foo' is invalid for 'import-name'; '1foo' is not a valid identifier"},
		{"import-name keyword", ImportName("import-name", "foo.class"), "'foo.class' is invalid for 'import-name'; 'class' is a keyword"},
		{"import-name option", ImportName("import-name", "foo; public"), "'foo; public' is invalid for 'import-name'; the only valid option is 'private'"},
		{"import-name empty part", ImportName("import-name", "foo..bar"), "'foo..bar' is invalid for 'import-name'; '' is not a valid identifier"},
		{"import-name private", ImportName("import-name", "foo.match; private"), ""},
	}
	for _, tc := range tests {
		got := msg(t, tc.err)
		if got != tc.want && !(strings.Contains(tc.want, "[") && sameListMessage(got, tc.want)) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestAccepted lists values PyPI accepts (Warehouse and packaging
// validate them so) that a stricter reading would refuse.
func TestAccepted(t *testing.T) {
	t.Parallel()
	for _, v := range []string{" text/markdown", "TEXT/X-RST", "text/markdown;", "text/markdown; Variant=GFM", `text/markdown; charset="UTF-8"`, "text/markdown; charset*=utf-8''UTF-8", "text/markdown; charset=UTF-8; charset=UTF-8", "text/plain; variant=Foo", "text/markdown; foo"} {
		if err := DescriptionContentType(v); err != nil {
			t.Errorf("DescriptionContentType(%q) = %v", v, err)
		}
	}
	if got := msg(t, DescriptionContentType("text/markdown; charset")); got != "'description-content-type' can only specify the UTF-8 charset, not ''" {
		t.Errorf("bare charset: %q", got)
	}
	for _, v := range []string{"foo_", "foo (>=1.0)", "foo >= 1.0 , < 2", "foo===anything", "foo==1.0+local", "foo; os.name == 'nt'", "foo; extra == 'Bar_Baz'", "foo\n"} {
		if err := RequiresDist(v); err != nil {
			t.Errorf("RequiresDist(%q) = %v", v, err)
		}
	}
	for _, v := range []string{">=3.8,", "== 3.*", ">= 3.8, <4", "===abc", "!=3.0.*", ">=v3.8", ">=1!2.0", ""} {
		if err := RequiresPython(v); err != nil {
			t.Errorf("RequiresPython(%q) = %v", v, err)
		}
	}
	for _, v := range []string{"mit", "MIT and apache-2.0", "licenseref-foo", "LicenseRef-", "(MIT OR Apache-2.0) WITH LLVM-exception", "MIT WITH LLVM-exception WITH LLVM-exception", "GPL-2.0+", "MIT\tOR\tApache-2.0"} {
		if err := LicenseExpression(v); err != nil {
			t.Errorf("LicenseExpression(%q) = %v", v, err)
		}
	}
	// The spec says an IPv6 zone makes a URL invalid; rfc3986 2.0.0
	// normalises "%" to "%25" and accepts it.
	for _, v := range []string{"https://[fe80::1%25eth0]/", "https://[fe80::1%eth0]/", "https://user:pw@example.com/", "http:example.com", "https:", "https://example.com:abc/", "https://x/%zz é\\"} {
		if !ValidURL(v) {
			t.Errorf("ValidURL(%q) = false", v)
		}
	}
	for _, v := range []string{"https://example.com:65536/", "https://example.com:99999\n/x", "https://x/a[b]", "https://x/?q=[1]"} {
		if ValidURL(v) {
			t.Errorf("ValidURL(%q) = true", v)
		}
	}
}

func TestCanonicalLicenseExpression(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want, err string }{
		{"mit and (apache-2.0 or bsd-2-clause)", "MIT AND (Apache-2.0 OR BSD-2-Clause)", ""},
		{"licenseref-foo OR LicenseRef-Bar+ OR LicenseRef-bar", "LicenseRef-foo OR LicenseRef-bar+ OR LicenseRef-bar", ""},
		{"LicenseRef-Bar+", "", "Invalid licenseref: 'licenseref-bar'"}, // packaging: KeyError
		{"(mit", "", "Invalid license expression: '(mit'"},
		{"MIT WITH", "", "Invalid license expression: 'MIT WITH'"},
		{"MIT (Apache-2.0)", "", "Invalid license expression: 'MIT (Apache-2.0)'"},
		{"Use-it-after-midnight", "", "Unknown license: 'use-it-after-midnight'"},
		{"MIT WITH foo-exception", "", "Unknown license exception: 'foo-exception'"},
		{"LicenseRef-a_b", "", "Invalid licenseref: 'licenseref-a_b'"},
		{"M\u0130T", "", "Unknown license: 'mi\u0307t'"},
	}
	for _, tc := range tests {
		got, err := CanonicalLicenseExpression(tc.in)
		if got != tc.want || msgOf(err) != tc.err {
			t.Errorf("CanonicalLicenseExpression(%q) = %q, %v; want %q, %q", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestRequirementString(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Foo_Bar [y, x] (>=1.0 , <2)": "Foo_Bar[x,y]<2,>=1.0",
		"foo@https://x/y ; (os.name=='nt' or extra=='A_B') and python_implementation!='PyPy'": `foo @ https://x/y ; (os_name == "nt" or extra == "A_B") and platform_python_implementation != "PyPy"`,
		"foo; extra == 'A_B'":              `foo; extra == "a-b"`,
		`foo; python_version == '\x41\n'`:  "foo; python_version == \"A\n\"",
		"foo; (((python_version >= '3')))": `foo; python_version >= "3"`,
	}
	for in, want := range tests {
		r, err := ParseRequirement(in)
		if err != nil {
			t.Errorf("ParseRequirement(%q): %v", in, err)
			continue
		}
		if got := r.String(); got != want {
			t.Errorf("ParseRequirement(%q).String() = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{`foo; python_version == '\x4'`, "foo; python_version == '\\N{LATIN SMALL LETTER A}'", "foo===1,2"} {
		_, err := ParseRequirement(in)
		var syn *SyntaxError
		if err == nil || (in == "foo===1,2") == errors.As(err, &syn) {
			t.Errorf("ParseRequirement(%q) = %v (%T), want an error PyPI would crash on", in, err, err)
		}
	}
}

func TestParseAddr(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, name, addr string }{
		{"Jane Doe <jane@example.com>", "Jane Doe", "jane@example.com"},
		{"jane@example.com (Jane)", "Jane", "jane@example.com"},
		{"not an email", "", "not"},
		{"<foo@example.com", "", "foo@example.com"},
		{"a@x.com, b@y.com", "", ""},
		{"foo@[127.0.0.1]", "", ""},
		{"foo@@x.com", "", ""},
		{"jane@example.com (x", "", ""},
		{"", "", ""},
	}
	for _, tc := range tests {
		if name, addr := ParseAddr(tc.in); name != tc.name || addr != tc.addr {
			t.Errorf("ParseAddr(%q) = (%q, %q), want (%q, %q)", tc.in, name, addr, tc.name, tc.addr)
		}
	}
}

func TestErrorReply(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 40) + "_" + strings.Repeat("b", 40) + "_"
	want := "'" + strings.Repeat("a", 30) + "..." + strings.Repeat("b", 29) + "_' is an invalid value for Name."
	var e *Error
	if !errors.As(Name(long), &e) || !strings.HasPrefix(e.Reply(), want) || e.Stage != StageForm {
		t.Errorf("Name(long) = %+v", e)
	}
	errors.As(Version("1.0+x"), &e)
	if e.Reply() != "The use of local versions in '1.0+x' is not allowed. See "+LocalVersionsURL+" for more information." || e.Stage != StageWarehouse {
		t.Errorf("local version reply %q", e.Reply())
	}
	errors.As(Summary("a\nb"), &e)
	if e.Reply() != "'summary' must be a single line. See "+CoreMetadataURL+" for more information." || StageOf(e.Rule) != StagePackaging {
		t.Errorf("summary reply %q", e.Reply())
	}
	errors.As(RequiresDist("foo{bar}"), &e)
	if !strings.HasSuffix(e.Detail, "; PyPI fails with an internal error (HTTP 500), or garbles this message, on a value with braces") || !strings.HasPrefix(e.Detail, "Expected") {
		t.Errorf("foo{bar} detail %q", e.Detail)
	}
	if StageOf("no-such-rule") != 0 {
		t.Error("StageOf knows an unknown rule")
	}
	if got := RequiresDist("foo >=").Error(); !strings.HasPrefix(got, "verify: requires-dist: 'foo >=' is invalid for 'requires-dist': Expected") {
		t.Errorf("Error() = %q", got)
	}
}
