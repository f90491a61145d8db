// Package printing holds the print test of the browser tests (package
// e2e): every demo warning in every language on two paper sizes. It is a
// package of its own so that its thousands of prints have their own time
// budget under a plain `go test ./...` (ten minutes per package).
package printing
