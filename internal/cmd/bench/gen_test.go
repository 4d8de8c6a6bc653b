package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// TestDatasetsPassPyPIChecks writes a small copy of each kind of data set
// (materialize checks every file with dist's PyPI profile, warnings
// included) and asks twine check --strict for its opinion too.
func TestDatasetsPassPyPIChecks(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	var all []string
	one := oneProject("one", 3, 4096)
	one.sdist = "benchpkg"
	for _, d := range []dataset{one, manyProjects("many", 3, 0)} {
		paths, err := d.materialize(root)
		if err != nil {
			t.Fatal(err)
		}
		want := len(d.wheels)
		if d.sdist != "" {
			want++
		}
		if len(paths) != want {
			t.Fatalf("%s: %d files, want %d", d.name, len(paths), want)
		}
		all = append(all, paths...)
	}
	twine := testenv.NeedCommand(t, "twine")
	out, err := exec.Command(twine, append([]string{"check", "--strict"}, all...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("twine check: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "PASSED"); n != len(all) {
		t.Errorf("twine check passed %d of %d files:\n%s", n, len(all), out)
	}
}

// TestMaterializeReusesFiles proves the cache: a second call with the
// same data set writes nothing, a changed one writes again.
func TestMaterializeReusesFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	d := manyProjects("cache", 2, 10)
	paths, err := d.materialize(root)
	if err != nil {
		t.Fatal(err)
	}
	before := stat(t, paths[0])
	if _, err := d.materialize(root); err != nil {
		t.Fatal(err)
	}
	if again := stat(t, paths[0]); !again.ModTime().Equal(before.ModTime()) {
		t.Error("an unchanged data set was written again")
	}
	d.wheels[0].payload = 20
	if _, err := d.materialize(root); err != nil {
		t.Fatal(err)
	}
	if after := stat(t, paths[0]); after.Size() != before.Size()+10 {
		t.Errorf("after a 10-byte larger payload the wheel has %d bytes, want %d", after.Size(), before.Size()+10)
	}
}

func stat(t *testing.T, path string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}
