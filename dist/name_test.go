package dist

import (
	"fmt"
	"testing"
)

func TestValidName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"a", "A1", "a.b-c_d", "Django", "zope.interface", "0", "a--b", "FrIeNdLy-._.-bArD"} {
		if !ValidName(name) {
			t.Errorf("ValidName(%q) = false, want true", name)
		}
	}
	for _, name := range []string{
		"", "-a", "a-", "a_", ".a", "_a", "a b", "café", "ſample", "\u212aelvin", "a\n", "a/b", "a+b", "a@b", "-",
	} {
		if ValidName(name) {
			t.Errorf("ValidName(%q) = true, want false", name)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want, escaped string }{
		{"FrIeNdLy-._.-bArD", "friendly-bard", "friendly_bard"},
		{"Django", "django", "django"},
		{"oslo.concurrency", "oslo-concurrency", "oslo_concurrency"},
		{"my__pkg", "my-pkg", "my_pkg"},
		{"_not_legal", "-not-legal", "_not_legal"},
		{"a-", "a-", "a_"},
		{"Foo.Bar", "foo-bar", "foo_bar"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := NormalizeExtra(tt.in); got != tt.want {
			t.Errorf("NormalizeExtra(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := EscapeName(tt.in); got != tt.escaped {
			t.Errorf("EscapeName(%q) = %q, want %q", tt.in, got, tt.escaped)
		}
	}
}

func TestIsNormalizedName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"foo": true, "foo-bar": true, "a1-b2-c3": true,
		"Foo": false, "foo_bar": false, "foo--bar": false, "-foo": false, "foo-": false, "": false, "foo.bar": false,
	} {
		if got := IsNormalizedName(name); got != want {
			t.Errorf("IsNormalizedName(%q) = %v, want %v", name, got, want)
		}
	}
}

func ExampleNormalizeName() {
	fmt.Println(NormalizeName("FrIeNdLy-._.-bArD"))
	fmt.Println(EscapeName("FrIeNdLy-._.-bArD"))
	fmt.Println(ValidName("friendly bard"), ValidName("ſample"))
	// Output:
	// friendly-bard
	// friendly_bard
	// false false
}
