//go:build race

package e2e

// raceDetector is true when the tests run under the race detector. The
// print test measures CSS, not Go: it runs once, in the run without it.
const raceDetector = true
