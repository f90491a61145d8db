package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// TestCheckVerdictTakesTheFocusAndEscapeStaysInFields: after a check the
// verdict heading has the focus and the first screen (the form folded
// below it), and Escape in a text field does not leave the site, though
// Escape elsewhere still does.
func TestCheckVerdictTakesTheFocusAndEscapeStaysInFields(t *testing.T) {
	env, base, neutral := serve(t)
	env.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}))
	ctx := browser(t)
	console := watchConsole(ctx)
	for _, lang := range []string{"en", "ar"} {
		check := base + "/" + lang + "/check"
		if err := chromedp.Do(ctx, chromedp.Navigate(check), chromedp.WaitVisible("#text"), chromedp.Click("#text"), chromedp.KeyEvent("\u001b"), chromedp.Sleep(300*time.Millisecond)); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != check {
			t.Fatalf("%s: Escape in the text field left for %q", lang, loc)
		}
		if err := chromedp.Do(ctx, chromedp.SetValue("#text", "Call +44 7700 900123 now"), chromedp.Submit("#text"), chromedp.WaitVisible("#verdict")); err != nil {
			t.Fatalf("%s: check: %v", lang, err)
		}
		state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
			var h = document.getElementById("verdict").getBoundingClientRect();
			var ta = document.querySelector("textarea").getBoundingClientRect();
			var formShown = ta.width > 0 && ta.height > 0 && ta.top < innerHeight;
			return document.activeElement.id + "|" + (h.bottom <= innerHeight) + "|" + formShown + "|" + document.title;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.SplitN(state, "|", 4)
		if parts[0] != "verdict" || parts[1] != "true" || parts[2] != "false" || !strings.Contains(parts[3], map[string]string{"en": "Danger", "ar": "خطر"}[lang]) {
			t.Errorf("%s: focus %q, verdict on the first screen %s, form on it %s, title %q", lang, parts[0], parts[1], parts[2], parts[3])
		}
	}
	// Outside a field, Escape is still the quick exit.
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\u001b")); err != nil {
		t.Fatal(err)
	}
	waitLocation(t, ctx, neutral)
	if v := console.cspViolations(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations:\n%s", strings.Join(v, "\n"))
	}
}
