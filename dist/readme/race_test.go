//go:build race

package readme

// raceDetector is true when the tests run under the race detector, which
// makes sync.Pool drop objects (regexp's matchers among them), so
// allocation counts say nothing about the checker.
const raceDetector = true
