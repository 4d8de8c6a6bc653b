// Command gentables writes dist/verify's generated tables: the trove
// classifiers (with the deprecated map) from Debian's
// python3-trove-classifiers, the SPDX licence and exception lists from
// Debian's python3-packaging (packaging/licenses/_spdx.py), and the
// Unicode names email-validator prints, from /usr/bin/python3's
// unicodedata.
//
// By default it downloads the pinned .deb files with apt-get through a
// throw-away sources list made from this machine's own Debian mirror line
// (suite changed to sid), checks their sha256 and unpacks them; -debs DIR
// uses .deb files already in DIR instead. Run it with go generate in
// dist/verify. CI never runs it: sid drops old versions.
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// pin is one Debian package the tables come from.
type pin struct {
	Package, Version, SHA256, License string
}

var (
	trovePin     = pin{"python3-trove-classifiers", "2026.9.21.13-1", "83aa94716e78f690edf82253e563c4a8a49f806bb66d53b32f4cf6b056bd5c05", "Apache-2.0"}
	packagingPin = pin{"python3-packaging", "26.2-3", "289be53f30de535bd2397f960f435819dc9f1ec16e5668fd85bcfccf846c3017", "Apache-2.0 OR BSD-2-Clause"}
)

const (
	python     = "/usr/bin/python3"
	troveFile  = "usr/lib/python3/dist-packages/trove_classifiers/__init__.py"
	spdxFile   = "usr/lib/python3/dist-packages/packaging/licenses/_spdx.py"
	dumpScript = `
import json, runpy, sys, unicodedata
trove = runpy.run_path(sys.argv[1])
spdx = runpy.run_path(sys.argv[2])
names = {}
for cp in range(0x110000):
    c = chr(cp)
    if unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cf", "Mn", "Mc", "Me"):
        n = unicodedata.name(c, "")
        if n:
            names[cp] = n
json.dump({
    "classifiers": list(trove["sorted_classifiers"]),
    "deprecated": {k: list(v) for k, v in trove["deprecated_classifiers"].items()},
    "spdx_version": spdx["VERSION"],
    "licenses": {k: [v["id"], v["deprecated"]] for k, v in spdx["LICENSES"].items()},
    "exceptions": {k: v["id"] for k, v in spdx["EXCEPTIONS"].items()},
    "unidata_version": unicodedata.unidata_version,
    "names": names,
}, sys.stdout)
`
)

type dump struct {
	Classifiers    []string            `json:"classifiers"`
	Deprecated     map[string][]string `json:"deprecated"`
	SPDXVersion    string              `json:"spdx_version"`
	Licenses       map[string][2]any   `json:"licenses"`
	Exceptions     map[string]string   `json:"exceptions"`
	UnidataVersion string              `json:"unidata_version"`
	Names          map[string]string   `json:"names"`
}

func main() {
	debs := flag.String("debs", "", "directory holding the pinned .deb files (default: download them)")
	out := flag.String("out", "tables_gen.go", "output file")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "gentables")
	check(err)
	defer os.RemoveAll(tmp)
	if *debs == "" {
		*debs = filepath.Join(tmp, "debs")
		download(tmp, *debs, trovePin, packagingPin)
	}
	root := filepath.Join(tmp, "root")
	for _, p := range []pin{trovePin, packagingPin} {
		extract(debFile(*debs, p), p, root)
	}
	raw, err := exec.Command(python, "-c", dumpScript, filepath.Join(root, troveFile), filepath.Join(root, spdxFile)).Output()
	check(err)
	var d dump
	check(json.Unmarshal(raw, &d))
	src, err := format.Source(render(&d))
	check(err)
	check(os.WriteFile(*out, src, 0o644))
}

func check(err error) {
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			log.Fatalf("gentables: %v: %s", err, ee.Stderr)
		}
		log.Fatalf("gentables: %v", err)
	}
}

// mirrorURI reads this machine's Debian mirror from its apt sources, so
// no host name is written into the project.
func mirrorURI() string {
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	files = append(files, "/etc/apt/sources.list")
	re := regexp.MustCompile(`^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S+/debian)/?(?:\s|$)`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			if m := re.FindStringSubmatch(strings.TrimSpace(sc.Text())); m != nil {
				return m[1]
			}
		}
	}
	log.Fatal("gentables: no Debian mirror line in /etc/apt")
	return ""
}

func download(tmp, dir string, pins ...pin) {
	check(os.MkdirAll(dir, 0o755))
	list := filepath.Join(tmp, "sources.list")
	check(os.WriteFile(list, []byte("deb [trusted=yes] "+mirrorURI()+" sid main\n"), 0o644))
	for _, d := range []string{"lists/partial", "cache/archives/partial"} {
		check(os.MkdirAll(filepath.Join(tmp, d), 0o755))
	}
	opts := []string{
		"-o", "Dir::Etc::SourceList=" + list, "-o", "Dir::Etc::SourceParts=/dev/null",
		"-o", "Dir::State::Lists=" + filepath.Join(tmp, "lists"), "-o", "Dir::Cache=" + filepath.Join(tmp, "cache"),
		"-o", "Debug::NoLocking=1",
	}
	run("", "apt-get", append(opts, "update")...)
	args := append(opts, "download")
	for _, p := range pins {
		args = append(args, p.Package+"="+p.Version)
	}
	run(dir, "apt-get", args...)
}

func run(dir, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	check(cmd.Run())
}

func debFile(dir string, p pin) string {
	matches, _ := filepath.Glob(filepath.Join(dir, p.Package+"_"+strings.ReplaceAll(p.Version, ":", "%3a")+"_*.deb"))
	if len(matches) != 1 {
		log.Fatalf("gentables: want one %s %s .deb in %s, found %d", p.Package, p.Version, dir, len(matches))
	}
	return matches[0]
}

func extract(deb string, p pin, root string) {
	b, err := os.ReadFile(deb)
	check(err)
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != p.SHA256 {
		log.Fatalf("gentables: %s: sha256 %x, want %s", deb, sum, p.SHA256)
	}
	run("", "dpkg-deb", "-x", deb, root)
}

func render(d *dump) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by go run ./internal/gentables; DO NOT EDIT.\n//\n")
	for _, p := range []pin{trovePin, packagingPin} {
		fmt.Fprintf(&b, "// Source: Debian %s %s (.deb sha256 %s; upstream licence %s).\n", p.Package, p.Version, p.SHA256, p.License)
	}
	fmt.Fprintf(&b, "// Unicode names: /usr/bin/python3 unicodedata %s (categories Z, Cf and M).\n\n", d.UnidataVersion)
	b.WriteString("package verify\n\n")
	fmt.Fprintf(&b, "// ClassifiersVersion is the trove-classifiers release the built-in list comes from.\nconst ClassifiersVersion = %q\n\n", strings.SplitN(trovePin.Version, "-", 2)[0])
	fmt.Fprintf(&b, "// SPDXListVersion is the SPDX licence list version of the built-in tables (packaging %s).\nconst SPDXListVersion = %q\n\n", strings.SplitN(packagingPin.Version, "-", 2)[0], d.SPDXVersion)
	b.WriteString("// sortedClassifiers is trove_classifiers.sorted_classifiers.\nvar sortedClassifiers = []string{\n")
	for _, c := range d.Classifiers {
		fmt.Fprintf(&b, "\t%q,\n", c)
	}
	b.WriteString("}\n\n// deprecatedClassifiers is trove_classifiers.deprecated_classifiers.\nvar deprecatedClassifiers = map[string][]string{\n")
	for _, k := range sortedKeys(d.Deprecated) {
		fmt.Fprintf(&b, "\t%q: {", k)
		for i, v := range d.Deprecated[k] {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q", v)
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n\n// spdxLicenses maps a lowercase SPDX licence id to its id and whether SPDX deprecates it.\nvar spdxLicenses = map[string]spdxLicense{\n")
	for _, k := range sortedKeys(d.Licenses) {
		fmt.Fprintf(&b, "\t%q: {%q, %v},\n", k, d.Licenses[k][0], d.Licenses[k][1])
	}
	b.WriteString("}\n\n// spdxExceptions maps a lowercase SPDX exception id to its id.\nvar spdxExceptions = map[string]string{\n")
	for _, k := range sortedKeys(d.Exceptions) {
		fmt.Fprintf(&b, "\t%q: %q,\n", k, d.Exceptions[k])
	}
	b.WriteString("}\n\n// unicodeNames are unicodedata.name for the space, format and combining characters email-validator names.\nvar unicodeNames = map[rune]string{\n")
	cps := make([]int, 0, len(d.Names))
	for k := range d.Names {
		var cp int
		fmt.Sscan(k, &cp)
		cps = append(cps, cp)
	}
	sort.Ints(cps)
	for _, cp := range cps {
		fmt.Fprintf(&b, "\t0x%04X: %q,\n", cp, d.Names[fmt.Sprint(cp)])
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
