package server_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// listFixture creates 75 warnings over four countries, three categories
// and three severities, some published at the same instant (the list
// then orders by ID), some retracted or put back in review, which no list
// may show. It returns the listed ones' titles in list order, computed from
// the rows, and each one's facts.
func listFixture(t *testing.T, e *apptest.Env) (order []string, facts map[string][4]string) {
	t.Helper()
	countries := []string{"UA", "PL", "RO", "MD"}
	categories := []string{"fake-job-offer", "smuggling", "wage-theft"}
	severities := []model.Severity{model.SeverityInfo, model.SeverityCaution, model.SeverityDanger}
	facts = map[string][4]string{}
	type listed struct {
		title     string
		published time.Time
		id        int64
	}
	var rows []listed
	for i := 0; i < 75; i++ {
		title := fmt.Sprintf("Paged warning %02d", i)
		origin, destination := countries[i%4], countries[(i/4+1)%4]
		if origin == destination {
			destination = "DE"
		}
		// Groups of three share their publication instant.
		published := 24*time.Hour + time.Duration(i/3)*time.Hour
		opts := []apptest.WarningOption{
			apptest.Titled(title), apptest.OnRoute(origin, destination), apptest.InCategory(categories[i%3]),
			apptest.WithSeverity(severities[(i/3)%3]), apptest.PublishedAgo(published),
		}
		if i%11 == 5 {
			opts = append(opts, apptest.Retracted("wrong"))
		}
		id := e.Warning(t, opts...)
		if i%13 == 7 {
			if err := e.DB.Gorm.Exec("UPDATE warnings SET status = 'in_review' WHERE id = ?", id).Error; err != nil {
				t.Fatal(err)
			}
			continue
		}
		if i%11 == 5 {
			continue
		}
		facts[title] = [4]string{origin, destination, categories[i%3], string(severities[(i/3)%3])}
		rows = append(rows, listed{title, apptest.Now.Add(-published), id})
	}
	slices.SortFunc(rows, func(a, b listed) int {
		if c := b.published.Compare(a.published); c != 0 {
			return c
		}
		return int(b.id - a.id)
	})
	for _, r := range rows {
		order = append(order, r.title)
	}
	return order, facts
}

var pagedTitle = regexp.MustCompile(`Paged warning \d\d`)

// TestWarningListPagesFollowEveryFilter walks the HTML list page by page
// through its "next" links and the API through its cursors, for each filter:
// every listed warning that matches appears once, in order, and nothing
// else; the page numbers a crawler may guess stay valid or are not found.
func TestWarningListPagesFollowEveryFilter(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	order, facts := listFixture(t, e)
	filters := []url.Values{
		{},
		{"country": {"PL"}},
		{"country": {"DE"}},
		{"category": {"smuggling"}},
		{"severity": {"caution"}},
		{"country": {"UA"}, "category": {"wage-theft"}},
		{"country": {"RO"}, "severity": {"danger"}, "category": {"fake-job-offer"}},
	}
	for _, f := range filters {
		var want []string
		for _, title := range order {
			fa := facts[title]
			if c := f.Get("country"); c != "" && fa[0] != c && fa[1] != c {
				continue
			}
			if c := f.Get("category"); c != "" && fa[2] != c {
				continue
			}
			if s := f.Get("severity"); s != "" && fa[3] != s {
				continue
			}
			want = append(want, title)
		}
		if len(want) == 0 {
			t.Fatalf("%v: the fixture matches nothing", f)
		}

		// HTML: page 1, then the next links.
		var got []string
		target := "/en/warnings?" + f.Encode()
		next := regexp.MustCompile(`rel="next" href="([^"]+)"`)
		for page := 1; target != ""; page++ {
			r := e.Get(t, target)
			wantStatus(t, r, http.StatusOK)
			titles := pagedTitle.FindAllString(r.Body, -1)
			if len(titles) == 0 || len(titles) > 20 {
				t.Fatalf("%s: %d warnings", target, len(titles))
			}
			got = append(got, titles...)
			target = ""
			if m := next.FindStringSubmatch(r.Body); m != nil {
				target = html.UnescapeString(m[1])
				if !regexp.MustCompile(fmt.Sprintf(`[?&]page=%d(&|$)`, page+1)).MatchString(target) {
					t.Errorf("next link of page %d is %s", page, target)
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("HTML %v:\n got %v\nwant %v", f, got, want)
		}
		pages := (len(want) + 19) / 20
		beyond := url.Values{}
		for k, v := range f {
			beyond[k] = v
		}
		beyond.Set("page", fmt.Sprint(pages+1))
		wantStatus(t, e.Get(t, "/en/warnings?"+beyond.Encode()), http.StatusNotFound)
		beyond.Set("page", "5000")
		wantStatus(t, e.Get(t, "/en/warnings?"+beyond.Encode()), http.StatusNotFound)

		// API: cursors, seven at a time.
		got = nil
		q := url.Values{"limit": {"7"}}
		for k, v := range f {
			q[k] = v
		}
		for guard := 0; guard < 20; guard++ {
			r := e.Get(t, "/api/v1/warnings?"+q.Encode())
			wantStatus(t, r, http.StatusOK)
			var body struct {
				Data []struct {
					Title string `json:"title"`
				} `json:"data"`
				NextCursor *string `json:"next_cursor"`
			}
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
				t.Fatalf("API: %v", err)
			}
			for _, w := range body.Data {
				got = append(got, w.Title)
			}
			if body.NextCursor == nil {
				break
			}
			q.Set("cursor", *body.NextCursor)
		}
		if !slices.Equal(got, want) {
			t.Errorf("API %v:\n got %v\nwant %v", f, got, want)
		}
	}
}

// TestWarningListFollowsChanges checks that a page of a list reflects a
// retraction and a new warning at once, though its keys are kept between
// requests.
func TestWarningListFollowsChanges(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	order, _ := listFixture(t, e)
	first := e.Get(t, "/en/warnings?country=PL")
	wantStatus(t, first, http.StatusOK)
	top := pagedTitle.FindString(first.Body)
	if top == "" {
		t.Fatal("no warning on the first page")
	}
	var id int64
	if err := e.DB.Gorm.Raw("SELECT warning_id FROM warning_translations WHERE title = ?", top).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("find %s: %v", top, err)
	}
	if err := e.DB.Gorm.Exec("UPDATE warnings SET status = 'retracted', updated_at = ? WHERE id = ?", apptest.Now.Add(time.Second), id).Error; err != nil {
		t.Fatal(err)
	}
	e.Warning(t, apptest.Titled("Paged warning 99"), apptest.OnRoute("PL", "DE"), apptest.PublishedAgo(time.Minute))
	again := e.Get(t, "/en/warnings?country=PL")
	mustNotContain(t, again.Body, ">"+top+"<")
	if got := pagedTitle.FindString(again.Body); got != "Paged warning 99" {
		t.Errorf("first warning after the changes is %q, want the new one", got)
	}
	if !slices.Contains(order, top) {
		t.Errorf("%s was not listed before", top)
	}
}
