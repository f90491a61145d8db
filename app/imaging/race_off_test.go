//go:build !race

package imaging_test

// raceDetector is true under the race detector.
const raceDetector = false
