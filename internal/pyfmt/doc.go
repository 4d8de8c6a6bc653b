// Package pyfmt renders values as Python prints them: repr() and str() of
// strings, bytes and decoded JSON values, and json.dumps with its default
// options.
//
// PyPI, Warehouse and the tools around them are Python programs, and the
// messages this module reproduces (and the answers pypitest imitates) embed
// those renderings byte for byte. Keeping them in one place means one
// implementation to check against Python, instead of one per package.
//
// Printability follows Go's unicode tables (Unicode 15.0.0, as Python
// 3.12 does); a code point assigned in a later Unicode version is escaped
// by this package but not by a Python built on that version, and the
// reverse holds for code points newer than an older Python's tables.
package pyfmt
