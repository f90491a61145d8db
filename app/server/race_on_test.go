//go:build race

package server_test

// raceDetector is true when the tests run under the race detector, which
// slows code down several times and shadows every byte of memory: heavy
// tests run fewer rounds, and resident memory is not a measure then.
const raceDetector = true
