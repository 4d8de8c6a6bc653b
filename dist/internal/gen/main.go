// Command gen writes the bad (and a few good) distribution files that
// dist's table test opens and checks: broken ZIP framing, wheels with a
// wrong .dist-info, sdists with unsafe trees, metadata that PyPI refuses.
// Each case goes to <out>/bad/<case>/<file name> (or good/), so the file
// name is part of the case. Run from the module root:
//
//	go run ./dist/internal/gen
//
// The output is deterministic; the files are committed. With -large DIR
// it writes instead, under DIR/bad, the hostile files too large to commit
// (an 11 MiB sdist of 480 names of 1 MB), for measurements.
package main

import (
	"archive/tar"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// A case is one generated file.
type genCase struct {
	id   string // directory name
	file string // distribution file name
	data []byte
}

const wheelName = "demo-1.0-py3-none-any.whl"

// meta returns a METADATA/PKG-INFO with the given headers (after
// Metadata-Version, Name and Version, each of which a header named with
// an empty value removes).
func meta(headers ...string) []byte {
	base := []string{"Metadata-Version: 2.4", "Name: demo", "Version: 1.0"}
	var out []string
	for _, b := range base {
		key, _, _ := strings.Cut(b, ":")
		replaced := false
		for _, h := range headers {
			if k, v, _ := strings.Cut(h, ":"); k == key {
				replaced = true
				if strings.TrimSpace(v) != "" {
					out = append(out, h)
				}
			}
		}
		if !replaced {
			out = append(out, b)
		}
	}
	for _, h := range headers {
		k, _, _ := strings.Cut(h, ":")
		if k != "Metadata-Version" && k != "Name" && k != "Version" {
			out = append(out, h)
		}
	}
	return []byte(strings.Join(out, "\n") + "\n\nA demo.\n")
}

const wheelFile = "Wheel-Version: 1.0\nGenerator: gen\nRoot-Is-Purelib: true\nTag: py3-none-any\n"

// wheel returns the members of a valid wheel of demo 1.0 with dist-info
// directory dir and METADATA m; RECORD lists every other member.
func wheel(dir string, m []byte, extra ...zfile) []zfile {
	fs := []zfile{
		{name: "demo/__init__.py", data: []byte("VERSION = '1.0'\n"), deflate: true},
		{name: dir + "/METADATA", data: m, deflate: true},
		{name: dir + "/WHEEL", data: []byte(wheelFile), deflate: true},
	}
	fs = append(fs, extra...)
	var rec strings.Builder
	for _, f := range fs {
		if !strings.HasSuffix(f.name, "/") {
			fmt.Fprintf(&rec, "%s,sha256=x,%d\n", f.name, len(f.data))
		}
	}
	rec.WriteString(dir + "/RECORD,,\n")
	return append(fs, zfile{name: dir + "/RECORD", data: []byte(rec.String()), deflate: true})
}

func demoWheel(m []byte, extra ...zfile) []zfile { return wheel("demo-1.0.dist-info", m, extra...) }

// without drops the members named name.
func without(fs []zfile, names ...string) []zfile {
	var out []zfile
	for _, f := range fs {
		drop := false
		for _, n := range names {
			drop = drop || f.name == n
		}
		if !drop {
			out = append(out, f)
		}
	}
	return out
}

// edit applies fn to the member named name.
func edit(fs []zfile, name string, fn func(*zfile)) []zfile {
	out := append([]zfile(nil), fs...)
	for i := range out {
		if out[i].name == name {
			fn(&out[i])
		}
	}
	return out
}

// sdist returns the members of a valid sdist of demo 1.0 under root with
// PKG-INFO m.
func sdist(root string, m []byte, extra ...tfile) []tfile {
	fs := []tfile{
		{name: root + "/", typeflag: tar.TypeDir},
		{name: root + "/PKG-INFO", data: m},
		{name: root + "/pyproject.toml", data: []byte("[project]\nname = \"demo\"\nversion = \"1.0\"\n")},
		{name: root + "/demo/__init__.py", data: []byte("VERSION = '1.0'\n")},
	}
	return append(fs, extra...)
}

func demoSdist(extra ...tfile) []byte { return gz(buildTar(sdist("demo-1.0", meta(), extra...))) }

func main() {
	out := flag.String("out", "dist/testdata", "directory that receives bad/ and good/")
	large := flag.String("large", "", "if set, the directory that receives only the hostile files too large to commit")
	flag.Parse()
	var sets map[string][]genCase
	if *large != "" {
		*out, sets = *large, map[string][]genCase{"bad": largeCases()}
	} else {
		sets = map[string][]genCase{"bad": badCases(), "good": goodCases()}
	}
	for dir, cases := range sets {
		root := filepath.Join(*out, dir)
		if err := os.RemoveAll(root); err != nil {
			log.Fatal(err)
		}
		for _, c := range cases {
			p := filepath.Join(root, c.id, c.file)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				log.Fatal(err)
			}
			if err := os.WriteFile(p, c.data, 0o644); err != nil {
				log.Fatal(err)
			}
		}
		log.Printf("wrote %d files to %s", len(cases), root)
	}
}

func goodCases() []genCase {
	return []genCase{
		{"wheel", wheelName, buildZip(demoWheel(meta()), zopts{})},
		{"sdist", "demo-1.0.tar.gz", demoSdist()},
		{"wheel-license", wheelName, buildZip(demoWheel(meta("License-File: LICENSE"),
			zfile{name: "demo-1.0.dist-info/licenses/LICENSE", data: []byte("MIT\n")}), zopts{})},
		{"sdist-license", "demo-1.0.tar.gz", demoSdist(tfile{name: "demo-1.0/LICENSE", data: []byte("MIT\n")})},
		// METADATA decoys outside the .dist-info are not read.
		{"wheel-decoys", wheelName, buildZip(demoWheel(meta(),
			zfile{name: "METADATA", data: []byte("Metadata-Version: 2.1\nName: evil\nVersion: 6.6\n")},
			zfile{name: "demo/METADATA", data: []byte("Metadata-Version: 2.1\nName: evil\nVersion: 6.6\n")}), zopts{})},
		// Bytes after the gzip stream are hashed, never parsed.
		{"sdist-trailing-garbage", "demo-1.0.tar.gz", append(demoSdist(), "garbage after the gzip member"...)},
		{"sdist-two-gzip-members", "demo-1.0.tar.gz", func() []byte {
			t := buildTar(sdist("demo-1.0", meta()))
			return append(gz(t[:1024]), gz(t[1024:])...)
		}()},
		// Entry point names are case-sensitive: PyPI accepts both.
		{"wheel-entry-points-case", wheelName, buildZip(demoWheel(meta(), zfile{name: "demo-1.0.dist-info/entry_points.txt", deflate: true,
			data: []byte("[console_scripts]\nExample = example:main\nexample = example:main\n")}), zopts{})},
		{"wheel-stored", wheelName, buildZip(edit(demoWheel(meta()), "demo-1.0.dist-info/METADATA", func(f *zfile) { f.deflate = false }), zopts{})},
	}
}

func badCases() []genCase {
	good := buildZip(demoWheel(meta()), zopts{})
	w := func(id string, fs []zfile) genCase { return genCase{id, wheelName, buildZip(fs, zopts{})} }
	wm := func(id string, headers ...string) genCase { return w(id, demoWheel(meta(headers...))) }
	s := func(id string, files ...tfile) genCase { return genCase{id, "demo-1.0.tar.gz", gz(buildTar(files))} }
	withPKGInfo := func(id string, m []byte) genCase {
		return genCase{id, "demo-1.0.tar.gz", gz(buildTar(sdist("demo-1.0", m)))}
	}
	const mdir = "demo-1.0.dist-info/"
	init := "demo/__init__.py"
	return append([]genCase{
		// ZIP framing
		{"zip-not-zip", wheelName, []byte("this is not a zip file at all, just text\n")},
		{"zip-empty-file", wheelName, nil},
		{"zip-truncated", wheelName, good[:len(good)/2]},
		{"zip-trailing-data", wheelName, buildZip(demoWheel(meta()), zopts{appendix: []byte("trailing")})},
		{"zip-prepended-data", wheelName, buildZip(demoWheel(meta()), zopts{prepend: []byte("#!/bin/sh\nexit 0\n")})},
		{"zip-gap", wheelName, buildZip(demoWheel(meta()), zopts{gap: 16})},
		{"zip-overlap", wheelName, buildZip(demoWheel(meta(), zfile{name: "demo/extra.py", data: []byte("x")}), zopts{overlap: true})},
		{"zip-record-count", wheelName, buildZip(demoWheel(meta()), zopts{records: 9})},
		{"zip-multi-disk", wheelName, buildZip(demoWheel(meta()), zopts{disk: 1})},
		w("zip-cd-comment", edit(demoWheel(meta()), init, func(f *zfile) { f.comment = "hi" })),
		w("zip-data-descriptor", edit(demoWheel(meta()), init, func(f *zfile) { f.descriptor = true })),
		w("zip-duplicate-name", append(demoWheel(meta()), zfile{name: init, data: []byte("evil = 1\n")})),
		w("zip-local-name-mismatch", edit(demoWheel(meta()), init, func(f *zfile) { f.localName = "demo/evil.py" })),
		w("zip-local-size-mismatch", edit(demoWheel(meta()), init, func(f *zfile) { f.localDelta = 1 })),
		w("zip-local-usize-mismatch", edit(demoWheel(meta()), init, func(f *zfile) { f.usizeDelta = 1 })),
		w("zip-encrypted", edit(demoWheel(meta()), init, func(f *zfile) { f.flags = 1 })),
		w("zip-bzip2", edit(demoWheel(meta()), init, func(f *zfile) { f.deflate, f.method = false, 12 })),
		w("zip-unknown-method", edit(demoWheel(meta()), init, func(f *zfile) { f.deflate, f.method = false, 99 })),
		w("zip-control-char-name", append(demoWheel(meta()), zfile{name: "demo/a\x01b.py", data: []byte("x")})),
		w("zip-non-utf8-name", append(demoWheel(meta()), zfile{name: "demo/x.py", rawName: []byte("demo/caf\xe9.py"), data: []byte("x")})),
		w("zip-absolute-path", append(demoWheel(meta()), zfile{name: "/etc/evil", data: []byte("x")})),
		w("zip-dotdot-path", append(demoWheel(meta()), zfile{name: "demo/../../evil", data: []byte("x")})),
		w("zip-backslash-path", append(demoWheel(meta()), zfile{name: `demo\evil.py`, data: []byte("x")})),
		w("zip-bomb", append(demoWheel(meta()), zfile{name: "demo/zeros.bin", data: make([]byte, 65<<20), deflate: true})),
		w("zip-metadata-bad-crc", edit(demoWheel(meta()), mdir+"METADATA", func(f *zfile) { f.badCRC = true })),
		w("zip-metadata-inflates-more", edit(demoWheel(meta()), mdir+"METADATA", func(f *zfile) { f.cdUsize = 10; f.usizeDelta = 10 - uint32(len(f.data)) })),

		// wheel layout
		w("wheel-no-dist-info", without(demoWheel(meta()), mdir+"METADATA", mdir+"WHEEL", mdir+"RECORD")),
		w("wheel-two-dist-info", append(demoWheel(meta()), zfile{name: "Demo-1.0.dist-info/METADATA", data: meta()})),
		w("wheel-other-project-dist-info", wheel("other-1.0.dist-info", meta())),
		w("wheel-prefix-project-dist-info", wheel("demonic-1.0.dist-info", meta())),
		w("wheel-metadata-missing", without(demoWheel(meta()), mdir+"METADATA")),
		w("wheel-metadata-directory", append(without(demoWheel(meta()), mdir+"METADATA"), zfile{name: mdir + "METADATA/"})),
		w("wheel-metadata-symlink", edit(demoWheel(meta()), mdir+"METADATA", func(f *zfile) { f.mode = 0o120777; f.deflate = false; f.data = []byte("../demo/METADATA") })),
		w("wheel-dist-info-version-differs", wheel("demo-0.9.dist-info", meta())),
		w("wheel-dist-info-uppercase", wheel("Demo-1.0.dist-info", meta())),
		w("wheel-wheel-missing", without(demoWheel(meta()), mdir+"WHEEL")),
		w("wheel-no-wheel-version", edit(demoWheel(meta()), mdir+"WHEEL", func(f *zfile) { f.data = []byte("Generator: gen\n") })),
		w("wheel-wheel-version-2", edit(demoWheel(meta()), mdir+"WHEEL", func(f *zfile) { f.data = []byte("Wheel-Version: 2.0\n") })),
		w("wheel-wheel-version-1.9", edit(demoWheel(meta()), mdir+"WHEEL", func(f *zfile) { f.data = []byte("Wheel-Version: 1.9\n") })),
		w("wheel-wheel-tags-mismatch", edit(demoWheel(meta()), mdir+"WHEEL", func(f *zfile) { f.data = []byte("Wheel-Version: 1.0\nTag: cp312-cp312-win_amd64\n") })),
		w("wheel-record-missing", without(demoWheel(meta()), mdir+"RECORD")),
		w("wheel-record-not-utf8", edit(demoWheel(meta()), mdir+"RECORD", func(f *zfile) { f.data = []byte("demo/\xff.py,,\n") })),
		w("wheel-record-mismatch", edit(demoWheel(meta()), mdir+"RECORD", func(f *zfile) { f.data = []byte("demo/__init__.py,sha256=x,1\n") })),
		w("wheel-record-md5", edit(demoWheel(meta()), mdir+"RECORD", func(f *zfile) {
			f.data = []byte("demo/__init__.py,md5=x,1\n" + mdir + "METADATA,sha256=x,1\n" + mdir + "WHEEL,sha256=x,1\n" + mdir + "RECORD,,\n")
		})),
		w("wheel-entry-points-bad-name", demoWheel(meta(), zfile{name: mdir + "entry_points.txt", data: []byte("[console_scripts]\nbad name! = demo:main\n")})),
		w("wheel-entry-points-not-ini", demoWheel(meta(), zfile{name: mdir + "entry_points.txt", data: []byte("console_scripts\ndemo = demo:main\n")})),
		w("wheel-entry-points-duplicate", demoWheel(meta(), zfile{name: mdir + "entry_points.txt", data: []byte("[console_scripts]\ndemo = a:b\ndemo = c:d\n")})),
		w("wheel-license-file-missing", demoWheel(meta("License-File: LICENSE"))),
		{"wheel-platform-linux", "demo-1.0-cp312-cp312-linux_x86_64.whl", good},
		{"wheel-platform-macos-minor", "demo-1.0-cp312-cp312-macosx_11_2_arm64.whl", good},
		{"wheel-platform-one-of-two", "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.linux_x86_64.whl", good},
		{"wheel-name-mismatch", "other-1.0-py3-none-any.whl", buildZip(wheel("other-1.0.dist-info", meta()), zopts{})},
		{"wheel-filename-uppercase", "Demo-1.0-py3-none-any.whl", buildZip(wheel("Demo-1.0.dist-info", meta()), zopts{})},
		{"wheel-filename-dots", "Demo.Pkg-1.0-py3-none-any.whl", buildZip(wheel("Demo.Pkg-1.0.dist-info", meta("Name: Demo.Pkg")), zopts{})},
		{"wheel-version-mismatch", wheelName, buildZip(demoWheel(meta("Version: 2.0")), zopts{})},
		{"wheel-version-noncanonical", "demo-1.0RC1-py3-none-any.whl", buildZip(wheel("demo-1.0RC1.dist-info", meta("Version: 1.0rc1")), zopts{})},
		{"filename-wrong-parts", "demo-1.0-py3-none.whl", good},
		{"filename-extension", "demo-1.0.tar.bz2", good},

		// metadata
		wm("meta-mv-2.0", "Metadata-Version: 2.0"),
		wm("meta-mv-2.6", "Metadata-Version: 2.6"),
		wm("meta-mv-3.0", "Metadata-Version: 3.0"),
		wm("meta-mv-missing", "Metadata-Version:"),
		wm("meta-license-expression-2.1", "Metadata-Version: 2.1", "License-Expression: MIT"),
		wm("meta-dynamic-2.1", "Metadata-Version: 2.1", "Dynamic: Requires-Dist"),
		wm("meta-import-name-2.4", "Import-Name: demo"),
		wm("meta-license-file-2.1", "Metadata-Version: 2.1", "License-File: LICENSE"),
		{"meta-local-version", "demo-1.0+local-py3-none-any.whl", buildZip(wheel("demo-1.0+local.dist-info", meta("Version: 1.0+local")), zopts{})},
		wm("meta-name-missing", "Name:"),
		wm("meta-version-missing", "Version:"),
		w("meta-bom", demoWheel(append([]byte("\ufeff"), meta()...))),

		// sdists
		{"sdist-not-gzip", "demo-1.0.tar.gz", []byte("plain text, not gzip\n")},
		{"sdist-gzip-not-tar", "demo-1.0.tar.gz", gz([]byte("gzip, but the content is not a tar archive at all.\n"))},
		{"sdist-truncated", "demo-1.0.tar.gz", demoSdist()[:len(demoSdist())/2]},
		s("sdist-no-pkg-info", tfile{name: "demo-1.0/", typeflag: tar.TypeDir}, tfile{name: "demo-1.0/setup.py", data: []byte("x")}),
		s("sdist-pkg-info-in-egg-info", tfile{name: "demo-1.0/demo.egg-info/PKG-INFO", data: meta()}),
		s("sdist-two-top-dirs", append(sdist("demo-1.0", meta()), tfile{name: "other-1.0/PKG-INFO", data: meta()})...),
		s("sdist-top-level-file", tfile{name: "PKG-INFO", data: meta()}),
		s("sdist-empty"),
		s("sdist-dot-slash", sdist("./demo-1.0", meta())...),
		s("sdist-absolute", sdist("/demo-1.0", meta())...),
		s("sdist-dotdot", append(sdist("demo-1.0", meta()), tfile{name: "demo-1.0/../evil", data: []byte("x")})...),
		s("sdist-pkg-info-symlink", tfile{name: "demo-1.0/", typeflag: tar.TypeDir}, tfile{name: "demo-1.0/META", data: meta()},
			tfile{name: "demo-1.0/PKG-INFO", typeflag: tar.TypeSymlink, linkname: "META"}),
		s("sdist-pkg-info-hardlink", tfile{name: "demo-1.0/", typeflag: tar.TypeDir}, tfile{name: "demo-1.0/META", data: meta()},
			tfile{name: "demo-1.0/PKG-INFO", typeflag: tar.TypeLink, linkname: "demo-1.0/META"}),
		s("sdist-pkg-info-directory", tfile{name: "demo-1.0/", typeflag: tar.TypeDir}, tfile{name: "demo-1.0/PKG-INFO/", typeflag: tar.TypeDir}),
		s("sdist-two-pkg-info", append(sdist("demo-1.0", meta()), tfile{name: "demo-1.0/PKG-INFO", data: meta("Name: evil")})...),
		s("sdist-symlink-escapes", append(sdist("demo-1.0", meta()), tfile{name: "demo-1.0/evil", typeflag: tar.TypeSymlink, linkname: "../../etc/passwd"})...),
		s("sdist-symlink-absolute", append(sdist("demo-1.0", meta()), tfile{name: "demo-1.0/evil", typeflag: tar.TypeSymlink, linkname: "/etc/passwd"})...),
		s("sdist-hardlink-escapes", append(sdist("demo-1.0", meta()), tfile{name: "demo-1.0/evil", typeflag: tar.TypeLink, linkname: "etc/passwd"})...),
		s("sdist-char-device", append(sdist("demo-1.0", meta()), tfile{name: "demo-1.0/tty", typeflag: tar.TypeChar})...),
		s("sdist-fifo", append(sdist("demo-1.0", meta()), tfile{name: "demo-1.0/pipe", typeflag: tar.TypeFifo})...),
		s("sdist-sparse-gnu", append(sdist("demo-1.0", meta()), tfile{name: "demo-1.0/holes.bin", gnuSpars: true})...),
		s("sdist-sparse-pax", append(sdist("demo-1.0", meta()),
			tfile{name: "demo-1.0/PaxHeaders/holes.bin", paxRaw: true, data: paxRecords("GNU.sparse.numblocks", "1", "GNU.sparse.offset", "0", "GNU.sparse.numbytes", "0", "GNU.sparse.size", "0")},
			tfile{name: "demo-1.0/holes.bin"})...),
		s("sdist-gzip-bomb", append(sdist("demo-1.0", meta()), tfile{name: "demo-1.0/zeros.bin", data: make([]byte, 65<<20)})...),
		withPKGInfo("sdist-pkg-info-no-metadata-version", meta("Metadata-Version:")),
		{"sdist-zip", "demo-1.0.zip", buildZip([]zfile{
			{name: "demo-1.0/PKG-INFO", data: meta(), deflate: true},
			{name: "demo-1.0/setup.py", data: []byte("x"), deflate: true},
		}, zopts{})},
		{"sdist-root-differs", "demo-1.0.tar.gz", gz(buildTar(sdist("demo-src", meta())))},
		{"zip-empty-archive", wheelName, buildZip(nil, zopts{})},
		{"sdist-name-mismatch", "other-1.0.tar.gz", demoSdist()},
		{"sdist-filename-uppercase", "Demo-1.0.tar.gz", demoSdist()},
		{"sdist-version-noncanonical", "demo-1.02.tar.gz", gz(buildTar(sdist("demo-1.02", meta("Version: 1.02"))))},
		{"sdist-version-mismatch", "demo-1.0.tar.gz", gz(buildTar(sdist("demo-1.0", meta("Version: 2.0"))))},
		withPKGInfo("sdist-license-file-missing", meta("License-File: LICENSE")),
		{"sdist-local-version", "demo-1.0+local.tar.gz", gz(buildTar(sdist("demo-1.0+local", meta("Version: 1.0+local"))))},
	}, hostileCases()...)
}
