package service

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/store"
)

// PublicReportQuery is a request for the API's list of public reports;
// every field is raw text, validated here.
type PublicReportQuery struct {
	Lang         string
	Category     string
	Country      string
	UpdatedSince string
	Cursor       string
	Limit        string
}

// PublicReport is a public report as the API shows it: what its public
// page shows, with its public replies.
type PublicReport struct {
	ReportSummary
	Body    string
	Images  []ReportImageRef
	Replies []PublicReply
	// Modified is the last change of the report, its replies or its
	// confirmations (set by PublicReport only).
	Modified time.Time
}

// PublicReply is a public reply; Author is the pseudonym the report page
// shows ("" for a deleted member).
type PublicReply struct {
	ID          int64
	Author      string
	Body        string
	CreatedAt   time.Time
	PublishedAt *time.Time
}

// PublicReportList is one page of public reports.
type PublicReportList struct {
	Items      []PublicReport
	NextCursor string
}

// PublicReports returns a page of public reports with their public
// replies, newest published first, for the API: visitors, or a key with
// the read scope. With UpdatedSince, only the reports changed since then,
// a new or moderated reply or a confirmation included.
func (f *Forum) PublicReports(ctx context.Context, q PublicReportQuery) (PublicReportList, error) {
	if err := ReadScope(ctx); err != nil {
		return PublicReportList{}, err
	}
	filter, err := f.publicFilter(ctx, q)
	if err != nil {
		return PublicReportList{}, err
	}
	limit := filter.Limit
	filter.Limit++
	rows, err := f.store.PublicReports(ctx, filter)
	if err != nil {
		return PublicReportList{}, fmt.Errorf("public reports: %w", err)
	}
	var out PublicReportList
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		out.NextCursor = encodeReportCursor(*last.PublishedAt, last.ID)
	}
	sums, err := f.summaries(ctx, rows)
	if err != nil {
		return PublicReportList{}, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	byReport, err := f.publicReplies(ctx, ids)
	if err != nil {
		return PublicReportList{}, err
	}
	out.Items = make([]PublicReport, len(rows))
	for i, r := range rows {
		out.Items[i] = PublicReport{ReportSummary: sums[i], Body: r.Body, Replies: byReport[r.ID]}
	}
	return out, nil
}

// PublicReport returns one public report with its public replies and
// screenshots, for the API; any other report is apperr.ErrNotFound.
func (f *Forum) PublicReport(ctx context.Context, id int64) (PublicReport, error) {
	if err := ReadScope(ctx); err != nil {
		return PublicReport{}, err
	}
	d, err := f.Report(ctx, nil, id, fallbackLang)
	if err != nil {
		return PublicReport{}, err
	}
	if !d.Status.Public() {
		return PublicReport{}, fmt.Errorf("public report %d: %w", id, apperr.ErrNotFound)
	}
	replies, err := f.publicReplies(ctx, []int64{id})
	if err != nil {
		return PublicReport{}, err
	}
	modified, err := f.store.ReportModified(ctx, id)
	if err != nil {
		return PublicReport{}, fmt.Errorf("public report %d: %w", id, err)
	}
	return PublicReport{ReportSummary: d.ReportSummary, Body: d.Body, Images: d.Images, Replies: replies[id], Modified: modified}, nil
}

// publicReplies loads the public replies of reports ids, with their
// authors' pseudonyms, in two queries.
func (f *Forum) publicReplies(ctx context.Context, ids []int64) (map[int64][]PublicReply, error) {
	replies, err := f.store.PublicRepliesOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("public replies: %w", err)
	}
	var authors []int64
	for _, rp := range replies {
		if rp.AuthorID != nil {
			authors = append(authors, *rp.AuthorID)
		}
	}
	names, err := f.store.PseudonymsByID(ctx, authors)
	if err != nil {
		return nil, fmt.Errorf("public replies: %w", err)
	}
	out := map[int64][]PublicReply{}
	for _, rp := range replies {
		p := PublicReply{ID: rp.ID, Body: rp.Body, CreatedAt: rp.CreatedAt, PublishedAt: rp.PublishedAt}
		if rp.AuthorID != nil {
			p.Author = names[*rp.AuthorID]
		}
		out[rp.ReportID] = append(out[rp.ReportID], p)
	}
	return out, nil
}

// publicFilter validates q, collecting every field error.
func (f *Forum) publicFilter(ctx context.Context, q PublicReportQuery) (store.PublicReportFilter, error) {
	var errs apperr.Invalids
	filter := store.PublicReportFilter{Limit: DefaultPageSize}
	if q.Lang != "" {
		lang, ok := contentLanguage(q.Lang)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "lang", Key: "error.language.unknown"})
		}
		filter.Lang = lang
	}
	if q.Category != "" {
		cat, err := f.warnings.categoryBySlug(ctx, q.Category)
		if err != nil {
			if _, ok := apperr.AsInvalids(err); !ok {
				return filter, err
			}
			errs = append(errs, &apperr.Invalid{Field: "category", Key: "error.category.unknown"})
		}
		filter.CategoryID = cat.ID
	}
	if q.Country != "" {
		code, ok := CountryCode(q.Country)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "country", Key: "error.country.unknown"})
		}
		filter.Country = code
	}
	if q.Limit != "" {
		n, err := strconv.Atoi(q.Limit)
		if err != nil || n < 1 || n > MaxPageSize {
			errs = append(errs, &apperr.Invalid{Field: "limit", Key: "error.limit.invalid", Args: map[string]any{"Max": MaxPageSize}})
		}
		filter.Limit = n
	}
	if q.UpdatedSince != "" {
		t, err := time.Parse(time.RFC3339, q.UpdatedSince)
		if err != nil {
			errs = append(errs, &apperr.Invalid{Field: "updated_since", Key: "error.updated_since.invalid"})
		}
		filter.UpdatedSince = t.UTC()
	}
	if q.Cursor != "" {
		at, id, ok := decodeReportCursor(q.Cursor)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "cursor", Key: "error.cursor.invalid"})
		}
		filter.AfterPublished, filter.AfterID = at, id
	}
	return filter, errs.Err()
}

// encodeReportCursor names the last report of a page: its publication time
// to the nanosecond (SQLite keeps them) and its ID.
func encodeReportCursor(published time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("r" + strconv.FormatInt(published.UnixNano(), 10) + "." + strconv.FormatInt(id, 10)))
}

func decodeReportCursor(s string) (time.Time, int64, bool) {
	if len(s) > 64 {
		return time.Time{}, 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, 0, false
	}
	rest, ok := strings.CutPrefix(string(raw), "r")
	nanos, idText, found := strings.Cut(rest, ".")
	if !ok || !found {
		return time.Time{}, 0, false
	}
	ns, err1 := strconv.ParseInt(nanos, 10, 64)
	id, err2 := strconv.ParseInt(idText, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 || ns <= 0 {
		return time.Time{}, 0, false
	}
	return time.Unix(0, ns).UTC(), id, true
}
