package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// TestParallelWritersGetNoErrors runs 20 members posting reports and
// replies at once, while others read pages with their sessions, against the
// real database (a temporary SQLite file, or PostgreSQL): no answer may be
// an error, and every acknowledged post is stored.
func TestParallelWritersGetNoErrors(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("parallel writers")
	}
	const writers, perWriter = 20, 4
	e := trustingEnv(t)
	author, _ := e.Member(t, "wave-author", model.RoleModerator, []string{"en"}, []string{"UA"})
	target, _ := postReport(t, author, reportForm("A published report to reply to"))
	if target == 0 {
		t.Fatal("no report to reply to")
	}
	clients := make([]*apptest.Client, writers)
	for i := range clients {
		clients[i], _ = e.Member(t, fmt.Sprintf("writer%02d", i), model.RoleMember, nil, nil)
		fromIP(clients[i], fmt.Sprintf("198.51.100.%d", i+1))
		clients[i].Get(t, "/en/reports/new")
	}
	var failures, posts, reads atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range clients {
		wg.Add(1)
		go func(i int, c *apptest.Client) {
			defer wg.Done()
			for j := 0; j < perWriter; j++ {
				var r apptest.Response
				if j%2 == 0 {
					r = c.PostMultipart(t, "/en/reports/new", reportForm(fmt.Sprintf("Wave report %02d-%d about visas", i, j)))
				} else {
					r = c.Post(t, fmt.Sprintf("/en/reports/%d/replies", target), url.Values{"body": {fmt.Sprintf("Reply %02d-%d: the same number called me.", i, j)}})
				}
				if r.StatusCode != http.StatusSeeOther {
					failures.Add(1)
					t.Errorf("writer %d post %d: status %d", i, j, r.StatusCode)
					continue
				}
				posts.Add(1)
				// A read with the session: the session look-up must not
				// wait behind the writers.
				if g := c.Get(t, "/en/account"); g.StatusCode != http.StatusOK {
					failures.Add(1)
					t.Errorf("writer %d read: status %d", i, g.StatusCode)
				} else {
					reads.Add(1)
				}
				c.Get(t, "/en/reports/new")
			}
		}(i, c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	t.Logf("%d writers: %d posts and %d session reads in %v (%.0f posts/s), %d failures",
		writers, posts.Load(), reads.Load(), elapsed.Round(time.Millisecond), float64(posts.Load())/elapsed.Seconds(), failures.Load())
	var reports, replies int64
	apptest.Must(t, e.DB.Gorm.Table("reports").Where("title LIKE ?", "Wave report %").Count(&reports))
	apptest.Must(t, e.DB.Gorm.Table("replies").Where("body LIKE ?", "Reply %").Count(&replies))
	if reports != writers*perWriter/2 || replies != writers*perWriter/2 {
		t.Errorf("stored %d reports and %d replies, want %d of each", reports, replies, writers*perWriter/2)
	}
}
