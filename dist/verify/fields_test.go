package verify

import "testing"

// NewerMetadataVersion agrees with FieldIntroduced, which fails exactly
// when the field's version comes after the declared one.
func TestNewerMetadataVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		added, declared string
		want            bool
	}{
		{"2.4", "2.1", true},
		{"2.4", "2.10", false},
		{"2.2", "2.2", false},
		{"2.5", "two", false},
		{"x.y", "2.1", false},
		{"3.0", "2.99", true},
	} {
		got := NewerMetadataVersion(tc.added, tc.declared)
		if failed := FieldIntroduced("Field", tc.added, tc.declared) != nil; got != tc.want || failed != tc.want {
			t.Errorf("NewerMetadataVersion(%q, %q) = %v, FieldIntroduced fails: %v; want %v", tc.added, tc.declared, got, failed, tc.want)
		}
	}
}
