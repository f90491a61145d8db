package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apperr"
	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/server"
	"forewarn/app/service"
)

// prefixClient is an app's copy of the prefix set, kept as the API
// documents: apply removals and additions, then check the checksum.
type prefixClient struct {
	set   map[string]bool
	token string
	query string
}

// prefixOf is the 8-byte prefix of a normalised indicator, in hex.
func prefixOf(normalized string) string {
	return service.Hash(normalized)[:16]
}

// splitPrefixes decodes a base64 list of 8-byte prefixes into hex.
func splitPrefixes(t *testing.T, b64 string, n int) []string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != n*8 {
		t.Fatalf("prefixes %q: %d bytes for %d prefixes (%v)", b64, len(raw), n, err)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = hex.EncodeToString(raw[i*8 : i*8+8])
	}
	if !slices.IsSorted(out) {
		t.Errorf("prefixes are not sorted: %v", out)
	}
	return out
}

// sync asks for the changes since the client's token (or the full set)
// and applies them; it returns what was added and removed.
func (pc *prefixClient) sync(t *testing.T, e *apptest.Env) (adds, removes []string) {
	t.Helper()
	q := pc.query
	if pc.token != "" {
		q += "&since=" + url.QueryEscape(pc.token)
	}
	r := e.Get(t, "/api/v1/indicators/prefixes?"+strings.TrimPrefix(q, "&"))
	wantStatus(t, r, http.StatusOK)
	up := decode[v1.PrefixesResponse](t, r)
	if up.Full != (pc.token == "") {
		t.Errorf("full = %v with token %q", up.Full, pc.token)
	}
	adds = splitPrefixes(t, up.Additions, up.AdditionCount)
	removes = splitPrefixes(t, up.Removals, up.RemovalCount)
	if up.Full || pc.set == nil {
		pc.set = map[string]bool{}
	}
	for _, p := range removes {
		if !pc.set[p] {
			t.Errorf("removal of %s, which the client does not hold", p)
		}
		delete(pc.set, p)
	}
	for _, p := range adds {
		if pc.set[p] {
			t.Errorf("addition of %s, which the client holds already", p)
		}
		pc.set[p] = true
	}
	if sum := pc.checksum(); sum != up.Checksum || len(pc.set) != up.Count {
		t.Errorf("client copy: %d prefixes, checksum %s; server: %d, %s", len(pc.set), sum, up.Count, up.Checksum)
	}
	pc.token = up.Token
	return adds, removes
}

// checksum computes the documented checksum over the client's copy.
func (pc *prefixClient) checksum() string {
	var sorted []string
	for p := range pc.set {
		sorted = append(sorted, p)
	}
	slices.Sort(sorted)
	h := sha256.New()
	for _, p := range sorted {
		b, _ := hex.DecodeString(p)
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (pc *prefixClient) holds(prefixes ...string) bool {
	for _, p := range prefixes {
		if !pc.set[p] {
			return false
		}
	}
	return true
}

func TestPrefixSyncFollowsWhatIsPublic(t *testing.T) {
	t.Parallel()
	// The page cache is on: every answer must still be exact.
	e := cachedEnv(t)
	app := &prefixClient{}
	if adds, _ := app.sync(t, e); len(adds) != 0 || app.checksum() != hex.EncodeToString(sha256.New().Sum(nil)) {
		t.Fatalf("empty site: %d prefixes", len(adds))
	}
	empty := app.token
	if again := (&prefixClient{}); true {
		again.sync(t, e)
		if again.token != empty {
			t.Errorf("two full downloads of the same set have different tokens: %s, %s", empty, again.token)
		}
	}

	warning := e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}), apptest.OnRoute("GB", "PL"))
	mod, _ := e.Member(t, "mod_prefixes", model.RoleModerator, []string{"en"}, []string{"UA"})
	report := publishedReport(t, e, mod, "Recruiter on Telegram", "They wrote from the number +44 7700 900777 and asked for fees.")
	phone, reported := prefixOf("+447700900123"), prefixOf("+447700900777")
	adds, removes := app.sync(t, e)
	if !slices.Equal(adds, sorted(phone, reported)) || len(removes) != 0 {
		t.Fatalf("after a warning and a report: +%v -%v", adds, removes)
	}
	afterAdd := app.token

	// The same token again gives the same changes, and the latest token none.
	replay := &prefixClient{set: map[string]bool{}, token: empty}
	if adds, _ := replay.sync(t, e); !slices.Equal(adds, sorted(phone, reported)) || replay.token != afterAdd {
		t.Errorf("replayed token: +%v, token %s (want %s)", adds, replay.token, afterAdd)
	}
	if adds, removes := app.sync(t, e); len(adds)+len(removes) != 0 || app.token != afterAdd {
		t.Errorf("nothing changed, yet +%v -%v", adds, removes)
	}

	// A hidden report takes its contact out; a retracted warning too.
	wantStatus(t, act(t, mod, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(report)}, "reason": {"Spam after all"}}), http.StatusSeeOther)
	if adds, removes := app.sync(t, e); len(adds) != 0 || !slices.Equal(removes, []string{reported}) {
		t.Fatalf("after hiding the report: +%v -%v", adds, removes)
	}
	afterHide := app.token
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'retracted', retraction_reason = 'Wrong number' WHERE id = ?", warning))
	if adds, removes := app.sync(t, e); len(adds) != 0 || !slices.Equal(removes, []string{phone}) || len(app.set) != 0 {
		t.Fatalf("after retracting the warning: +%v -%v, holds %v", adds, removes, app.set)
	}

	// Shown again: from the token before the hiding, the report's contact
	// was there then and is there now, so it is no change at all.
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE reports SET status = 'published' WHERE id = ?", report))
	back := &prefixClient{set: map[string]bool{phone: true, reported: true}, token: afterAdd}
	if adds, removes := back.sync(t, e); len(adds) != 0 || !slices.Equal(removes, []string{phone}) {
		t.Errorf("from before the hiding: +%v -%v", adds, removes)
	}
	mid := &prefixClient{set: map[string]bool{phone: true}, token: afterHide}
	if adds, removes := mid.sync(t, e); !slices.Equal(adds, []string{reported}) || !slices.Equal(removes, []string{phone}) {
		t.Errorf("from after the hiding: +%v -%v", adds, removes)
	}
	full := &prefixClient{}
	full.sync(t, e)
	if len(full.set) != 1 || !full.holds(reported) {
		t.Errorf("full set %v", full.set)
	}
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}

func TestPrefixSyncFiltersByKindAndCountry(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}), apptest.OnRoute("GB", "PL"))
	e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorEmail, Value: "hr@eurodrive-jobs.example"}), apptest.OnRoute("RO", "DE"))
	phone, email := prefixOf("+447700900123"), prefixOf("hr@eurodrive-jobs.example")
	for query, want := range map[string][]string{
		"":                      sorted(phone, email),
		"kind=email":            {email},
		"kind=phone":            {phone},
		"country=PL":            {phone},
		"country=de":            {email},
		"country=RO&kind=email": {email},
		"country=RO&kind=phone": nil,
		"country=FR":            nil,
	} {
		app := &prefixClient{query: query}
		if adds, _ := app.sync(t, e); !slices.Equal(adds, want) {
			t.Errorf("%s: %v, want %v", query, adds, want)
		}
	}
	if got := e.Count(t, "indicators", "normalized = ?", "hr@eurodrive-jobs.example"); got != 1 {
		t.Fatalf("the e-mail address is stored %d times", got)
	}

	// A token is for its own set only.
	emails := &prefixClient{query: "kind=email"}
	emails.sync(t, e)
	for _, query := range []string{"kind=phone", "", "country=RO&kind=email"} {
		r := e.Get(t, "/api/v1/indicators/prefixes?"+query+"&since="+url.QueryEscape(emails.token))
		wantFieldProblem(t, r, http.StatusBadRequest, "since")
	}
}

// wantFieldProblem checks that r is a problem document naming field.
func wantFieldProblem(t *testing.T, r apptest.Response, status int, field string) {
	t.Helper()
	wantStatus(t, r, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: Content-Type %s", r.Request.URL, ct)
	}
	p := decode[v1.Problem](t, r)
	if field == "" {
		return
	}
	if len(p.Errors) == 0 || p.Errors[0].Field != field || p.Errors[0].Message == "" {
		t.Errorf("%s: problem %+v, want one naming %s", r.Request.URL, p, field)
	}
}

func TestPrefixSyncRefusesBadTokensAndParameters(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}))
	app := &prefixClient{}
	app.sync(t, e)
	version, rest, _ := strings.Cut(app.token, ".")
	seqText, mac, _ := strings.Cut(rest, ".")
	flipped := []byte(mac)
	flipped[0] ^= 1
	for name, token := range map[string]string{
		"garbage":        "not-a-token",
		"empty parts":    "..",
		"tampered seq":   version + ".0." + mac,
		"tampered mac":   version + "." + seqText + "." + string(flipped),
		"other version":  "p2." + seqText + "." + mac,
		"negative":       version + ".-1." + mac,
		"huge":           strings.Repeat("9", 60),
		"broken utf-8":   "p1.%ff%fe." + mac,
		"very long":      strings.Repeat("a", 3000),
		"no signature":   version + "." + seqText,
		"signed for PL":  "",
		"from elsewhere": "",
	} {
		switch name {
		case "signed for PL":
			pl := &prefixClient{query: "country=PL"}
			pl.sync(t, e)
			token = pl.token
		case "from elsewhere":
			// Another instance with the same secret and more history.
			other := apptest.New(t)
			for i := range 3 {
				other.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: fmt.Sprintf("+44 7700 90010%d", i)}))
				(&prefixClient{}).sync(t, other)
			}
			far := &prefixClient{}
			far.sync(t, other)
			token = far.token
		}
		r := e.Get(t, "/api/v1/indicators/prefixes?since="+strings.ReplaceAll(url.QueryEscape(token), "%25", "%"))
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d", name, r.StatusCode)
			continue
		}
		if name == "broken utf-8" || name == "very long" {
			// Refused before the handler, by the query guard.
			continue
		}
		wantFieldProblem(t, r, http.StatusBadRequest, "since")
		if p := decode[v1.Problem](t, r); p.Errors[0].Code != "error.prefixes.token" || !strings.Contains(p.Detail, "without since") {
			t.Errorf("%s: %+v", name, p)
		}
	}
	fr := e.Get(t, "/api/v1/indicators/prefixes?since=nope&lang=fr")
	wantFieldProblem(t, fr, http.StatusBadRequest, "since")
	if p := decode[v1.Problem](t, fr); !strings.Contains(p.Detail, "sans since") {
		t.Errorf("French problem: %+v", p)
	}
	for query, field := range map[string]string{
		"kind=fax":             "kind",
		"kind=PHONE":           "kind",
		"country=XX":           "country",
		"country=Atlantis":     "country",
		"country=%D0%A3%D0%9A": "country",
	} {
		wantFieldProblem(t, e.Get(t, "/api/v1/indicators/prefixes?"+query), http.StatusBadRequest, field)
	}
	// The token still works after all that.
	if adds, removes := app.sync(t, e); len(adds)+len(removes) != 0 {
		t.Errorf("+%v -%v", adds, removes)
	}
}

func TestPrefixSyncForgetsOldRemovals(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	w := e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}))
	app := &prefixClient{}
	app.sync(t, e)
	old := app.token
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'retracted' WHERE id = ?", w))
	app.sync(t, e)
	recent := app.token

	// 31 days on, the next change drops the removal: a client that synced
	// before it must start again, one that synced after it goes on.
	later := service.NewIndicatorSync(e.Services.Checker, []byte("test-secret-key-test-secret-key-test"), func() time.Time { return apptest.Now.Add(31 * 24 * time.Hour) })
	e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900124"}))
	ctx := context.Background()
	if _, err := later.Prefixes(ctx, service.PrefixQuery{Since: old}); !isInvalid(err, "since") {
		t.Errorf("a token from before a forgotten removal: %v", err)
	}
	up, err := later.Prefixes(ctx, service.PrefixQuery{Since: recent})
	if err != nil || len(up.Additions) != 1 || len(up.Removals) != 0 {
		t.Errorf("a token from after it: %+v, %v", up, err)
	}
	wantFieldProblem(t, e.Get(t, "/api/v1/indicators/prefixes?since="+url.QueryEscape(old)), http.StatusBadRequest, "since")
}

func isInvalid(err error, field string) bool {
	inv, ok := apperr.AsInvalids(err)
	return ok && len(inv) == 1 && inv[0].Field == field
}

// TestPrefixSetIsWhatTheIndicatorPagesShow checks the one rule: an
// indicator's prefix is in the set exactly when its page and the range
// look-up show it.
func TestPrefixSetIsWhatTheIndicatorPagesShow(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ind := func(v string) service.RawIndicator { return service.RawIndicator{Kind: model.IndicatorPhone, Value: v} }
	e.Warning(t, apptest.WithIndicators(ind("+44 7700 900101")))
	e.Warning(t, apptest.WithIndicators(ind("+44 7700 900102")), apptest.Retracted("Wrong"))
	e.Warning(t, apptest.WithIndicators(ind("+44 7700 900103")), apptest.ExpiringIn(-time.Hour))
	draft := e.Warning(t, apptest.WithIndicators(ind("+44 7700 900104")))
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'draft' WHERE id = ?", draft))
	mod, _ := e.Member(t, "mod_rule", model.RoleModerator, []string{"en"}, []string{"UA"})
	publishedReport(t, e, mod, "Report one", "Call +44 7700 900105 for the job.")
	hidden := publishedReport(t, e, mod, "Report two", "Call +44 7700 900106 for the job.")
	wantStatus(t, act(t, mod, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(hidden)}, "reason": {"Spam"}}), http.StatusSeeOther)
	guest := e.NewClient()
	_, r := postReport(t, guest, func() url.Values {
		f := reportForm("Pending guest report")
		f.Set("body", "Call +44 7700 900107 for the job, they said.")
		return f
	}())
	wantStatus(t, r, http.StatusSeeOther)

	app := &prefixClient{}
	app.sync(t, e)
	var rows []struct {
		ID         int64
		Normalized string
	}
	apptest.Must(t, e.DB.Gorm.Table("indicators").Select("id, normalized").Scan(&rows))
	if len(rows) < 7 {
		t.Fatalf("%d indicators", len(rows))
	}
	shown := 0
	for _, row := range rows {
		page := e.Get(t, fmt.Sprintf("/en/indicators/%d", row.ID)).StatusCode == http.StatusOK
		hash := service.Hash(row.Normalized)
		inRange := strings.Contains(e.Get(t, "/api/v1/indicators/range/"+hash[:5]).Body, hash)
		if page {
			shown++
		}
		if page != app.set[prefixOf(row.Normalized)] || page != inRange {
			t.Errorf("%s: page %v, range %v, prefix set %v", row.Normalized, page, inRange, app.set[prefixOf(row.Normalized)])
		}
	}
	if shown != 3 || len(app.set) != 3 {
		t.Errorf("%d indicators shown, %d prefixes; want 3 (published and expired warnings, published report)", shown, len(app.set))
	}
}

// TestPrefixAnswersAreCompact decodes a full answer byte for byte.
func TestPrefixAnswersAreCompact(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}, service.RawIndicator{Kind: model.IndicatorLink, Value: "eurodrive.example/apply"}))
	up := decode[v1.PrefixesResponse](t, e.Get(t, "/api/v1/indicators/prefixes"))
	raw, _ := base64.StdEncoding.DecodeString(up.Additions)
	a, _ := hex.DecodeString(prefixOf("+447700900123"))
	b, _ := hex.DecodeString(prefixOf("eurodrive.example/apply"))
	if bytes.Compare(a, b) > 0 {
		a, b = b, a
	}
	if !bytes.Equal(raw, append(a, b...)) {
		t.Errorf("additions %x, want %x%x", raw, a, b)
	}
	sum := sha256.Sum256(raw)
	if up.Checksum != hex.EncodeToString(sum[:]) || up.Count != 2 || up.Removals != "" {
		t.Errorf("answer %+v", up)
	}
	plain := e.Get(t, "/api/v1/indicators/prefixes").Body
	for _, enc := range []string{"gzip", "deflate", "br", "gzip;q=0.5, br"} {
		r := e.Get(t, "/api/v1/indicators/prefixes", "Accept-Encoding", enc)
		wantStatus(t, r, http.StatusOK)
		if r.Header.Get("Content-Encoding") == "" {
			t.Errorf("%s: not compressed", enc)
		}
		if got := decoded(t, r, "gzip", "deflate", "br"); got != plain {
			t.Errorf("%s: decodes to %.200s, want %.200s", enc, got, plain)
		}
	}
}

// TestPrefixSyncAcrossInstances reconciles from several instances at once
// (each IndicatorSync stands for a server process): one set results, each
// open span once, and every answer is the same.
func TestPrefixSyncAcrossInstances(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	instances := make([]*service.IndicatorSync, 4)
	for i := range instances {
		instances[i] = service.NewIndicatorSync(e.Services.Checker, []byte("test-secret-key-test-secret-key-test"), func() time.Time { return apptest.Now })
	}
	for round := range 3 {
		e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: fmt.Sprintf("+44 7700 90020%d", round)}), apptest.OnRoute("GB", "PL"))
		answers := make(chan service.PrefixUpdate, 2*len(instances))
		errs := make(chan error, 2*len(instances))
		for i := range 2 * len(instances) {
			go func() {
				up, err := instances[i%len(instances)].Prefixes(ctx, service.PrefixQuery{})
				answers <- up
				errs <- err
			}()
		}
		var first service.PrefixUpdate
		for i := range 2 * len(instances) {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
			up := <-answers
			if i == 0 {
				first = up
			} else if up.Token != first.Token || up.Checksum != first.Checksum {
				t.Errorf("round %d: answers differ: %s %s / %s %s", round, up.Token, up.Checksum, first.Token, first.Checksum)
			}
			if up.Count != round+1 {
				t.Errorf("round %d: %d prefixes", round, up.Count)
			}
		}
		// GB and PL for each indicator, each once.
		if open := e.Count(t, "indicator_prefix_spans", "removed_seq IS NULL"); open != int64(2*(round+1)) {
			t.Errorf("round %d: %d open spans", round, open)
		}
	}
	if seq := e.Count(t, "indicator_prefix_spans", "added_seq > 3"); seq != 0 {
		t.Errorf("%d spans opened past sequence 3", seq)
	}
}

// TestPrefixSyncSeesEveryKindOfWrite changes what makes an indicator
// public by hand, as an operator's SQL would, one table at a time: the
// triggers of migration 00016 mark each change for the next sync.
func TestPrefixSyncSeesEveryKindOfWrite(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	w := e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}), apptest.OnRoute("GB", "PL"))
	mod, _ := e.Member(t, "mod_writes", model.RoleModerator, []string{"en"}, []string{"UA"})
	report := publishedReport(t, e, mod, "Recruiter on Telegram", "They wrote from the number +44 7700 900777 and asked for fees.")
	phone, reported := prefixOf("+447700900123"), prefixOf("+447700900777")
	all, pl := &prefixClient{}, &prefixClient{query: "country=PL"}
	all.sync(t, e)
	pl.sync(t, e)
	if !all.holds(phone, reported) || !pl.holds(phone, reported) || len(pl.set) != 2 {
		t.Fatalf("start: all %v, PL %v", all.set, pl.set)
	}
	var phoneID int64
	apptest.Must(t, e.DB.Gorm.Table("indicators").Select("id").Where("normalized = '+447700900123'").Scan(&phoneID))
	step := func(name, stmt string, args []any, wantAll, wantPL []string) {
		t.Helper()
		apptest.Must(t, e.DB.Gorm.Exec(stmt, args...))
		all.sync(t, e)
		pl.sync(t, e)
		for _, tc := range []struct {
			client *prefixClient
			want   []string
		}{{all, wantAll}, {pl, wantPL}} {
			var got []string
			for p := range tc.client.set {
				got = append(got, p)
			}
			if !slices.Equal(sorted(got...), sorted(tc.want...)) {
				t.Errorf("%s: %q holds %v, want %v", name, tc.client.query, got, tc.want)
			}
		}
	}
	step("route without PL", "DELETE FROM warning_countries WHERE warning_id = ? AND country = 'PL'", []any{w}, []string{phone, reported}, []string{reported})
	step("route with PL again", "INSERT INTO warning_countries (warning_id, country, role) VALUES (?, 'PL', 'destination')", []any{w}, []string{phone, reported}, []string{phone, reported})
	step("report route moved", "UPDATE report_countries SET country = 'DE' WHERE report_id = ? AND country = 'PL'", []any{report}, []string{phone, reported}, []string{phone})
	step("indicator unlinked", "DELETE FROM warning_indicators WHERE warning_id = ?", []any{w}, []string{reported}, nil)
	step("indicator linked again", "INSERT INTO warning_indicators (warning_id, indicator_id, raw) VALUES (?, ?, '+44 7700 900123')", []any{w, phoneID}, []string{phone, reported}, []string{phone})
	step("warning expired", "UPDATE warnings SET status = 'expired' WHERE id = ?", []any{w}, []string{phone, reported}, []string{phone})
	step("warning in review", "UPDATE warnings SET status = 'in_review' WHERE id = ?", []any{w}, []string{reported}, nil)
	step("warning published", "UPDATE warnings SET status = 'published' WHERE id = ?", []any{w}, []string{phone, reported}, []string{phone})
	step("indicator rehashed", "UPDATE indicators SET hash = ? WHERE id = ?", []any{service.Hash("+447700900124"), phoneID}, []string{prefixOf("+447700900124"), reported}, []string{prefixOf("+447700900124")})
	step("report deleted", "DELETE FROM reports WHERE id = ?", []any{report}, []string{prefixOf("+447700900124")}, []string{prefixOf("+447700900124")})
	step("warning deleted", "DELETE FROM warnings WHERE id = ?", []any{w}, nil, nil)
}

// TestPrefixSetIsBuiltInSteps marks more indicators than one step of a
// reconciliation takes (5,000): the set is built in two steps, each its
// own sequence, and whole at the end.
func TestPrefixSetIsBuiltInSteps(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	w := e.Warning(t)
	base := &prefixClient{}
	base.sync(t, e)
	const n = 5200
	inds := make([]model.Indicator, n)
	for i := range inds {
		norm := fmt.Sprintf("+4479%08d", i)
		inds[i] = model.Indicator{Kind: model.IndicatorPhone, Normalized: norm, Hash: service.Hash(norm), CreatedAt: apptest.Now}
	}
	apptest.Must(t, e.DB.Gorm.CreateInBatches(inds, 500))
	links := make([]model.WarningIndicator, n)
	for i, ind := range inds {
		links[i] = model.WarningIndicator{WarningID: w, IndicatorID: ind.ID, Raw: ind.Normalized}
	}
	apptest.Must(t, e.DB.Gorm.CreateInBatches(links, 500))
	app := &prefixClient{}
	waitForPrefixSet(t, e)
	app.sync(t, e)
	if len(app.set) != n+len(base.set) || !app.holds(prefixOf("+447900000000"), prefixOf(fmt.Sprintf("+4479%08d", n-1))) {
		t.Errorf("%d prefixes, want %d", len(app.set), n+len(base.set))
	}
	var seq int64
	apptest.Must(t, e.DB.Gorm.Raw("SELECT seq FROM indicator_prefix_state").Scan(&seq))
	if seq != 3 || e.Count(t, "indicator_prefix_dirty", "1 = 1") != 0 {
		t.Errorf("sequence %d, want 3 (the warning, then 2 steps); %d marks left", seq, e.Count(t, "indicator_prefix_dirty", "1 = 1"))
	}
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'retracted' WHERE id = ?", w))
	waitForPrefixSet(t, e)
	if _, removes := app.sync(t, e); len(removes) != n+len(base.set) || len(app.set) != 0 {
		t.Errorf("%d removals, %d left", len(removes), len(app.set))
	}
}

// waitForPrefixSet asks for the set until it is built: a long build
// (slow under the race detector) answers 503 to the requests that give up
// meanwhile and goes on in the background, as a partner's retry expects.
func waitForPrefixSet(t *testing.T, e *apptest.Env) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		r := e.Get(t, "/api/v1/indicators/prefixes?kind=company")
		if r.StatusCode != http.StatusServiceUnavailable {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the prefix set is still being built after 3 minutes")
		}
		time.Sleep(time.Second)
	}
}

// TestServerBuildsThePrefixSetAtStart checks that a server built with
// WarmPrefixes (as the server command builds it) brings a large backlog
// of marked indicators into the prefix set on its own, before any partner
// asks for it, and that without it the marks wait for the first request.
func TestServerBuildsThePrefixSetAtStart(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	w := e.Warning(t)
	const n = 1200
	inds := make([]model.Indicator, n)
	for i := range inds {
		norm := fmt.Sprintf("+4478%08d", i)
		inds[i] = model.Indicator{Kind: model.IndicatorPhone, Normalized: norm, Hash: service.Hash(norm), CreatedAt: apptest.Now}
	}
	apptest.Must(t, e.DB.Gorm.CreateInBatches(inds, 500))
	links := make([]model.WarningIndicator, n)
	for i, ind := range inds {
		links[i] = model.WarningIndicator{WarningID: w, IndicatorID: ind.ID, Raw: ind.Normalized}
	}
	apptest.Must(t, e.DB.Gorm.CreateInBatches(links, 500))
	marks := func() int64 { return e.Count(t, "indicator_prefix_dirty", "1 = 1") }
	if marks() == 0 {
		t.Fatal("new indicators left no marks: the test shows nothing")
	}
	build := func(warm bool) {
		t.Helper()
		_, err := server.Build(e.Services, slog.New(slog.DiscardHandler), server.Options{
			BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", SecretKey: "test-secret-key-test-secret-key-test",
			Storage: e.Store.NewHTTPState(func() time.Time { return apptest.Now }), Now: func() time.Time { return apptest.Now },
			WarmPrefixes: warm,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	build(false)
	time.Sleep(200 * time.Millisecond)
	if marks() == 0 {
		t.Fatal("a server without WarmPrefixes built the set unasked")
	}
	build(true)
	deadline := time.Now().Add(3 * time.Minute)
	for marks() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d marks left 3 minutes after the start", marks())
		}
		time.Sleep(20 * time.Millisecond)
	}
	var seq int64
	apptest.Must(t, e.DB.Gorm.Raw("SELECT seq FROM indicator_prefix_state").Scan(&seq))
	if seq == 0 {
		t.Error("the marks are gone but the set's sequence did not move")
	}
}

// TestWholePrefixSetKeptInMemoryEqualsTheDatabases checks that the full
// set of every country and kind, which the server keeps and brings up to
// date from the spans that changed, is the one a server that reads it
// from the database serves, after additions, removals and re-additions.
func TestWholePrefixSetKeptInMemoryEqualsTheDatabases(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	full := func(get getter) string {
		t.Helper()
		r := get(t, "/api/v1/indicators/prefixes")
		wantStatus(t, r, http.StatusOK)
		return r.Body
	}
	kept := envGetter(e)
	first := e.Warning(t)
	full(kept)
	steps := []func(){
		func() {
			e.Warning(t, func(w *service.ImportedWarning) {
				w.Indicators = []service.RawIndicator{{Kind: model.IndicatorPhone, Value: "+40 712 345 678"}, {Kind: model.IndicatorEmail, Value: "hr@fast-visa.example"}}
			})
		},
		func() {
			apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'retracted' WHERE id = ?", first))
		},
		func() {
			apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'published' WHERE id = ?", first))
		},
		func() {
			apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM warning_indicators WHERE warning_id = ? AND indicator_id IN (SELECT id FROM indicators WHERE kind = 'link')", first))
		},
	}
	for i, step := range steps {
		step()
		got := full(kept)
		fresh := clockedApp(t, e, func() time.Time { return apptest.Now })
		if want := full(fresh); got != want {
			t.Fatalf("step %d: the kept set differs from the database's:\nkept  %s\nfresh %s", i, got, want)
		}
	}
}
