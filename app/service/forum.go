package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"forewarn/app/apperr"
	"forewarn/app/extract"
	"forewarn/app/i18n"
	"forewarn/app/imaging"
	"forewarn/app/model"
	"forewarn/app/pii"
	"forewarn/app/store"
)

// Bounds of what a post may hold.
const (
	minTitleLen    = 5
	maxTitleLen    = 140
	minBodyLen     = 20
	maxBodyLen     = 20000
	minReplyLen    = 2
	maxImages      = 3
	maxReasonLen   = 500
	reportsPerPage = 20
)

// Forum holds the rules of reports and replies: who may post, what waits
// for a moderator, who may read what, and how authors edit.
type Forum struct {
	store    *store.Store
	now      func() time.Time
	markdown *posterMarkdown
	warnings *Warnings
	checker  *Checker
	cfg      Config
	images   *imaging.Processor // shared: bounds how many uploads are decoded at once
	// listed keeps the ordered IDs of each filter's public reports.
	listed listedKeys
	// bans keeps the next end of a running ban (see ReportsStamp).
	bans banEnd
}

// ReportInput is a report as typed into the form or sent by a partner app.
type ReportInput struct {
	Title       string
	Body        string
	Lang        string
	Category    string
	SeenOn      string
	Origin      []string
	Transit     []string
	Destination []string
	// Images are the uploaded files, as received.
	Images [][]byte
}

// Posted is the outcome of posting: the ID and whether it waits for a
// moderator.
type Posted struct {
	ID      int64
	Pending bool
}

// actorState refuses posting to banned and silenced members.
func (f *Forum) actorState(actor *model.User) error {
	if actor == nil {
		return nil
	}
	now := f.now()
	if actor.BannedUntil != nil && actor.BannedUntil.After(now) {
		return &apperr.Invalid{Field: "form", Key: "error.account.banned", Args: map[string]any{"Until": *actor.BannedUntil}}
	}
	if actor.SilencedUntil != nil && actor.SilencedUntil.After(now) {
		return &apperr.Invalid{Field: "form", Key: "error.account.silenced", Args: map[string]any{"Until": *actor.SilencedUntil}}
	}
	return nil
}

// initialStatus decides whether a new post of actor is published at once:
// guests and members with too few approved posts wait, and so does any post
// that looks like it holds the poster's own personal data.
func (f *Forum) initialStatus(actor *model.User, text string) (model.PostStatus, string) {
	owner := pii.Owner{}
	if actor != nil && actor.Email != nil {
		owner.Emails = []string{*actor.Email}
	}
	if findings := pii.Scan(text, owner); len(findings) > 0 {
		return model.PostPending, "personal_data"
	}
	if actor == nil {
		return model.PostPending, ""
	}
	if isStaff(actor.Role) || actor.ApprovedPosts >= f.cfg.TrustThreshold {
		return model.PostPublished, ""
	}
	return model.PostPending, ""
}

// CreateReport validates in and stores the report of actor (nil for a
// guest), with its countries and re-encoded screenshots, in one transaction.
func (f *Forum) CreateReport(ctx context.Context, actor *model.User, in ReportInput) (Posted, error) {
	return f.createReport(ctx, actor, nil, in, nil)
}

// createReport is CreateReport; a report a partner's app sends through the
// API key sender is a guest's report (it always waits for a moderator)
// attributed to the key and its organisation, in the report and in the
// audit log. within, if not nil, writes more in the same transaction,
// knowing the report.
func (f *Forum) createReport(ctx context.Context, actor *model.User, sender *KeyIdentity, in ReportInput, within func(tx *store.Store, p Posted) error) (Posted, error) {
	if sender != nil && actor != nil {
		return Posted{}, fmt.Errorf("create report: a member and a key: %w", apperr.ErrForbidden)
	}
	if err := f.actorState(actor); err != nil {
		return Posted{}, err
	}
	cats, err := f.warnings.allCategories(ctx)
	if err != nil {
		return Posted{}, err
	}
	var errs apperr.Invalids
	title := strings.TrimSpace(in.Title)
	body := strings.TrimSpace(in.Body)
	errs = append(errs, checkText("title", title, minTitleLen, maxTitleLen)...)
	errs = append(errs, checkText("body", body, minBodyLen, maxBodyLen)...)
	lang, ok := contentLanguage(in.Lang)
	if !ok {
		errs = append(errs, &apperr.Invalid{Field: "lang", Key: "error.language.unknown"})
	}
	var categoryID int64
	for _, c := range cats {
		if c.Slug == in.Category {
			categoryID = c.ID
		}
	}
	if categoryID == 0 {
		errs = append(errs, &apperr.Invalid{Field: "category", Key: "error.category.unknown"})
	}
	seenOn := model.SeenOn(in.SeenOn)
	if !seenOn.Valid() {
		errs = append(errs, &apperr.Invalid{Field: "seen_on", Key: "error.seen_on.unknown"})
	}
	countries, cerrs := routeCountries(in.Origin, in.Transit, in.Destination)
	errs = append(errs, cerrs...)
	images, ierrs := f.reencodeAll(ctx, in.Images)
	errs = append(errs, ierrs...)
	if err := errs.Err(); err != nil {
		return Posted{}, err
	}
	found, err := f.findIndicators(ctx, title+"\n"+body, countries)
	if err != nil {
		return Posted{}, err
	}
	now := f.now()
	status, hold := f.initialStatus(actor, title+"\n"+body)
	r := model.Report{
		Title: title, Body: body, Lang: lang, CategoryID: categoryID, SeenOn: seenOn,
		Status: status, HoldReason: hold, CreatedAt: now, UpdatedAt: now,
	}
	if actor != nil {
		r.AuthorID = &actor.ID
	}
	var keyID *int64
	if sender != nil {
		keyID = &sender.ID
		r.SubmittedByKeyID, r.OrganisationID = &sender.ID, &sender.OrganisationID
	}
	if status == model.PostPublished {
		r.PublishedAt = &now
	}
	err = f.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateReport(ctx, &r, countries, nil); err != nil {
			return err
		}
		for i := range images {
			images[i].ReportID, images[i].CreatedAt = r.ID, now
		}
		if err := tx.CreateReportImages(ctx, images); err != nil {
			return err
		}
		if err := f.linkIndicators(ctx, tx, r.ID, found); err != nil {
			return err
		}
		if within != nil {
			if err := within(tx, Posted{ID: r.ID, Pending: status == model.PostPending}); err != nil {
				return err
			}
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: actorID(actor), ActorKeyID: keyID, Action: "report.create", TargetType: "report", TargetID: r.ID, Reason: string(status) + holdNote(hold), AfterText: title + "\n\n" + body,
			Lang: lang, Countries: entryCountries(countries), CreatedAt: now})
	})
	if err != nil {
		return Posted{}, fmt.Errorf("create report: %w", err)
	}
	return Posted{ID: r.ID, Pending: status == model.PostPending}, nil
}

// CreateReply validates body and stores actor's reply to report reportID.
func (f *Forum) CreateReply(ctx context.Context, actor *model.User, reportID int64, body string) (Posted, error) {
	if actor == nil {
		return Posted{}, fmt.Errorf("reply: %w", apperr.ErrForbidden)
	}
	if err := f.actorState(actor); err != nil {
		return Posted{}, err
	}
	report, err := f.store.Report(ctx, reportID)
	if err != nil {
		return Posted{}, fmt.Errorf("reply to %d: %w", reportID, err)
	}
	if report.Status != model.PostPublished {
		if report.Status == model.PostLocked {
			return Posted{}, &apperr.Invalid{Field: "body", Key: "error.report.locked"}
		}
		return Posted{}, fmt.Errorf("reply to %d: %w", reportID, apperr.ErrNotFound)
	}
	body = strings.TrimSpace(body)
	if errs := checkText("body", body, minReplyLen, maxBodyLen); len(errs) > 0 {
		return Posted{}, errs
	}
	now := f.now()
	status, hold := f.initialStatus(actor, body)
	reply := model.Reply{ReportID: reportID, AuthorID: &actor.ID, Body: body, Status: status, HoldReason: hold, CreatedAt: now, UpdatedAt: now}
	if status == model.PostPublished {
		reply.PublishedAt = &now
	}
	err = f.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateReply(ctx, &reply); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &actor.ID, Action: "reply.create", TargetType: "reply", TargetID: reply.ID, Reason: string(status) + holdNote(hold), AfterText: body, CreatedAt: now})
	})
	if err != nil {
		return Posted{}, fmt.Errorf("create reply: %w", err)
	}
	return Posted{ID: reply.ID, Pending: status == model.PostPending}, nil
}

// Confirm records that actor met the offer of a public report too; saying
// it twice changes nothing. Silenced and banned members may not.
func (f *Forum) Confirm(ctx context.Context, actor *model.User, reportID int64) error {
	if actor == nil {
		return fmt.Errorf("confirm: %w", apperr.ErrForbidden)
	}
	if err := f.actorState(actor); err != nil {
		return err
	}
	report, err := f.store.Report(ctx, reportID)
	if err != nil {
		return fmt.Errorf("confirm %d: %w", reportID, err)
	}
	if !report.Status.Public() {
		return fmt.Errorf("confirm %d: %w", reportID, apperr.ErrNotFound)
	}
	if _, err := f.store.AddConfirmation(ctx, reportID, actor.ID, f.now()); err != nil {
		return fmt.Errorf("confirm %d: %w", reportID, err)
	}
	return nil
}

// PostEdit is a change of a report's title and body, or of a reply's body.
type PostEdit struct {
	Title string
	Body  string
}

// EditReport changes actor's own report within the edit window, keeping
// the earlier version. The trust rule applies again: an untrusted member's
// edit waits for a moderator.
func (f *Forum) EditReport(ctx context.Context, actor *model.User, id int64, e PostEdit) (Posted, error) {
	r, err := findInScope(ctx, "edit report", id, f.store.Report, func(_ context.Context, r model.Report) (bool, error) {
		return f.mayEditOwn(actor, r.AuthorID, r.Status, r.CreatedAt)
	})
	if err != nil {
		return Posted{}, err
	}
	title, body := strings.TrimSpace(e.Title), strings.TrimSpace(e.Body)
	errs := append(checkText("title", title, minTitleLen, maxTitleLen), checkText("body", body, minBodyLen, maxBodyLen)...)
	if err := errs.Err(); err != nil {
		return Posted{}, err
	}
	now := f.now()
	status, hold := f.initialStatus(actor, title+"\n"+body)
	if r.Status == model.PostPending {
		status = model.PostPending
	}
	change := store.PostChange{Title: &title, Body: &body, Status: &status, HoldReason: &hold, UpdatedAt: now}
	err = f.store.Tx(ctx, func(tx *store.Store) error {
		countries, err := tx.ReportCountries(ctx, []int64{id})
		if err != nil {
			return err
		}
		owner := ownerOf(actor, countries[id])
		current := title + "\n" + body
		rev := &model.PostRevision{TargetType: "report", TargetID: id, EditorID: &actor.ID, Title: scrubRemoved(r.Title, current, owner), Body: scrubRemoved(r.Body, current, owner), CreatedAt: now}
		if err := tx.AddRevision(ctx, rev); err != nil {
			return err
		}
		if err := tx.UpdatePost(ctx, "report", id, change); err != nil {
			return err
		}
		if err := f.syncIndicators(ctx, tx, id, title+"\n"+body, countries[id]); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &actor.ID, Action: "report.edit", TargetType: "report", TargetID: id, Reason: string(status) + holdNote(hold), BeforeText: r.Title + "\n\n" + r.Body, AfterText: title + "\n\n" + body, CreatedAt: now})
	})
	if err != nil {
		return Posted{}, fmt.Errorf("edit report %d: %w", id, err)
	}
	return Posted{ID: id, Pending: status == model.PostPending}, nil
}

// EditWindowHours is how many hours authors may edit their posts.
func (f *Forum) EditWindowHours() int {
	return int(f.cfg.EditWindow.Hours())
}

func checkText(field, s string, minLen, maxLen int) apperr.Invalids {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return apperr.Invalids{{Field: field, Key: "error.encoding.invalid"}}
	}
	n := utf8.RuneCountInString(s)
	if textWeight(s) < minLen || n > maxLen {
		return apperr.Invalids{{Field: field, Key: "error.text.length", Args: map[string]any{"Min": minLen, "Max": maxLen}}}
	}
	return nil
}

// textWeight is the length of s that its minimum is measured in: its
// characters, a Han character counting twice, since one says about what
// two letters of an alphabet do (不要先付钱。, "do not pay first", is six
// characters and meets a minimum of 10). The maximum counts characters.
func textWeight(s string) int {
	n := 0
	for _, r := range s {
		n++
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// contentLanguage validates the BCP 47 tag of content and reduces it to its
// base language.
func contentLanguage(s string) (string, bool) {
	return i18n.BaseLanguage(s)
}

// routeCountries validates the three lists of a route; at least one country
// is needed.
func routeCountries(origin, transit, destination []string) ([]model.ReportCountry, apperr.Invalids) {
	var out []model.ReportCountry
	var errs apperr.Invalids
	seen := map[model.ReportCountry]bool{}
	for _, part := range []struct {
		role  model.CountryRole
		codes []string
	}{{model.CountryOrigin, origin}, {model.CountryTransit, transit}, {model.CountryDestination, destination}} {
		for _, c := range part.codes {
			if c == "" {
				continue
			}
			code, ok := CountryCode(c)
			if !ok {
				errs = append(errs, &apperr.Invalid{Field: string(part.role), Key: "error.country.unknown"})
				continue
			}
			rc := model.ReportCountry{Country: code, Role: part.role}
			if !seen[rc] {
				seen[rc] = true
				out = append(out, rc)
			}
		}
	}
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, &apperr.Invalid{Field: "origin", Key: "error.country.required"})
	}
	if len(out) > 12 {
		errs = append(errs, &apperr.Invalid{Field: "transit", Key: "error.country.too_many"})
	}
	return out, errs
}

// reencodeAll re-encodes each uploaded image, which drops its metadata.
func (f *Forum) reencodeAll(ctx context.Context, files [][]byte) ([]model.ReportImage, apperr.Invalids) {
	if len(files) > maxImages {
		return nil, apperr.Invalids{{Field: "images", Key: "error.image.too_many", Args: map[string]any{"Max": maxImages}}}
	}
	var out []model.ReportImage
	var errs apperr.Invalids
	for _, data := range files {
		img, err := f.images.Reencode(ctx, data)
		if err != nil {
			errs = append(errs, &apperr.Invalid{Field: "images", Key: imageErrorKey(err), Args: map[string]any{"MaxMB": f.images.Limits().MaxBytes >> 20}})
			continue
		}
		out = append(out, model.ReportImage{ContentType: img.ContentType, Width: img.Width, Height: img.Height, Data: img.Data})
	}
	return out, errs
}

func imageErrorKey(err error) string {
	switch {
	case errors.Is(err, imaging.ErrTooLarge):
		return "error.image.too_large"
	case errors.Is(err, imaging.ErrUnsupportedType):
		return "error.image.type"
	case errors.Is(err, imaging.ErrTooManyPixels):
		return "error.image.pixels"
	case errors.Is(err, imaging.ErrTooMuchMemory):
		return "error.image.dimensions"
	case errors.Is(err, imaging.ErrBusy):
		return "error.image.busy"
	default:
		return "error.image.corrupt"
	}
}

func actorID(u *model.User) *int64 {
	if u == nil {
		return nil
	}
	return &u.ID
}

func holdNote(hold string) string {
	if hold == "" {
		return ""
	}
	return " (" + hold + ")"
}

// ReplyToEdit is a member's own reply as its edit form shows it.
type ReplyToEdit struct {
	ID       int64
	ReportID int64
	Body     string
	Editable bool
}

// Reply returns actor's own reply for editing; anyone else's is
// apperr.ErrNotFound.
func (f *Forum) Reply(ctx context.Context, actor *model.User, id int64) (ReplyToEdit, error) {
	rp, err := f.store.Reply(ctx, id)
	if err != nil {
		return ReplyToEdit{}, fmt.Errorf("reply %d: %w", id, err)
	}
	if actor == nil || rp.AuthorID == nil || *rp.AuthorID != actor.ID {
		return ReplyToEdit{}, fmt.Errorf("reply %d: %w", id, apperr.ErrNotFound)
	}
	return ReplyToEdit{ID: rp.ID, ReportID: rp.ReportID, Body: rp.Body, Editable: f.mayEdit(actor, rp.AuthorID, rp.Status, rp.CreatedAt) == nil}, nil
}

// EditReply changes actor's own reply within the edit window, keeping the
// earlier version; the trust rule applies again.
func (f *Forum) EditReply(ctx context.Context, actor *model.User, id int64, body string) (Posted, error) {
	rp, err := findInScope(ctx, "edit reply", id, f.store.Reply, func(_ context.Context, rp model.Reply) (bool, error) {
		return f.mayEditOwn(actor, rp.AuthorID, rp.Status, rp.CreatedAt)
	})
	if err != nil {
		return Posted{}, err
	}
	body = strings.TrimSpace(body)
	if errs := checkText("body", body, minReplyLen, maxBodyLen); len(errs) > 0 {
		return Posted{}, errs
	}
	now := f.now()
	status, hold := f.initialStatus(actor, body)
	if rp.Status == model.PostPending {
		status = model.PostPending
	}
	err = f.store.Tx(ctx, func(tx *store.Store) error {
		countries, err := tx.ReportCountries(ctx, []int64{rp.ReportID})
		if err != nil {
			return err
		}
		rev := &model.PostRevision{TargetType: "reply", TargetID: id, EditorID: &actor.ID, Body: scrubRemoved(rp.Body, body, ownerOf(actor, countries[rp.ReportID])), CreatedAt: now}
		if err := tx.AddRevision(ctx, rev); err != nil {
			return err
		}
		if err := tx.UpdatePost(ctx, "reply", id, store.PostChange{Body: &body, Status: &status, HoldReason: &hold, UpdatedAt: now}); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &actor.ID, Action: "reply.edit", TargetType: "reply", TargetID: id, Reason: string(status) + holdNote(hold), BeforeText: rp.Body, AfterText: body, CreatedAt: now})
	})
	if err != nil {
		return Posted{}, fmt.Errorf("edit reply %d: %w", id, err)
	}
	return Posted{ID: rp.ReportID, Pending: status == model.PostPending}, nil
}

// syncIndicators links a report to the indicators its text holds, read in
// its countries, replacing the links of an earlier version. Matching counts
// only public reports, so links of hidden or pending reports do no harm.
func (f *Forum) syncIndicators(ctx context.Context, tx *store.Store, reportID int64, text string, countries []model.ReportCountry) error {
	found, err := f.findIndicators(ctx, text, countries)
	if err != nil {
		return err
	}
	return f.linkIndicators(ctx, tx, reportID, found)
}

// findIndicators extracts the indicators of a report's text, read in its
// countries: no write, so before the transaction that links them, which
// then holds SQLite's one writer for less time.
func (f *Forum) findIndicators(ctx context.Context, text string, countries []model.ReportCountry) ([]extract.Found, error) {
	companies, err := f.checker.knownCompanies(ctx)
	if err != nil {
		return nil, err
	}
	region := ""
	for _, role := range []model.CountryRole{model.CountryOrigin, model.CountryDestination, model.CountryTransit} {
		for _, c := range countries {
			if c.Role == role && region == "" {
				region = c.Country
			}
		}
	}
	return extract.Extract(text, extract.Options{Region: region, Companies: companies}), nil
}

// linkIndicators links a report to the indicators found, replacing the
// links of an earlier version.
func (f *Forum) linkIndicators(ctx context.Context, tx *store.Store, reportID int64, found []extract.Found) error {
	var links []model.ReportIndicator
	seen := map[int64]bool{}
	for _, fi := range found {
		ind, err := tx.EnsureIndicator(ctx, model.Indicator{Kind: model.IndicatorKind(fi.Kind), Platform: fi.Platform, Normalized: fi.Normalized, Hash: Hash(fi.Normalized)})
		if err != nil {
			return err
		}
		if !seen[ind.ID] {
			seen[ind.ID] = true
			links = append(links, model.ReportIndicator{IndicatorID: ind.ID, Raw: fi.Raw})
		}
	}
	return tx.ReplaceReportIndicators(ctx, reportID, links)
}

// entryCountries is the scope of an audit entry about a new report: its
// route's distinct country codes, sorted, space-separated with a space at
// each end, as the store writes it (store.LogAction), without reading the
// report back inside the transaction.
func entryCountries(cs []model.ReportCountry) string {
	var codes []string
	for _, c := range cs {
		if !slices.Contains(codes, c.Country) {
			codes = append(codes, c.Country)
		}
	}
	if len(codes) == 0 {
		return ""
	}
	slices.Sort(codes)
	return " " + strings.Join(codes, " ") + " "
}
