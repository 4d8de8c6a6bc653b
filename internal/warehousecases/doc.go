// Package warehousecases holds a table of upload cases with the answer
// PyPI gives to each, and the tests that hold both the client's offline
// checks (package dist) and the fake index (package pypitest) to it.
//
// The table, testdata/cases.json, is written by testdata/generate.py:
// where a Python library PyPI runs decides (packaging, trove-classifiers,
// email-validator, readme_renderer), the generator asks it; where
// Warehouse's own code decides (the upload form, its extra metadata rules,
// file names, archives, the index's state), the answer is written by hand
// from Warehouse's source and each case cites the Warehouse commit and
// file:line it follows. Neither dist nor pypitest is consulted to make the
// table, so a test against it can find a rule both get wrong alike.
//
// The package has no code of its own; it exists for its tests. Plain
// "go test" compares dist and pypitest with the recorded table;
// TestTableMatchesLibraries re-runs the generator with the libraries on
// VERIFY_PYTHONPATH (CI exports it; .ci/sid-python prints it) and checks
// that the recorded answers are still theirs.
package warehousecases
