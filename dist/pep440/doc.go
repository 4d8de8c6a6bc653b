// Package pep440 parses, normalises and compares Python package versions
// and version specifiers as PEP 440 defines them
// (https://packaging.python.org/en/latest/specifications/version-specifiers/).
//
// It follows the reference implementation, Python's packaging library:
// [Parse] accepts what packaging.version.Version accepts (the permissive
// spellings such as "v1.0", "1.0RC1", "1.0-1" and "1.0_dev3"), [Version.String]
// returns the same canonical form, [Compare] orders versions the same way,
// and [SpecifierSet.Contains] answers as packaging.specifiers.SpecifierSet
// does. Errors carry packaging's messages ("Invalid version: 'x'").
//
// Numbers in a version can be arbitrarily long: they are kept as digit
// strings and compared by value, so nothing overflows. Input must be
// ASCII; the whitespace trimmed around a version is the six ASCII space
// characters the specification lists (packaging also trims Unicode spaces
// such as U+00A0, which this package rejects).
package pep440
