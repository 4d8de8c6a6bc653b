//go:build !race

package readme

// raceDetector is true when the tests run under the race detector.
const raceDetector = false
