package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/trustpub/pypi/dist"
)

// genVersion changes whenever the generator writes different files, so
// that cached data sets are made again.
const genVersion = "1"

// dataset is the set of files one scenario uploads or checks.
type dataset struct {
	name   string // directory under the data root
	wheels []wheelSpec
	sdist  string // project of the one sdist; "" for none
}

// platformTags are the tags of a project with many wheels, one per CPython
// and platform: 6 x 4 = 24.
func platformTags() []string {
	var tags []string
	for _, py := range []string{"cp39", "cp310", "cp311", "cp312", "cp313", "cp314"} {
		for _, plat := range []string{"manylinux_2_17_x86_64", "manylinux_2_17_aarch64", "macosx_11_0_arm64", "win_amd64"} {
			tags = append(tags, py+"-"+py+"-"+plat)
		}
	}
	return tags
}

// oneProject is n platform wheels of benchpkg with payload bytes each.
func oneProject(name string, n int, payload int64) dataset {
	d := dataset{name: name}
	for i, tag := range platformTags()[:n] {
		d.wheels = append(d.wheels, wheelSpec{project: "benchpkg", tag: tag, payload: payload, seed: uint64(i)})
	}
	return d
}

// manyProjects is n pure-Python wheels benchpkg_000 ... each of its own
// project, with payload bytes each.
func manyProjects(name string, n int, payload int64) dataset {
	d := dataset{name: name}
	for i := range n {
		d.wheels = append(d.wheels, wheelSpec{project: fmt.Sprintf("benchpkg_%03d", i), tag: "py3-none-any", payload: payload, seed: uint64(i)})
	}
	return d
}

// stamp describes the data set; a directory whose stamp matches holds it.
func (d dataset) stamp() string {
	var b strings.Builder
	fmt.Fprintf(&b, "generator %s\nsdist %q\n", genVersion, d.sdist)
	for _, w := range d.wheels {
		fmt.Fprintf(&b, "%s %d %d\n", w.filename(), w.payload, w.seed)
	}
	return b.String()
}

// projects returns the expected files by project (PEP 503 name).
func (d dataset) projects() map[string][]string {
	m := map[string][]string{}
	for _, w := range d.wheels {
		p := dist.NormalizeName(w.project)
		m[p] = append(m[p], w.filename())
	}
	if d.sdist != "" {
		p := dist.NormalizeName(d.sdist)
		m[p] = append(m[p], d.sdist+"-"+version+".tar.gz")
	}
	return m
}

// materialize returns the paths of the data set's files under root,
// writing them first unless a previous run left them, and checks each new
// file as PyPI would: a harness that uploads files PyPI refuses measures
// nothing.
func (d dataset) materialize(root string) ([]string, error) {
	dir := filepath.Join(root, d.name)
	stampPath := filepath.Join(dir, "STAMP")
	var paths []string
	for _, w := range d.wheels {
		paths = append(paths, filepath.Join(dir, w.filename()))
	}
	if d.sdist != "" {
		paths = append(paths, filepath.Join(dir, d.sdist+"-"+version+".tar.gz"))
	}
	if b, err := os.ReadFile(stampPath); err == nil && string(b) == d.stamp() {
		return paths, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, w := range d.wheels {
		if _, err := writeWheel(dir, w); err != nil {
			return nil, fmt.Errorf("writing %s: %w", w.filename(), err)
		}
	}
	if d.sdist != "" {
		if _, err := writeSdist(dir, d.sdist); err != nil {
			return nil, fmt.Errorf("writing the sdist of %s: %w", d.sdist, err)
		}
	}
	for _, p := range paths {
		if err := checkForPyPI(p); err != nil {
			return nil, err
		}
	}
	return paths, os.WriteFile(stampPath, []byte(d.stamp()), 0o644)
}

// checkForPyPI opens the file at path and fails on any problem, warnings
// included, under the PyPI profile.
func checkForPyPI(path string) error {
	d, err := dist.Open(path)
	if err != nil {
		return fmt.Errorf("generated file is invalid: %w", err)
	}
	var errs []error
	for _, p := range d.Check(dist.PyPI) {
		errs = append(errs, p)
	}
	if len(errs) > 0 {
		return fmt.Errorf("generated file %s has problems: %w", filepath.Base(path), errors.Join(errs...))
	}
	return nil
}
