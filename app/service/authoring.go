package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// WarningDraft is what moderators type to create or change a warning: its
// facts and its text in its original language.
type WarningDraft struct {
	Severity    string
	Category    string
	Lang        string
	Origin      []string
	Transit     []string
	Destination []string
	// ExpiresOn is a date as 2006-01-02, or empty for no end.
	ExpiresOn string
	// NamesParty is set when the warning names a person or a company; a
	// company among the indicators sets it too.
	NamesParty bool
	Title      string
	Summary    string
	// WhatToDo is the "What to do now" of the original language: may be
	// empty in a draft, required to publish.
	WhatToDo string
	Body     string
	// Indicators holds one indicator a line, as "kind: value" (social:
	// "social: platform handle").
	Indicators string
	// SourceReports are IDs of public reports the warning is drawn from.
	SourceReports []int64
}

// Authoring holds the rules of writing warnings: drafts, translations,
// review and publication with four eyes when a party is named, retraction.
type Authoring struct {
	store    *store.Store
	now      func() time.Time
	warnings *Warnings
	forum    *Forum
	checker  *Checker
}

// CreateWarning stores a new draft by moderator.
func (a *Authoring) CreateWarning(ctx context.Context, moderator *model.User, d WarningDraft) (int64, error) {
	if err := a.mayAuthor(ctx, moderator, d.Lang, append(append(append([]string{}, d.Origin...), d.Transit...), d.Destination...)); err != nil {
		return 0, err
	}
	v, err := a.validate(ctx, d)
	if err != nil {
		return 0, err
	}
	if d.SourceReports, err = a.publicSources(ctx, d.SourceReports); err != nil {
		return 0, err
	}
	s := v.state(d)
	names, err := a.NamesParty(ctx, s)
	if err != nil {
		return 0, err
	}
	now := a.now()
	w := v.warning
	w.NamesParty = names
	w.Status, w.AuthorID, w.OrganisationID, w.CreatedAt, w.UpdatedAt = model.WarningDraft, &moderator.ID, moderator.OrganisationID, now, now
	err = a.store.Tx(ctx, func(tx *store.Store) error {
		links, err := a.stateLinks(ctx, tx, s)
		if err != nil {
			return err
		}
		text := []model.WarningTranslation{{Lang: w.Lang, Title: s.Texts[0].Title, Summary: s.Texts[0].Summary, Body: s.Texts[0].Body, WhatToDo: s.Texts[0].WhatToDo, CreatedAt: now, UpdatedAt: now}}
		if err := tx.CreateWarning(ctx, &w, text, v.countries, links); err != nil {
			return err
		}
		if err := tx.LinkWarningReports(ctx, w.ID, d.SourceReports); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: "warning.create", TargetType: "warning", TargetID: w.ID, AfterText: textSummary(s.Texts[0]), CreatedAt: now})
	})
	if err != nil {
		return 0, fmt.Errorf("create warning: %w", err)
	}
	return w.ID, nil
}

// publicSources checks that the sources of a warning are public reports,
// and returns each once.
func (a *Authoring) publicSources(ctx context.Context, ids []int64) ([]int64, error) {
	var unique []int64
	for _, id := range ids {
		if !slices.Contains(unique, id) {
			unique = append(unique, id)
		}
	}
	public, err := a.store.PublicReportIDs(ctx, unique)
	if err != nil {
		return nil, err
	}
	var errs apperr.Invalids
	for _, id := range unique {
		if !slices.Contains(public, id) {
			errs = append(errs, &apperr.Invalid{Field: "form", Key: "error.review.source_report", Args: map[string]any{"ID": id}})
		}
	}
	return unique, errs.Err()
}

// UpdateWarning changes a warning that is not retracted; the text before
// is kept in the audit log. The new route must stay in the moderator's
// scope. A published warning whose changed content names a party keeps its
// public content: the change waits as a revision for a second moderator
// (Proposed).
func (a *Authoring) UpdateWarning(ctx context.Context, moderator *model.User, id int64, d WarningDraft) (Outcome, error) {
	w, err := a.inScope(ctx, moderator, id)
	if err != nil {
		return Applied, err
	}
	if w.Status == model.WarningRetracted {
		return Applied, &apperr.Invalid{Field: "form", Key: "error.warning.retracted"}
	}
	d.Lang = w.Lang
	v, err := a.validate(ctx, d)
	if versioned(w.Status) && strings.TrimSpace(d.WhatToDo) == "" {
		// A public warning keeps its "What to do now": an edit may not
		// empty it.
		errs, _ := apperr.AsInvalids(err)
		err = append(errs, &apperr.Invalid{Field: "what_to_do", Key: "error.warning.what_to_do_required"}).Err()
	}
	if err != nil {
		return Applied, err
	}
	if err := a.mayAuthor(ctx, moderator, w.Lang, v.regions); err != nil {
		return Applied, &apperr.Invalid{Field: "origin", Key: "error.foureyes.route_scope"}
	}
	base, err := a.baseState(ctx, w)
	if err != nil {
		return Applied, err
	}
	next := v.state(d)
	for _, t := range base.Texts {
		if t.Lang != w.Lang {
			next.setText(t)
		}
	}
	next.SourceReports = base.SourceReports
	before := stateSummary(base, w.Lang)
	return a.apply(ctx, moderator, w, next, change{action: "warning.edit", before: before, after: stateSummary(next, w.Lang), toDraft: true})
}

// Translation is a warning's text in one language.
type Translation struct {
	Lang, Title, Summary, WhatToDo, Body string
}

// Translate saves a warning's text in another language than its original;
// like UpdateWarning, it waits for a second moderator when the published
// warning's content then names a party.
func (a *Authoring) Translate(ctx context.Context, moderator *model.User, id int64, t Translation) (Outcome, error) {
	w, err := a.inScope(ctx, moderator, id)
	if err != nil {
		return Applied, err
	}
	if w.Status == model.WarningRetracted {
		return Applied, &apperr.Invalid{Field: "form", Key: "error.warning.retracted"}
	}
	lang, ok := contentLanguage(t.Lang)
	var errs apperr.Invalids
	if !ok {
		errs = append(errs, &apperr.Invalid{Field: "lang", Key: "error.language.unknown"})
	} else if lang == w.Lang {
		errs = append(errs, &apperr.Invalid{Field: "lang", Key: "error.warning.original_lang"})
	}
	errs = append(errs, checkWarningText(t.Title, t.Summary, t.Body)...)
	errs = append(errs, checkWhatToDo(t.WhatToDo)...)
	if versioned(w.Status) && strings.TrimSpace(t.WhatToDo) == "" {
		// A translation of a public warning is public at once (or after
		// a second moderator's approval): it needs its "What to do now".
		errs = append(errs, &apperr.Invalid{Field: "what_to_do", Key: "error.warning.what_to_do_required"})
	}
	if err := errs.Err(); err != nil {
		return Applied, err
	}
	base, err := a.baseState(ctx, w)
	if err != nil {
		return Applied, err
	}
	next := base
	next.Texts = append([]stateText(nil), base.Texts...)
	nt := stateText{Lang: lang, Title: strings.TrimSpace(t.Title), Summary: strings.TrimSpace(t.Summary), Body: strings.TrimSpace(t.Body), WhatToDo: strings.TrimSpace(t.WhatToDo)}
	next.setText(nt)
	old, _ := base.text(lang)
	return a.apply(ctx, moderator, w, next, change{action: "warning.translate", reason: lang, before: textSummary(old), after: textSummary(nt), toDraft: true})
}

// Submit sends a draft for review.
func (a *Authoring) Submit(ctx context.Context, moderator *model.User, id int64) error {
	w, err := a.inScope(ctx, moderator, id)
	if err != nil {
		return err
	}
	return a.transition(ctx, moderator, w, model.WarningDraft, model.WarningInReview, "warning.submit", "", store.WarningChange{})
}

// Publish makes a warning in review public. A warning whose content names
// a person or a company (NamesParty) needs a second moderator: none of its
// writers (author, editors, translators) can publish it.
func (a *Authoring) Publish(ctx context.Context, moderator *model.User, id int64) error {
	w, err := a.inScope(ctx, moderator, id)
	if err != nil {
		return err
	}
	if w.Status != model.WarningInReview {
		return &apperr.Invalid{Field: "form", Key: "error.warning.state"}
	}
	s, err := a.liveState(ctx, w)
	if err != nil {
		return err
	}
	if err := whatToDoEverywhere(s); err != nil {
		return err
	}
	names, err := a.NamesParty(ctx, s)
	if err != nil {
		return err
	}
	if names {
		writers, err := a.store.WarningWriters(ctx, id)
		if err != nil {
			return err
		}
		if slices.Contains(writers, moderator.ID) || (w.AuthorID != nil && *w.AuthorID == moderator.ID) {
			return &apperr.Invalid{Field: "form", Key: "error.warning.four_eyes"}
		}
	}
	return a.transition(ctx, moderator, w, model.WarningInReview, model.WarningPublished, "warning.publish", "", store.WarningChange{NamesParty: &names})
}

// Retract withdraws a published warning with a public reason that names
// no party; the warning stays readable with a notice.
func (a *Authoring) Retract(ctx context.Context, moderator *model.User, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if errs := checkText("reason", reason, 3, maxReasonLen); len(errs) > 0 {
		return errs
	}
	// The public reason must not name a party: one moderator retracts
	// alone, so retraction may only remove public text.
	names, err := a.NamesParty(ctx, warningState{Texts: []stateText{{Body: reason}}})
	if err != nil {
		return err
	}
	if names {
		return &apperr.Invalid{Field: "reason", Key: "error.foureyes.reason_names"}
	}
	w, err := a.inScope(ctx, moderator, id)
	if err != nil {
		return err
	}
	return a.transition(ctx, moderator, w, model.WarningPublished, model.WarningRetracted, "warning.retract", reason, store.WarningChange{})
}

// transition moves w, as read and judged by the caller, from one state to
// another; it is refused when w changed since it was read.
func (a *Authoring) transition(ctx context.Context, moderator *model.User, w model.Warning, from, to model.WarningStatus, action, reason string, change store.WarningChange) error {
	id := w.ID
	if w.Status != from && !(from == model.WarningPublished && w.Status == model.WarningExpired) {
		return &apperr.Invalid{Field: "form", Key: "error.warning.state"}
	}
	now := a.now()
	change.Status, change.UpdatedAt = &to, now
	switch to {
	case model.WarningPublished:
		change.PublishedAt, change.ApproverID = &now, &moderator.ID
	case model.WarningRetracted:
		change.RetractedAt, change.RetractionReason = &now, &reason
	}
	err := a.store.Tx(ctx, func(tx *store.Store) error {
		if err := claim(ctx, tx, w); err != nil {
			return err
		}
		if err := tx.UpdateWarning(ctx, id, change); err != nil {
			return err
		}
		if to == model.WarningRetracted {
			// Retraction removes public text: a change waiting for
			// approval is dropped with it.
			p, ok, err := a.pendingOf(ctx, tx, id)
			if err != nil {
				return err
			}
			if ok {
				if err := tx.DecideWarningRevision(ctx, p.rev.ID, model.RevisionSuperseded, &moderator.ID, reason, now); err != nil {
					return err
				}
				if err := tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: revisionAction + "supersede", TargetType: "warning", TargetID: id, Reason: fmt.Sprint(p.rev.ID), CreatedAt: now}); err != nil {
					return err
				}
			}
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: action, TargetType: "warning", TargetID: id, Reason: reason, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("%s %d: %w", action, id, err)
	}
	return nil
}

// WarningWork is a warning as the moderators' pages show it.
type WarningWork struct {
	model.Warning
	Category   string
	Title      string
	Summary    string
	WhatToDo   string
	Body       string
	Languages  []string
	Countries  []model.WarningCountry
	Indicators string
	Own        bool
	// Marked is the moderator's own mark that the warning names a party,
	// beyond what its content names.
	Marked bool
	// Pending is the change waiting for a second moderator, if any; the
	// other fields show it, not the public content.
	Pending *PendingRevision
	// Translations maps languages to their texts.
	Translations map[string]model.WarningTranslation
}

// InWork lists the warnings moderators work on, in moderator's scope.
func (a *Authoring) InWork(ctx context.Context, moderator *model.User) ([]WarningWork, error) {
	if _, _, _, err := a.forum.scopeOf(ctx, moderator); err != nil {
		return nil, err
	}
	rows, err := a.store.WarningsInWork(ctx, 100)
	if err != nil {
		return nil, err
	}
	var out []WarningWork
	for _, w := range rows {
		ok, err := a.covers(ctx, moderator, w)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		ww, err := a.work(ctx, moderator, w)
		if err != nil {
			return nil, err
		}
		out = append(out, ww)
	}
	return out, nil
}

// Work returns one warning for its edit pages.
func (a *Authoring) Work(ctx context.Context, moderator *model.User, id int64) (WarningWork, error) {
	w, err := a.inScope(ctx, moderator, id)
	if err != nil {
		return WarningWork{}, err
	}
	return a.work(ctx, moderator, w)
}

func (a *Authoring) work(ctx context.Context, moderator *model.User, w model.Warning) (WarningWork, error) {
	live, err := a.liveState(ctx, w)
	if err != nil {
		return WarningWork{}, err
	}
	cats, err := a.warnings.allCategories(ctx)
	if err != nil {
		return WarningWork{}, err
	}
	slugs := map[int64]string{}
	for _, c := range cats {
		slugs[c.ID] = c.Slug
	}
	// The form shows the content being worked on: the waiting revision of
	// a published warning, else the live content.
	s := live
	out := WarningWork{Warning: w, Translations: map[string]model.WarningTranslation{}, Own: w.AuthorID != nil && *w.AuthorID == moderator.ID}
	if versioned(w.Status) {
		p, ok, err := a.pendingOf(ctx, a.store, w.ID)
		if err != nil {
			return WarningWork{}, err
		}
		if ok {
			rv, err := a.revisionView(ctx, moderator, live, p, slugs)
			if err != nil {
				return WarningWork{}, err
			}
			out.Pending = &rv
			s = p.state
			out.Severity, out.CategoryID, out.ExpiresAt, out.NamesParty = s.Severity, s.CategoryID, s.ExpiresAt, true
		}
	}
	out.Category = slugs[s.CategoryID]
	for _, c := range s.Countries {
		out.Countries = append(out.Countries, model.WarningCountry{WarningID: w.ID, Country: c.Country, Role: c.Role})
	}
	for _, t := range s.Texts {
		out.Translations[t.Lang] = model.WarningTranslation{WarningID: w.ID, Lang: t.Lang, Title: t.Title, Summary: t.Summary, Body: t.Body, WhatToDo: t.WhatToDo}
		out.Languages = append(out.Languages, t.Lang)
		if t.Lang == w.Lang {
			out.Title, out.Summary, out.Body, out.WhatToDo = t.Title, t.Summary, t.Body, t.WhatToDo
		}
	}
	out.Indicators = s.Indicators
	// The box shows the moderator's own mark: set when the warning is
	// marked although its content names nobody.
	unmarked := s
	unmarked.Mark = false
	content, err := a.NamesParty(ctx, unmarked)
	if err != nil {
		return WarningWork{}, err
	}
	out.Marked = s.Mark && !content
	return out, nil
}

// validated is a checked draft.
type validated struct {
	warning    model.Warning
	countries  []model.WarningCountry
	indicators []RawIndicator
	regions    []string
	lines      []string
}

// state is the content a checked draft describes, in its original
// language only; the moderator's mark comes from the draft.
func (v validated) state(d WarningDraft) warningState {
	s := warningState{Severity: v.warning.Severity, CategoryID: v.warning.CategoryID, ExpiresAt: v.warning.ExpiresAt, Mark: d.NamesParty, SourceReports: d.SourceReports}
	s.Texts = []stateText{{Lang: v.warning.Lang, Title: strings.TrimSpace(d.Title), Summary: strings.TrimSpace(d.Summary), Body: strings.TrimSpace(d.Body), WhatToDo: strings.TrimSpace(d.WhatToDo)}}
	for _, c := range v.countries {
		s.Countries = append(s.Countries, stateCountry{Country: c.Country, Role: c.Role})
	}
	s.Indicators = strings.Join(v.lines, "\n")
	return s
}

func (a *Authoring) validate(ctx context.Context, d WarningDraft) (validated, error) {
	var v validated
	var errs apperr.Invalids
	v.warning.Severity = model.Severity(d.Severity)
	if !v.warning.Severity.Valid() {
		errs = append(errs, &apperr.Invalid{Field: "severity", Key: "error.severity.unknown"})
	}
	cat, err := a.warnings.categoryBySlug(ctx, d.Category)
	if err != nil {
		errs = append(errs, &apperr.Invalid{Field: "category", Key: "error.category.unknown"})
	}
	v.warning.CategoryID = cat.ID
	lang, ok := contentLanguage(d.Lang)
	if !ok {
		errs = append(errs, &apperr.Invalid{Field: "lang", Key: "error.language.unknown"})
	}
	v.warning.Lang = lang
	route, rerrs := routeCountries(d.Origin, d.Transit, d.Destination)
	errs = append(errs, rerrs...)
	for _, rc := range route {
		v.countries = append(v.countries, model.WarningCountry{Country: rc.Country, Role: rc.Role})
		v.regions = append(v.regions, rc.Country)
	}
	if d.ExpiresOn != "" {
		t, err := time.Parse("2006-01-02", d.ExpiresOn)
		if err != nil || !t.After(a.now()) {
			errs = append(errs, &apperr.Invalid{Field: "expires_on", Key: "error.warning.expiry"})
		} else {
			v.warning.ExpiresAt = &t
		}
	}
	errs = append(errs, checkWarningText(d.Title, d.Summary, d.Body)...)
	errs = append(errs, checkWhatToDo(d.WhatToDo)...)
	for i, line := range strings.Split(d.Indicators, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		raw, ok := parseIndicatorLine(line)
		if ok {
			_, err := NormalizeIndicator(raw, v.regions...)
			ok = err == nil
		}
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "indicators", Key: "error.warning.indicator_line", Args: map[string]any{"Line": i + 1}})
			continue
		}
		v.indicators = append(v.indicators, raw)
		v.lines = append(v.lines, line)
	}
	if len(v.indicators) > maxWarningIndicators {
		errs = append(errs, &apperr.Invalid{Field: "indicators", Key: "error.warning.too_many_indicators"})
	}
	return v, errs.Err()
}

// parseIndicatorLine reads "kind: value" or "social: platform handle".
func parseIndicatorLine(line string) (RawIndicator, bool) {
	kind, value, ok := strings.Cut(line, ":")
	if !ok {
		return RawIndicator{}, false
	}
	raw := RawIndicator{Kind: model.IndicatorKind(strings.ToLower(strings.TrimSpace(kind))), Value: strings.TrimSpace(value)}
	if !raw.Kind.Valid() || raw.Value == "" {
		return RawIndicator{}, false
	}
	if raw.Kind == model.IndicatorSocial {
		platform, handle, ok := strings.Cut(raw.Value, " ")
		if !ok {
			return RawIndicator{}, false
		}
		raw.Platform, raw.Value = strings.ToLower(platform), strings.TrimSpace(handle)
	}
	return raw, true
}

func checkWarningText(title, summary, body string) apperr.Invalids {
	errs := checkText("title", strings.TrimSpace(title), minTitleLen, maxTitleLen)
	errs = append(errs, checkText("summary", strings.TrimSpace(summary), 10, 500)...)
	return append(errs, checkText("body", strings.TrimSpace(body), minBodyLen, maxBodyLen)...)
}

// Limits of "What to do now": a few short sentences a frightened reader
// takes in at a glance.
const (
	minWhatToDoLen       = 10
	maxWhatToDoLen       = 400
	maxWhatToDoSentences = 3
)

// checkWhatToDo checks the length of a "What to do now"; an empty one
// passes (drafts may lack it; publishing needs it, see whatToDoEverywhere).
func checkWhatToDo(text string) apperr.Invalids {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	if errs := checkText("what_to_do", text, minWhatToDoLen, maxWhatToDoLen); len(errs) > 0 {
		return errs
	}
	if sentences(text) > maxWhatToDoSentences {
		return apperr.Invalids{&apperr.Invalid{Field: "what_to_do", Key: "error.warning.what_to_do_sentences"}}
	}
	return nil
}

// sentences counts the sentences of text: runs of ending punctuation
// (Latin, Arabic, Persian, CJK) followed by a space or the end, plus a
// last sentence without one.
func sentences(text string) int {
	rs := []rune(strings.TrimSpace(text))
	n := 0
	for i := 0; i < len(rs); i++ {
		if !strings.ContainsRune(".!?؟。！？…", rs[i]) {
			continue
		}
		for i+1 < len(rs) && strings.ContainsRune(".!?؟。！？…", rs[i+1]) {
			i++
		}
		if i+1 == len(rs) || unicode.IsSpace(rs[i+1]) {
			n++
		}
	}
	if len(rs) > 0 && !strings.ContainsRune(".!?؟。！？…", rs[len(rs)-1]) {
		n++
	}
	return n
}

// whatToDoEverywhere refuses to make s public while one of its texts has
// no "What to do now".
func whatToDoEverywhere(s warningState) error {
	var missing []string
	for _, t := range s.Texts {
		if strings.TrimSpace(t.WhatToDo) == "" {
			missing = append(missing, t.Lang)
		}
	}
	if len(missing) > 0 {
		return &apperr.Invalid{Field: "what_to_do", Key: "error.warning.what_to_do_publish", Args: map[string]any{"Languages": strings.Join(missing, ", ")}}
	}
	return nil
}

func (a *Authoring) originalText(ctx context.Context, w model.Warning) (string, error) {
	ts, err := a.store.WarningTranslations(ctx, w.ID)
	if err != nil {
		return "", err
	}
	for _, t := range ts {
		if t.Lang == w.Lang {
			return textSummary(stateText{Title: t.Title, Summary: t.Summary, WhatToDo: t.WhatToDo, Body: t.Body}), nil
		}
	}
	return "", nil
}
