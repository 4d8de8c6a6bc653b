package pep440

import (
	"errors"
	"testing"
)

func TestSpecifierContains(t *testing.T) {
	t.Parallel()
	// Each case uses packaging's default pre-release policy
	// (SpecifierSet.contains(v) with prereleases=None).
	tests := []struct {
		spec, version string
		want          bool
	}{
		{"==2", "2.0", true},
		{"==2.0.0", "2.0", true},
		{"==2", "2.0+deadbeef", true},
		{"==2.0+deadbeef", "2.0+deadbeef", true},
		{"==2.0+deadbeef", "2.0", false},
		{"==2.0+deadbeef", "2.0+deadbeef.1", false},
		{"==2.*", "2.0", true},
		{"==2.*", "2.9.post1+local", true},
		{"==2.0.*", "2", true},
		{"==2.0.*", "2.1", false},
		{"==2.*", "3.0", false},
		{"==1!2.*", "2.0", false},
		{"==1!2.*", "1!2.5", true},
		{"==2.0.*", "2.0rc1", false},
		{"!=2.0.*", "2.0.1", false},
		{"!=2.0.*", "2.1", true},
		{"!=2.0", "2.0+local", false},
		{"!=2.0", "2.0.post1", true},
		{"~=2.2", "2.2", true},
		{"~=2.2", "2.9", true},
		{"~=2.2", "3.0", false},
		{"~=2.2.0", "2.3", false},
		{"~=2.2.0", "2.2.5", true},
		{"~=2.2.post3", "2.2.post4", true},
		{"~=2.2.post3", "2.9", true},
		{"~=2.2.post3", "2.2", false},
		{"~=1.4.5a4", "1.4.5a5", true},
		{"~=1.4.5a4", "1.4.9", true},
		{"~=1.4.5a4", "1.5", false},
		{"~=1!2.0", "1!2.5", true},
		{"~=1!2.0", "2.5", false},
		{"<=2.0", "2.0+local", true},
		{"<=2.0", "2.0.post1", false},
		{">=2.0", "2.0+local", true},
		{">=2.0", "1.9", false},
		{"<2.0", "1.9", true},
		{"<2.0", "2.0", false},
		{"<2.0", "2.0.dev1", false},
		{"<=2.0rc1", "2.0b1", true},
		{"<2.0rc1", "2.0b1", false}, // "<" never admits pre-releases by default
		{"<2.0", "1.9a1", false},    // a pre-release, not admitted by default
		{">2.0", "2.1", true},
		{">2.0", "2.0.post1", false},
		{">2.0", "2.0+local", false},
		{">2.0.post1", "2.0.post2", true},
		{">2.0", "2.0.1", true},
		{">=2.0rc1", "2.0rc2", true},
		{">=2.0rc1", "2.1.dev1", true},
		{">=2.0", "2.1a1", false},
		{"===2.0", "2.0", true},
		{"===2.0", "2.0.0", false},
		{"===foobar", "1.0", false},
		{"===1.0RC1", "1.0rc1", true},
		{">=1.0,<2.0", "1.5", true},
		{">=1.0,<2.0", "2.5", false},
		{">=1.0,!=1.5.*", "1.5.3", false},
		{">=1.0,!=1.5.*", "1.6", true},
		{"", "1.0", true},
		{"", "1.0a1", false},
		{">=1.0a1,<2", "1.5b1", true}, // one clause admits pre-releases for all
		{"== 1.0", "1.0", true},
		{">= v1.0", "1.0", true},
	}
	for _, tt := range tests {
		set, err := ParseSpecifierSet(tt.spec)
		if err != nil {
			t.Errorf("ParseSpecifierSet(%q): %v", tt.spec, err)
			continue
		}
		v := MustParse(tt.version)
		if got := set.Contains(v, set.Prereleases()); got != tt.want {
			t.Errorf("SpecifierSet(%q).Contains(%q) = %v, want %v", tt.spec, tt.version, got, tt.want)
		}
	}
}

func TestSpecifierPrereleasesFlag(t *testing.T) {
	t.Parallel()
	set := MustParseSpecifierSet(">=1.0")
	pre := MustParse("1.5a1")
	if set.Contains(pre, false) || !set.Contains(pre, true) {
		t.Errorf(">=1.0: 1.5a1 contained = %v/%v, want false/true", set.Contains(pre, false), set.Contains(pre, true))
	}
	sp := MustParseSpecifier("<2.0")
	if sp.Contains(MustParse("2.0a1"), true) {
		t.Errorf("<2.0 must exclude 2.0a1 even when pre-releases are allowed")
	}
	if !sp.Contains(MustParse("1.9a1"), true) || sp.Contains(MustParse("1.9a1"), false) {
		t.Errorf("<2.0 and 1.9a1: want contained only with pre-releases")
	}
	for spec, want := range map[string]bool{
		"==1.0a1": true, ">=1.0.dev0": true, "<=1.0rc1": true, "~=1.0b1": true, "==1.0a1.*": false,
		"===1.0a1": true, "===foo": false, "<1.0a1": false, ">1.0a1": false, "!=1.0a1": false, ">=1.0": false,
	} {
		sp, err := ParseSpecifier(spec)
		if err != nil {
			if spec == "==1.0a1.*" {
				continue // not a valid specifier: a wildcard follows a release only
			}
			t.Errorf("ParseSpecifier(%q): %v", spec, err)
			continue
		}
		if got := sp.Prereleases(); got != want {
			t.Errorf("Specifier(%q).Prereleases() = %v, want %v", spec, got, want)
		}
	}
}

func TestParseSpecifierRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"=>1.0", "1.0", "==", ">=", "~=1", "~=1.*", ">=1.0.*", "<1.0+local", "~=1.0+local",
		"==1.0a1.*", "==1.0.*.*", "== 1.0 .*", ">=1.0 1", "===a b", "===a;b", "===a)",
		"!=1.0+", ">=ä", "=1.0", "<>1.0", "==1.0\u00a0",
	} {
		_, err := ParseSpecifier(in)
		var ise *InvalidSpecifierError
		if !errors.As(err, &ise) {
			t.Errorf("ParseSpecifier(%q) error = %v, want *InvalidSpecifierError", in, err)
			continue
		}
		if want := "Invalid specifier: '" + in + "'"; err.Error() != want {
			t.Errorf("ParseSpecifier(%q) error = %q, want %q", in, err, want)
		}
	}
	if _, err := ParseSpecifierSet(">=1.0, =>2 ,<3"); err == nil || err.Error() != "Invalid specifier: '=>2'" {
		t.Errorf("ParseSpecifierSet error = %v, want Invalid specifier: '=>2'", err)
	}
}

func TestSpecifierSetString(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{" , ,", ""},
		{">=1.0.0,!=1.0.1", "!=1.0.1,>=1.0.0"},
		{">= 1.0RC1 ,  <2", "<2,>=1.0RC1"},
		{">=1.0,>=1.0.0,>=1", ">=1.0"},
		{"~=1.0,~=1.0.0", "~=1.0,~=1.0.0"},
		{"==1.0.*,==1.00.*", "==1.0.*,==1.00.*"},
		{"===1.0,===1.0.0", "===1.0"},
		{"===foo", "===foo"},
	}
	for _, tt := range tests {
		set := MustParseSpecifierSet(tt.in)
		if got := set.String(); got != tt.want {
			t.Errorf("SpecifierSet(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
	set := MustParseSpecifierSet(">=1, <2")
	if set.Len() != 2 || set.Specifiers()[1].Operator() != "<" || set.Specifiers()[1].Version() != "2" {
		t.Errorf("Specifiers() = %v", set.Specifiers())
	}
}
