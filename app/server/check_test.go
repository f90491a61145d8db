package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

const secretOffer = "Driver job in Poland, visa included! WhatsApp +44 7700 900123 or write hr@eurodrive-jobs.example, see https://jobs.eurodrive.example/apply?utm_source=fb — ask for Ivanka"

func TestCheckFindsKnownIndicatorsAndForgetsTheText(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.Titled("Fake driver jobs in Poland"), apptest.WithIndicators(
		service.RawIndicator{Kind: model.IndicatorPhone, Value: "07700 900123"},
		service.RawIndicator{Kind: model.IndicatorLink, Value: "eurodrive.example/apply"},
	), apptest.OnRoute("GB", "PL"))
	before := countRows(t, e)
	var indicatorsBefore int64
	apptest.Must(t, e.DB.Gorm.Table("indicators").Count(&indicatorsBefore))

	form := e.NewClient().Get(t, "/en/check")
	wantStatus(t, form, http.StatusOK)
	if form.Header.Get("Set-Cookie") != "" {
		t.Error("the check page sets a cookie")
	}
	c := e.NewClient()
	r := c.Post(t, "/en/check", url.Values{"text": {secretOffer}, "country": {"PL"}})
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Set-Cookie") != "" || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("check answer headers: %v", r.Header)
	}
	mustContain(t, r.Body, "Danger: 2 contacts in this message are in our warnings", "Fake driver jobs in Poland", "447700900123", "eurodrive.example/apply", "Not in our warnings or reports")

	after := countRows(t, e)
	var indicatorsAfter int64
	apptest.Must(t, e.DB.Gorm.Table("indicators").Count(&indicatorsAfter))
	if fmt.Sprint(before) != fmt.Sprint(after) || indicatorsBefore != indicatorsAfter {
		t.Errorf("a check changed the database: %v -> %v, indicators %d -> %d", before, after, indicatorsBefore, indicatorsAfter)
	}
	for _, piece := range []string{"hr@eurodrive-jobs", "Ivanka"} {
		if where := e.StoredContaining(t, piece); len(where) > 0 {
			t.Errorf("the checked text (%q) is stored in %v", piece, where)
		}
	}
	for _, piece := range []string{"Ivanka", "eurodrive-jobs", "7700", "WhatsApp"} {
		if strings.Contains(e.Log.String(), piece) {
			t.Errorf("the log holds %q from the checked text", piece)
		}
	}
}

func TestCheckRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for name, tc := range map[string]struct {
		text, country, want string
	}{
		"empty":   {"   \n ", "", "Paste a message"},
		"huge":    {strings.Repeat("call +44 7700 900123 ", 1200), "", "at most 20 KB"},
		"binary":  {"\x00\x01\x02\x03\x04\x05PK\x03\x04", "", "does not look like text"},
		"country": {"call +44 7700 900123", "Atlantis", "country code is not known"},
	} {
		r := e.NewClient().Post(t, "/fr/check", url.Values{"text": {tc.text}, "country": {tc.country}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", name, r.StatusCode)
			continue
		}
		mustContain(t, r.Body, `<html lang="fr"`)
		en := e.NewClient().Post(t, "/en/check", url.Values{"text": {tc.text}, "country": {tc.country}})
		mustContain(t, en.Body, tc.want)
	}
}

func TestCheckAPIAndRangeLookUp(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}))
	body, _ := json.Marshal(v1.CheckRequest{Text: "Call 07700 900123 today or see https://jobs.eurodrive.example/apply", Country: "GB"})
	r := postJSON(t, e, "/api/v1/check?lang=fr", string(body))
	wantStatus(t, r, http.StatusOK)
	res := decode[v1.CheckResponse](t, r)
	if len(res.Indicators) != 2 || !res.Indicators[0].Known || res.Indicators[0].Normalized != "+447700900123" || res.Indicators[0].WarningCount != 1 || res.Indicators[1].Known {
		t.Fatalf("check: %+v", res)
	}
	if len(res.Indicators[0].Warnings) != 1 || !strings.HasPrefix(res.Indicators[0].Warnings[0].URL, apptest.BaseURL+"/w/") {
		t.Errorf("warning links: %+v", res.Indicators[0].Warnings)
	}
	hash := service.Hash("+447700900123")
	if res.Indicators[0].SHA256 != hash {
		t.Errorf("hash %s, want %s", res.Indicators[0].SHA256, hash)
	}
	rng := decode[v1.RangeResponse](t, e.Get(t, "/api/v1/indicators/range/"+hash[:5]))
	found := false
	for _, m := range rng.Matches {
		found = found || m.SHA256 == hash
		if !strings.HasPrefix(m.SHA256, hash[:5]) {
			t.Errorf("range returned %s for prefix %s", m.SHA256, hash[:5])
		}
	}
	if !found {
		t.Errorf("range look-up did not return the known hash: %+v", rng)
	}
	for _, bad := range []string{"abc", "ABCDE", "zzzzz", "a8acc3", "%20%20%20%20%20"} {
		r := e.Get(t, "/api/v1/indicators/range/"+bad)
		wantStatus(t, r, http.StatusBadRequest)
		if r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %s", bad, r.Header.Get("Content-Type"))
		}
	}
	for _, raw := range []string{`{"text": 5}`, `not json`, `{"text": "` + strings.Repeat("x", 21000) + `"}`, `{}`, `{"text": "call me", "country": "XX"}`} {
		r := postJSON(t, e, "/api/v1/check", raw)
		wantStatus(t, r, http.StatusBadRequest)
		if p := decode[v1.Problem](t, r); len(p.Errors) == 0 || p.Errors[0].Message == "" {
			t.Errorf("%.40s: problem %+v", raw, p)
		}
	}
}

func TestIndicatorPageAndReportSync(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_sync", model.RoleModerator, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, mod, "Recruiter with a Telegram channel", "They wrote from telegram @rabota_eu_fast and the number +44 7700 900777.")
	check := func() string {
		return e.NewClient().Post(t, "/en/check", url.Values{"text": {"+447700900777"}}).Body
	}
	mustContain(t, check(), "Be careful: members reported 1 contact in this message", "Recruiter with a Telegram channel")
	var indicatorID int64
	apptest.Must(t, e.DB.Gorm.Table("indicators").Select("id").Where("normalized = '+447700900777'").Scan(&indicatorID))
	page := e.Get(t, fmt.Sprintf("/en/indicators/%d", indicatorID))
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body, "Recruiter with a Telegram channel")

	// A redaction of the number unlinks it.
	r := act(t, mod, url.Values{"action": {"redact"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "passage": {"+44 7700 900777"}, "reason": {"Private number"}})
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, check(), "Not in our warnings or reports", "Not in our warnings yet, which does not make the offer safe")
	wantStatus(t, e.Get(t, fmt.Sprintf("/en/indicators/%d", indicatorID)), http.StatusNotFound)
	wantStatus(t, e.Get(t, "/en/indicators/abc"), http.StatusBadRequest)
}

// The check reads contacts and company names in the scripts of the newer
// languages as it reads them in Latin script: a Han name inside a run of
// Han (no spaces), a Ge'ez name between Ethiopic word spaces, full-width
// and Extended Arabic-Indic digits.
func TestCheckReadsHanGeezAndEasternDigits(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.Titled("假签证中介金桥劳务"), apptest.WithIndicators(
		service.RawIndicator{Kind: model.IndicatorCompany, Value: "金桥劳务"},
		service.RawIndicator{Kind: model.IndicatorCompany, Value: "ሓበሻ ስራሕ ኤጀንሲ"},
		service.RawIndicator{Kind: model.IndicatorPhone, Value: "+86 138 0013 8000"},
		service.RawIndicator{Kind: model.IndicatorPhone, Value: "+92 300 1234567"},
	))
	for _, tc := range []struct {
		text, country string
		want          []string // normalised, all known
	}{
		{"我联系了金桥劳务公司，电话：１３８ ００１３ ８０００，他们要先付钱。", "CN", []string{"金桥劳务", "+8613800138000"}},
		{"ምስ ሓበሻ፡ስራሕ፡ኤጀንሲ ተራኺበ፡ስልኪ፡+86 138 0013 8000።", "", []string{"ሓበሻ ስራሕ ኤጀንሲ", "+8613800138000"}},
		{"ایجنسی کا نمبر ۰۳۰۰ ۱۲۳۴۵۶۷ ہے", "PK", []string{"+923001234567"}},
	} {
		body, _ := json.Marshal(v1.CheckRequest{Text: tc.text, Country: tc.country})
		r := postJSON(t, e, "/api/v1/check", string(body))
		wantStatus(t, r, http.StatusOK)
		res := decode[v1.CheckResponse](t, r)
		var got []string
		for _, ind := range res.Indicators {
			if !ind.Known || ind.WarningCount != 1 {
				t.Errorf("%q: %s not known: %+v", tc.text, ind.Normalized, ind)
			}
			got = append(got, ind.Normalized)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%q: indicators %q, want %q", tc.text, got, tc.want)
		}
	}
	// The page marks the warning too.
	r := e.NewClient().Post(t, "/en/check", url.Values{"text": {"金桥劳务的人说先交钱"}, "country": {"CN"}})
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.Body, "假签证中介金桥劳务")
}
