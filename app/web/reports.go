package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"mime/multipart"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/view"
)

// ReportsPage is the data of the list of reports.
type ReportsPage struct {
	List       service.ReportList
	Countries  CountryOptions
	Categories []string
	Languages  LanguageOptions
}

// LanguageOption is a content language, named in the reader's language.
type LanguageOption struct {
	Code string
	Name string
	// codeHTML and nameHTML are Code and Name escaped, kept with the
	// memoised lists (see LanguageOptions.HTML).
	codeHTML, nameHTML string
}

// ListReports renders a page of public reports. The list itself (all of
// the page but the layout around it) depends only on the query, the
// language and the public content, never on the viewer: it is kept per
// ReportsStamp, so that members, whose pages the page cache does not keep,
// get it without a query or a render. A member's whole page is kept too,
// under everything of the request the layout may show (the member, their
// CSRF token, the path with its query); never with alarms.
func (h *Handler) ListReports(c *fiber.Ctx) error {
	l := h.localizer(c)
	ctx := c.UserContext()
	q := service.ReportQuery{Lang: c.Query("lang"), Category: c.Query("category"), Country: c.Query("country"), Page: c.Query("page")}
	title := l.T("page.reports.title")
	stamp, err := h.svc.Forum.ReportsStamp(ctx)
	if err != nil {
		return err
	}
	p := h.page(c, title, nil)
	p.Description = l.T("page.reports.description")
	// Visitors' pages are the page cache's; members' are kept here.
	pageKey := ""
	if v := p.Viewer; v != nil && len(p.Alarms) == 0 && p.Form == nil {
		pageKey = p.Path + "\x00" + p.CSRF + "\x00" + strconv.FormatInt(v.ID, 10) + "\x00" + v.Role + "\x00" + v.Pseudonym
	}
	page, ok := h.reportPages.get(stamp, l.Code+"\x00"+pageKey)
	if !ok || pageKey == "" {
		key := l.Code + "\x00" + q.Lang + "\x00" + q.Category + "\x00" + q.Country + "\x00" + q.Page
		content, ok := h.reportLists.get(stamp, key)
		if !ok {
			list, err := h.svc.Forum.ListReports(ctx, q)
			if err != nil {
				return err
			}
			cats, err := h.svc.Warnings.Categories(ctx)
			if err != nil {
				return err
			}
			data := ReportsPage{List: list, Countries: countryOptions(l, service.AllCountries()), Categories: cats, Languages: languageOptions(l)}
			html, err := h.views.RenderContent("reports", h.page(c, title, data))
			if err != nil {
				return err
			}
			content = &keptPage{body: string(html)}
			h.reportLists.put(stamp, key, content)
		}
		var buf bytes.Buffer
		if err := h.views.RenderPrerendered(&buf, p, template.HTML(content.body)); err != nil { //nolint:gosec // rendered by the page's own template
			return err
		}
		page = &keptPage{body: buf.String()}
		if pageKey == "" {
			return page.send(c)
		}
		h.reportPages.put(stamp, l.Code+"\x00"+pageKey, page)
	}
	return page.send(c)
}

// maxRenderedBytes bounds the memory of a memo of rendered lists (their
// text; a gzipped copy, made when first asked for, adds about a fifth):
// past it, the memo starts afresh.
const maxRenderedBytes = 4 << 20

// maxRenderedKey bounds the query a rendered list is kept for.
const maxRenderedKey = 160

// keptPage is a rendered page, or a page's content, kept for reuse.
type keptPage struct {
	body     string
	gzipOnce sync.Once
	gzipped  []byte
}

// gzip returns the page gzipped as the compression middleware would.
func (p *keptPage) gzip() []byte {
	p.gzipOnce.Do(func() {
		p.gzipped = fasthttp.AppendGzipBytesLevel(nil, []byte(p.body), fasthttp.CompressDefaultCompression)
	})
	return p.gzipped
}

// send answers with the kept page, already gzipped when the request's
// negotiated coding (see server.negotiateEncoding) is gzip, so that a kept
// page is not compressed again for every request.
func (p *keptPage) send(c *fiber.Ctx) error {
	c.Status(fiber.StatusOK)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	if string(c.Request().Header.Peek(fiber.HeaderAcceptEncoding)) == "gzip" {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		c.Vary(fiber.HeaderAcceptEncoding)
		c.Response().SetBody(p.gzip())
		return nil
	}
	return c.SendString(p.body)
}

// renderedLists keeps rendered pages for one stamp of the content they
// show; a new stamp drops them all.
type renderedLists struct {
	mu    sync.Mutex
	stamp string
	bytes int
	pages map[string]*keptPage
}

func (m *renderedLists) get(stamp, key string) (*keptPage, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stamp != stamp {
		return nil, false
	}
	p, ok := m.pages[key]
	return p, ok
}

func (m *renderedLists) put(stamp, key string, p *keptPage) {
	if len(key) > maxRenderedKey {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stamp != stamp || m.pages == nil || m.bytes+len(key)+len(p.body) > maxRenderedBytes {
		m.stamp, m.bytes, m.pages = stamp, 0, map[string]*keptPage{}
	}
	if _, ok := m.pages[key]; !ok {
		m.pages[key] = p
		m.bytes += len(key) + len(p.body)
	}
}

// ReportFormPage is the data of the form of a new report.
type ReportFormPage struct {
	Countries  CountryOptions
	Categories []string
	Languages  []LanguageOption
	SeenOn     []model.SeenOn
	Guest      bool
	Sent       bool
}

func (h *Handler) reportForm(c *fiber.Ctx) ReportFormPage {
	l := h.localizer(c)
	cats, _ := h.svc.Warnings.Categories(c.UserContext())
	return ReportFormPage{
		Countries:  countryOptions(l, service.AllCountries()),
		Categories: cats,
		Languages:  languageOptions(l),
		SeenOn:     model.SeenOnPlaces,
		Guest:      viewer(c) == nil,
	}
}

// ShowNewReport renders the form to tell what happened.
func (h *Handler) ShowNewReport(c *fiber.Ctx) error {
	l := h.localizer(c)
	data := h.reportForm(c)
	data.Sent = c.Query("sent") == "1"
	p := h.page(c, l.T("page.report_new.title"), data)
	p.Form = &view.Form{Values: map[string]string{"lang": l.Code}}
	return h.render(c, fiber.StatusOK, "report_new", p)
}

// CreateReport stores a report from the form, with its screenshots.
func (h *Handler) CreateReport(c *fiber.Ctx) error {
	l := h.localizer(c)
	u := viewer(c)
	values := map[string]string{}
	for _, k := range []string{"title", "body", "lang", "category", "seen_on", "origin", "transit", "destination"} {
		values[k] = c.FormValue(k)
	}
	if u == nil && c.FormValue("website") != "" {
		// The honeypot field is invisible to people: a bot filled it in.
		// It is told the report was received, and nothing is stored.
		return c.Redirect("/"+l.Code+"/reports/new?sent=1", fiber.StatusSeeOther)
	}
	images, err := uploadedImages(c)
	if err != nil {
		return err
	}
	route := map[string]string{}
	for _, role := range []string{"origin", "transit", "destination"} {
		route[role] = values[role]
		if code, ok := countryByName(l, h.catalog.Localizer("en"), values[role]); ok {
			route[role] = code
		}
	}
	posted, err := h.svc.Forum.CreateReport(c.UserContext(), u, service.ReportInput{
		Title: values["title"], Body: values["body"], Lang: values["lang"], Category: values["category"], SeenOn: values["seen_on"],
		Origin: []string{route["origin"]}, Transit: []string{route["transit"]}, Destination: []string{route["destination"]},
		Images: images,
	})
	if err != nil {
		form, err := formOf(l, values, namedCountries(err))
		if err != nil {
			return err
		}
		p := h.page(c, l.T("page.report_new.title"), h.reportForm(c))
		p.Form = form
		return h.render(c, fiber.StatusUnprocessableEntity, "report_new", p)
	}
	if u == nil {
		return c.Redirect("/"+l.Code+"/reports/new?sent=1", fiber.StatusSeeOther)
	}
	return c.Redirect(fmt.Sprintf("/%s/reports/%d", l.Code, posted.ID), fiber.StatusSeeOther)
}

// namedCountries words the service's refusals of a route's country codes
// for the form, where readers type a country's name.
func namedCountries(err error) error {
	invalids, ok := apperr.AsInvalids(err)
	if !ok {
		return err
	}
	out := make(apperr.Invalids, len(invalids))
	for i, inv := range invalids {
		out[i] = inv
		switch inv.Field {
		case "origin", "transit", "destination":
			if inv.Key == "error.country.unknown" {
				out[i] = &apperr.Invalid{Field: inv.Field, Key: "error.country.name_unknown"}
			}
		}
	}
	return out
}

// maxUploadBytes bounds one uploaded file as read from the form; the
// service applies the real limit and says so in the reader's language.
const maxUploadBytes = 6 << 20

// uploadedImages reads the files of the "images" field, if any.
func uploadedImages(c *fiber.Ctx) ([][]byte, error) {
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		return nil, nil
	}
	form, err := c.MultipartForm()
	if err != nil {
		return nil, &apperr.Invalid{Field: "images", Key: "error.image.corrupt"}
	}
	var out [][]byte
	for _, fh := range form.File["images"] {
		if fh.Size == 0 {
			continue
		}
		data, err := readUpload(fh)
		if err != nil {
			return nil, err
		}
		out = append(out, data)
	}
	return out, nil
}

func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxUploadBytes))
}

// ReportPage is the data of a report's page.
type ReportPage struct {
	Report   service.ReportDetail
	BodyHTML template.HTML
	Replies  []ReplyHTML
	Reply    *view.Form
	Notice   string
	// Related is the content related to the report, for a moderator who
	// moderates it.
	Related *service.RelatedContent
}

// ReplyHTML is a reply with its sanitised body ready for the template.
type ReplyHTML struct {
	service.ReplyView
	HTML template.HTML
}

// ShowReport renders a report with its replies.
func (h *Handler) ShowReport(c *fiber.Ctx) error {
	return h.renderReport(c, fiber.StatusOK, nil, c.Query("notice"))
}

func (h *Handler) renderReport(c *fiber.Ctx, status int, reply *view.Form, notice string) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	d, err := h.svc.Forum.Report(c.UserContext(), viewer(c), id, h.localizer(c).Code)
	if err != nil {
		return err
	}
	data := ReportPage{Report: d, BodyHTML: template.HTML(d.BodyHTML), Reply: reply} // sanitised by the service
	for _, rp := range d.Replies {
		data.Replies = append(data.Replies, ReplyHTML{ReplyView: rp, HTML: template.HTML(rp.BodyHTML)})
	}
	if d.Moderatable {
		rel, err := h.svc.Moderation.Related(c.UserContext(), viewer(c), id)
		if err != nil {
			return err
		}
		data.Related = &rel
	}
	switch notice {
	case "pending":
		data.Notice = l.T("page.report.notice_pending")
	case "reply_pending":
		data.Notice = l.T("page.report.notice_reply_pending")
	case "confirmed":
		data.Notice = l.T("page.report.notice_confirmed")
	case "flagged":
		data.Notice = l.T("page.report.notice_flagged")
	}
	p := h.page(c, d.Title, data)
	p.Description = describe(d.Body)
	if !d.Status.Public() {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return h.render(c, status, "report", p)
}

// CreateReply stores a member's reply to a report.
func (h *Handler) CreateReply(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	posted, err := h.svc.Forum.CreateReply(c.UserContext(), viewer(c), id, c.FormValue("body"))
	if err != nil {
		form, ferr := formOf(l, map[string]string{"body": c.FormValue("body")}, err)
		if ferr != nil {
			return ferr
		}
		return h.renderReport(c, fiber.StatusUnprocessableEntity, form, "")
	}
	notice := ""
	if posted.Pending {
		notice = "?notice=reply_pending"
	}
	return c.Redirect(fmt.Sprintf("/%s/reports/%d%s#reply-%d", l.Code, id, notice, posted.ID), fiber.StatusSeeOther)
}

// ConfirmReport records "I met this too".
func (h *Handler) ConfirmReport(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	if err := h.svc.Forum.Confirm(c.UserContext(), viewer(c), id); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/%s/reports/%d?notice=confirmed", l.Code, id), fiber.StatusSeeOther)
}

// ShowEditReport renders the edit form of the member's own report.
func (h *Handler) ShowEditReport(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	d, err := h.svc.Forum.Report(c.UserContext(), viewer(c), id, h.localizer(c).Code)
	if err != nil {
		return err
	}
	if !d.Own {
		return fmt.Errorf("edit report %d: %w", id, apperr.ErrNotFound)
	}
	p := h.page(c, l.T("page.report_edit.title"), d)
	p.Form = &view.Form{Values: map[string]string{"title": d.Title, "body": d.Body}}
	if !d.Editable {
		p.Form.General = []string{l.T("error.post.edit_window", "Hours", h.svc.Forum.EditWindowHours())}
	}
	return h.render(c, fiber.StatusOK, "report_edit", p)
}

// EditReport saves the member's change to their report.
func (h *Handler) EditReport(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	values := map[string]string{"title": c.FormValue("title"), "body": c.FormValue("body")}
	posted, err := h.svc.Forum.EditReport(c.UserContext(), viewer(c), id, service.PostEdit{Title: values["title"], Body: values["body"]})
	if err != nil {
		form, ferr := formOf(l, values, err)
		if ferr != nil {
			return ferr
		}
		d, derr := h.svc.Forum.Report(c.UserContext(), viewer(c), id, h.localizer(c).Code)
		if derr != nil {
			return derr
		}
		form.General = append(form.General, form.Errors["form"]...)
		p := h.page(c, l.T("page.report_edit.title"), d)
		p.Form = form
		return h.render(c, fiber.StatusUnprocessableEntity, "report_edit", p)
	}
	notice := ""
	if posted.Pending {
		notice = "?notice=pending"
	}
	return c.Redirect(fmt.Sprintf("/%s/reports/%d%s", l.Code, id, notice), fiber.StatusSeeOther)
}

// ServeReportImage sends a screenshot to whoever may see its report.
func (h *Handler) ServeReportImage(c *fiber.Ctx) error {
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	img, public, err := h.svc.Forum.Image(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, img.ContentType)
	c.Set("Content-Disposition", "inline")
	if public {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return c.Send(img.Data)
}

// ShowEditReply renders the edit form of the member's own reply.
func (h *Handler) ShowEditReply(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	rp, err := h.svc.Forum.Reply(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	p := h.page(c, l.T("page.reply_edit.title"), rp)
	p.Form = &view.Form{Values: map[string]string{"body": rp.Body}}
	if !rp.Editable {
		p.Form.General = []string{l.T("error.post.edit_window", "Hours", h.svc.Forum.EditWindowHours())}
	}
	return h.render(c, fiber.StatusOK, "reply_edit", p)
}

// EditReply saves the member's change to their reply.
func (h *Handler) EditReply(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	posted, err := h.svc.Forum.EditReply(c.UserContext(), viewer(c), id, c.FormValue("body"))
	if err != nil {
		form, ferr := formOf(l, map[string]string{"body": c.FormValue("body")}, err)
		if ferr != nil {
			return ferr
		}
		rp, rerr := h.svc.Forum.Reply(c.UserContext(), viewer(c), id)
		if rerr != nil {
			return rerr
		}
		form.General = append(form.General, form.Errors["form"]...)
		p := h.page(c, l.T("page.reply_edit.title"), rp)
		p.Form = form
		return h.render(c, fiber.StatusUnprocessableEntity, "reply_edit", p)
	}
	notice := ""
	if posted.Pending {
		notice = "?notice=reply_pending"
	}
	return c.Redirect(fmt.Sprintf("/%s/reports/%d%s#reply-%d", l.Code, posted.ID, notice, id), fiber.StatusSeeOther)
}
