// Package dist opens Python distribution files (wheels and sdists) and
// judges them as PyPI does, offline: it parses their file names, PEP 440
// versions and core metadata, checks their archives, and computes their
// digests in one read of the file, so that the bytes parsed are the bytes
// hashed and uploaded.
//
// Validation comes in two profiles: [Lenient], what pip and uv accept, and
// [PyPI], what PyPI's upload endpoint accepts. Each problem found is a
// [*Problem] naming the file, the field and the rule, worded as PyPI words
// it where PyPI has words for it.
//
// Files are hostile input. Only regular files are opened; sizes and
// offsets from an archive never overflow; members are read in one copy of
// at most 64 MiB, RECORD and entry_points.txt are streamed; and what is
// kept is capped far above real packages, each cap refused with a message
// naming it: 131,072 members, member names of 4,096 bytes and 16 MiB in
// all, a ZIP central directory of 32 MiB, 100,000 header fields in a
// metadata file, a WHEEL of 1 MiB, 131,072 RECORD rows and 100,000
// sections and entries in entry_points.txt. Checking a file thus costs at
// most about 64 MiB plus its largest metadata member (see
// BenchmarkHostileInputs).
package dist
