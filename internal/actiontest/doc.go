// Package actiontest checks the repository's action.yml by playing the
// GitHub Actions runner: its tests read the metadata, apply the inputs'
// defaults, evaluate the steps' `${{ }}` expressions and run the
// composite's bash steps against a fake PyPI (package pypitest). It has
// no code of its own outside its tests, so that the YAML parser they use
// is never a dependency of the library.
package actiontest
