package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
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
	e := apptest.New(t)
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
	return m
}

// report creates a report of the owner, published or pending.
func (m *matrixEnv) report(t *testing.T, published bool) int64 {
	t.Helper()
	m.seq++
	id, r := postReport(t, m.owner, reportForm(fmt.Sprintf("Matrix report number %d", m.seq)))
	wantStatus(t, r, http.StatusSeeOther)
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

func TestPermissionMatrixOfPages(t *testing.T) {
	m := newMatrixEnv(t)
	pending := m.report(t, false)
	draft := m.draft(t)
	pages := []struct {
		path string
		want []want
	}{
		{"/en", allOK},
		{"/en/warnings", allOK},
		{fmt.Sprintf("/en/warnings/%d", m.pubW), allOK},
		{"/en/reports", allOK},
		{fmt.Sprintf("/en/reports/%d", m.pubR), allOK},
		{fmt.Sprintf("/en/reports/%d", pending), []want{nf404, nf404, nf404, nf404, ok200, nf404, ok200}},
		{"/en/reports/new", allOK},
		{"/en/register", allOK},
		{"/en/login", allOK},
		{"/en/account", []want{login, ok200, ok200, ok200, ok200, ok200, ok200}},
		{fmt.Sprintf("/en/reports/%d/edit", m.pubR), []want{login, nf404, nf404, nf404, nf404, nf404, nf404}},
		{fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", m.pubR, m.pubR), allOK},
		{"/en/mod/queue", modOnly},
		{"/en/mod/flags", modOnly},
		{"/en/mod/log", modOnly},
		{"/en/mod/warnings", modOnly},
		{"/en/mod/warnings/new", modOnly},
		{fmt.Sprintf("/en/mod/warnings/%d", draft), []want{nf404, nf404, nf404, nf404, ok200, nf404, ok200}},
		{fmt.Sprintf("/en/mod/warnings/%d/translate?lang=fr", draft), []want{nf404, nf404, nf404, nf404, ok200, nf404, ok200}},
		{"/en/admin/users", []want{nf404, nf404, nf404, nf404, nf404, nf404, ok200}},
		{"/en/admin/organisations", []want{nf404, nf404, nf404, nf404, nf404, nf404, ok200}},
		{"/en/admin/categories", []want{nf404, nf404, nf404, nf404, nf404, nf404, ok200}},
	}
	for _, p := range pages {
		for i, role := range roles {
			check(t, "GET "+p.path, role, m.clients[role].Get(t, p.path), p.want[i])
		}
	}
}

func TestPermissionMatrixOfActions(t *testing.T) {
	m := newMatrixEnv(t)
	actions := []struct {
		name string
		// do performs the action as c on fresh objects and returns the answer.
		do   func(c *apptest.Client) apptest.Response
		want []want
	}{
		{"post a report", func(c *apptest.Client) apptest.Response {
			_, r := postReport(t, c, reportForm("A report from the matrix"))
			return r
		}, []want{see303, see303, see303, inv422, see303, see303, see303}},
		{"reply", func(c *apptest.Client) apptest.Response {
			c.Get(t, fmt.Sprintf("/en/reports/%d", m.pubR))
			return c.Post(t, fmt.Sprintf("/en/reports/%d/replies", m.pubR), url.Values{"body": {"Same here."}})
		}, []want{login, see303, see303, inv422, see303, see303, see303}},
		{"I met this too", func(c *apptest.Client) apptest.Response {
			c.Get(t, "/en/reports/new")
			return c.Post(t, fmt.Sprintf("/en/reports/%d/confirm", m.pubR), nil)
		}, []want{login, see303, see303, see303, see303, see303, see303}},
		{"flag", func(c *apptest.Client) apptest.Response {
			id := m.report(t, true)
			c.Get(t, fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", id, id))
			return c.Post(t, "/en/flag", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "report": {fmt.Sprint(id)}, "reason": {"spam"}})
		}, []want{see303, see303, see303, see303, see303, see303, see303}},
		{"edit someone else's report", func(c *apptest.Client) apptest.Response {
			c.Get(t, "/en/reports/new")
			return c.Post(t, fmt.Sprintf("/en/reports/%d/edit", m.pubR), url.Values{"title": {"Taken over title"}, "body": {"Taken over body text, long enough."}})
		}, []want{login, nf404, nf404, nf404, nf404, nf404, nf404}},
		{"approve", func(c *apptest.Client) apptest.Response {
			id := m.report(t, false)
			c.Get(t, "/en/reports/new")
			return c.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "decision": {"approve"}})
		}, []want{nf404, nf404, nf404, nf404, see303, nf404, see303}},
		{"hide", func(c *apptest.Client) apptest.Response {
			id := m.report(t, true)
			c.Get(t, "/en/reports/new")
			return c.Post(t, "/en/mod/action", url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {"matrix"}})
		}, []want{nf404, nf404, nf404, nf404, see303, nf404, see303}},
		{"silence a member", func(c *apptest.Client) apptest.Response {
			m.seq++
			_, target := m.e.Member(t, fmt.Sprintf("target%d", m.seq), model.RoleMember, nil, nil)
			c.Get(t, "/en/reports/new")
			return c.Post(t, "/en/mod/restrict", url.Values{"user": {fmt.Sprint(target.ID)}, "kind": {"silence"}, "days": {"3"}, "reason": {"matrix"}})
		}, []want{nf404, nf404, nf404, nf404, see303, see303, see303}},
		{"write a warning", func(c *apptest.Client) apptest.Response {
			c.Get(t, "/en/reports/new")
			return c.Post(t, "/en/mod/warnings/new", warningDraft("Matrix warning draft"))
		}, []want{nf404, nf404, nf404, nf404, see303, inv422, see303}},
		{"send a warning for review", func(c *apptest.Client) apptest.Response {
			id := m.draft(t)
			c.Get(t, "/en/reports/new")
			return c.Post(t, fmt.Sprintf("/en/mod/warnings/%d/state", id), url.Values{"action": {"submit"}})
		}, []want{nf404, nf404, nf404, nf404, see303, nf404, see303}},
		{"add a category", func(c *apptest.Client) apptest.Response {
			m.seq++
			c.Get(t, "/en/reports/new")
			return c.Post(t, "/en/admin/categories", url.Values{"slug": {fmt.Sprintf("matrix-%d", m.seq)}, "name_en": {"Matrix"}})
		}, []want{nf404, nf404, nf404, nf404, nf404, nf404, see303}},
	}
	for _, a := range actions {
		for i, role := range roles {
			check(t, a.name, role, a.do(m.clients[role]), a.want[i])
		}
	}
}

func TestEveryStateChangingRouteRefusesMissingCSRF(t *testing.T) {
	m := newMatrixEnv(t)
	admin := m.clients["admin"]
	before := countRows(t, m.e)
	posts := 0
	for _, route := range m.e.App.GetRoutes(true) {
		if route.Method != http.MethodPost && route.Method != http.MethodPut && route.Method != http.MethodDelete && route.Method != http.MethodPatch {
			continue
		}
		posts++
		path := strings.NewReplacer(":lang", "en", ":id", fmt.Sprint(m.pubR)).Replace(route.Path)
		for _, token := range []string{"", "forged"} {
			r := admin.Post(t, path, url.Values{"_csrf": {token}, "title": {"x"}, "body": {"y"}, "kind": {"report"}, "id": {"1"}, "decision": {"approve"}, "action": {"hide"}, "reason": {"matrix"}})
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

// countRows sums up what state-changing requests could have written.
func countRows(t *testing.T, e *apptest.Env) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"reports", "replies", "warnings", "flags", "moderation_actions", "report_confirmations", "users", "categories", "organisations"} {
		var n int64
		if err := e.DB.Gorm.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	var changed int64
	e.DB.Gorm.Raw("SELECT COUNT(*) FROM reports WHERE status <> 'published'").Scan(&changed)
	out["unpublished reports"] = changed
	return out
}
