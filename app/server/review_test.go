package server_test

import (
	"fmt"
	"net/http"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// Tests of the seams between the parts of issue 7: one part's rule applied
// on another part's path.

func TestConfirmationsOfABannedMemberStopCounting(t *testing.T) {
	e := apptest.New(t)
	admin, _ := e.Member(t, "admin_confirm", model.RoleAdmin, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, admin, "Report that sock puppets confirm", "")
	path := fmt.Sprintf("/en/reports/%d", id)
	var puppetID int64
	for i, name := range []string{"honest_reader", "puppet_reader"} {
		c, u := e.Member(t, name, model.RoleMember, nil, nil)
		trust(t, e, u.ID, 5, 30)
		c.Get(t, path)
		wantStatus(t, c.Post(t, path+"/confirm", nil), http.StatusSeeOther)
		if i == 1 {
			puppetID = u.ID
		}
	}
	mustContain(t, e.Get(t, path).Body, "2 people met this offer")
	wantStatus(t, restrictAs(t, admin, "en", puppetID, "ban", "30"), http.StatusSeeOther)
	page := e.Get(t, path).Body
	mustContain(t, page, "1 person met this offer")
	mustContain(t, e.Get(t, "/en/reports").Body, "1 person met this offer")
}
