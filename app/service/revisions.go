package service

import (
	"slices"
	"strings"

	"forewarn/app/extract"
	"forewarn/app/model"
	"forewarn/app/pii"
)

// scrubRemoved returns old, an earlier version of a post about to be kept as
// a revision, with [redacted] in place of the personal data the new version
// no longer holds: what the personal-data detector flags (passport and ID
// numbers, the author's own e-mail) and every phone number and e-mail
// address. An author who removes such a passage removes it from the
// revisions too; the original stays only in the audit log.
func scrubRemoved(old, current string, owner revisionOwner) string {
	if old == "" {
		return old
	}
	type span struct{ start, end int }
	var spans []span
	kept := map[string]bool{}
	for _, region := range owner.regions {
		for _, f := range extract.Extract(current, extract.Options{Region: region}) {
			kept[string(f.Kind)+":"+f.Normalized] = true
		}
	}
	for _, f := range pii.Scan(old, pii.Owner{Emails: owner.emails}) {
		if !strings.Contains(current, old[f.Start:f.End]) {
			spans = append(spans, span{f.Start, f.End})
		}
	}
	for _, region := range owner.regions {
		for _, f := range extract.Extract(old, extract.Options{Region: region}) {
			if (f.Kind == extract.KindPhone || f.Kind == extract.KindEmail) && !kept[string(f.Kind)+":"+f.Normalized] {
				spans = append(spans, span{f.Start, f.End})
			}
		}
	}
	if len(spans) == 0 {
		return old
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	merged := spans[:1]
	for _, s := range spans[1:] {
		last := &merged[len(merged)-1]
		if s.start <= last.end {
			last.end = max(last.end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	var b strings.Builder
	at := 0
	for _, s := range merged {
		b.WriteString(old[at:s.start])
		b.WriteString(Redacted)
		at = s.end
	}
	b.WriteString(old[at:])
	return b.String()
}

// revisionOwner is what scrubRemoved knows of a post's author and route.
type revisionOwner struct {
	emails  []string
	regions []string // "" first, then the countries of the route, to read local phone numbers
}

func ownerOf(actor *model.User, route []model.ReportCountry) revisionOwner {
	o := revisionOwner{regions: []string{""}}
	if actor != nil && actor.Email != nil {
		o.emails = []string{*actor.Email}
	}
	for _, c := range route {
		if !slices.Contains(o.regions, c.Country) {
			o.regions = append(o.regions, c.Country)
		}
	}
	return o
}
