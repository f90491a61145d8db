package service

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// ReportQuery is a request for the public list of reports; every field is
// raw text, validated here.
type ReportQuery struct {
	Lang     string
	Category string
	Country  string
	Page     string
}

// ReportSummary is a report as lists show it.
type ReportSummary struct {
	ID            int64
	Title         string
	Lang          string
	Category      string
	SeenOn        model.SeenOn
	Status        model.PostStatus
	Author        string
	Countries     []model.ReportCountry
	Replies       int
	Confirmations int
	PublishedAt   *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ReportList is one page of reports.
type ReportList struct {
	Filter  ReportQuery
	Items   []ReportSummary
	Page    int
	HasNext bool
}

// ListReports returns a page of public reports, newest first.
func (f *Forum) ListReports(ctx context.Context, q ReportQuery) (ReportList, error) {
	var errs apperr.Invalids
	filter := store.ReportFilter{Limit: reportsPerPage + 1}
	out := ReportList{Page: 1}
	if q.Lang != "" {
		lang, ok := contentLanguage(q.Lang)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "lang", Key: "error.language.unknown"})
		}
		filter.Lang, out.Filter.Lang = lang, lang
	}
	if q.Category != "" {
		cat, err := f.warnings.categoryBySlug(ctx, q.Category)
		if err != nil {
			errs = append(errs, &apperr.Invalid{Field: "category", Key: "error.category.unknown"})
		}
		filter.CategoryID, out.Filter.Category = cat.ID, q.Category
	}
	if q.Country != "" {
		code, ok := CountryCode(q.Country)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "country", Key: "error.country.unknown"})
		}
		filter.Country, out.Filter.Country = code, code
	}
	if q.Page != "" {
		n, err := strconv.Atoi(q.Page)
		if err != nil || n < 1 || n > maxPage {
			errs = append(errs, &apperr.Invalid{Field: "page", Key: "error.page.invalid"})
		}
		out.Page = n
	}
	if err := errs.Err(); err != nil {
		return ReportList{}, err
	}
	filter.Offset = (out.Page - 1) * reportsPerPage
	rows, err := f.listedReports(ctx, filter)
	if err != nil {
		return ReportList{}, fmt.Errorf("list reports: %w", err)
	}
	if len(rows) > reportsPerPage {
		rows, out.HasNext = rows[:reportsPerPage], true
	}
	if len(rows) == 0 && out.Page > 1 {
		return ReportList{}, fmt.Errorf("list reports: page %d: %w", out.Page, apperr.ErrNotFound)
	}
	out.Items, err = f.summaries(ctx, rows)
	return out, err
}

// listedReports returns the public reports of one page of the list filter
// asks for: a slice of the filter's ordered IDs, kept per content version,
// read by ID.
func (f *Forum) listedReports(ctx context.Context, filter store.ReportFilter) ([]model.Report, error) {
	version, err := f.warnings.Version(ctx)
	if err != nil {
		return nil, err
	}
	key := filter.Lang + "|" + strconv.FormatInt(filter.CategoryID, 10) + "|" + filter.Country
	keys, err := f.listed.get(ctx, version, key, func(ctx context.Context) ([]int64, error) {
		return f.store.ListedReportIDs(ctx, filter)
	})
	if err != nil {
		return nil, err
	}
	if filter.Offset >= len(keys) {
		return nil, nil
	}
	rows, err := f.store.ReportsByID(ctx, keys[filter.Offset:min(filter.Offset+filter.Limit, len(keys))])
	if err != nil {
		return nil, err
	}
	// A report changed since the keys were read (on another instance,
	// within the version's second) is left out rather than shown hidden.
	out := rows[:0]
	for _, r := range rows {
		if r.Status.Public() {
			out = append(out, r)
		}
	}
	return out, nil
}

// ReportsStamp returns a value that changes whenever what the public lists
// of reports show may have changed: with the content version, and when a
// running ban ends (the confirmations of banned members do not count, and
// the end of a ban is a moment, not a write). A list page rendered for one
// stamp may be reused while the stamp stays the same.
func (f *Forum) ReportsStamp(ctx context.Context) (string, error) {
	version, err := f.warnings.Version(ctx)
	if err != nil {
		return "", err
	}
	end, err := f.bans.get(ctx, f.store, version, f.now())
	if err != nil {
		return "", err
	}
	return version + "@" + strconv.FormatInt(end.UnixNano(), 10), nil
}

// banEnd keeps, for one content version, the earliest end of a running
// ban, read again once that moment has passed.
type banEnd struct {
	mu      sync.Mutex
	version string
	end     time.Time
}

func (b *banEnd) get(ctx context.Context, st *store.Store, version string, now time.Time) (time.Time, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.version == version && (b.end.IsZero() || now.Before(b.end)) {
		return b.end, nil
	}
	end, err := st.NextBanEnd(ctx, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("reports stamp: %w", err)
	}
	b.version, b.end = version, end
	return end, nil
}

// summaries loads what lists show of reports in a fixed number of queries.
func (f *Forum) summaries(ctx context.Context, rows []model.Report) ([]ReportSummary, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	var authorIDs []int64
	for i, r := range rows {
		ids[i] = r.ID
		if r.AuthorID != nil {
			authorIDs = append(authorIDs, *r.AuthorID)
		}
	}
	countries, err := f.store.ReportCountries(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("report summaries: %w", err)
	}
	// Confirmations of banned members do not count, like their flags.
	counts, err := f.store.ReportCountsOf(ctx, ids, f.now())
	if err != nil {
		return nil, fmt.Errorf("report summaries: %w", err)
	}
	names, err := f.store.PseudonymsByID(ctx, authorIDs)
	if err != nil {
		return nil, fmt.Errorf("report summaries: %w", err)
	}
	cats, err := f.warnings.allCategories(ctx)
	if err != nil {
		return nil, err
	}
	slug := map[int64]string{}
	for _, c := range cats {
		slug[c.ID] = c.Slug
	}
	out := make([]ReportSummary, len(rows))
	for i, r := range rows {
		s := ReportSummary{
			ID: r.ID, Title: r.Title, Lang: r.Lang, Category: slug[r.CategoryID], SeenOn: r.SeenOn,
			Status: r.Status, Countries: countries[r.ID], Replies: counts[r.ID].Replies,
			Confirmations: counts[r.ID].Confirmations, PublishedAt: r.PublishedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		}
		if r.AuthorID != nil {
			s.Author = names[*r.AuthorID]
		}
		out[i] = s
	}
	return out, nil
}

// ReplyView is a reply as the report page shows it.
type ReplyView struct {
	ID       int64
	AuthorID int64
	Author   string
	Own      bool
	Editable bool
	Status   model.PostStatus
	// RejectReason is shown to the reply's author.
	RejectReason string
	BodyHTML     string
	// Contacts is true when BodyHTML marks contacts the poster wrote.
	Contacts    bool
	CreatedAt   time.Time
	PublishedAt *time.Time
}

// ReportImageRef names a screenshot of a report.
type ReportImageRef struct {
	ID            int64
	Width, Height int
}

// ReportDetail is a report as its page shows it.
type ReportDetail struct {
	ReportSummary
	BodyHTML string
	// Contacts is true when BodyHTML marks contacts the poster wrote.
	Contacts     bool
	Body         string
	RejectReason string
	Own          bool
	Editable     bool
	Confirmed    bool
	// Moderatable is true when the viewer may moderate this report.
	Moderatable bool
	// SentBy names the organisation and API key of the partner's app that
	// sent the report; only for a viewer who may moderate it.
	SentBy   *Sender
	AuthorID int64
	Images   []ReportImageRef
	Replies  []ReplyView
}

// Report returns the report with id as viewer (nil for a visitor) may see
// it: public reports to everyone, others to their author and to moderators
// in scope. Anything else is apperr.ErrNotFound, so that its existence is
// not revealed. The contacts that members wrote link to their indicator
// pages in lang (see posterMarkdown).
func (f *Forum) Report(ctx context.Context, viewer *model.User, id int64, lang string) (ReportDetail, error) {
	r, err := f.store.Report(ctx, id)
	if err != nil {
		return ReportDetail{}, fmt.Errorf("report %d: %w", id, err)
	}
	own, mod, err := f.visibility(ctx, viewer, r)
	if err != nil {
		return ReportDetail{}, err
	}
	sums, err := f.summaries(ctx, []model.Report{r})
	if err != nil {
		return ReportDetail{}, err
	}
	d := ReportDetail{ReportSummary: sums[0], Body: r.Body, RejectReason: r.RejectReason, Own: own, Moderatable: mod}
	if mod && r.SubmittedByKeyID != nil {
		org, key, err := f.store.ReportSender(ctx, r.ID)
		if err != nil {
			return ReportDetail{}, err
		}
		d.SentBy = &Sender{Organisation: org, Key: key}
	}
	if r.AuthorID != nil {
		d.AuthorID = *r.AuthorID
	}
	d.Editable = own && f.mayEdit(viewer, r.AuthorID, r.Status, r.CreatedAt) == nil
	viewerID := int64(0)
	if viewer != nil {
		viewerID = viewer.ID
		if d.Confirmed, err = f.store.HasConfirmed(ctx, id, viewer.ID); err != nil {
			return ReportDetail{}, err
		}
	}
	imgs, err := f.store.ReportImageIDs(ctx, id)
	if err != nil {
		return ReportDetail{}, err
	}
	for _, img := range imgs {
		d.Images = append(d.Images, ReportImageRef{ID: img.ID, Width: img.Width, Height: img.Height})
	}
	replies, err := f.store.RepliesOf(ctx, id, viewerID, mod)
	if err != nil {
		return ReportDetail{}, err
	}
	var authorIDs []int64
	for _, rp := range replies {
		if rp.AuthorID != nil {
			authorIDs = append(authorIDs, *rp.AuthorID)
		}
	}
	names, err := f.store.PseudonymsByID(ctx, authorIDs)
	if err != nil {
		return ReportDetail{}, err
	}
	region := ""
	if len(d.Countries) > 0 {
		region = d.Countries[0].Country
	}
	texts := []string{r.Body}
	for _, rp := range replies {
		texts = append(texts, rp.Body)
	}
	pages, err := f.contactPages(ctx, region, texts)
	if err != nil {
		return ReportDetail{}, err
	}
	lang = langOf(lang)
	if d.BodyHTML, err = f.markdown.render(r.Body, lang, region, pages); err != nil {
		return ReportDetail{}, err
	}
	d.Contacts = hasContacts(d.BodyHTML)
	for _, rp := range replies {
		html, err := f.markdown.render(rp.Body, lang, region, pages)
		if err != nil {
			return ReportDetail{}, err
		}
		v := ReplyView{ID: rp.ID, Status: rp.Status, BodyHTML: html, Contacts: hasContacts(html), CreatedAt: rp.CreatedAt, PublishedAt: rp.PublishedAt}
		if rp.AuthorID != nil && viewerID != 0 && *rp.AuthorID == viewerID {
			v.RejectReason = rp.RejectReason
			v.Editable = f.mayEdit(viewer, rp.AuthorID, rp.Status, rp.CreatedAt) == nil
		}
		if rp.AuthorID != nil {
			v.AuthorID = *rp.AuthorID
			v.Author = names[*rp.AuthorID]
			v.Own = viewerID != 0 && *rp.AuthorID == viewerID
		}
		d.Replies = append(d.Replies, v)
	}
	return d, nil
}

// Image returns a screenshot if viewer may see its report, and whether
// the report is public (and the image may be cached).
func (f *Forum) Image(ctx context.Context, viewer *model.User, id int64) (model.ReportImage, bool, error) {
	img, err := f.store.ReportImage(ctx, id)
	if err != nil {
		return model.ReportImage{}, false, fmt.Errorf("image %d: %w", id, err)
	}
	r, err := f.store.Report(ctx, img.ReportID)
	if err != nil {
		return model.ReportImage{}, false, fmt.Errorf("image %d: %w", id, err)
	}
	if _, _, err := f.visibility(ctx, viewer, r); err != nil {
		return model.ReportImage{}, false, err
	}
	return img, r.Status.Public(), nil
}

// contactPages finds the indicator pages of the contacts in texts, in one
// query: those that public content mentions.
func (f *Forum) contactPages(ctx context.Context, region string, texts []string) (contactLinks, error) {
	values := contactsOf(region, texts...)
	hashes := make([]string, len(values))
	for i, v := range values {
		hashes[i] = Hash(v)
	}
	found, err := f.store.MatchIndicators(ctx, hashes)
	if err != nil {
		return nil, fmt.Errorf("contacts of a report: %w", err)
	}
	pages := make(contactLinks, len(found))
	for _, m := range found {
		pages[m.Normalized] = m.ID
	}
	return pages, nil
}

// Sender names the organisation and API key of a partner's app.
type Sender struct {
	Organisation string
	Key          string
}
