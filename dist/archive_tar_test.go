package dist

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The top-level directory of an sdist is the common path of its member
// names, as Warehouse's os.path.commonpath makes it (legacy.py, see
// UPSTREAM.md), and PKG-INFO must be exactly there.
func TestSdistLayout(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		names []string
		want  string // the issue's message, "" for none
	}{
		{[]string{"demo-1.0/", "demo-1.0/PKG-INFO", "demo-1.0/setup.py"}, ""},
		{[]string{"demo-1.0/PKG-INFO", "demo-1.0/src/demo.py"}, ""},
		{[]string{"./demo-1.0/PKG-INFO", "./demo-1.0/x"}, "Invalid distribution file. PKG-INFO not found at demo-1.0/PKG-INFO"},
		{[]string{"demo-1.0/PKG-INFO"}, "Invalid distribution file. PKG-INFO not found at demo-1.0/PKG-INFO/PKG-INFO"},
		{[]string{"demo-1.0/pyproject.toml"}, "Invalid distribution file. PKG-INFO not found at demo-1.0/pyproject.toml/PKG-INFO"},
		{[]string{"demo-1.0/a/x", "demo-1.0/a/y"}, "Invalid distribution file. PKG-INFO not found at demo-1.0/a/PKG-INFO"},
		{[]string{"demo-1.0/a/PKG-INFO", "demo-1.0/a/y"}, "Invalid distribution file. PKG-INFO is at demo-1.0/a/PKG-INFO, not in the top-level directory demo-1.0"},
		{[]string{"demo-1.0/PKG-INFO", "other/PKG-INFO"}, "Invalid distribution file. Incorrect number of top-level directories in sdist"},
		{[]string{"demo-1.0/PKG-INFO", "demo-1.0/x", "demo-1.0/PKG-INFO"}, "Invalid distribution file. Multiple PKG-INFO files found at demo-1.0/PKG-INFO"},
		{nil, "Invalid distribution file. Incorrect number of top-level directories in sdist"},
	} {
		var l sdistLayout
		for _, n := range tc.names {
			l.add(n)
		}
		var is issues
		l.finish(&is)
		var got string
		if len(is) > 0 {
			got = is[0].msg
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("members %q (-want +got):\n%s", tc.names, diff)
		}
	}
}
