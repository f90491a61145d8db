package server_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// reportForm is a valid report about a fake driver job.
func reportForm(title string) url.Values {
	return url.Values{
		"title":       {title},
		"body":        {"A page offered driving jobs in Poland with a visa for a fee of 900 euros. Call +44 7700 900123."},
		"lang":        {"en"},
		"category":    {"fake-job-offer"},
		"seen_on":     {"facebook"},
		"origin":      {"UA"},
		"destination": {"PL"},
	}
}

var reportLocation = regexp.MustCompile(`^/en/reports/(\d+)$`)

// postReport sends the report form as c and returns the new report's ID
// (0 for a guest, who is not sent to the report).
func postReport(t *testing.T, c *apptest.Client, form url.Values, images ...[]byte) (int64, apptest.Response) {
	t.Helper()
	c.Get(t, "/en/reports/new")
	r := c.PostMultipart(t, "/en/reports/new", form, images...)
	if r.StatusCode != http.StatusSeeOther {
		return 0, r
	}
	var id int64
	if m := reportLocation.FindStringSubmatch(r.Header.Get("Location")); m != nil {
		fmt.Sscan(m[1], &id)
	}
	return id, r
}

func reportStatus(t *testing.T, e *apptest.Env, id int64) (status, hold string) {
	t.Helper()
	row := struct{ Status, HoldReason string }{}
	if err := e.DB.Gorm.Table("reports").Select("status, hold_reason").Where("id = ?", id).Scan(&row).Error; err != nil {
		t.Fatal(err)
	}
	return row.Status, row.HoldReason
}

func TestGuestReportWaitsForAModerator(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "admin1", model.RoleAdmin, nil, nil)
	guest := e.NewClient()
	_, r := postReport(t, guest, reportForm("Fake driver jobs with visa fee"))
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/en/reports/new?sent=1" {
		t.Fatalf("guest sent to %q", loc)
	}
	mustContain(t, guest.Get(t, loc(r)).Body, "Your report was received")
	var id int64
	apptest.Must(t, e.DB.Gorm.Table("reports").Select("id").Where("title = ?", "Fake driver jobs with visa fee").Scan(&id))
	if status, _ := reportStatus(t, e, id); status != "pending" {
		t.Fatalf("guest report is %s", status)
	}
	mustNotContain(t, e.Get(t, "/en/reports").Body, "Fake driver jobs with visa fee")
	wantStatus(t, e.Get(t, fmt.Sprintf("/en/reports/%d", id)), http.StatusNotFound)

	queue := admin.Get(t, "/en/mod/queue")
	wantStatus(t, queue, http.StatusOK)
	mustContain(t, queue.Body, "Fake driver jobs with visa fee")
	wantStatus(t, admin.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "decision": {"approve"}}), http.StatusSeeOther)
	mustContain(t, e.Get(t, "/en/reports").Body, "Fake driver jobs with visa fee")
	page := e.Get(t, fmt.Sprintf("/en/reports/%d", id))
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body, "Guest")
	if page.Header.Get("Set-Cookie") != "" {
		t.Error("a visitor reading a report got a cookie")
	}
	var actions int64
	apptest.Must(t, e.DB.Gorm.Table("moderation_actions").Where("target_type = 'report' AND target_id = ?", id).Count(&actions))
	if actions != 2 {
		t.Errorf("%d audit entries for the report, want create and approve", actions)
	}
}

func TestHoneypotDropsBotReports(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	form := reportForm("Bot spam title here")
	form.Set("website", "http://spam.example")
	_, r := postReport(t, e.NewClient(), form)
	wantStatus(t, r, http.StatusSeeOther)
	var n int64
	apptest.Must(t, e.DB.Gorm.Table("reports").Count(&n))
	if n != 0 {
		t.Errorf("the honeypot let %d reports in", n)
	}
}

func TestTrustIsEarnedByApprovedPosts(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_uk", model.RoleModerator, []string{"en"}, []string{"UA"})
	member, _ := e.Member(t, "newbie", model.RoleMember, nil, nil)
	for i := 0; i < 3; i++ {
		id, r := postReport(t, member, reportForm(fmt.Sprintf("Untrusted report number %d", i)))
		wantStatus(t, r, http.StatusSeeOther)
		if status, _ := reportStatus(t, e, id); status != "pending" {
			t.Fatalf("report %d of a new member is %s", i, status)
		}
		own := member.Get(t, fmt.Sprintf("/en/reports/%d", id))
		wantStatus(t, own, http.StatusOK)
		mustContain(t, own.Body, "waiting to be checked")
		wantStatus(t, e.Get(t, fmt.Sprintf("/en/reports/%d", id)), http.StatusNotFound)
		mod.Get(t, "/en/mod/queue")
		wantStatus(t, mod.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "decision": {"approve"}}), http.StatusSeeOther)
	}
	id, _ := postReport(t, member, reportForm("Now a trusted member"))
	if status, _ := reportStatus(t, e, id); status != "published" {
		t.Errorf("after 3 approved posts the member's report is %s", status)
	}
}

func TestModeratorsActOnlyInTheirScope(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	inScope, _ := e.Member(t, "mod_in", model.RoleModerator, []string{"en"}, []string{"UA"})
	outLang, _ := e.Member(t, "mod_fr", model.RoleModerator, []string{"fr"}, []string{"UA"})
	outCountry, _ := e.Member(t, "mod_sy", model.RoleModerator, []string{"en"}, []string{"SY"})
	member, _ := e.Member(t, "writer", model.RoleMember, nil, nil)
	id, _ := postReport(t, member, reportForm("Scoped report for moderators"))

	mustContain(t, inScope.Get(t, "/en/mod/queue").Body, "Scoped report for moderators")
	for name, c := range map[string]*apptest.Client{"other language": outLang, "other country": outCountry} {
		mustNotContain(t, c.Get(t, "/en/mod/queue").Body, "Scoped report for moderators")
		wantStatus(t, c.Get(t, fmt.Sprintf("/en/reports/%d", id)), http.StatusNotFound)
		r := c.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "decision": {"approve"}})
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: approve answered %d", name, r.StatusCode)
		}
	}
	if status, _ := reportStatus(t, e, id); status != "pending" {
		t.Errorf("out-of-scope moderators changed the report to %s", status)
	}
	wantStatus(t, member.Get(t, "/en/mod/queue"), http.StatusNotFound)
	wantStatus(t, e.Get(t, "/en/mod/queue"), http.StatusNotFound)

	inScope.Get(t, "/en/mod/queue")
	bad := inScope.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "decision": {"reject"}, "reason": {""}})
	wantStatus(t, bad, http.StatusBadRequest)
	wantStatus(t, inScope.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "decision": {"reject"}, "reason": {"Please remove the name of your friend."}}), http.StatusSeeOther)
	own := member.Get(t, fmt.Sprintf("/en/reports/%d", id))
	mustContain(t, own.Body, "did not publish", "Please remove the name of your friend.")
	wantStatus(t, inScope.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "decision": {"approve"}}), http.StatusBadRequest)
}

func TestOwnPersonalDataHoldsEvenATrustedPost(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	u, err := e.Services.Users.Register(ctx, serviceRegistration("trusted_one", "me@mail.example"))
	if err != nil {
		t.Fatal(err)
	}
	e.DB.Gorm.Exec("UPDATE users SET approved_posts = 10 WHERE id = ?", u.ID)
	c := e.NewClient()
	c.Login(t, "trusted_one", goodPassword)
	form := reportForm("My story with the agency")
	form.Set("body", "They took my passport. Write to me at ME@mail.example if this happened to you too.")
	id, _ := postReport(t, c, form)
	status, hold := reportStatus(t, e, id)
	if status != "pending" || hold != "personal_data" {
		t.Errorf("a post with the author's own e-mail is %s (%q)", status, hold)
	}
	clean, _ := postReport(t, c, reportForm("A story without my data"))
	if status, _ := reportStatus(t, e, clean); status != "published" {
		t.Errorf("a trusted member's clean report is %s", status)
	}
}

func TestReportFormErrorsKeepTheInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	c, _ := e.Member(t, "typist", model.RoleMember, nil, nil)
	form := url.Values{"title": {"Hey"}, "body": {"too short"}, "lang": {"xx-!!"}, "category": {"nope"}, "seen_on": {"pigeon"}, "origin": {"ZZ"}}
	_, r := postReport(t, c, form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, `value="Hey"`, ">too short</textarea>", "Write between 5 and 140 characters.", "This kind of trap is not known.", "Choose where you saw the offer.", "We do not know this country.", `value="ZZ"`, "This language is not known.")
	var n int64
	apptest.Must(t, e.DB.Gorm.Table("reports").Count(&n))
	if n != 0 {
		t.Errorf("%d reports stored from an invalid form", n)
	}
}

func TestRepliesConfirmationsAndLocks(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	author, _ := e.Member(t, "author", model.RoleModerator, []string{"en"}, []string{"UA"})
	id, _ := postReport(t, author, reportForm("Published by a moderator"))
	reader, _ := e.Member(t, "reader", model.RoleMember, nil, nil)
	page := reader.Get(t, fmt.Sprintf("/en/reports/%d", id))
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body, "I met this offer too", "Your reply")

	for i := 0; i < 2; i++ {
		wantStatus(t, reader.Post(t, fmt.Sprintf("/en/reports/%d/confirm", id), nil), http.StatusSeeOther)
	}
	mustContain(t, e.Get(t, fmt.Sprintf("/en/reports/%d", id)).Body, "1 person met this offer")

	r := reader.Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {"Same number called me last week."}})
	wantStatus(t, r, http.StatusSeeOther)
	mine := reader.Get(t, fmt.Sprintf("/en/reports/%d", id))
	mustContain(t, mine.Body, "Same number called me last week.", "Waiting for a moderator")
	mustNotContain(t, e.Get(t, fmt.Sprintf("/en/reports/%d", id)).Body, "Same number called me last week.")

	empty := reader.Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {" "}})
	wantStatus(t, empty, http.StatusUnprocessableEntity)
	mustContain(t, empty.Body, "Write between 2 and 20000 characters.")

	e.DB.Gorm.Exec("UPDATE reports SET status = 'locked' WHERE id = ?", id)
	locked := reader.Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {"Another reply"}})
	wantStatus(t, locked, http.StatusUnprocessableEntity)
	mustContain(t, locked.Body, "This discussion is closed.")
	guest := e.NewClient().Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {"guest reply"}})
	wantStatus(t, guest, http.StatusSeeOther)
	if !strings.HasPrefix(loc(guest), "/en/login?next=") {
		t.Errorf("a guest's reply goes to %q", loc(guest))
	}
	var replies int64
	apptest.Must(t, e.DB.Gorm.Table("replies").Count(&replies))
	if replies != 1 {
		t.Errorf("%d replies stored, want only the member's first", replies)
	}
}

func TestAuthorsEditWithinTheWindow(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	author, _ := e.Member(t, "editor", model.RoleMember, nil, nil)
	other, _ := e.Member(t, "stranger", model.RoleMember, nil, nil)
	id, _ := postReport(t, author, reportForm("First version of the title"))
	edit := fmt.Sprintf("/en/reports/%d/edit", id)
	author.Get(t, edit)
	wantStatus(t, author.Post(t, edit, url.Values{"title": {"Second version of the title"}, "body": {"A longer and clearer description of the offer."}}), http.StatusSeeOther)
	var revisions int64
	apptest.Must(t, e.DB.Gorm.Table("post_revisions").Where("target_id = ?", id).Count(&revisions))
	if revisions != 1 {
		t.Errorf("%d revisions kept", revisions)
	}
	mustContain(t, author.Get(t, fmt.Sprintf("/en/reports/%d", id)).Body, "Second version of the title")

	wantStatus(t, other.Get(t, edit), http.StatusNotFound)
	other.Get(t, "/en/reports/new")
	wantStatus(t, other.Post(t, edit, url.Values{"title": {"Hijacked title here"}, "body": {"Hijacked body, long enough to pass."}}), http.StatusNotFound)

	e.DB.Gorm.Exec("UPDATE reports SET created_at = ? WHERE id = ?", apptest.Now.Add(-25*time.Hour), id)
	author.Get(t, edit)
	late := author.Post(t, edit, url.Values{"title": {"Third version of the title"}, "body": {"Too late to change this report now."}})
	wantStatus(t, late, http.StatusUnprocessableEntity)
	mustContain(t, late.Body, "first 24 hours")
}

// jpegWithGPS returns a JPEG whose EXIF segment carries a GPS block and a
// marker that must not survive the upload.
func jpegWithGPS(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := 0; x < 64; x++ {
		for y := 0; y < 48; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 90, 255})
		}
	}
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, img, nil); err != nil {
		t.Fatal(err)
	}
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x1a\x00\x00\x00\x00")
	tiff = append(tiff, []byte("\x00\x00GPS-SECRET-LATITUDE-48.8566")...)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{0xFF, 0xD8}, seg...)
	out = append(out, payload...)
	return append(out, plain.Bytes()[2:]...)
}

var imageLink = regexp.MustCompile(`src="(/media/images/\d+)"`)

func TestScreenshotsLoseTheirMetadata(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	author, _ := e.Member(t, "shooter", model.RoleModerator, []string{"en"}, []string{"UA"})
	shot := jpegWithGPS(t)
	if !bytes.Contains(shot, []byte("GPS-SECRET")) {
		t.Fatal("the fixture lacks its marker")
	}
	id, r := postReport(t, author, reportForm("Report with a screenshot"), shot)
	wantStatus(t, r, http.StatusSeeOther)
	page := e.Get(t, fmt.Sprintf("/en/reports/%d", id))
	m := imageLink.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no image on the report page")
	}
	img := e.Get(t, m[1])
	wantStatus(t, img, http.StatusOK)
	if img.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("Content-Type %q", img.Header.Get("Content-Type"))
	}
	for _, leak := range []string{"GPS-SECRET", "Exif"} {
		if strings.Contains(img.Body, leak) {
			t.Errorf("the served image still contains %q", leak)
		}
	}
	if _, err := jpeg.Decode(strings.NewReader(img.Body)); err != nil {
		t.Errorf("served image does not decode: %v", err)
	}
}

func TestHostileUploadsAreRefused(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	c, _ := e.Member(t, "uploader", model.RoleMember, nil, nil)
	bomb := pngBomb()
	for name, tc := range map[string]struct {
		files [][]byte
		want  string
	}{
		"text as image":      {[][]byte{[]byte("<html><script>alert(1)</script></html>")}, "Only JPEG, PNG and WebP images"},
		"gif":                {[][]byte{[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")}, "Only JPEG, PNG and WebP images"},
		"too big":            {[][]byte{append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, 5<<20)...)}, "smaller than 5 MB"},
		"decompression bomb": {[][]byte{bomb}, "too large in pixels"},
		"broken jpeg":        {[][]byte{{0xFF, 0xD8, 0xFF, 0xE0, 0, 0}}, "cannot be read"},
		"four images":        {[][]byte{jpegWithGPS(t), jpegWithGPS(t), jpegWithGPS(t), jpegWithGPS(t)}, "at most 3 images"},
	} {
		_, r := postReport(t, c, reportForm("Upload test "+name), tc.files...)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", name, r.StatusCode)
			continue
		}
		mustContain(t, r.Body, tc.want)
	}
	var n int64
	apptest.Must(t, e.DB.Gorm.Table("reports").Count(&n))
	if n != 0 {
		t.Errorf("%d reports stored with refused uploads", n)
	}
}

// pngBomb is a tiny PNG that declares 60000 × 60000 pixels.
func pngBomb() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		crc := crc32IEEE(append([]byte(typ), data...))
		binary.Write(&b, binary.BigEndian, crc)
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 60000)
	binary.BigEndian.PutUint32(ihdr[4:], 60000)
	ihdr[8], ihdr[9] = 8, 2
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func loc(r apptest.Response) string { return r.Header.Get("Location") }

func TestGuestReportsAreRateLimited(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	guest := e.NewClient()
	for i := 0; i < 10; i++ {
		_, r := postReport(t, guest, reportForm(fmt.Sprintf("Guest report number %d", i)))
		wantStatus(t, r, http.StatusSeeOther)
	}
	_, r := postReport(t, guest, reportForm("One guest report too many"))
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, r.Body, "Too many requests")
}

func TestAuthorsEditTheirReplies(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_rep", model.RoleModerator, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, mod, "Report for replies", "")
	writer, _ := e.Member(t, "replier", model.RoleMember, nil, nil)
	writer.Get(t, fmt.Sprintf("/en/reports/%d", id))
	wantStatus(t, writer.Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {"First words of my reply."}}), http.StatusSeeOther)
	var replyID int64
	apptest.Must(t, e.DB.Gorm.Table("replies").Select("id").Where("report_id = ?", id).Scan(&replyID))
	edit := fmt.Sprintf("/en/replies/%d/edit", replyID)
	page := writer.Get(t, edit)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body, "First words of my reply.")
	wantStatus(t, writer.Post(t, edit, url.Values{"body": {"Better words of my reply."}}), http.StatusSeeOther)
	mustContain(t, writer.Get(t, fmt.Sprintf("/en/reports/%d", id)).Body, "Better words of my reply.")
	wantStatus(t, mod.Get(t, edit), http.StatusNotFound)

	mod.Get(t, "/en/mod/queue")
	wantStatus(t, mod.Post(t, "/en/mod/queue", url.Values{"kind": {"reply"}, "id": {fmt.Sprint(replyID)}, "decision": {"reject"}, "reason": {"Please keep it on topic."}}), http.StatusSeeOther)
	own := writer.Get(t, fmt.Sprintf("/en/reports/%d", id))
	mustContain(t, own.Body, "Not published", "Please keep it on topic.")
	mustNotContain(t, e.Get(t, fmt.Sprintf("/en/reports/%d", id)).Body, "Better words of my reply.")
	writer.Get(t, edit)
	late := writer.Post(t, edit, url.Values{"body": {"Changing a rejected reply."}})
	wantStatus(t, late, http.StatusUnprocessableEntity)
	mustContain(t, late.Body, "can no longer be changed")
}

func TestScreenshotsOfPendingReportsStayPrivate(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	author, _ := e.Member(t, "private_author", model.RoleMember, nil, nil)
	id, _ := postReport(t, author, reportForm("Pending report with a screenshot"), jpegWithGPS(t))
	m := imageLink.FindStringSubmatch(author.Get(t, fmt.Sprintf("/en/reports/%d", id)).Body)
	if m == nil {
		t.Fatal("the author does not see the screenshot")
	}
	own := author.Get(t, m[1])
	wantStatus(t, own, http.StatusOK)
	if own.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("a private image is cacheable: %q", own.Header.Get("Cache-Control"))
	}
	wantStatus(t, e.Get(t, m[1]), http.StatusNotFound)
	other, _ := e.Member(t, "nosy_member", model.RoleMember, nil, nil)
	wantStatus(t, other.Get(t, m[1]), http.StatusNotFound)
	wantStatus(t, e.Get(t, "/media/images/abc"), http.StatusBadRequest)
}
