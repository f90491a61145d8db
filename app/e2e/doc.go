// Package e2e holds the browser tests: headless Chromium (Debian's package,
// installed by .ci/run) driven by chromedp against the real application.
// Its harness (Serve, Browser) is also used by the print test in
// app/e2e/printing, a package of its own for its time budget.
package e2e
