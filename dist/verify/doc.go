// Package verify holds the field-content rules PyPI applies to an upload's
// core metadata, each as a function of plain strings that returns nil or an
// [*Error] carrying PyPI's own message.
//
// The rules are those of packaging 26.2 (the library Warehouse pins) and of
// Warehouse's forklift/metadata.py: metadata versions, names and versions,
// summaries, description content types, e-mail addresses (Python's strict
// email.utils.parseaddr followed by email-validator 2.3.0), URLs (the
// rfc3986 subset Warehouse applies), trove classifiers, PEP 508
// requirements and markers, PEP 440 specifiers, extras, Dynamic, SPDX
// licence expressions, License-File paths and Import-Name values.
//
// Where PyPI itself crashes on an input (an HTTP 500 from a KeyError or
// IndexError inside packaging 26.2), the rule returns an ordinary invalid
// error instead.
//
// The trove classifier and SPDX tables are generated (go generate) from
// Debian's python3-trove-classifiers and python3-packaging packages; see
// [ClassifiersVersion] and [SPDXListVersion].
//
// The package does not import package dist: dist wires these rules into
// its checks, in PyPI's order.
package verify

//go:generate go run ./internal/gentables -out tables_gen.go
