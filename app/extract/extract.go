package extract

import (
	"cmp"
	"slices"
)

// Kind names what an indicator is.
type Kind string

// The kinds of indicators Extract reports.
const (
	KindPhone       Kind = "phone"        // a phone number, normalised to E.164
	KindEmail       Kind = "email"        // an e-mail address, lower-cased, domain in punycode
	KindLink        Kind = "link"         // a web link, reduced to registrable domain, path and query
	KindSocial      Kind = "social"       // a profile on a social network or messenger, "platform:handle"
	KindCompany     Kind = "company"      // a known company or agency name, folded
	KindBankAccount Kind = "bank_account" // an IBAN, upper-case without spaces
)

// Found is one indicator in a text.
type Found struct {
	Kind       Kind
	Platform   string // for KindSocial: "facebook", "instagram", "telegram", "tiktok", "whatsapp", "viber", "x", "vk", "linkedin"
	Raw        string // the text as written (text[Start:End])
	Normalized string // the canonical form, as the Normalize functions give it
	Start, End int    // byte offsets into the original text
}

// Options of an extraction.
type Options struct {
	Region    string     // ISO 3166-1 alpha-2 of the reader's country: default region for phone numbers written without country code; may be empty
	Companies *Companies // known company/agency names, may be nil
}

// Extract returns the indicators found in text, in order of appearance, without duplicates of the same Kind+Platform+Normalized (keep the first).
//
// A passage is read as one indicator at most: links written with a scheme
// are read first, then e-mail addresses, links without a scheme, bank
// accounts, phone numbers, social handles and company names, each in what
// the ones before left over. Phone numbers written without a country code
// are read only when opts.Region is set.
func Extract(text string, opts Options) []Found {
	if text == "" {
		return nil
	}
	x := &extractor{v: newView(text), region: normRegion(opts.Region)}
	x.schemeLinks()
	x.emails()
	x.bareLinks()
	x.ibans()
	x.phones()
	x.handles()
	if opts.Companies != nil {
		x.companies(opts.Companies)
	}
	return x.result()
}

// extractor holds one text and what was found in it so far; spans are
// offsets into the normalised text.
type extractor struct {
	v      *view
	region string
	found  []Found
	taken  []span                   // in norm, in order, not overlapping
	spans  []span                   // the same, in text, in any order
	phone  map[phoneKey]phoneResult // parses of candidate numbers
}

type span struct{ start, end int }

// free reports whether no indicator was read in norm[start:end].
func (x *extractor) free(start, end int) bool {
	k := x.after(start)
	return k == len(x.taken) || x.taken[k].start >= end
}

// after returns the index of the first taken span that ends after offset i.
func (x *extractor) after(i int) int {
	k, _ := slices.BinarySearchFunc(x.taken, i, func(t span, i int) int { return cmp.Compare(t.end, i+1) })
	return k
}

// takenAt returns the end of the taken span that covers offset i of norm, or -1.
func (x *extractor) takenAt(i int) int {
	if k := x.after(i); k < len(x.taken) && x.taken[k].start <= i {
		return x.taken[k].end
	}
	return -1
}

// take marks norm[start:end], which must be free, as read, whether it is
// reported or not.
func (x *extractor) take(start, end int) {
	x.taken = slices.Insert(x.taken, x.after(start), span{start, end})
	x.spans = append(x.spans, span{x.v.start(start), x.v.end(end)})
}

// add reports an indicator at norm[start:end] and takes its span.
func (x *extractor) add(kind Kind, platform, normalized string, start, end int) {
	x.take(start, end)
	s, e := x.v.start(start), x.v.end(end)
	x.found = append(x.found, Found{
		Kind:       kind,
		Platform:   platform,
		Raw:        x.v.text[s:e],
		Normalized: normalized,
		Start:      s,
		End:        e,
	})
}

// result orders the findings by position and drops repeated values.
func (x *extractor) result() []Found {
	if len(x.found) == 0 {
		return nil
	}
	slices.SortStableFunc(x.found, func(a, b Found) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(b.End, a.End)
	})
	type key struct {
		kind                 Kind
		platform, normalized string
	}
	seen := make(map[key]bool, len(x.found))
	out := x.found[:0]
	for _, f := range x.found {
		k := key{f.Kind, f.Platform, f.Normalized}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}
