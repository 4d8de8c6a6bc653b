package verify

import (
	"strings"
	"testing"
)

// TestTables checks the generated tables against the counts of their
// sources: trove-classifiers 2026.9.21.13 (896 classifiers, 8 deprecated)
// and packaging 26.2's SPDX 3.27.0 list (699 licences, 32 of them
// deprecated, and 79 exceptions).
func TestTables(t *testing.T) {
	t.Parallel()
	deprecatedLicenses := 0
	for key, l := range spdxLicenses {
		if key != strings.ToLower(l.ID) {
			t.Errorf("licence key %q does not match id %q", key, l.ID)
		}
		if l.Deprecated {
			deprecatedLicenses++
		}
	}
	for key, id := range spdxExceptions {
		if key != strings.ToLower(id) {
			t.Errorf("exception key %q does not match id %q", key, id)
		}
	}
	got := []int{len(sortedClassifiers), len(deprecatedClassifiers), DefaultClassifiers().Len(), len(spdxLicenses), deprecatedLicenses, len(spdxExceptions)}
	want := []int{896, 8, 904, 699, 32, 79}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("table counts = %v, want %v", got, want)
			break
		}
	}
	if ClassifiersVersion != "2026.9.21.13" || SPDXListVersion != "3.27.0" {
		t.Errorf("versions = %q, %q", ClassifiersVersion, SPDXListVersion)
	}
	if unicodeNames[0xA0] != "NO-BREAK SPACE" || unicodeNames[0x301] != "COMBINING ACUTE ACCENT" {
		t.Errorf("unicodeNames lacks NO-BREAK SPACE or COMBINING ACUTE ACCENT")
	}
	seen := map[string]bool{}
	for _, c := range sortedClassifiers {
		if seen[c] || strings.HasPrefix(c, "Private ::") {
			t.Errorf("classifier %q is repeated or private", c)
		}
		seen[c] = true
	}
}

func TestLoadClassifiers(t *testing.T) {
	t.Parallel()
	c, err := LoadClassifiers(strings.NewReader("Framework :: Brand New\r\nTopic :: Other\n\n"), "2099.1.1")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Known("Framework :: Brand New") || c.Known("Topic :: Software Development") || c.Version() != "2099.1.1" {
		t.Errorf("loaded list: %+v", c)
	}
	// Deprecations stay known from the built-in map.
	if errs := c.Check([]string{"Natural Language :: Ukranian"}); len(errs) != 1 || !strings.Contains(errs[0].Error(), "deprecated") {
		t.Errorf("Check = %v", errs)
	}
	if _, err := LoadClassifiers(strings.NewReader("\n"), "x"); err == nil {
		t.Error("LoadClassifiers(empty) succeeded")
	}
}
