// Package e2e holds the browser tests: headless Chromium (Debian's package,
// installed by .ci/run) driven by chromedp against the real application.
package e2e
