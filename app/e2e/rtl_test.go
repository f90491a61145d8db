package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"forewarn/app/apptest"
)

// pickerItem is what the picker test measures of each language's link.
type pickerItem struct {
	Lang   string  `json:"lang"`
	Dir    string  `json:"dir"`
	Height float64 `json:"height"`
	Left   float64 `json:"left"`
	Right  float64 `json:"right"`
}

// TestRightToLeftLanguagesOnPhones opens the home page, the warnings list,
// a warning and the language picker in the four right-to-left languages
// (Arabic, Persian, Pashto, Urdu) at 320 px: the page runs right to left
// and nothing scrolls sideways; the picker gives every language a target a
// thumb can hit, marked with its own language and direction.
func TestRightToLeftLanguagesOnPhones(t *testing.T) {
	env, base, _ := serve(t)
	id := env.Warning(t, apptest.Titled("Drivers wanted for Germany, visa and flat included, pay the agency fee first"),
		apptest.TranslatedInto("ar", "fa", "ps", "ur"), apptest.OnRoute("AF", "PK", "DE"))
	ctx := browserFor(t, 5*time.Minute)
	var failures []string
	for _, lang := range []string{"ar", "fa", "ps", "ur"} {
		for _, path := range []string{"", "/warnings", fmt.Sprintf("/warnings/%d", id), "/languages?next=%2Fwarnings", "/check", "/safety"} {
			url := base + "/" + lang + path
			if err := chromedp.Do(ctx, emulateWidth(320), chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
				t.Fatalf("%s: %v", url, err)
			}
			dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dir + "/" + getComputedStyle(document.documentElement).direction`))
			if err != nil {
				t.Fatal(err)
			}
			if dir != "rtl/rtl" {
				failures = append(failures, fmt.Sprintf("%s: dir and direction %s, want rtl/rtl", url, dir))
			}
			m, err := chromedp.Run(ctx, chromedp.Evaluate[measure](fmt.Sprintf(measureScript, 320)))
			if err != nil {
				t.Fatal(err)
			}
			if m.Over > 1 {
				failures = append(failures, fmt.Sprintf("%s at 320 px: %.0f px too wide (%s)", url, m.Over, m.Worst))
			}
			if !strings.HasPrefix(path, "/languages") {
				continue
			}
			items, err := chromedp.Run(ctx, chromedp.Evaluate[[]pickerItem](`Array.from(document.querySelectorAll(".lang-list a")).map(function(a){
				var s = a.querySelector("span[lang]"), r = a.getBoundingClientRect();
				return {lang: s.lang, dir: s.dir, height: r.height, left: r.left, right: r.right};
			})`))
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 20 {
				failures = append(failures, fmt.Sprintf("%s picker: %d languages, want 20", lang, len(items)))
			}
			for _, it := range items {
				if it.Height < 44 || it.Right-it.Left < 200 || it.Left < 0 || it.Right > 320 {
					failures = append(failures, fmt.Sprintf("%s picker: %s is %.0f px tall, %.0f–%.0f px across: too small or off the screen", lang, it.Lang, it.Height, it.Left, it.Right))
				}
				want := "ltr"
				if it.Lang == "ar" || it.Lang == "fa" || it.Lang == "ps" || it.Lang == "ur" {
					want = "rtl"
				}
				if it.Dir != want {
					failures = append(failures, fmt.Sprintf("%s picker: %s has dir %q, want %s", lang, it.Lang, it.Dir, want))
				}
			}
		}
	}
	if len(failures) > 0 {
		t.Errorf("%d problems:\n%s", len(failures), strings.Join(failures, "\n"))
	}
}
