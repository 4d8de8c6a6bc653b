// Package dist opens Python distribution files (wheels and sdists) and
// judges them as PyPI does, offline: it parses their file names, PEP 440
// versions and core metadata, checks their archives reading only what
// that needs (a wheel's directory and members, an sdist's tar stream), and
// computes their digests when first needed, in one read: an sdist's in the
// read that checks it, a wheel's while it is uploaded
// ([Distribution.HashingReader]) or when asked ([Distribution.Digests]).
//
// Validation comes in two profiles: [Lenient], what pip and uv accept, and
// [PyPI], what PyPI's upload endpoint accepts. Each problem found is a
// [*Problem] naming the file, the field and the rule, worded as PyPI words
// it where PyPI has words for it.
//
// [Distribution.Check] reports, in this order: the file name against the
// metadata, the Metadata-Version rules, the archive (re-read: its ZIP
// framing, and a wheel's WHEEL, RECORD and entry_points.txt), License-File
// members, then the field contents. Archive problems that make a file
// unusable for anyone are errors of [Open] instead. The severities:
//
//	Problem                                          PyPI     Lenient
//	non-canonical file name, .zip sdist              error    warning
//	platform tag off PyPI's list                     error    warning
//	.dist-info directory not named as the file       error    warning
//	missing METADATA or License-File                 error    warning
//	unsupported Metadata-Version                     error    error (2.x after 2.6: warning)
//	field newer than the Metadata-Version            error    warning
//	License-File under Metadata-Version before 2.4   warning  warning (uploaders leave it out)
//	local version, bad entry points                  error    warning
//	ZIP data descriptor, directory comment           error    warning
//	compression other than stored and deflate        error    warning
//	name or version differing from the metadata's    error    error
//	missing WHEEL or RECORD; missing Name or Version error    error
//	Wheel-Version other than 1.x (PyPI never reads)  warning  error
//	field contents (packaging's and Warehouse's)     error    warning
//
// Messages are PyPI's where PyPI has words: archive problems read as
// PyPI's reply ("Invalid distribution file. ..."); metadata field
// problems as packaging's message, without the " See https://..." that
// PyPI appends (see [PyPIReply]). A Problem's Field is the lowercase field
// name for metadata, else "filename", "archive", "WHEEL", "RECORD" or
// "entry_points.txt".
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
