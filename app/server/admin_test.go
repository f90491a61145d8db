package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

func TestAdminGivesRolesAndScopes(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, adminUser := e.Member(t, "root_admin", model.RoleAdmin, nil, nil)
	_, member := e.Member(t, "future_mod", model.RoleMember, nil, nil)
	list := admin.Get(t, "/en/admin/users?q=FUTURE")
	wantStatus(t, list, http.StatusOK)
	mustContain(t, list.Body, "future_mod")
	mustNotContain(t, list.Body, ">root_admin<")

	path := fmt.Sprintf("/en/admin/users/%d", member.ID)
	admin.Get(t, path)
	bad := admin.Post(t, path, url.Values{"role": {"pope"}, "languages": {"en, !!"}, "countries": {"UA, ZZ"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad.Body, "The role must be member, moderator or admin.", "This language is not known.", "This country code is not known.")
	wantStatus(t, admin.Post(t, path, url.Values{"role": {"moderator"}, "languages": {"en, uk"}, "countries": {"ua pl"}}), http.StatusSeeOther)
	saved := admin.Get(t, path)
	mustContain(t, saved.Body, `value="en, uk"`, `value="PL, UA"`)

	own := fmt.Sprintf("/en/admin/users/%d", adminUser.ID)
	admin.Get(t, own)
	refused := admin.Post(t, own, url.Values{"role": {"member"}})
	wantStatus(t, refused, http.StatusUnprocessableEntity)
	mustContain(t, refused.Body, "You cannot change your own role.")

	// The new moderator now sees the moderation pages.
	modClient := e.NewClient()
	modClient.Login(t, "future_mod", "member password 123")
	wantStatus(t, modClient.Get(t, "/en/mod/queue"), http.StatusOK)
	wantStatus(t, modClient.Get(t, "/en/admin/users"), http.StatusNotFound)
}

func TestAdminOrganisationsAndCategories(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "org_admin", model.RoleAdmin, nil, nil)
	admin.Get(t, "/en/admin/organisations")
	wantStatus(t, admin.Post(t, "/en/admin/organisations", url.Values{"name": {"Drivers Help Line"}, "website": {"https://drivers.example"}, "verified": {"1"}}), http.StatusSeeOther)
	dup := admin.Post(t, "/en/admin/organisations", url.Values{"name": {"Drivers help line"}})
	wantStatus(t, dup, http.StatusUnprocessableEntity)
	mustContain(t, dup.Body, "An organisation with this name exists already.")
	bad := admin.Post(t, "/en/admin/organisations", url.Values{"name": {"X"}, "website": {"javascript:alert(1)"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad.Body, "https://")
	mustContain(t, admin.Get(t, "/en/admin/organisations").Body, "Drivers Help Line")

	admin.Get(t, "/en/admin/categories")
	wantStatus(t, admin.Post(t, "/en/admin/categories", url.Values{"slug": {"fake-scholarship"}, "name_en": {"Fake scholarship"}, "name_fr": {"Fausse bourse d'études"}}), http.StatusSeeOther)
	wantStatus(t, admin.Post(t, "/en/admin/categories", url.Values{"slug": {"fake-scholarship"}, "name_en": {"Again"}}), http.StatusUnprocessableEntity)
	wantStatus(t, admin.Post(t, "/en/admin/categories", url.Values{"slug": {"Bad Slug!"}, "name_en": {"Bad"}}), http.StatusUnprocessableEntity)

	var id int64
	apptest.Must(t, e.DB.Gorm.Table("categories").Select("id").Where("slug = 'fake-scholarship'").Scan(&id))
	e.Warning(t, apptest.Titled("Scholarship scam"), apptest.InCategory("fake-scholarship"))
	mustContain(t, e.Get(t, "/fr/warnings").Body, "Fausse bourse d&#39;études")
	mustContain(t, e.Get(t, "/nl/warnings").Body, "Fake scholarship") // falls back to English
	mustContain(t, e.Get(t, "/en/warnings?category=fake-scholarship").Body, "Scholarship scam")

	admin.Get(t, "/en/admin/categories")
	wantStatus(t, admin.Post(t, fmt.Sprintf("/en/admin/categories/%d", id), url.Values{"name_en": {"Fake study grant"}}), http.StatusSeeOther)
	mustContain(t, e.Get(t, "/en/warnings").Body, "Fake study grant")

	for _, who := range []model.Role{model.RoleMember, model.RoleModerator} {
		c, _ := e.Member(t, "not_admin_"+string(who), who, []string{"en"}, []string{"UA"})
		for _, path := range []string{"/en/admin/users", "/en/admin/organisations", "/en/admin/categories"} {
			wantStatus(t, c.Get(t, path), http.StatusNotFound)
		}
	}
}
