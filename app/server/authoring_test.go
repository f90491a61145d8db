package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

var warningLocation = regexp.MustCompile(`^/en/mod/warnings/(\d+)\?notice=saved$`)

func warningDraft(title string) url.Values {
	return url.Values{
		"severity": {"danger"}, "category": {"fake-travel-agency"}, "lang": {"en"},
		"origin": {"UA"}, "destination": {"PL"}, "expires_on": {"2027-06-01"},
		"title": {title}, "summary": {"An Instagram agency sells work visas that do not exist."},
		"what_to_do": {"Do not pay this agency. Ask the embassy first."},
		"body":       {"The agency asks for 1,500 euros.\n\n- no contract\n- no office"},
		"indicators": {"phone: +44 7700 900321\nlink: https://visa-fast.example/apply\nsocial: instagram visa_fast_eu"},
	}
}

func createWarning(t *testing.T, c *apptest.Client, form url.Values) int64 {
	t.Helper()
	c.Get(t, "/en/mod/warnings/new")
	r := c.Post(t, "/en/mod/warnings/new", form)
	wantStatus(t, r, http.StatusSeeOther)
	m := warningLocation.FindStringSubmatch(loc(r))
	if m == nil {
		t.Fatalf("after creating: %q", loc(r))
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

func warningState(t *testing.T, c *apptest.Client, id int64, action, reason string) apptest.Response {
	t.Helper()
	c.Get(t, fmt.Sprintf("/en/mod/warnings/%d", id))
	return c.Post(t, fmt.Sprintf("/en/mod/warnings/%d/state", id), url.Values{"action": {action}, "reason": {reason}})
}

func TestWarningFromDraftToPublicationAndRetraction(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	author, _ := e.Member(t, "mod_author", model.RoleModerator, []string{"en"}, []string{"UA"})
	id := createWarning(t, author, warningDraft("Fake visa agency on Instagram"))
	public := fmt.Sprintf("/en/warnings/%d", id)
	wantStatus(t, e.Get(t, public), http.StatusNotFound)

	author.Get(t, fmt.Sprintf("/en/mod/warnings/%d/translate?lang=uk", id))
	tr := author.Post(t, fmt.Sprintf("/en/mod/warnings/%d/translate", id), url.Values{"lang": {"uk"}, "title": {"Фальшива візова агенція"}, "summary": {"Агенція в Instagram продає візи, яких не існує."}, "what_to_do": {"Не платіть цій агенції. Спершу запитайте посольство."}, "body": {"Агенція просить 1500 євро за візу."}})
	wantStatus(t, tr, http.StatusSeeOther)

	wantStatus(t, warningState(t, author, id, "publish", ""), http.StatusBadRequest) // a draft is reviewed first
	wantStatus(t, warningState(t, author, id, "submit", ""), http.StatusSeeOther)
	wantStatus(t, warningState(t, author, id, "publish", ""), http.StatusSeeOther) // names no party: the author may publish

	page := e.Get(t, public)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body, "Fake visa agency on Instagram", "visa-fast.example/apply", "7700 900321")
	mustContain(t, e.Get(t, "/uk"+public[3:]).Body, "Фальшива візова агенція")
	mustContain(t, e.Get(t, "/en/warnings").Body, "Fake visa agency on Instagram")

	wantStatus(t, warningState(t, author, id, "retract", ""), http.StatusBadRequest)
	wantStatus(t, warningState(t, author, id, "retract", "The agency turned out to be real."), http.StatusSeeOther)
	retracted := e.Get(t, public)
	wantStatus(t, retracted, http.StatusOK)
	mustContain(t, retracted.Body, "This warning was retracted", "The agency turned out to be real.")

	var actions []string
	apptest.Must(t, e.DB.Gorm.Table("moderation_actions").Where("target_type = 'warning' AND target_id = ?", id).Order("id").Pluck("action", &actions))
	want := []string{"warning.create", "warning.translate", "warning.submit", "warning.publish", "warning.retract"}
	if fmt.Sprint(actions) != fmt.Sprint(want) {
		t.Errorf("audit log %v, want %v", actions, want)
	}
}

func TestNamingAPartyNeedsASecondModerator(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	author, _ := e.Member(t, "mod_one", model.RoleModerator, []string{"en"}, []string{"UA"})
	second, secondUser := e.Member(t, "mod_two", model.RoleModerator, []string{"en"}, []string{"PL"})
	outside, _ := e.Member(t, "mod_far", model.RoleModerator, []string{"ar"}, []string{"SY"})
	form := warningDraft("Recruiter EuroStaff Partners takes fees")
	form.Set("indicators", "company: EuroStaff Partners\nphone: +44 7700 900654")
	id := createWarning(t, author, form)
	wantStatus(t, warningState(t, author, id, "submit", ""), http.StatusSeeOther)

	own := warningState(t, author, id, "publish", "")
	wantStatus(t, own, http.StatusBadRequest)
	mustContain(t, own.Body, "another moderator must publish it")
	wantStatus(t, warningState(t, outside, id, "publish", ""), http.StatusNotFound)
	wantStatus(t, outside.Get(t, fmt.Sprintf("/en/mod/warnings/%d", id)), http.StatusNotFound)

	wantStatus(t, warningState(t, second, id, "publish", ""), http.StatusSeeOther)
	var approver int64
	apptest.Must(t, e.DB.Gorm.Table("warnings").Select("approver_id").Where("id = ?", id).Scan(&approver))
	if approver != secondUser.ID {
		t.Errorf("approver %d, want %d", approver, secondUser.ID)
	}
	wantStatus(t, e.Get(t, fmt.Sprintf("/en/warnings/%d", id)), http.StatusOK)
}

func TestWarningFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_forms", model.RoleModerator, []string{"en"}, []string{"UA"})
	form := warningDraft("Ok")
	form.Set("severity", "apocalyptic")
	form.Set("expires_on", "2020-01-01")
	form.Set("indicators", "phone: call me maybe\nnonsense line")
	mod.Get(t, "/en/mod/warnings/new")
	r := mod.Post(t, "/en/mod/warnings/new", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "The severity must be info, caution or danger.", "The end date must be a future date.", "Line 1 of the signs cannot be read.", "Line 2 of the signs cannot be read.", "Write between 5 and 140 characters.")
	outOfScope := warningDraft("Syria to Turkey smuggling offer")
	outOfScope.Set("origin", "SY")
	outOfScope.Set("destination", "TR")
	r = mod.Post(t, "/en/mod/warnings/new", outOfScope)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "This is outside your languages and countries.")
	var n int64
	apptest.Must(t, e.DB.Gorm.Table("warnings").Count(&n))
	if n != 0 {
		t.Errorf("%d warnings stored from refused forms", n)
	}
}

func TestWarningDrawnFromAReport(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_draw", model.RoleModerator, []string{"en"}, []string{"UA"})
	reportID := publishedReport(t, e, mod, "Driver jobs that never existed", "")
	form := mod.Get(t, fmt.Sprintf("/en/mod/warnings/new?from=%d", reportID))
	wantStatus(t, form, http.StatusOK)
	mustContain(t, form.Body, `value="Driver jobs that never existed"`, fmt.Sprintf(`name="sources" value="%d"`, reportID))
	values := warningDraft("Driver jobs that never existed")
	values.Set("sources", fmt.Sprint(reportID))
	id := createWarning(t, mod, values)
	var links int64
	apptest.Must(t, e.DB.Gorm.Table("warning_reports").Where("warning_id = ? AND report_id = ?", id, reportID).Count(&links))
	if links != 1 {
		t.Error("the warning is not linked to its report")
	}
}

// A Han character counts twice toward a text's minimum: a short Chinese
// "what to do" (six characters) is accepted, a shorter one and a short
// Latin one are refused, and the maximum still counts characters.
func TestTextMinimumsCountHanCharactersTwice(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	author, _ := e.Member(t, "mod_zh", model.RoleModerator, []string{"en", "zh"}, []string{"UA"})
	id := createWarning(t, author, warningDraft("Fake visa agency on Instagram"))
	translate := func(whatToDo string) apptest.Response {
		author.Get(t, fmt.Sprintf("/en/mod/warnings/%d/translate?lang=zh", id))
		return author.Post(t, fmt.Sprintf("/en/mod/warnings/%d/translate", id), url.Values{"lang": {"zh"},
			"title": {"假签证中介"}, "summary": {"这家中介在网上出售不存在的工作签证。"}, "what_to_do": {whatToDo}, "body": {"中介要求支付1500欧元办签证。"}})
	}
	wantStatus(t, translate("不要付"), http.StatusUnprocessableEntity)                    // 3 characters: 6
	wantStatus(t, translate("Pay none"), http.StatusUnprocessableEntity)               // 8 letters
	wantStatus(t, translate(strings.Repeat("别", 401)), http.StatusUnprocessableEntity) // over 400 characters
	wantStatus(t, translate("不要先付钱。"), http.StatusSeeOther)                            // 6 characters: 11
	var got string
	apptest.Must(t, e.DB.Gorm.Raw("SELECT what_to_do FROM warning_translations WHERE warning_id = ? AND lang = 'zh'", id).Scan(&got))
	if got != "不要先付钱。" {
		t.Errorf("the Chinese what to do saved is %q", got)
	}
}
