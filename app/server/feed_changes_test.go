package server_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// lifeFeed is an Atom feed with RFC 6721 deleted entries and RFC 5005 links.
type lifeFeed struct {
	Updated string `xml:"http://www.w3.org/2005/Atom updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"http://www.w3.org/2005/Atom link"`
	Entries []struct {
		ID         string `xml:"http://www.w3.org/2005/Atom id"`
		Title      string `xml:"http://www.w3.org/2005/Atom title"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"http://www.w3.org/2005/Atom category"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
	Deleted []struct {
		Ref     string `xml:"ref,attr"`
		When    string `xml:"when,attr"`
		Comment string `xml:"http://purl.org/atompub/tombstones/1.0 comment"`
	} `xml:"http://purl.org/atompub/tombstones/1.0 deleted-entry"`
}

func getFeed(t *testing.T, e *apptest.Env, target string) (lifeFeed, string) {
	t.Helper()
	r := e.Get(t, target)
	wantStatus(t, r, http.StatusOK)
	var f lifeFeed
	if err := xml.Unmarshal([]byte(r.Body), &f); err != nil {
		t.Fatalf("%s does not parse: %v\n%s", target, err, r.Body)
	}
	return f, r.Body
}

func (f lifeFeed) link(rel string) string {
	for _, l := range f.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func (f lifeFeed) hasCategory(i int, term string) bool {
	for _, c := range f.Entries[i].Categories {
		if c.Term == term {
			return true
		}
	}
	return false
}

// A retraction is an RFC 6721 deleted entry with its date and public
// reason; an expiry is marked.
func TestAtomFeedCarriesRetractionsAndExpiry(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	live := e.Warning(t, apptest.Titled("Driver job"))
	expired := e.Warning(t, apptest.Titled("Old farm work"), apptest.ExpiringIn(-time.Hour))
	gone := e.Warning(t, apptest.Titled("Wrongly named agency"), apptest.Retracted("The agency was named by mistake."))
	f, body := getFeed(t, e, "/en/warnings.atom")
	if !strings.Contains(body, `xmlns:at="http://purl.org/atompub/tombstones/1.0"`) {
		t.Errorf("no tombstones namespace:\n%s", body)
	}
	if len(f.Entries) != 2 || len(f.Deleted) != 1 {
		t.Fatalf("%d entries, %d deleted:\n%s", len(f.Entries), len(f.Deleted), body)
	}
	d := f.Deleted[0]
	if d.Ref != fmt.Sprintf("%s/w/%d", apptest.BaseURL, gone) || d.When != apptest.Now.Add(-time.Hour).Format(time.RFC3339) || d.Comment != "The agency was named by mistake." {
		t.Errorf("deleted entry: %+v", d)
	}
	if strings.Contains(body, "Wrongly named agency") {
		t.Error("the retracted text is still in the feed")
	}
	for i, en := range f.Entries {
		isExpired := en.ID == fmt.Sprintf("%s/w/%d", apptest.BaseURL, expired)
		if f.hasCategory(i, "expired") != isExpired || strings.Contains(en.Title, "Expired") != isExpired {
			t.Errorf("entry %s (expired %t): %+v", en.ID, isExpired, en)
		}
		if en.ID != fmt.Sprintf("%s/w/%d", apptest.BaseURL, live) && !isExpired {
			t.Errorf("unexpected entry %s", en.ID)
		}
	}
}

func TestAtomFeedFiltersLikeTheList(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	danger := e.Warning(t, apptest.Titled("Driver job"), apptest.OnRoute("UA", "PL"))
	caution := e.Warning(t, apptest.Titled("Visa agency"), apptest.OnRoute("NP", "RO"), apptest.InCategory("fake-travel-agency"), apptest.WithSeverity(model.SeverityCaution))
	for _, tc := range []struct {
		query string
		want  int64
	}{
		{"severity=caution", caution},
		{"severity=danger", danger},
		{"category=fake-travel-agency", caution},
		{"category=fake-job-offer&country=UA", danger},
		{"country=RO&severity=caution", caution},
	} {
		f, body := getFeed(t, e, "/en/warnings.atom?"+tc.query)
		if len(f.Entries) != 1 || f.Entries[0].ID != fmt.Sprintf("%s/w/%d", apptest.BaseURL, tc.want) {
			t.Errorf("%s: %s", tc.query, body)
		}
		if self := f.link("self"); !strings.Contains(self, strings.Split(tc.query, "&")[0]) {
			t.Errorf("%s: self link %q drops the filter", tc.query, self)
		}
	}
	if f, _ := getFeed(t, e, "/en/warnings.atom?severity=caution&country=UA"); len(f.Entries) != 0 {
		t.Errorf("no warning is both: %+v", f.Entries)
	}
	for _, q := range []string{"severity=deadly", "category=nothing", "country=nowhere", "page=0", "page=abc", "page=99999999999"} {
		if r := e.Get(t, "/en/warnings.atom?"+q); r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, r.StatusCode)
		}
	}
}

// Past 50 warnings the feed pages (RFC 5005): first, next, previous; the
// pages together hold every warning once.
func TestAtomFeedPages(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ids := map[string]bool{}
	for i := 0; i < 53; i++ {
		ids[fmt.Sprintf("%s/w/%d", apptest.BaseURL, e.Warning(t))] = true
	}
	first, _ := getFeed(t, e, "/en/warnings.atom")
	if len(first.Entries) != 50 || first.link("first") != apptest.BaseURL+"/en/warnings.atom" || first.link("previous") != "" {
		t.Fatalf("first page: %d entries, links %+v", len(first.Entries), first.Links)
	}
	next := first.link("next")
	if next != apptest.BaseURL+"/en/warnings.atom?page=2" {
		t.Fatalf("next link %q", next)
	}
	second, _ := getFeed(t, e, strings.TrimPrefix(next, apptest.BaseURL))
	if len(second.Entries) != 3 || second.link("next") != "" || second.link("previous") != apptest.BaseURL+"/en/warnings.atom" {
		t.Fatalf("second page: %d entries, links %+v", len(second.Entries), second.Links)
	}
	for _, f := range []lifeFeed{first, second} {
		for _, en := range f.Entries {
			if !ids[en.ID] {
				t.Errorf("%s twice or unknown", en.ID)
			}
			delete(ids, en.ID)
		}
	}
	if len(ids) != 0 {
		t.Errorf("never in the feed: %v", ids)
	}
	if r := e.Get(t, "/en/warnings.atom?page=3"); r.StatusCode != http.StatusNotFound {
		t.Errorf("page past the end: %d", r.StatusCode)
	}
}

// An empty feed is dated by the newest change of any warning, else by the
// server's start: never 0001-01-01.
func TestAtomFeedUpdatedWhenEmpty(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	f, body := getFeed(t, e, "/en/warnings.atom")
	if len(f.Entries) != 0 || f.Updated != apptest.Now.Format(time.RFC3339) {
		t.Errorf("empty site: updated %q\n%s", f.Updated, body)
	}
	e.Warning(t, apptest.OnRoute("UA", "PL"))
	mod := newModerator(t, e, "feed_mod")
	id := e.Warning(t, apptest.OnRoute("UA", "PL"))
	if err := e.Services.Authoring.Retract(context.Background(), mod, id, "Checked and found real."); err != nil {
		t.Fatal(err)
	}
	f, body = getFeed(t, e, "/en/warnings.atom?country=ES")
	if len(f.Entries) != 0 || f.Updated != apptest.Now.Format(time.RFC3339) || strings.HasPrefix(f.Updated, "0001") {
		t.Errorf("empty filter: updated %q\n%s", f.Updated, body)
	}
}

// The filtered list names the feed of the same filter.
func TestFilteredListLinksToTheFilteredFeed(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.OnRoute("UA", "PL"))
	r := e.Get(t, "/en/warnings?country=UA&severity=danger&category=fake-job-offer")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Body, `/en/warnings.atom?category=fake-job-offer&amp;country=UA&amp;severity=danger"`) {
		t.Errorf("no link to the filtered feed:\n%s", r.Body)
	}
}
