package oracle

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trustpub/pypi/internal/testenv"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	python := testenv.NeedPython(t, "readme_renderer")
	o, err := Start(context.Background(), python, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	tests := []struct {
		desc, ct string
		want     Verdict
	}{
		{"Fine *text*.\n", "", Verdict{}},
		{"", "", Verdict{}},
		{".. toctree::\n", "text/x-rst", Verdict{Failed: true, Line: 1, Level: 3, Message: `Unknown directive type "toctree".`}},
	}
	for _, tc := range tests {
		got, err := o.Check(tc.desc, tc.ct)
		if err != nil {
			t.Fatalf("Check(%q): %v", tc.desc, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Check(%q) (-want +got):\n%s", tc.desc, diff)
		}
	}
}

func TestStartMissingPython(t *testing.T) {
	t.Parallel()
	if _, err := Start(context.Background(), "/nonexistent/python3", nil); err == nil {
		t.Fatal("Start(/nonexistent/python3) succeeded, want an error")
	}
}
