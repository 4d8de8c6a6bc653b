package main

import "strings"

// Hostile inputs: declared sizes and names that a reader trusting them
// would overflow on or hold without limit.

func hostileCases() []genCase {
	w := func(id string, fs []zfile) genCase { return genCase{id, wheelName, buildZip(fs, zopts{})} }
	return []genCase{
		// Two members of 2^63 bytes each: the sum overflows 64 bits to 0.
		w("zip64-size-overflow", demoWheel(meta(),
			zfile{name: "demo/a.bin", data: []byte("a"), zip64Usize: 1 << 63},
			zfile{name: "demo/b.bin", data: []byte("b"), zip64Usize: 1 << 63})),
		// Names longer than PATH_MAX: no installer can extract them.
		{"sdist-name-too-long", "demo-1.0.tar.gz", demoSdist(tfile{name: "demo-1.0/" + strings.Repeat("n", 5000)})},
	}
}
