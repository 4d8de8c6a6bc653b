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
package dist
