//go:build race

package imaging_test

// raceDetector is true under the race detector, which makes pixel loops
// many times slower: the largest images are then left to the run without
// it (go test ./..., and a step of .ci/run).
const raceDetector = true
