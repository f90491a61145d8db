package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// xssPayloads are classic injection strings, from script tags to markdown
// links, attribute breakers and encodings.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=//xss.example/x.js></SCRIPT>`,
	`<img src=x onerror=alert(2)>`,
	`<img src="javascript:alert(3)">`,
	`<svg onload=alert(4)>`,
	`<svg><script>alert(5)</script></svg>`,
	`<body onload=alert(6)>`,
	`<iframe src="javascript:alert(7)"></iframe>`,
	`<iframe srcdoc="<script>alert(8)</script>">`,
	`<a href="javascript:alert(9)">click</a>`,
	`<a href="  javascript:alert(10)">x</a>`,
	`<a href="JaVaScRiPt:alert(11)">x</a>`,
	`<a href="data:text/html,<script>alert(12)</script>">x</a>`,
	`<a href="vbscript:msgbox(13)">x</a>`,
	`[click](javascript:alert(14))`,
	`[click](JAVASCRIPT:alert(15))`,
	`![img](javascript:alert(16))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxNyk8L3NjcmlwdD4=)`,
	`<div style="background:url(javascript:alert(18))">x</div>`,
	`<style>body{background:red}</style>`,
	`<link rel=stylesheet href=//xss.example/x.css>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(21)">`,
	`<object data="javascript:alert(22)"></object>`,
	`<embed src="javascript:alert(23)">`,
	`<form action="javascript:alert(24)"><button>x</button></form>`,
	`<input autofocus onfocus=alert(25)>`,
	`<details open ontoggle=alert(26)>`,
	`<video><source onerror=alert(27)></video>`,
	`<audio src=x onerror=alert(28)>`,
	`<marquee onstart=alert(29)>x</marquee>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(30)>`,
	`"><script>alert(31)</script>`,
	`'><img src=x onerror=alert(32)>`,
	`" onmouseover="alert(33)`,
	`' onmouseover='alert(34)`,
	`</textarea><script>alert(35)</script>`,
	`</title><script>alert(36)</script>`,
	`</pre><script>alert(37)</script>`,
	`<scr<script>ipt>alert(38)</scr</script>ipt>`,
	`<<script>alert(39)//<</script>`,
	`&lt;script&gt;alert(40)&lt;/script&gt;`,
	`&#60;script&#62;alert(41)&#60;/script&#62;`,
	`%3Cscript%3Ealert(42)%3C/script%3E`,
	`\u003cscript\u003ealert(43)\u003c/script\u003e`,
	`<img src=x:alert(44) onerror=eval(src)>`,
	`<base href="javascript:alert(45)//">`,
	`<isindex action=javascript:alert(46) type=image>`,
	`<table background="javascript:alert(47)">`,
	`<a href="#" onclick="alert(48)">x</a>`,
	`javascript:alert(49)`,
	`<noscript><p title="</noscript><img src=x onerror=alert(50)>">`,
	`<template><script>alert(51)</script></template>`,
	`<plaintext><script>alert(52)</script>`,
	"`-alert(53)-`",
	`{{.}}{{template "x"}}<script>alert(54)</script>`,
}

// forbiddenElements are elements the site never writes.
var forbiddenElements = map[string]bool{
	"iframe": true, "object": true, "embed": true, "svg": true, "math": true, "style": true, "base": true,
	"isindex": true, "marquee": true, "video": true, "audio": true, "template": true, "plaintext": true, "noscript": true,
}

// siteSVG reports whether an <svg> start tag has exactly the attributes of
// one the site draws itself: a severity icon (warning.html) or a QR code
// (qrsvg); any other attribute, or a missing one, is not the site's.
func siteSVG(attrs []html.Attribute) bool {
	var keys []string
	for _, a := range attrs {
		keys = append(keys, a.Key)
		if a.Key == "class" && a.Val != "sev-icon" {
			return false
		}
	}
	got := strings.Join(keys, " ")
	return got == "class viewbox width height aria-hidden focusable" || got == "xmlns viewbox role aria-label shape-rendering"
}

// assertSafe fails when page holds markup that could run or load something
// the site did not write itself.
func assertSafe(t *testing.T, where, page string) {
	t.Helper()
	for _, p := range unsafeMarkup(page) {
		t.Errorf("%s: %s", where, p)
	}
}

// unsafeMarkup lists what in page could run or load something, read the
// way a browser tokenizes it.
func unsafeMarkup(page string) []string {
	var problems []string
	report := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	z := html.NewTokenizer(strings.NewReader(page))
	bodies := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		name := tok.Data
		switch {
		case name == "svg" && siteSVG(tok.Attr):
			// The site's own drawings: severity icons and QR codes.
		case forbiddenElements[name]:
			report("<%s> element", name)
		case name == "body":
			bodies++
		case name == "meta":
			for _, a := range tok.Attr {
				if a.Key == "http-equiv" {
					report("meta http-equiv")
				}
			}
		case name == "script":
			own := false
			for _, a := range tok.Attr {
				own = own || (a.Key == "src" && strings.HasPrefix(a.Val, "/static/app."))
			}
			if !own {
				report("foreign script %v", tok.Attr)
			}
		case name == "link":
			for _, a := range tok.Attr {
				if a.Key == "href" && strings.HasPrefix(a.Val, "//") {
					report("remote link %q", a.Val)
				}
			}
		}
		for _, a := range tok.Attr {
			if strings.HasPrefix(a.Key, "on") {
				report("<%s %s=%q>", name, a.Key, a.Val)
			}
			switch a.Key {
			case "href", "src", "action", "formaction", "background", "data", "poster":
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:") {
					report("<%s %s=%q>", name, a.Key, a.Val)
				}
			case "style":
				report("inline style on <%s>", name)
			}
		}
	}
	if bodies != 1 {
		report("%d body elements", bodies)
	}
	return problems
}

func TestUnsafeMarkupIsFound(t *testing.T) {
	t.Parallel()
	safe := `<!doctype html><html><head><script src="/static/app.1.js" defer></script></head><body><p>&lt;script&gt;alert(1)&lt;/script&gt;</p><input value="&lt;img onerror=x&gt;"></body></html>`
	if p := unsafeMarkup(safe); len(p) > 0 {
		t.Errorf("a safe page was flagged: %v", p)
	}
	for _, bad := range []string{
		`<body><script>alert(1)</script></body>`,
		`<body><img src=x onerror=alert(1)></body>`,
		`<body><a href=" JavaScript:alert(1)">x</a></body>`,
		`<body><iframe src=x></iframe></body>`,
		`<body><p style="color:red">x</p></body>`,
		`<body><meta http-equiv=refresh content=0></body>`,
		`<body></body><body>`,
	} {
		if len(unsafeMarkup(bad)) == 0 {
			t.Errorf("not flagged: %s", bad)
		}
	}
}

func TestXSSPayloadsComeBackEscapedOrSanitised(t *testing.T) {
	t.Parallel()
	if len(xssPayloads) < 50 {
		t.Fatalf("only %d payloads", len(xssPayloads))
	}
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_xss", model.RoleModerator, []string{"en"}, []string{"UA"})
	second, _ := e.Member(t, "mod_xss2", model.RoleModerator, []string{"en"}, []string{"UA"})
	admin, _ := e.Member(t, "admin_xss", model.RoleAdmin, nil, nil)
	member, _ := e.Member(t, "member_xss", model.RoleMember, nil, nil)

	payloads := xssPayloads
	if raceDetector {
		// The detector watches the same code for every payload and slows
		// each tenfold: a quarter of them (every kind) runs under it, and
		// the run without it (.ci/run's too) tries them all.
		payloads = nil
		for i := 0; i < len(xssPayloads); i += 4 {
			payloads = append(payloads, xssPayloads[i])
		}
	}
	var pages []string
	for i, p := range payloads {
		title := p
		if len([]rune(title)) > 140 {
			title = string([]rune(title)[:140])
		}
		if len([]rune(title)) < 5 {
			title += " pad!"
		}
		// A published report and a pending one carry the payload in title and body.
		form := reportForm(title)
		form.Set("body", "Payload number "+fmt.Sprint(i)+": "+p)
		id, r := postReport(t, mod, form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("payload %d: report refused with %d", i, r.StatusCode)
		}
		pendingID, _ := postReport(t, member, form)
		mod.Get(t, fmt.Sprintf("/en/reports/%d", id))
		mod.Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {"Reply " + p}})
		mod.Get(t, "/en/mod/queue")
		mod.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(pendingID)}, "decision": {"reject"}, "reason": {"Rejected: " + p}})
		pages = append(pages, fmt.Sprintf("/en/reports/%d", id), fmt.Sprintf("/ar/reports/%d", id))
		if i < 20 {
			flagger := e.NewClient()
			flagger.Get(t, fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", id, id))
			flagger.Post(t, "/en/flag", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "report": {fmt.Sprint(id)}, "reason": {"other"}, "note": {"Note " + p}})
		}

		// A warning carries it in every text, is translated, published and retracted.
		wf := warningDraft(title)
		wf.Set("summary", "Summary "+p)
		wf.Set("what_to_do", "Do this "+p)
		wf.Set("body", "Body text of the warning: "+p)
		wid := createWarning(t, mod, wf)
		mod.Get(t, fmt.Sprintf("/en/mod/warnings/%d/translate?lang=fr", wid))
		mod.Post(t, fmt.Sprintf("/en/mod/warnings/%d/translate", wid), url.Values{"lang": {"fr"}, "title": {title}, "summary": {"Résumé " + p}, "what_to_do": {"Faites ceci " + p}, "body": {"Texte de l'avertissement : " + p}})
		warningState(t, mod, wid, "submit", "")
		warningState(t, second, wid, "publish", "")
		if i%5 == 0 {
			warningState(t, second, wid, "retract", "Retracted "+p)
		}
		pages = append(pages, fmt.Sprintf("/en/warnings/%d", wid), fmt.Sprintf("/fr/warnings/%d", wid), fmt.Sprintf("/en/mod/warnings/%d", wid), fmt.Sprintf("/en/mod/warnings/%d/translate?lang=fr", wid))
		if i < 10 {
			pages = append(pages, fmt.Sprintf("/en/reports/%d", pendingID))
		}
	}
	// Names given by admins.
	admin.Get(t, "/en/admin/organisations")
	admin.Post(t, "/en/admin/organisations", url.Values{"name": {xssPayloads[2]}})
	admin.Get(t, "/en/admin/categories")
	admin.Post(t, "/en/admin/categories", url.Values{"slug": {"xss-test"}, "name_en": {xssPayloads[0]}, "name_ar": {xssPayloads[4]}})
	e.Warning(t, apptest.InCategory("xss-test"))

	pages = append(pages, "/en", "/ar", "/en/warnings", "/en/warnings?page=2", "/en/reports", "/en/reports?page=2", "/en/mod/queue", "/en/mod/flags", "/en/mod/log", "/en/mod/log?page=2", "/en/mod/warnings", "/en/admin/organisations", "/en/admin/categories", "/ar/warnings")
	var mine []string
	for _, p := range pages {
		switch {
		case strings.Contains(p, "/mod/") || strings.Contains(p, "/admin/"):
			mine = append(mine, p)
		default:
			r := e.Get(t, p)
			assertSafe(t, p, r.Body)
		}
	}
	for _, p := range mine {
		c := mod
		if strings.Contains(p, "/admin/") {
			c = admin
		}
		r := c.Get(t, p)
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", p, r.StatusCode)
		}
		assertSafe(t, p, r.Body)
	}
	for i := 1; i <= 10; i++ {
		assertSafe(t, "author's view", member.Get(t, fmt.Sprintf("/en/reports/%d", 2*i)).Body)
	}
	feed := e.Get(t, "/en/warnings.atom")
	if strings.Contains(feed.Body, "<script") {
		t.Error("the Atom feed carries a raw script tag")
	}
}
