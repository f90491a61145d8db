package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/server"
	"forewarn/app/service"
)

// roles are the columns of the permission matrix.
var roles = []string{"visitor", "new member", "trusted member", "silenced member", "moderator in scope", "moderator out of scope", "admin"}

// matrixEnv is one application with a signed-in client for every role and
// objects to act on.
type matrixEnv struct {
	e       *apptest.Env
	clients map[string]*apptest.Client
	owner   *apptest.Client
	ownerID int64
	pubW    int64
	pubR    int64
	seq     int
}

func newMatrixEnv(t *testing.T) *matrixEnv {
	// Every role registers from the same address: more than one visitor may.
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", RegistrationsPerVisitor: 10})
	m := &matrixEnv{e: e, clients: map[string]*apptest.Client{}}
	m.clients["visitor"] = e.NewClient()
	m.clients["new member"], _ = e.Member(t, "newbie", model.RoleMember, nil, nil)
	var trusted, silenced model.User
	m.clients["trusted member"], trusted = e.Member(t, "trusted", model.RoleMember, nil, nil)
	m.clients["silenced member"], silenced = e.Member(t, "silenced", model.RoleMember, nil, nil)
	m.clients["moderator in scope"], _ = e.Member(t, "mod_in", model.RoleModerator, []string{"en"}, []string{"UA"})
	m.clients["moderator out of scope"], _ = e.Member(t, "mod_out", model.RoleModerator, []string{"fr"}, []string{"SY"})
	m.clients["admin"], _ = e.Member(t, "admin", model.RoleAdmin, nil, nil)
	e.DB.Gorm.Exec("UPDATE users SET approved_posts = 10 WHERE id = ?", trusted.ID)
	e.DB.Gorm.Exec("UPDATE users SET silenced_until = ? WHERE id = ?", apptest.Now.AddDate(0, 0, 7), silenced.ID)
	var owner model.User
	m.owner, owner = e.Member(t, "owner", model.RoleMember, nil, nil)
	m.ownerID = owner.ID
	e.DB.Gorm.Exec("UPDATE users SET approved_posts = 10 WHERE id = ?", owner.ID)
	m.pubW = e.Warning(t)
	m.pubR = m.report(t, true)
	// Reply 1 is the owner's, for the cells that try to edit it.
	m.owner.Get(t, fmt.Sprintf("/en/reports/%d", m.pubR))
	wantStatus(t, m.owner.Post(t, fmt.Sprintf("/en/reports/%d/replies", m.pubR), url.Values{"body": {"The owner's reply."}}), http.StatusSeeOther)
	return m
}

// report creates a report of the owner, published or pending.
func (m *matrixEnv) report(t *testing.T, published bool) int64 {
	t.Helper()
	m.seq++
	// Posted by the admin, whom members' rate limits leave alone, then
	// given to the owner.
	id, r := postReport(t, m.clients["admin"], reportForm(fmt.Sprintf("Matrix report number %d", m.seq)))
	wantStatus(t, r, http.StatusSeeOther)
	m.e.DB.Gorm.Exec("UPDATE reports SET author_id = ? WHERE id = ?", m.ownerID, id)
	if !published {
		m.e.DB.Gorm.Exec("UPDATE reports SET status = 'pending', published_at = NULL WHERE id = ?", id)
	}
	return id
}

// draft creates a draft warning in the scope of the moderator in scope.
func (m *matrixEnv) draft(t *testing.T) int64 {
	t.Helper()
	m.seq++
	return createWarning(t, m.clients["admin"], warningDraft(fmt.Sprintf("Matrix warning number %d", m.seq)))
}

// want is an expected answer: a status, and for 303 where it leads.
type want struct {
	status int
	login  bool
}

var (
	ok200   = want{status: 200}
	see303  = want{status: 303}
	login   = want{status: 303, login: true}
	nf404   = want{status: 404}
	inv422  = want{status: 422}
	bad400  = want{status: 400}
	allOK   = []want{ok200, ok200, ok200, ok200, ok200, ok200, ok200}
	modOnly = []want{nf404, nf404, nf404, nf404, ok200, ok200, ok200}
)

func check(t *testing.T, name, role string, r apptest.Response, w want) {
	t.Helper()
	if r.StatusCode != w.status {
		t.Errorf("%s as %s: status %d, want %d", name, role, r.StatusCode, w.status)
		return
	}
	if w.status == 303 && w.login != strings.HasPrefix(loc(r), "/en/login") {
		t.Errorf("%s as %s: redirected to %q", name, role, loc(r))
	}
}

// cell is one row of the matrix: a route, how to call it as a role on
// fresh objects, and the answer each role must get.
type cell struct {
	route string
	do    func(c *apptest.Client) apptest.Response
	want  []want
}

func get(t *testing.T, path string) func(c *apptest.Client) apptest.Response {
	return func(c *apptest.Client) apptest.Response { return c.Get(t, path) }
}

// post opens a form page first, for the CSRF token, then posts values.
func post(t *testing.T, path string, values func() url.Values) func(c *apptest.Client) apptest.Response {
	return func(c *apptest.Client) apptest.Response {
		c.Get(t, "/en/reports/new")
		return c.Post(t, path, values())
	}
}

// fixed returns the same form values for every call, each time a copy:
// Client.Post adds its own CSRF token to the values it is given.
func fixed(v url.Values) func() url.Values {
	return func() url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = append([]string(nil), vs...)
		}
		return out
	}
}

func (m *matrixEnv) cells(t *testing.T) []cell {
	pending := m.report(t, false)
	draft := m.draft(t)
	public := func(path string) cell { return cell{"", get(t, path), allOK} }
	adminOnly := []want{nf404, nf404, nf404, nf404, nf404, nf404, ok200}
	adminPost := []want{nf404, nf404, nf404, nf404, nf404, nf404, see303}
	inScope := []want{nf404, nf404, nf404, nf404, ok200, nf404, ok200}
	inScopePost := []want{nf404, nf404, nf404, nf404, see303, nf404, see303}
	named := func(route string, c cell) cell { c.route = route; return c }
	var imageID int64
	apptest.Must(t, m.e.DB.Gorm.Raw("SELECT COALESCE(MAX(id), 0) FROM report_images").Scan(&imageID))
	help := model.HelpEntry{Country: "RO", Lang: "en", Kind: "emergency", Name: "Emergency", Phone: "112", CreatedAt: apptest.Now, UpdatedAt: apptest.Now}
	apptest.Must(t, m.e.DB.Gorm.Create(&help))
	helpID := help.ID
	key, err := m.e.Services.APIKeys.IssueByOperator(context.Background(), service.KeyInput{Organisation: "1", Name: "matrix bot", Scopes: "read"})
	if err != nil {
		t.Fatal(err)
	}
	keyID := key.ID
	hook := model.WebhookEndpoint{OrganisationID: 1, URL: "https://hooks.example.org/matrix", Secret: "whsec_bWF0cml4", Events: "warning.published", CreatedAt: apptest.Now}
	if err := m.e.Store.CreateWebhookEndpoint(context.Background(), &hook); err != nil {
		t.Fatal(err)
	}
	return []cell{
		named("GET /:lang/", public("/en")),
		named("GET /:lang/warnings", public("/en/warnings")),
		named("GET /:lang/warnings.atom", public("/en/warnings.atom")),
		named("GET /:lang/warnings/:id", public(fmt.Sprintf("/en/warnings/%d", m.pubW))),
		named("GET /:lang/safety", public("/en/safety")),
		named("GET /:lang/languages", public("/en/languages?next=/warnings")),
		named("GET /:lang/developers", public("/en/developers")),
		named("GET /:lang/manifest.webmanifest", public("/en/manifest.webmanifest")),
		named("GET /:lang/offline", public("/en/offline")),
		named("GET /:lang/offline/list", public("/en/offline/list?country=UA")),
		named("GET /:lang/help", public("/en/help")),
		named("GET /:lang/help/:country", public("/en/help/RO")),
		named("GET /:lang/recover", public("/en/recover")),
		{"POST /:lang/recover", post(t, "/en/recover", fixed(url.Values{"pseudonym": {"owner"}, "code": {"AAAA-BBBB-CCCC-DDDD"}, "new": {goodPassword}, "new_again": {goodPassword}})), []want{inv422, inv422, inv422, inv422, inv422, inv422, inv422}},
		{"POST /:lang/account/recovery-codes", post(t, "/en/account/recovery-codes", fixed(url.Values{"current": {"wrong"}})), []want{login, inv422, inv422, inv422, inv422, inv422, inv422}},
		{"GET /:lang/admin/help", get(t, "/en/admin/help"), adminOnly},
		{"GET /:lang/admin/help/:country", get(t, "/en/admin/help/RO"), adminOnly},
		{"POST /:lang/admin/help", post(t, "/en/admin/help", func() url.Values {
			m.seq++
			return url.Values{"country": {"RO"}, "lang": {"en"}, "kind": {"hotline"}, "name": {fmt.Sprintf("Matrix line %d", m.seq)}, "phone": {"112"}}
		}), adminPost},
		{"POST /:lang/admin/help/entries/:id", post(t, fmt.Sprintf("/en/admin/help/entries/%d", helpID), fixed(url.Values{"lang": {"en"}, "kind": {"emergency"}, "name": {"Emergency"}, "phone": {"112"}})), adminPost},
		{"POST /:lang/admin/organisations/:id/contacts", post(t, "/en/admin/organisations/1/contacts", fixed(url.Values{"phone": {"+40 700 000 000"}, "countries": {"RO"}})), adminPost},
		{"GET /:lang/admin/keys", get(t, "/en/admin/keys"), adminOnly},
		// an issued key is shown on the answer itself, not after a redirect
		{"POST /:lang/admin/keys", post(t, "/en/admin/keys", fixed(url.Values{"organisation": {"1"}, "name": {"matrix bot"}, "scopes": {"read"}})), []want{nf404, nf404, nf404, nf404, nf404, nf404, ok200}},
		{"POST /:lang/admin/keys/:id/revoke", post(t, fmt.Sprintf("/en/admin/keys/%d/revoke", keyID), fixed(url.Values{"confirm": {"1"}})), adminPost},
		{"GET /:lang/admin/webhooks", get(t, "/en/admin/webhooks"), adminOnly},
		// the matrix's organisation is not a vetted investigator: only
		// admins open the graph and its exports
		{"GET /:lang/investigate", get(t, "/en/investigate"), adminOnly},
		{"GET /:lang/investigate/indicators/:id", get(t, "/en/investigate/indicators/1"), adminOnly},
		{"GET /:lang/investigate/export.csv", get(t, "/en/investigate/export.csv"), adminOnly},
		{"GET /:lang/investigate/export.stix.json", get(t, "/en/investigate/export.stix.json"), adminOnly},
		{"POST /:lang/admin/organisations/:id/investigator", post(t, "/en/admin/organisations/1/investigator", fixed(url.Values{"investigator": {"0"}})), adminPost},
		named("GET /:lang/search", public("/en/search?q=driver")),
		{"POST /:lang/admin/webhooks/:id/enable", post(t, fmt.Sprintf("/en/admin/webhooks/%d/enable", hook.ID), fixed(url.Values{})), adminPost},
		named("GET /:lang/check", public("/en/check")),
		{"POST /:lang/check", func(c *apptest.Client) apptest.Response {
			return c.Post(t, "/en/check", url.Values{"text": {"Call +44 7700 900123 now"}})
		}, allOK},
		named("GET /:lang/indicators/:id", public("/en/indicators/1")),
		named("GET /:lang/reports", public("/en/reports")),
		{"GET /:lang/reports/:id", get(t, fmt.Sprintf("/en/reports/%d", m.pubR)), allOK},
		{"GET /:lang/reports/:id", get(t, fmt.Sprintf("/en/reports/%d", pending)), inScope},
		named("GET /:lang/reports/new", public("/en/reports/new")),
		named("GET /:lang/register", public("/en/register")),
		named("GET /:lang/login", public("/en/login")),
		{"GET /:lang/account", get(t, "/en/account"), []want{login, ok200, ok200, ok200, ok200, ok200, ok200}},
		{"GET /:lang/reports/:id/edit", get(t, fmt.Sprintf("/en/reports/%d/edit", m.pubR)), []want{login, nf404, nf404, nf404, nf404, nf404, nf404}},
		{"GET /:lang/replies/:id/edit", get(t, "/en/replies/1/edit"), []want{login, nf404, nf404, nf404, nf404, nf404, nf404}},
		named("GET /:lang/flag", public(fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", m.pubR, m.pubR))),
		{"GET /:lang/mod/queue", get(t, "/en/mod/queue"), modOnly},
		{"GET /:lang/mod/flags", get(t, "/en/mod/flags"), modOnly},
		{"GET /:lang/mod/log", get(t, "/en/mod/log"), modOnly},
		{"GET /:lang/mod/warnings", get(t, "/en/mod/warnings"), modOnly},
		{"GET /:lang/mod/warnings/new", get(t, "/en/mod/warnings/new"), modOnly},
		{"GET /:lang/mod/warnings/:id", get(t, fmt.Sprintf("/en/mod/warnings/%d", draft)), inScope},
		{"GET /:lang/mod/warnings/:id/translate", get(t, fmt.Sprintf("/en/mod/warnings/%d/translate?lang=fr", draft)), inScope},
		{"GET /:lang/admin/users", get(t, "/en/admin/users"), adminOnly},
		{"GET /:lang/admin/users/:id", get(t, fmt.Sprintf("/en/admin/users/%d", m.ownerID)), adminOnly},
		{"GET /:lang/admin/organisations", get(t, "/en/admin/organisations"), adminOnly},
		{"GET /:lang/admin/categories", get(t, "/en/admin/categories"), adminOnly},
		{"GET /media/images/:id", get(t, fmt.Sprintf("/media/images/%d", imageID+1000)), []want{nf404, nf404, nf404, nf404, nf404, nf404, nf404}},

		{"POST /:lang/register", post(t, "/en/register", func() url.Values {
			m.seq++
			return url.Values{"pseudonym": {fmt.Sprintf("fresh%d", m.seq)}, "password": {goodPassword}, "password_again": {goodPassword}}
		}), []want{see303, see303, see303, see303, see303, see303, see303}},
		{"POST /:lang/login", post(t, "/en/login", fixed(url.Values{"pseudonym": {"nobody"}, "password": {"wrong password"}})), []want{{status: 401}, {status: 401}, {status: 401}, {status: 401}, {status: 401}, {status: 401}, {status: 401}}},
		{"POST /:lang/account/password", post(t, "/en/account/password", fixed(url.Values{"current": {"wrong"}})), []want{login, inv422, inv422, inv422, inv422, inv422, inv422}},
		{"POST /:lang/account/delete", post(t, "/en/account/delete", fixed(url.Values{"password": {"wrong"}})), []want{login, inv422, inv422, inv422, inv422, inv422, inv422}},
		{"POST /:lang/reports/new", func(c *apptest.Client) apptest.Response {
			_, r := postReport(t, c, reportForm("A report from the matrix"))
			return r
		}, []want{see303, see303, see303, inv422, see303, see303, see303}},
		{"POST /:lang/reports/:id/replies", post(t, fmt.Sprintf("/en/reports/%d/replies", m.pubR), fixed(url.Values{"body": {"Same here."}})), []want{login, see303, see303, inv422, see303, see303, see303}},
		{"POST /:lang/reports/:id/confirm", post(t, fmt.Sprintf("/en/reports/%d/confirm", m.pubR), fixed(nil)), []want{login, see303, see303, bad400, see303, see303, see303}},
		{"POST /:lang/reports/:id/edit", post(t, fmt.Sprintf("/en/reports/%d/edit", m.pubR), fixed(url.Values{"title": {"Taken over title"}, "body": {"Taken over body text, long enough."}})), []want{login, nf404, nf404, nf404, nf404, nf404, nf404}},
		{"POST /:lang/replies/:id/edit", post(t, "/en/replies/1/edit", fixed(url.Values{"body": {"Taken over reply"}})), []want{login, nf404, nf404, nf404, nf404, nf404, nf404}},
		{"POST /:lang/flag", func(c *apptest.Client) apptest.Response {
			id := m.report(t, true)
			c.Get(t, fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", id, id))
			return c.Post(t, "/en/flag", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "report": {fmt.Sprint(id)}, "reason": {"spam"}})
		}, []want{see303, see303, see303, inv422, see303, see303, see303}},
		{"POST /:lang/logout", post(t, "/en/logout", fixed(nil)), []want{see303, see303, see303, see303, see303, see303, see303}},
		{"POST /:lang/mod/queue", func(c *apptest.Client) apptest.Response {
			id := m.report(t, false)
			return post(t, "/en/mod/queue", fixed(url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "decision": {"approve"}}))(c)
		}, inScopePost},
		{"POST /:lang/mod/queue/bulk", func(c *apptest.Client) apptest.Response {
			id := m.report(t, false)
			return post(t, "/en/mod/queue/bulk", fixed(url.Values{"item": {fmt.Sprintf("report:%d", id)}, "reason": {"matrix"}}))(c)
			// Out of scope, the item is skipped and left pending (see
			// TestBulkRejectChangesOnlyPendingPostsInScope).
		}, []want{nf404, nf404, nf404, nf404, see303, see303, see303}},
		{"POST /:lang/mod/queue/purge", func(c *apptest.Client) apptest.Response {
			m.seq++
			writer, target := m.e.Member(t, fmt.Sprintf("purged%d", m.seq), model.RoleMember, nil, nil)
			// The ban goes through Restrict: only members who wrote in scope.
			_, r := postReport(t, writer, reportForm(fmt.Sprintf("Matrix purged report %d", m.seq)))
			wantStatus(t, r, http.StatusSeeOther)
			return post(t, "/en/mod/queue/purge", fixed(url.Values{"user": {fmt.Sprint(target.ID)}, "days": {"3"}, "reason": {"matrix"}}))(c)
		}, inScopePost},
		{"POST /:lang/mod/action", func(c *apptest.Client) apptest.Response {
			id := m.report(t, true)
			return post(t, "/en/mod/action", fixed(url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {"matrix"}}))(c)
		}, inScopePost},
		{"POST /:lang/mod/flags", func(c *apptest.Client) apptest.Response {
			id := m.report(t, true)
			return post(t, "/en/mod/flags", fixed(url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}}))(c)
		}, inScopePost},
		{"POST /:lang/mod/restrict", func(c *apptest.Client) apptest.Response {
			m.seq++
			writer, target := m.e.Member(t, fmt.Sprintf("target%d", m.seq), model.RoleMember, nil, nil)
			// A moderator restricts only members who wrote in their scope.
			_, r := postReport(t, writer, reportForm(fmt.Sprintf("Matrix target report %d", m.seq)))
			wantStatus(t, r, http.StatusSeeOther)
			return post(t, "/en/mod/restrict", fixed(url.Values{"user": {fmt.Sprint(target.ID)}, "kind": {"silence"}, "days": {"3"}, "reason": {"matrix"}}))(c)
		}, []want{nf404, nf404, nf404, nf404, see303, nf404, see303}},
		{"POST /:lang/mod/warnings/new", post(t, "/en/mod/warnings/new", fixed(warningDraft("Matrix warning draft"))), []want{nf404, nf404, nf404, nf404, see303, inv422, see303}},
		// drafting from a pending report: only who may see it; nothing is saved
		{"POST /:lang/mod/warnings/draft", post(t, "/en/mod/warnings/draft", fixed(url.Values{"report": {fmt.Sprint(pending)}})), []want{nf404, nf404, nf404, nf404, ok200, nf404, ok200}},
		{"POST /:lang/mod/warnings/:id", func(c *apptest.Client) apptest.Response {
			id := m.draft(t)
			return post(t, fmt.Sprintf("/en/mod/warnings/%d", id), fixed(warningDraft("Matrix warning edited")))(c)
		}, inScopePost},
		{"POST /:lang/mod/warnings/:id/state", func(c *apptest.Client) apptest.Response {
			id := m.draft(t)
			return post(t, fmt.Sprintf("/en/mod/warnings/%d/state", id), fixed(url.Values{"action": {"submit"}}))(c)
		}, inScopePost},
		{"POST /:lang/mod/warnings/:id/translate", func(c *apptest.Client) apptest.Response {
			id := m.draft(t)
			return post(t, fmt.Sprintf("/en/mod/warnings/%d/translate", id), fixed(url.Values{"lang": {"fr"}, "title": {"Titre de l'alerte"}, "summary": {"Un résumé assez long."}, "what_to_do": {"Ne payez aucun frais."}, "body": {"Le texte complet de l'alerte traduite."}}))(c)
		}, inScopePost},
		{"POST /:lang/admin/users/:id", post(t, fmt.Sprintf("/en/admin/users/%d", m.ownerID), fixed(url.Values{"role": {"member"}})), adminPost},
		{"POST /:lang/admin/organisations", post(t, "/en/admin/organisations", func() url.Values {
			m.seq++
			return url.Values{"name": {fmt.Sprintf("Matrix NGO %d", m.seq)}}
		}), adminPost},
		{"POST /:lang/admin/organisations/:id", post(t, "/en/admin/organisations/1", fixed(url.Values{"name": {"Test NGO"}, "verified": {"1"}})), adminPost},
		{"POST /:lang/admin/categories", post(t, "/en/admin/categories", func() url.Values {
			m.seq++
			return url.Values{"slug": {fmt.Sprintf("matrix-%d", m.seq)}, "name_en": {"Matrix"}}
		}), adminPost},
		{"POST /:lang/admin/categories/:id", post(t, "/en/admin/categories/1", fixed(url.Values{"name_en": {"Fake job offers"}})), adminPost},
	}
}

// publicRoutes answer everyone alike and are tested elsewhere.
var publicRoutes = map[string]bool{
	"GET /": true, "GET /w/:id": true, "GET /static/:name": true, "GET /favicon.ico": true, "GET /robots.txt": true, "GET /sw.js": true,
	"GET /healthz": true, "GET /readyz": true, "GET /metrics": true, "GET /api/v1/openapi.json": true, "GET /api/v1/warnings": true, "GET /api/v1/warnings/:id": true,
}

func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	m := newMatrixEnv(t)
	cells := m.cells(t)
	covered := map[string]bool{}
	// Registering signs the client in as the new account and logging out
	// signs it out: those two run last, in that order.
	last := func(route string) int {
		switch {
		case strings.HasSuffix(route, "/register"):
			return 1
		case strings.HasSuffix(route, "/logout"):
			return 2
		}
		return 0
	}
	for round := 0; round <= 2; round++ {
		for _, c := range cells {
			covered[c.route] = true
			if last(c.route) != round {
				continue
			}
			for i, role := range roles {
				check(t, c.route, role, c.do(m.clients[role]), c.want[i])
			}
		}
	}
	for _, r := range m.e.App.GetRoutes(true) {
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			continue
		}
		key := r.Method + " " + r.Path
		if !covered[key] && !publicRoutes[key] && !strings.HasPrefix(r.Path, "/api") {
			t.Errorf("the permission matrix lacks %s", key)
		}
	}
}

func TestEveryStateChangingRouteRefusesMissingCSRF(t *testing.T) {
	t.Parallel()
	m := newMatrixEnv(t)
	admin := m.clients["admin"]
	before := countRows(t, m.e)
	posts := 0
	for _, route := range m.e.App.GetRoutes(true) {
		if route.Method != http.MethodPost && route.Method != http.MethodPut && route.Method != http.MethodDelete && route.Method != http.MethodPatch {
			continue
		}
		if readOnlyPosts[route.Path] {
			continue
		}
		posts++
		path := strings.NewReplacer(":lang", "en", ":id", fmt.Sprint(m.pubR)).Replace(route.Path)
		for _, token := range []string{"", "forged"} {
			form := url.Values{"_csrf": {token}, "title": {"x"}, "body": {"y"}, "kind": {"report"}, "id": {"1"}, "decision": {"approve"}, "action": {"hide"}, "reason": {"matrix"}}
			if strings.HasPrefix(route.Path, "/api/") {
				// The API takes no session: a request that carries only
				// the admin's cookies is not signed in (401), in its own
				// method.
				req, _ := http.NewRequest(route.Method, path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if r := admin.Do(t, req); r.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s %s with the admin's cookies: status %d, want 401", route.Method, route.Path, r.StatusCode)
				}
				continue
			}
			r := admin.Post(t, path, form)
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with CSRF %q: status %d, want 403", route.Method, route.Path, token, r.StatusCode)
			}
		}
	}
	if posts < 20 {
		t.Fatalf("only %d state-changing routes found", posts)
	}
	if after := countRows(t, m.e); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("requests without a valid CSRF token changed the database: %v -> %v", before, after)
	}
}

// readOnlyPosts are POST routes that change nothing (a check sends a text
// too long for a URL, which would also land in histories and logs).
var readOnlyPosts = map[string]bool{"/:lang/check": true, "/api/v1/check": true}

// countRows sums up what state-changing requests could have written.
func countRows(t *testing.T, e *apptest.Env) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"reports", "replies", "warnings", "flags", "moderation_actions", "report_confirmations", "users", "categories", "organisations", "api_keys"} {
		var n int64
		if err := e.DB.Gorm.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	var changed int64
	apptest.Must(t, e.DB.Gorm.Raw("SELECT COUNT(*) FROM reports WHERE status <> 'published'").Scan(&changed))
	out["unpublished reports"] = changed
	return out
}
