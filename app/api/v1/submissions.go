package v1

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/httperr"
	"forewarn/app/service"
)

// SubmitReportRequest is the JSON body of POST /reports; a multipart body
// carries the same fields, and the screenshots as "images".
type SubmitReportRequest struct {
	Title       string   `json:"title"`
	Body        string   `json:"body"`
	Lang        string   `json:"lang"`
	Category    string   `json:"category"`
	SeenOn      string   `json:"seen_on"`
	Origin      []string `json:"origin"`
	Transit     []string `json:"transit"`
	Destination []string `json:"destination"`
}

// SubmittedReport is the answer to POST /reports.
type SubmittedReport struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	URL    string `json:"url"`
}

// SubmissionState is one of an organisation's submissions as
// /submissions shows it.
type SubmissionState struct {
	ID           int64     `json:"id"`
	Status       string    `json:"status"`
	RejectReason *string   `json:"reject_reason"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// ReportURL is the public report's address once it is published.
	ReportURL *string `json:"report_url"`
}

// SubmissionList is one page of submissions.
type SubmissionList struct {
	Data       []SubmissionState `json:"data"`
	NextCursor *string           `json:"next_cursor"`
}

// Report is a public report as the API shows it.
type Report struct {
	ID            int64         `json:"id"`
	URL           string        `json:"url"`
	Title         string        `json:"title"`
	Body          string        `json:"body"`
	Lang          string        `json:"lang"`
	Category      string        `json:"category"`
	SeenOn        string        `json:"seen_on"`
	Status        string        `json:"status"`
	Author        *string       `json:"author"`
	Countries     []Country     `json:"countries"`
	Confirmations int           `json:"confirmations"`
	Images        []ReportImage `json:"images,omitempty"`
	Replies       []ReportReply `json:"replies"`
	PublishedAt   time.Time     `json:"published_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
}

// ReportImage is a screenshot of a report.
type ReportImage struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// ReportReply is a public reply; Author is null for a deleted member.
type ReportReply struct {
	ID          int64     `json:"id"`
	Author      *string   `json:"author"`
	Body        string    `json:"body"`
	PublishedAt time.Time `json:"published_at"`
}

// ReportList is one page of public reports.
type ReportList struct {
	Data       []Report `json:"data"`
	NextCursor *string  `json:"next_cursor"`
}

// maxUploadBytes bounds one file read from a multipart body; the service
// applies the real limit and names it.
const maxUploadBytes = 6 << 20

// SubmitReport serves POST /api/v1/reports: a partner's app sends a report
// (scope submit), as JSON or multipart/form-data with screenshots. It
// always waits for a moderator. The answer names the submission, whose
// state GET /submissions/{id} tells.
func (h *Handler) SubmitReport(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if _, err := service.RequireScope(c.UserContext(), service.ScopeSubmit); err != nil {
		return err
	}
	in, hashed, err := readReportInput(c)
	if err != nil {
		return err
	}
	idem := service.Idempotency{}
	if v := c.Request().Header.Peek("Idempotency-Key"); v != nil {
		idem.Key = string(v)
		if idem.Key == "" {
			return service.CheckIdempotencyKey("")
		}
		idem.Hash = service.RequestHash(c.Method(), c.Path(), hashed)
	}
	res, err := h.svc.Submissions.Submit(c.UserContext(), idem, in, func(p service.Posted) (int, []byte, string, error) {
		loc := fmt.Sprintf("%s/api/v1/submissions/%d", h.baseURL, p.ID)
		body, err := json.Marshal(SubmittedReport{ID: p.ID, Status: "pending", URL: loc})
		return fiber.StatusCreated, body, loc, err
	})
	if err != nil {
		return err
	}
	if res.Replayed {
		c.Set("Idempotent-Replayed", "true")
	}
	if res.Location != "" {
		c.Set(fiber.HeaderLocation, res.Location)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Status(res.Status).Send(res.Response)
}

// readReportInput reads a report from a JSON or a multipart body; any
// other type is 415. It also returns the bytes an Idempotency-Key compares:
// the JSON body as sent; for a multipart body (which the server parses as
// it is read, keeping no raw bytes), every field and file in a canonical
// order, so that a retry with another boundary is the same request.
func readReportInput(c *fiber.Ctx) (service.ReportInput, []byte, error) {
	mediaType, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil {
		mediaType = ""
	}
	switch mediaType {
	case fiber.MIMEApplicationJSON:
		var req SubmitReportRequest
		body := c.Body()
		if err := DecodeStrict(body, &req); err != nil {
			return service.ReportInput{}, nil, err
		}
		return service.ReportInput{Title: req.Title, Body: req.Body, Lang: req.Lang, Category: req.Category, SeenOn: req.SeenOn,
			Origin: req.Origin, Transit: req.Transit, Destination: req.Destination}, body, nil
	case fiber.MIMEMultipartForm:
		form, err := c.MultipartForm()
		if err != nil {
			return service.ReportInput{}, nil, &apperr.Invalid{Field: "body", Key: "error.multipart.invalid"}
		}
		in, err := multipartInput(form)
		if err != nil {
			return in, nil, err
		}
		return in, canonicalForm(form, in.Images), nil
	}
	return service.ReportInput{}, nil, fiber.ErrUnsupportedMediaType
}

// canonicalForm writes the fields of form, by name, and the files read
// from it, each length-prefixed so that no two forms write the same bytes.
func canonicalForm(form *multipart.Form, images [][]byte) []byte {
	var b []byte
	put := func(s []byte) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	names := make([]string, 0, len(form.Value))
	for name := range form.Value {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		put([]byte(name))
		b = binary.AppendUvarint(b, uint64(len(form.Value[name])))
		for _, v := range form.Value[name] {
			put([]byte(v))
		}
	}
	put([]byte("images"))
	b = binary.AppendUvarint(b, uint64(len(images)))
	for _, img := range images {
		put(img)
	}
	return b
}

// multipartInput reads the fields of a multipart report strictly: each
// single field once, no field the JSON body does not have, only "images"
// as files, text in UTF-8.
func multipartInput(form *multipart.Form) (service.ReportInput, error) {
	var in service.ReportInput
	single := map[string]*string{"title": &in.Title, "body": &in.Body, "lang": &in.Lang, "category": &in.Category, "seen_on": &in.SeenOn}
	lists := map[string]*[]string{"origin": &in.Origin, "transit": &in.Transit, "destination": &in.Destination}
	for name, values := range form.Value {
		for _, v := range values {
			if !utf8.ValidString(v) {
				return in, &apperr.Invalid{Field: name, Key: "error.encoding.invalid"}
			}
		}
		switch {
		case single[name] != nil:
			if len(values) > 1 {
				return in, &apperr.Invalid{Field: name, Key: "error.json.duplicate_field"}
			}
			*single[name] = values[0]
		case lists[name] != nil:
			for _, v := range values {
				// A form may send a list as one comma-separated value.
				for _, part := range strings.Split(v, ",") {
					if p := strings.TrimSpace(part); p != "" {
						*lists[name] = append(*lists[name], p)
					}
				}
			}
		default:
			return in, &apperr.Invalid{Field: name, Key: "error.json.unknown_field"}
		}
	}
	for name, files := range form.File {
		if name != "images" {
			return in, &apperr.Invalid{Field: name, Key: "error.json.unknown_field"}
		}
		for _, fh := range files {
			data, err := readUpload(fh)
			if err != nil {
				return in, err
			}
			in.Images = append(in.Images, data)
		}
	}
	return in, nil
}

func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxUploadBytes))
}

// ListSubmissions serves GET /api/v1/submissions: the state of the calling
// organisation's submissions, newest first.
func (h *Handler) ListSubmissions(c *fiber.Ctx) error {
	if err := submitterOnly(c); err != nil {
		return err
	}
	list, err := h.svc.Submissions.List(c.UserContext(), c.Query("cursor"), c.Query("limit"))
	if err != nil {
		return err
	}
	out := SubmissionList{Data: make([]SubmissionState, len(list.Items))}
	for i, s := range list.Items {
		out.Data[i] = h.convertSubmission(s)
	}
	if list.NextCursor != "" {
		out.NextCursor = &list.NextCursor
		SetNextLink(c, h.baseURL, "cursor", list.NextCursor)
	}
	return c.JSON(out)
}

// GetSubmission serves GET /api/v1/submissions/{id}; another
// organisation's submission is not found.
func (h *Handler) GetSubmission(c *fiber.Ctx) error {
	if err := submitterOnly(c); err != nil {
		return err
	}
	id, err := httperr.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	s, err := h.svc.Submissions.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(h.convertSubmission(s))
}

// submitterOnly is the preamble of the reads of an organisation's
// submissions: the answer is private to the key, which must hold the
// submit scope (checked before any parameter, so that another key learns
// nothing from a 400 or a 404).
func submitterOnly(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	_, err := service.RequireScope(c.UserContext(), service.ScopeSubmit)
	return err
}

func (h *Handler) convertSubmission(s service.Submission) SubmissionState {
	out := SubmissionState{ID: s.ID, Status: string(s.Status), CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC()}
	if s.Status == "rejected" {
		reason := s.RejectReason
		out.RejectReason = &reason
	}
	if s.Status == "published" {
		u := h.reportURL(s.ID)
		out.ReportURL = &u
	}
	return out
}

// reportURL is the public page of a report, in English (a reader's
// language comes from the path).
func (h *Handler) reportURL(id int64) string {
	return fmt.Sprintf("%s/en/reports/%d", h.baseURL, id)
}

// ListReports serves GET /api/v1/reports: public reports with their
// public replies, newest published first, with the filters of warnings.
func (h *Handler) ListReports(c *fiber.Ctx) error {
	list, err := h.svc.Forum.PublicReports(c.UserContext(), service.PublicReportQuery{
		Lang: c.Query("lang"), Category: c.Query("category"), Country: c.Query("country"),
		UpdatedSince: c.Query("updated_since"), Cursor: c.Query("cursor"), Limit: c.Query("limit"),
	})
	if err != nil {
		return err
	}
	out := ReportList{Data: make([]Report, len(list.Items))}
	for i, r := range list.Items {
		out.Data[i] = h.convertReport(r)
	}
	if list.NextCursor != "" {
		out.NextCursor = &list.NextCursor
		SetNextLink(c, h.baseURL, "cursor", list.NextCursor)
	}
	return c.JSON(out)
}

// GetReport serves GET /api/v1/reports/{id}: a public report; any other is
// not found.
func (h *Handler) GetReport(c *fiber.Ctx) error {
	id, err := httperr.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	r, err := h.svc.Forum.PublicReport(c.UserContext(), id)
	if err != nil {
		return err
	}
	// Last-Modified counts replies and confirmations too: they change
	// the answer, not the report's updated_at.
	SetLastModified(c, r.Modified)
	return c.JSON(h.convertReport(r))
}

func (h *Handler) convertReport(r service.PublicReport) Report {
	out := Report{
		ID: r.ID, URL: h.reportURL(r.ID), Title: r.Title, Body: r.Body, Lang: r.Lang, Category: r.Category,
		SeenOn: string(r.SeenOn), Status: string(r.Status), Countries: make([]Country, len(r.Countries)),
		Confirmations: r.Confirmations, Replies: make([]ReportReply, len(r.Replies)), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.Author != "" {
		a := r.Author
		out.Author = &a
	}
	if r.PublishedAt != nil {
		out.PublishedAt = r.PublishedAt.UTC()
	}
	for i, c := range r.Countries {
		out.Countries[i] = Country{Code: c.Country, Role: string(c.Role)}
	}
	for _, img := range r.Images {
		out.Images = append(out.Images, ReportImage{URL: fmt.Sprintf("%s/media/images/%d", h.baseURL, img.ID), Width: img.Width, Height: img.Height})
	}
	for i, rp := range r.Replies {
		reply := ReportReply{ID: rp.ID, Body: rp.Body, PublishedAt: rp.CreatedAt.UTC()}
		if rp.PublishedAt != nil {
			reply.PublishedAt = rp.PublishedAt.UTC()
		}
		if rp.Author != "" {
			a := rp.Author
			reply.Author = &a
		}
		out.Replies[i] = reply
	}
	return out
}
