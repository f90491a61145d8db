package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

func helpEntry(country, lang, kind, name, phone string) url.Values {
	return url.Values{"country": {country}, "lang": {lang}, "kind": {kind}, "name": {name}, "phone": {phone},
		"description": {"Free advice"}, "website": {"https://hotline.example.org"}, "hours": {"24/7"}}
}

func TestHelpPageWithEntriesAndCase(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "help_admin", model.RoleAdmin, nil, nil)
	admin.Get(t, "/en/admin/help")
	wantStatus(t, admin.Post(t, "/en/admin/help", helpEntry("ro", "ro", "hotline", "Linia de ajutor demo", "+40 700 000 000")), http.StatusSeeOther)
	admin.Get(t, "/en/admin/help")
	wantStatus(t, admin.Post(t, "/en/admin/help", helpEntry("RO", "en", "inspectorate", "Labour inspectorate demo", "0700 000 002")), http.StatusSeeOther)

	page := e.Get(t, "/en/help/RO")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body, "Help in Romania", "Labour inspectorate demo", `href="tel:&#43;40700000002"`, "40 700 000 002", `href="tel:112"`, `href="https://hotline.example.org"`)
	mustNotContain(t, page.Body, "Linia de ajutor demo")
	ro := e.Get(t, "/ro/help/RO")
	mustContain(t, ro.Body, "Linia de ajutor demo")
	// A language without entries falls back to English, marked.
	uk := e.Get(t, "/uk/help/RO")
	mustContain(t, uk.Body, "Labour inspectorate demo", `lang="en"`)

	lower := e.Get(t, "/en/help/ro")
	wantStatus(t, lower, http.StatusMovedPermanently)
	if loc := lower.Header.Get("Location"); loc != "/en/help/RO" {
		t.Fatalf("lower-case code redirects to %q", loc)
	}
	chooser := e.Get(t, "/en/help?country=ro")
	wantStatus(t, chooser, http.StatusSeeOther)
	if loc := chooser.Header.Get("Location"); loc != "/en/help/RO" {
		t.Fatalf("chooser redirects to %q", loc)
	}
	list := e.Get(t, "/en/help")
	wantStatus(t, list, http.StatusOK)
	mustContain(t, list.Body, `href="/en/help/RO"`, `<select id="help-country" name="country"`)
	for _, lang := range []string{"en", "ar", "uk"} {
		mustContain(t, e.Get(t, "/"+lang+"/safety").Body, `href="/`+lang+`/help"`)
	}
	// Demo-style numbers from the ranges reserved for fiction are accepted.
	admin.Get(t, "/en/admin/help/RO")
	wantStatus(t, admin.Post(t, "/en/admin/help", helpEntry("RO", "en", "other", "Fiction line", "+44 7700 900 123")), http.StatusSeeOther)
	mustContain(t, e.Get(t, "/en/help/RO").Body, `href="tel:&#43;447700900123"`)
}

func TestHelpPageWithoutEntriesShowsEmergencyAndOrganisations(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "org_help_admin", model.RoleAdmin, nil, nil)
	admin.Get(t, "/en/admin/organisations")
	plain := admin.Post(t, "/en/admin/organisations", url.Values{"name": {"Harvest Helpers"}, "website": {"http://harvest.example.org"}})
	wantStatus(t, plain, http.StatusUnprocessableEntity)
	mustContain(t, plain.Body, "starting with https://")
	admin.Get(t, "/en/admin/organisations")
	wantStatus(t, admin.Post(t, "/en/admin/organisations", url.Values{"name": {"Harvest Helpers"}, "website": {"https://harvest.example.org"}}), http.StatusSeeOther)
	var id int64
	apptest.Must(t, e.DB.Gorm.Table("organisations").Select("id").Where("name = 'Harvest Helpers'").Scan(&id))
	path := fmt.Sprintf("/en/admin/organisations/%d/contacts", id)
	admin.Get(t, "/en/admin/organisations")
	bad := admin.Post(t, path, url.Values{"phone": {"12"}, "email": {"nope"}, "countries": {"ES, ZZ"}, "languages": {"es, !!"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad.Body, "This is not a valid phone number", "This country code is not known.", "This language is not known.")
	if n := e.Count(t, "organisations", "countries <> ''"); n != 0 {
		t.Fatalf("refused contacts were saved: %d", n)
	}
	admin.Get(t, "/en/admin/organisations")
	wantStatus(t, admin.Post(t, path, url.Values{"phone": {"+34 600 000 000"}, "email": {"info@harvest.example.org"}, "hours": {"Mon–Sat"},
		"countries": {"es, it"}, "languages": {"es, ar"}, "helps_with": {"Farm work pay"}}), http.StatusSeeOther)
	if n := e.Count(t, "moderation_actions", "action = 'organisation.contacts'"); n != 1 {
		t.Fatalf("audit entries: %d", n)
	}

	es := e.Get(t, "/en/help/ES")
	wantStatus(t, es, http.StatusOK)
	mustContain(t, es.Body, "112", "Harvest Helpers", "Farm work pay", `href="tel:&#43;34600000000"`, "Spanish", "Arabic", "We have no helplines for this country yet.")
	// A country outside the table shows 112 with a caution.
	np := e.Get(t, "/en/help/NP")
	mustContain(t, np.Body, `href="tel:112"`, "112 works in many countries", "No group on Forewarn covers this country yet.")
	gb := e.Get(t, "/en/help/GB")
	mustContain(t, gb.Body, `href="tel:999"`)

	// The organisation's contacts show on its warnings.
	w := e.Warning(t, apptest.Titled("Fake harvest job"))
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET organisation_id = ? WHERE id = ?", id, w))
	wp := e.Get(t, fmt.Sprintf("/en/warnings/%d", w))
	mustContain(t, wp.Body, "Harvest Helpers", `href="tel:&#43;34600000000"`, `href="mailto:info@harvest.example.org"`, "Farm work pay")
}

func TestHelpUnknownCountryIsLocalised404(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, path := range []string{"/en/help/ZZ", "/en/help/xx1", "/en/help/EU", "/en/help?country=QQ"} {
		wantStatus(t, e.Get(t, path), http.StatusNotFound)
	}
	fr := e.Get(t, "/fr/help/ZZ")
	wantStatus(t, fr, http.StatusNotFound)
	mustContain(t, fr.Body, `lang="fr"`)
}

func TestAdminHelpPermissionsAndBadInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "help_root", model.RoleAdmin, nil, nil)
	admin.Get(t, "/en/admin/help")
	wantStatus(t, admin.Post(t, "/en/admin/help", helpEntry("UA", "uk", "hotline", "Гаряча лінія демо", "+380 44 000 0000")), http.StatusSeeOther)
	var id int64
	apptest.Must(t, e.DB.Gorm.Table("help_entries").Select("id").Scan(&id))
	entry := fmt.Sprintf("/en/admin/help/entries/%d", id)

	for _, who := range []model.Role{model.RoleMember, model.RoleModerator} {
		c, _ := e.Member(t, "help_not_admin_"+string(who), who, []string{"uk"}, []string{"UA"})
		c.Get(t, "/en/account")
		wantStatus(t, c.Get(t, "/en/admin/help"), http.StatusNotFound)
		wantStatus(t, c.Post(t, "/en/admin/help", helpEntry("UA", "en", "hotline", "Sneaky", "112")), http.StatusNotFound)
		wantStatus(t, c.Post(t, entry, url.Values{"action": {"delete"}}), http.StatusNotFound)
	}
	// Missing CSRF token.
	wantStatus(t, admin.Post(t, "/en/admin/help", url.Values{"_csrf": {""}, "country": {"UA"}, "lang": {"en"}, "kind": {"hotline"}, "name": {"No token"}, "phone": {"112"}}), http.StatusForbidden)
	// Forged IDs.
	admin.Get(t, "/en/admin/help/UA")
	wantStatus(t, admin.Post(t, "/en/admin/help/entries/999999", url.Values{"action": {"delete"}}), http.StatusNotFound)
	admin.Get(t, "/en/admin/help/UA")
	wantStatus(t, admin.Post(t, "/en/admin/help/entries/abc", helpEntry("UA", "en", "hotline", "x", "112")), http.StatusBadRequest)
	// Bad input: each a field error, nothing saved.
	admin.Get(t, "/en/admin/help")
	bad := admin.Post(t, "/en/admin/help", url.Values{"country": {"ZZ"}, "lang": {"!!"}, "kind": {"pope"}, "name": {"x"}, "phone": {"call me"}, "website": {"http://plain.example.org"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad.Body, "This country code is not known.", "This language is not known.", "Choose a kind from the list.", "This is not a valid phone number", "https://")
	admin.Get(t, "/en/admin/help")
	huge := helpEntry("UA", "en", "hotline", string(make([]byte, 5000)), "112")
	wantStatus(t, admin.Post(t, "/en/admin/help", huge), http.StatusUnprocessableEntity)
	if n := e.Count(t, "help_entries", "1 = 1"); n != 1 {
		t.Fatalf("help entries: %d", n)
	}

	// Content version: the cached help page changes on the next request.
	before := e.Get(t, "/en/help/UA")
	mustContain(t, before.Body, "Гаряча лінія демо", `lang="uk"`)
	mustNotContain(t, before.Body, "Hotline demo")
	admin.Get(t, "/en/admin/help/UA")
	wantStatus(t, admin.Post(t, "/en/admin/help", helpEntry("UA", "en", "hotline", "Hotline demo", "+380 44 000 0001")), http.StatusSeeOther)
	mustContain(t, e.Get(t, "/en/help/UA").Body, "Hotline demo")
	admin.Get(t, "/en/admin/help/UA")
	var enID int64
	apptest.Must(t, e.DB.Gorm.Table("help_entries").Select("id").Where("lang = 'en'").Scan(&enID))
	wantStatus(t, admin.Post(t, fmt.Sprintf("/en/admin/help/entries/%d", enID), helpEntry("UA", "en", "hotline", "Renamed hotline", "+380 44 000 0001")), http.StatusSeeOther)
	mustContain(t, e.Get(t, "/en/help/UA").Body, "Renamed hotline")
	admin.Get(t, "/en/admin/help/UA")
	wantStatus(t, admin.Post(t, fmt.Sprintf("/en/admin/help/entries/%d", enID), url.Values{"action": {"delete"}}), http.StatusSeeOther)
	mustNotContain(t, e.Get(t, "/en/help/UA").Body, "Renamed hotline")
	for _, action := range []string{"help.create", "help.update", "help.delete"} {
		if n := e.Count(t, "moderation_actions", "action = ?", action); n < 1 {
			t.Fatalf("no audit entry %s", action)
		}
	}
}
