package pep440

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseNormalizes(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"1.0", "1.0"},
		{"V1.0", "1.0"},
		{"v1.0", "1.0"},
		{"1.1RC1", "1.1rc1"},
		{"01.02", "1.2"},
		{"09000", "9000"},
		{"1.0+foo0100", "1.0+foo0100"},
		{"1.0+007", "1.0+7"},
		{"1.0+0a", "1.0+0a"},
		{"1.1.a1", "1.1a1"},
		{"1.1-a1", "1.1a1"},
		{"1.0a.1", "1.0a1"},
		{"1.0alpha1", "1.0a1"},
		{"1.0beta2", "1.0b2"},
		{"1.0c3", "1.0rc3"},
		{"1.0pre4", "1.0rc4"},
		{"1.0preview5", "1.0rc5"},
		{"1.2a", "1.2a0"},
		{"1.2-post2", "1.2.post2"},
		{"1.2post2", "1.2.post2"},
		{"1.2.post-2", "1.2.post2"},
		{"1.2.rev3", "1.2.post3"},
		{"1.2r4", "1.2.post4"},
		{"1.2.post", "1.2.post0"},
		{"1.0-1", "1.0.post1"},
		{"1.2-dev2", "1.2.dev2"},
		{"1.2dev", "1.2.dev0"},
		{"1.0_dev3", "1.0.dev3"},
		{"1.0+ubuntu-1", "1.0+ubuntu.1"},
		{"1.0+Ubuntu_1", "1.0+ubuntu.1"},
		{" 1.0\n", "1.0"},
		{"\t\v\f1.0\r", "1.0"},
		{"0!1.0", "1.0"},
		{"00!1.0", "1.0"},
		{"1!1.0", "1!1.0"},
		{"1.0.0", "1.0.0"},
		{"1.0RC1.POST2.DEV3+LOCAL", "1.0rc1.post2.dev3+local"},
		{"1.0.dev456", "1.0.dev456"},
		{"123456789012345678901234567890.1", "123456789012345678901234567890.1"},
		{"0000123456789012345678901234567890", "123456789012345678901234567890"},
	}
	for _, tt := range tests {
		v, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := v.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		if !IsCanonical(tt.want) {
			t.Errorf("IsCanonical(%q) = false", tt.want)
		}
		if IsCanonical(tt.in) != (tt.in == tt.want) {
			t.Errorf("IsCanonical(%q) = %v", tt.in, !(tt.in == tt.want))
		}
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", " ", "1.0-", "1..0", ".1", "1.0+", "1.0+a..b", "1!", "vv1.0",
		"1.0.poſt1", "1.0\u00a0", "\u00a01.0", "1.0\u2028", "1.0 1", "1,0",
		"1.0+ä", "1.0-foo", "1.0.pos1", "a1.0", "1.0a1a2", "1.0.post1.post2",
		"1.0+-1", "1.0+1-", "1!2!3", "--1",
	} {
		_, err := Parse(in)
		var ive *InvalidVersionError
		if !errors.As(err, &ive) {
			t.Errorf("Parse(%q) error = %v, want *InvalidVersionError", in, err)
			continue
		}
		if want := "Invalid version: '" + in + "'"; err.Error() != want {
			t.Errorf("Parse(%q) error = %q, want %q", in, err, want)
		}
	}
}

// ordered is packaging's test-suite ordering of versions, ascending.
var ordered = []string{
	"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
	"1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345",
	"1.0b2-346", "1.0c1.dev456", "1.0c1", "1.0rc2", "1.0c3", "1.0",
	"1.0.post456.dev34", "1.0.post456", "1.1.dev1",
	"1.2+123abc", "1.2+123abc456", "1.2+abc", "1.2+abc123", "1.2+abc123def",
	"1.2+1234.abc", "1.2+123456", "1.2.r32+123456", "1.2.rev33+123456",
	"1!1.0.dev456", "1!1.0a1", "1!1.0", "1!1.0.post456", "1!1.2.rev33+123456",
}

func TestCompareOrder(t *testing.T) {
	t.Parallel()
	vs := make([]Version, len(ordered))
	for i, s := range ordered {
		vs[i] = MustParse(s)
	}
	for i := range vs {
		for j := range vs {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = +1
			}
			if got := Compare(vs[i], vs[j]); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	shuffled := slices.Clone(vs)
	slices.Reverse(shuffled)
	slices.SortFunc(shuffled, Compare)
	for i := range shuffled {
		if shuffled[i].String() != vs[i].String() {
			t.Fatalf("sorted[%d] = %s, want %s", i, shuffled[i], vs[i])
		}
	}
}

func TestCompareEqualSpellings(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]string{
		{"1.0", "1.0.0"}, {"1", "1.0.0.0"}, {"0", "0.0"}, {"1.0+7", "1.0+007"},
		{"1.0.post0", "1.0-0"}, {"0!1", "1"}, {"1.0A", "1.0a0"},
	} {
		a, b := MustParse(pair[0]), MustParse(pair[1])
		if !a.Equal(b) || b.Compare(a) != 0 {
			t.Errorf("%s and %s compare unequal", pair[0], pair[1])
		}
	}
	var zero Version
	if zero.String() != "0" || !zero.Equal(MustParse("0.0")) {
		t.Errorf("zero Version = %q, want 0", zero)
	}
}

func TestHugeNumbers(t *testing.T) {
	t.Parallel()
	big := "1." + strings.Repeat("9", 5000)
	bigger := "1.1" + strings.Repeat("0", 5000)
	a, b := MustParse(big), MustParse(bigger)
	if Compare(a, b) != -1 {
		t.Errorf("1.9…(5000 digits) should sort before 1.10…(5001 digits)")
	}
	// Values that overflow uint64 must still compare by value.
	if Compare(MustParse("18446744073709551616"), MustParse("18446744073709551615")) != 1 {
		t.Errorf("2^64 <= 2^64-1")
	}
	if Compare(MustParse("1.0.post99999999999999999999"), MustParse("1.0.post100000000000000000000")) != -1 {
		t.Errorf("post numbers compared wrongly")
	}
}

func TestAccessors(t *testing.T) {
	t.Parallel()
	v := MustParse("2!1.02.0RC1.post3.dev4+Ubuntu-1")
	checks := []struct {
		name      string
		got, want any
	}{
		{"String", v.String(), "2!1.2.0rc1.post3.dev4+ubuntu.1"},
		{"Trimmed", v.Trimmed(), "2!1.2rc1.post3.dev4+ubuntu.1"},
		{"Epoch", v.Epoch(), "2"},
		{"Release", strings.Join(v.Release(), ","), "1,2,0"},
		{"Local", v.Local(), "ubuntu.1"},
		{"Public", v.Public().String(), "2!1.2.0rc1.post3.dev4"},
		{"BaseVersion", v.BaseVersion().String(), "2!1.2.0"},
		{"IsPrerelease", v.IsPrerelease(), true},
		{"IsPostrelease", v.IsPostrelease(), true},
		{"IsDevrelease", v.IsDevrelease(), true},
		{"Trimmed 0.0", MustParse("0.0").Trimmed(), "0"},
		{"Trimmed 1.0.0", MustParse("1.0.0").Trimmed(), "1"},
		{"Trimmed 1.4.0.0.0", MustParse("1.4.0.0.0").Trimmed(), "1.4"},
		{"Trimmed 1.0.1", MustParse("1.0.1").Trimmed(), "1.0.1"},
		{"Epoch none", MustParse("1").Epoch(), "0"},
		{"dev is prerelease", MustParse("1.0.dev0").IsPrerelease(), true},
		{"post is not prerelease", MustParse("1.0.post1").IsPrerelease(), false},
		{"Local none", MustParse("1.0").Local(), ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// Release returns a copy: changing it must not change v.
	v.Release()[0] = "9"
	if v.String() != "2!1.2.0rc1.post3.dev4+ubuntu.1" {
		t.Errorf("Release() aliases the version: %s", v)
	}
}

func TestMustParsePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "Invalid version: 'x'") {
			t.Errorf("MustParse(\"x\") recovered %v", r)
		}
	}()
	MustParse("x")
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("1!2.3.4rc5.post6.dev7+local.8"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	x, y := MustParse("1.2.3rc1.post2"), MustParse("1.2.3rc1.post2.dev1")
	for b.Loop() {
		Compare(x, y)
	}
}

func TestTrimmedIsEqualityKey(t *testing.T) {
	t.Parallel()
	for _, a := range ordered {
		for _, b := range ordered {
			va, vb := MustParse(a), MustParse(b)
			if (va.Trimmed() == vb.Trimmed()) != va.Equal(vb) {
				t.Errorf("%s, %s: Trimmed equal %v, Equal %v", a, b, va.Trimmed() == vb.Trimmed(), va.Equal(vb))
			}
		}
	}
	if MustParse("1.0+A-007").Trimmed() != MustParse("1+a.7").Trimmed() {
		t.Errorf("equal versions with different Trimmed forms")
	}
}
