package pii

import (
	"cmp"
	"slices"
)

// Kind names what a finding looks like.
type Kind string

// The kinds of personal data Scan reports.
const (
	KindPassport   Kind = "passport"    // a passport number near a passport keyword
	KindNationalID Kind = "national_id" // a national identity number with a valid checksum or a keyword
	KindOwnEmail   Kind = "own_email"   // one of the poster's own e-mail addresses
)

// Finding is a passage that looks like personal data; Start and End are byte offsets into the text.
type Finding struct {
	Kind       Kind
	Start, End int
}

// Owner is what is known of the poster.
type Owner struct {
	Emails []string // as given; compare case-insensitively
}

// Scan returns the passages of text that look like the poster's own personal data, in order, not overlapping.
//
// Where two passages overlap, the one that starts first wins, then the longer
// one, then the more specific kind (own e-mail, passport, national ID).
func Scan(text string, owner Owner) []Finding {
	if text == "" {
		return nil
	}
	s := newScanner(text)
	s.scanEmails(owner.Emails)
	s.scanMRZ()
	if s.hasDigit {
		s.scanPassports()
		s.scanNationalIDs()
	}
	return s.result()
}

// scanner holds one text in its normalised forms and the findings so far,
// with offsets into the normalised text.
type scanner struct {
	view
	words    []word
	hits     []kwHit
	hitsDone bool
	found    []Finding
}

func newScanner(text string) *scanner {
	s := &scanner{view: newView(text)}
	if s.hasDigit {
		s.words = splitWords(s.norm)
	}
	return s
}

func (s *scanner) add(k Kind, start, end int) {
	s.found = append(s.found, Finding{Kind: k, Start: start, End: end})
}

// kindRank orders kinds for overlapping findings of equal extent.
func kindRank(k Kind) int {
	switch k {
	case KindOwnEmail:
		return 0
	case KindPassport:
		return 1
	default:
		return 2
	}
}

// result orders the findings, drops overlaps and maps the offsets back into
// the original text.
func (s *scanner) result() []Finding {
	if len(s.found) == 0 {
		return nil
	}
	slices.SortFunc(s.found, func(a, b Finding) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		if c := cmp.Compare(b.End, a.End); c != 0 {
			return c
		}
		return cmp.Compare(kindRank(a.Kind), kindRank(b.Kind))
	})
	out := make([]Finding, 0, len(s.found))
	end := -1
	for _, f := range s.found {
		if f.Start < end || f.Start >= f.End {
			continue
		}
		end = f.End
		out = append(out, Finding{Kind: f.Kind, Start: s.orig(f.Start), End: s.origEnd(f.End)})
	}
	return out
}
