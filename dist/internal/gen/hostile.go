package main

import (
	"fmt"
	"strings"
)

// Hostile inputs: small files whose members inflate to tens of MiB of
// lines, and declared sizes and names, that a parser holding everything
// or trusting them would turn into gigabytes or overflows. The ids of
// those that inflate end in "-bomb" so that the fuzzer does not inflate
// them on every run (it gets compact versions instead).

// repeatTo returns line repeated n times.
func repeatTo(line string, n int) []byte { return []byte(strings.Repeat(line, n)) }

func hostileCases() []genCase {
	const mdir = "demo-1.0.dist-info/"
	w := func(id string, fs []zfile) genCase { return genCase{id, wheelName, buildZip(fs, zopts{})} }
	setData := func(data []byte) func(*zfile) { return func(f *zfile) { f.data = data } }
	return []genCase{
		// 15 M RECORD rows of 4 bytes (60 MiB: under the compression
		// ratio rule's 64 MiB).
		w("wheel-record-rows-bomb", edit(demoWheel(meta()), mdir+"RECORD", setData(repeatTo("x,,\n", 15<<20)))),
		// 12 M header lines in METADATA.
		w("wheel-metadata-headers-bomb", demoWheel(append(append([]byte("Metadata-Version: 2.4\nName: demo\nVersion: 1.0\n"), repeatTo("ab:c\n", 12<<20)...), "\nA demo.\n"...))),
		// 3 M Tag lines in WHEEL.
		w("wheel-wheel-tags-bomb", edit(demoWheel(meta()), mdir+"WHEEL", setData(append([]byte(wheelFile), repeatTo("Tag: py3-none-any\n", 3<<20)...)))),
		// A 60 MiB METADATA: a plain-text description of 60 MiB.
		w("wheel-metadata-60mib-bomb", demoWheel(append(meta("Description-Content-Type: text/plain"), repeatTo("A demo package.\n", 60<<16)...))),
		// The same description in Markdown and in reStructuredText: about
		// 4 M lines of one paragraph for their parsers.
		w("wheel-metadata-markdown-60mib-bomb", demoWheel(append(meta("Description-Content-Type: text/markdown"), repeatTo("A demo package.\n", 60<<16)...))),
		w("wheel-metadata-rst-60mib-bomb", demoWheel(append(meta("Description-Content-Type: text/x-rst"), repeatTo("A demo package.\n", 60<<16)...))),
		// 7 M continuation lines in entry_points.txt: valid, as for PyPI.
		w("wheel-entry-points-lines-bomb", demoWheel(meta(), zfile{name: mdir + "entry_points.txt", deflate: true,
			data: append([]byte("[console_scripts]\ndemo = demo:main\n"), repeatTo(" x\n", 7<<20)...)})),
		// Two members of 2^63 bytes each: the sum overflows 64 bits to 0.
		w("zip64-size-overflow", demoWheel(meta(),
			zfile{name: "demo/a.bin", data: []byte("a"), zip64Usize: 1 << 63},
			zfile{name: "demo/b.bin", data: []byte("b"), zip64Usize: 1 << 63})),
		// Names longer than PATH_MAX: no installer can extract them.
		{"sdist-name-too-long", "demo-1.0.tar.gz", demoSdist(tfile{name: "demo-1.0/" + strings.Repeat("n", 5000)})},
	}
}

// largeCases are hostile files too large to commit; gen writes them only
// with -large, for measurements. The tests build smaller ones of the same
// shape.
func largeCases() []genCase {
	// 480 members with pax names of about 1 MB, each with 48 KB of hex
	// digits that gzip cannot squeeze below the compression ratio rule.
	rng := uint64(1)
	var names []tfile
	for i := range 480 {
		var b strings.Builder
		for range 48 << 10 {
			rng = rng*6364136223846793005 + 1442695040888963407
			b.WriteByte("0123456789abcdef"[rng>>60])
		}
		names = append(names, tfile{name: fmt.Sprintf("demo-1.0/%s%s%d", b.String(), strings.Repeat("a", 1000000-(48<<10)), i)})
	}
	return []genCase{{"sdist-long-names-bomb", "demo-1.0.tar.gz", gz(buildTar(sdist("demo-1.0", meta(), names...)))}}
}
