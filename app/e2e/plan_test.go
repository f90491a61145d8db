package e2e

import (
	"fmt"
	"testing"
	"time"

	"forewarn/app/i18n"
)

// planMargin is the time a long browser test leaves before the test
// binary's deadline for what comes after its planned pages: the last
// page, the report and the browser's shutdown.
const planMargin = 90 * time.Second

// languagePlan chooses the languages in which each page of a long browser
// test opens, so that the test ends before the test binary's deadline.
// With time enough (CI passes go test -timeout 30m) every page opens in
// every language. When the deadline is nearer (the README's go test ./...
// gives a package ten minutes, and a slow machine has needed seventeen for
// the whole suite) each page opens in as many languages as the time left
// allows at the pace measured so far, taken in turn from the list, so that
// every page and every language is still seen.
type languagePlan struct {
	langs []i18n.Language
	most  int       // languages per page at most
	end   time.Time // when the planned visits should be done; zero: never
	now   func() time.Time

	pages  int // pages still to open
	extra  int // visits still to come that are not planned (always made)
	next   int // index in langs of the next language to take
	start  time.Time
	visits int // visits made so far, planned or not

	fewest int // fewest languages a page opened in
}

// newLanguagePlan plans pages pages, each in at most most of langs, and
// extra visits beside them that are always made, to end planMargin before
// the test binary's deadline when there is one.
func newLanguagePlan(t *testing.T, langs []i18n.Language, most, pages, extra int) *languagePlan {
	var end time.Time
	if d, ok := t.Deadline(); ok {
		end = d.Add(-planMargin)
	}
	return planUntil(langs, most, pages, extra, end, time.Now)
}

// planUntil is newLanguagePlan with the visits to end at end (never when
// zero), on the clock now.
func planUntil(langs []i18n.Language, most, pages, extra int, end time.Time, now func() time.Time) *languagePlan {
	return &languagePlan{langs: langs, most: min(most, len(langs)), pages: pages, extra: extra, end: end, now: now, start: now(), fewest: len(langs)}
}

// take returns the languages in which the next page opens.
func (p *languagePlan) take() []i18n.Language {
	n := p.most
	if !p.end.IsZero() && p.visits > 0 && p.pages > 0 {
		perVisit := p.now().Sub(p.start) / time.Duration(p.visits)
		left := p.end.Sub(p.now()) - perVisit*time.Duration(p.extra)
		n = min(n, int(left/(perVisit*time.Duration(p.pages))))
	}
	n = max(n, 1)
	out := make([]i18n.Language, 0, n)
	for range n {
		out = append(out, p.langs[p.next])
		p.next = (p.next + 1) % len(p.langs)
	}
	p.pages--
	p.visits += n
	p.fewest = min(p.fewest, n)
	return out
}

// made counts n visits that were not planned, made since the plan began.
func (p *languagePlan) made(n int) {
	p.visits += n
	p.extra = max(p.extra-n, 0)
}

// String tells how much of the site the test saw, for its log.
func (p *languagePlan) String() string {
	if p.fewest >= len(p.langs) {
		return fmt.Sprintf("every page in all %d languages (%d visits)", len(p.langs), p.visits)
	}
	return fmt.Sprintf("each page in at least %d of %d languages, taken in turn (%d visits in %s); go test -timeout 30m opens every page in every language",
		p.fewest, len(p.langs), p.visits, p.now().Sub(p.start).Round(time.Second))
}

// TestLanguagePlanSeesEveryLanguageAndFitsTheTimeLeft checks the plan with
// a clock that moves a second per visit: with time for everything every
// page opens in every language; with little time each page opens in
// fewer, every language is still seen, and the visits end in time.
func TestLanguagePlanSeesEveryLanguageAndFitsTheTimeLeft(t *testing.T) {
	langs := make([]i18n.Language, 20)
	for i := range langs {
		langs[i] = i18n.Language{Code: fmt.Sprintf("l%02d", i)}
	}
	for _, tc := range []struct {
		name        string
		time        time.Duration
		most, pages int
		extra       int
		wantAll     bool
	}{
		{"time for all", 2 * time.Hour, 20, 43, 20, true},
		{"ten minutes", 10 * time.Minute, 20, 43, 20, false},
		{"race cap", 2 * time.Hour, 3, 43, 20, false},
		{"hardly any time", 10 * time.Second, 20, 43, 20, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			p := planUntil(langs, tc.most, tc.pages, tc.extra, clock.Add(tc.time), func() time.Time { return clock })
			seen := map[string]int{}
			for page := range tc.pages {
				ls := p.take()
				if len(ls) == 0 || len(ls) > tc.most {
					t.Fatalf("page %d opens in %d languages, want 1..%d", page, len(ls), tc.most)
				}
				for _, l := range ls {
					seen[l.Code]++
				}
				clock = clock.Add(time.Duration(len(ls)) * time.Second)
				if page == tc.pages/2 {
					p.made(tc.extra)
					clock = clock.Add(time.Duration(tc.extra) * time.Second)
				}
			}
			if len(seen) != len(langs) {
				t.Errorf("%d languages seen, want %d", len(seen), len(langs))
			}
			all := p.fewest == len(langs)
			if all != tc.wantAll {
				t.Errorf("every page in every language: %v, want %v (%s)", all, tc.wantAll, p)
			}
			// A plan that had the time to fit does fit (a second's slack
			// for the last page; a page always opens in one language).
			if minimum := time.Duration(tc.pages+tc.extra) * time.Second; tc.time >= minimum && clock.After(p.end.Add(time.Duration(tc.most)*time.Second)) {
				t.Errorf("visits end at %s, after the plan's end %s", clock.Sub(p.start), p.end.Sub(p.start))
			}
		})
	}
}
