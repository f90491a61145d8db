//go:build !race

package e2e

// RaceDetector is true when the tests run under the race detector.
const RaceDetector = false
