package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"forewarn/app/apptest"
	"forewarn/app/i18n"
	"forewarn/app/model"
	"forewarn/app/seed"
	"forewarn/app/web"
	"forewarn/locales"
)

// phoneWidths are the narrowest phones the site is made for: every page
// must fit them without scrolling sideways.
var phoneWidths = []int64{320, 360}

// raceLanguagesPerPage is how many languages each page opens in under the
// race detector.
const raceLanguagesPerPage = 3

// maxHeaderHeight is the most of a 360×740 screen the header may take:
// one bar and one row under it.
const maxHeaderHeight = 120

// measureScript reports how much wider than a screen of width %d the page
// is (a mobile browser widens its layout viewport, innerWidth, to a page
// that does not fit), the element that sticks out furthest (to name it in
// a failure), and the header's height.
const measureScript = `(function(){
	var w = %[1]d, doc = document.documentElement;
	var worst = "", worstRight = w;
	document.querySelectorAll("body *").forEach(function(el){
		var r = el.getBoundingClientRect();
		if (r.width === 0) return;
		var out = Math.max(r.right - w, -r.left);
		if (out > 1 && r.right > worstRight) {
			worstRight = r.right;
			worst = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "");
		}
	});
	var h = document.querySelector("header.top");
	return {over: Math.max(doc.scrollWidth, document.body.scrollWidth, window.innerWidth) - w, worst: worst, header: h ? h.getBoundingClientRect().height : -1};
})()`

type measure struct {
	Over   float64 `json:"over"`
	Worst  string  `json:"worst"`
	Header float64 `json:"header"`
}

// TestNoPageScrollsSidewaysOnPhones opens every page of the site, public,
// member, moderator and admin, in every language, with the demo content,
// at 320 and 360 px, and fails on any page wider than the screen or a
// header taller than one bar and one row. Under the race detector each
// page opens in a few of the languages (see raceLanguagesPerPage), and
// when the test binary's deadline is near in as many as the time allows
// (see languagePlan); the answer of a check opens in every language.
func TestNoPageScrollsSidewaysOnPhones(t *testing.T) {
	// The two long browser tests (this and the print test) run side by side.
	t.Parallel()
	env, base, _ := serve(t)
	ctx0 := context.Background()
	if _, err := seed.Demo(ctx0, env.Services.Importer, apptest.Now); err != nil {
		t.Fatal(err)
	}
	// The longest texts make the widest pages.
	var warningID, reportID, indicatorID int64
	apptest.Must(t, env.DB.Gorm.Raw("SELECT warning_id FROM warning_translations ORDER BY length(title) DESC, warning_id LIMIT 1").Scan(&warningID))
	apptest.Must(t, env.DB.Gorm.Raw("SELECT id FROM reports WHERE status = 'published' ORDER BY length(body) DESC, id LIMIT 1").Scan(&reportID))
	apptest.Must(t, env.DB.Gorm.Raw("SELECT indicator_id FROM warning_indicators ORDER BY indicator_id LIMIT 1").Scan(&indicatorID))
	if warningID == 0 || reportID == 0 || indicatorID == 0 {
		t.Fatalf("demo content missing: warning %d, report %d, indicator %d", warningID, reportID, indicatorID)
	}
	admin, adminUser := env.Member(t, "layout-admin", model.RoleAdmin, nil, nil)
	// Two reports wait in the queue, each with its related content; the
	// moderator's view of a report shows it unfolded.
	var waiting []int64
	apptest.Must(t, env.DB.Gorm.Raw("SELECT id FROM reports WHERE status = 'published' AND id <> ? ORDER BY length(title) DESC, id LIMIT 2", reportID).Scan(&waiting))
	apptest.Must(t, env.DB.Gorm.Exec("UPDATE reports SET status = 'pending', published_at = NULL WHERE id IN ?", waiting))

	public := []string{
		"/", "/warnings", "/warnings?country=PL", fmt.Sprintf("/warnings/%d", warningID),
		"/reports", fmt.Sprintf("/reports/%d", reportID), fmt.Sprintf("/indicators/%d", indicatorID),
		"/check", "/safety", "/developers", "/register", "/login", "/recover", "/reports/new", "/offline",
		"/help", "/help/RO", "/help/ES",
		"/search", "/search?q=visa+agency", "/search?q=zzzqqq&country=PL", "/languages?next=%2Fwarnings%3Fcountry%3DPL",
	}
	private := []string{
		"/account", "/mod/queue", "/mod/flags", "/mod/log", "/mod/warnings", "/mod/warnings/new",
		fmt.Sprintf("/mod/warnings/%d", warningID), fmt.Sprintf("/mod/warnings/%d/translate", warningID),
		"/admin/users", fmt.Sprintf("/admin/users/%d", adminUser.ID), "/admin/organisations", "/admin/categories",
		"/admin/help", "/admin/help/RO", "/admin/keys", "/admin/webhooks",
		fmt.Sprintf("/reports/%d", reportID), fmt.Sprintf("/reports/%d", waiting[0]),
	}

	ctx := browserFor(t, 20*time.Minute)
	catalog, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	langs := catalog.Languages()
	// The investigators' graph (the admin may open it).
	private = append(private, "/investigate", "/investigate?kind=phone", fmt.Sprintf("/investigate/indicators/%d", indicatorID))
	// Under the race detector the server is many times slower and the
	// layout the same: each page opens in raceLanguagesPerPage languages,
	// taken in turn, so that every page and every language is still seen
	// (the check below stays in all of them). Without the detector each
	// page opens in every language when the test binary's deadline allows
	// it (see languagePlan).
	most := len(langs)
	if raceDetector {
		most = raceLanguagesPerPage
	}
	plan := newLanguagePlan(t, langs, most, len(public)+len(private), len(langs))
	var failures []string
	visit := func(path string) {
		for _, lang := range plan.take() {
			url := base + "/" + lang.Code + path
			if err := chromedp.Do(ctx, emulateWidth(phoneWidths[0]), chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
				t.Fatalf("%s: %v", url, err)
			}
			for _, width := range phoneWidths {
				if err := chromedp.Do(ctx, emulateWidth(width)); err != nil {
					t.Fatalf("%s at %d px: %v", url, width, err)
				}
				m, err := chromedp.Run(ctx, chromedp.Evaluate[measure](fmt.Sprintf(measureScript, width)))
				if err != nil {
					t.Fatalf("%s at %d px: %v", url, width, err)
				}
				if m.Over > 1 {
					failures = append(failures, fmt.Sprintf("%s at %d px: %.0f px too wide (%s)", url, width, m.Over, m.Worst))
				}
				if width == 360 && m.Header > maxHeaderHeight {
					failures = append(failures, fmt.Sprintf("%s at %d px: header %.0f px tall", url, width, m.Header))
				}
			}
		}
	}
	for _, path := range public {
		visit(path)
	}
	// The answer of a check, as the reader sees it after pressing the button.
	for _, lang := range langs {
		url := base + "/" + lang.Code + "/check"
		err := chromedp.Do(ctx, emulateWidth(320), chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("footer")),
			chromedp.SetValue(chromedp.CSS("main textarea"), "Job in Germany, call +40 712 345 678 or write to hr@eurojobs-transport.example, https://eurojobs-transport.example/apply?ref=very-long-reference-code-without-spaces"),
			chromedp.Submit(chromedp.CSS("main textarea")), chromedp.Sleep(300*time.Millisecond), chromedp.WaitReady(chromedp.CSS("footer")))
		if err != nil {
			t.Fatalf("%s: check: %v", url, err)
		}
		m, err := chromedp.Run(ctx, chromedp.Evaluate[measure](fmt.Sprintf(measureScript, 320)))
		if err != nil {
			t.Fatalf("%s: check: %v", url, err)
		}
		if m.Over > 1 {
			failures = append(failures, fmt.Sprintf("%s answer at 320 px: %.0f px too wide (%s)", url, m.Over, m.Worst))
		}
	}
	plan.made(len(langs))
	cookie := admin.Cookie(web.SessionCookie)
	if cookie == "" {
		t.Fatal("the admin has no session cookie")
	}
	setCookie := func(ctx context.Context, tgt *chromedp.Target) (chromedp.Void, error) {
		httpOnly := true
		_, err := cdp.Call(ctx, tgt, network.SetCookie, network.SetCookieParams{Name: web.SessionCookie, Value: cookie, URL: base, HTTPOnly: &httpOnly})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(ctx, setCookie); err != nil {
		t.Fatal(err)
	}
	for _, path := range private {
		visit(path)
	}
	t.Logf("opened %s", plan)
	if len(failures) > 0 {
		t.Errorf("%d page × language × width combinations do not fit a phone:\n%s", len(failures), strings.Join(failures, "\n"))
	}
}

// emulateWidth sets a phone viewport of width CSS pixels (as tall as a
// 360×740 phone).
func emulateWidth(width int64) chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(width, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile)
}
