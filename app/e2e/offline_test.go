package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"forewarn/app/apptest"
)

// keptURLs lists the paths in the phone's Forewarn caches.
const keptURLs = `caches.keys().then(ks => Promise.all(ks.filter(k => k.startsWith("fw-")).map(k => caches.open(k).then(c => c.keys()))))
	.then(ls => ls.flat().map(r => { const u = new URL(r.url); return u.pathname + u.search; }))`

func TestKeptWarningsAreReadWithTheNetworkCutAndForgotten(t *testing.T) {
	env, base, _ := serve(t)
	kept := env.Warning(t, apptest.Titled("Cleaning jobs in Romania, fee asked"), apptest.OnRoute("NP", "RO"))
	notKept := env.Warning(t, apptest.Titled("Driver job in Poland"), apptest.OnRoute("UA", "PL"))
	ctx := browser(t)
	console := watchConsole(ctx)

	// Nothing is saved for a reader who did not opt in.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/en/safety"), chromedp.WaitVisible("[data-keep] button[type=submit]")); err != nil {
		t.Fatalf("keep controls: %v", err)
	}
	before, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](keptURLs, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	registered, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`navigator.serviceWorker.getRegistration().then(r => !!r)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(before) > 0 || registered {
		t.Fatalf("before opting in: caches %v, worker registered %v", before, registered)
	}

	// Opt in for Romania.
	if err := chromedp.Do(ctx,
		chromedp.SetValue("#keep-country", "RO"),
		chromedp.Click("[data-keep] button[type=submit]"),
		chromedp.Poll[chromedp.Void](`document.querySelector("[data-keep-status]").textContent === "The warnings are saved on this phone."`),
		chromedp.WaitVisible("[data-keep-forget] button"),
	); err != nil {
		t.Fatalf("keep: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`navigator.serviceWorker.controller && navigator.serviceWorker.controller.state === "activated"`)); err != nil {
		t.Fatalf("the worker did not become active: %v", err)
	}
	saved, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](keptURLs, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/en/safety", "/en/offline?country=RO", fmt.Sprintf("/en/warnings/%d", kept), "/en/offline/list?country=RO"} {
		if !slices.Contains(saved, want) {
			t.Errorf("%s not saved; saved: %v", want, saved)
		}
	}
	if slices.Contains(saved, fmt.Sprintf("/en/warnings/%d", notKept)) {
		t.Errorf("a warning of another country was saved: %v", saved)
	}

	// Cut the network: the server stops.
	if err := env.App.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+fmt.Sprintf("/en/warnings/%d", kept))); err != nil {
		t.Fatalf("saved warning offline: %v", err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text("main h1"))
	if err != nil {
		t.Fatalf("saved warning offline: %v", err)
	}
	if title != "Cleaning jobs in Romania, fee asked" {
		t.Errorf("saved warning offline shows %q", title)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+fmt.Sprintf("/en/warnings/%d", notKept))); err != nil {
		t.Fatalf("unsaved warning offline: %v", err)
	}
	heading, err := chromedp.Run(ctx, chromedp.Text("main h1"))
	if err != nil {
		t.Fatalf("unsaved warning offline: %v", err)
	}
	list, err := chromedp.Run(ctx, chromedp.Text("main"))
	if err != nil {
		t.Fatal(err)
	}
	if heading != "No internet" || !strings.Contains(list, "Cleaning jobs in Romania, fee asked") || strings.Contains(list, "Driver job in Poland") {
		t.Errorf("unsaved page offline: heading %q, text %q", heading, list)
	}

	// Forget this phone, still offline, from the saved safety page.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/en/safety"),
		chromedp.WaitVisible("[data-keep-forget] button"),
		chromedp.Click("[data-keep-forget] button"),
		chromedp.Poll[chromedp.Void](`document.querySelector("[data-keep-status]").textContent === "Nothing from Forewarn is saved on this phone now."`),
	); err != nil {
		t.Fatalf("forget: %v", err)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`caches.keys()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	workers, err := chromedp.Run(ctx, chromedp.Evaluate[int](`navigator.serviceWorker.getRegistrations().then(rs => rs.length)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(after) > 0 || workers > 0 {
		t.Errorf("after forgetting: caches %v, %d workers", after, workers)
	}
	if v := console.cspViolations(); len(v) > 0 {
		t.Errorf("CSP violations: %v", v)
	}
}
