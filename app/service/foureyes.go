package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/extract"
	"forewarn/app/model"
	"forewarn/app/store"
)

// revisionAction prefixes the audit log actions on revisions:
// warning.revision.propose, .approve, .reject and .supersede.
const revisionAction = "warning.revision."

// warningState is the complete content of a warning: the live (approved)
// one, or one proposed in a revision.
type warningState struct {
	Severity   model.Severity `json:"severity"`
	CategoryID int64          `json:"category_id"`
	ExpiresAt  *time.Time     `json:"expires_at,omitempty"`
	// Mark is the moderator's own mark that the warning names a party; it
	// can only add to what the content names.
	Mark      bool           `json:"mark"`
	Texts     []stateText    `json:"texts"`
	Countries []stateCountry `json:"countries"`
	// Indicators holds the indicator lines, "kind: value" each.
	Indicators    string  `json:"indicators"`
	SourceReports []int64 `json:"source_reports,omitempty"`
}

type stateText struct {
	Lang    string `json:"lang"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	Body    string `json:"body"`
	// WhatToDo is the "What to do now" of the text (empty in revisions
	// proposed before it existed).
	WhatToDo string `json:"what_to_do,omitempty"`
}

type stateCountry struct {
	Country string            `json:"country"`
	Role    model.CountryRole `json:"role"`
}

func (s *warningState) text(lang string) (stateText, bool) {
	for _, t := range s.Texts {
		if t.Lang == lang {
			return t, true
		}
	}
	return stateText{}, false
}

// setText replaces the text in t.Lang, or adds it.
func (s *warningState) setText(t stateText) {
	for i := range s.Texts {
		if s.Texts[i].Lang == t.Lang {
			s.Texts[i] = t
			return
		}
	}
	s.Texts = append(s.Texts, t)
	slices.SortFunc(s.Texts, func(a, b stateText) int { return strings.Compare(a.Lang, b.Lang) })
}

func (s *warningState) codes() []string {
	out := make([]string, len(s.Countries))
	for i, c := range s.Countries {
		out[i] = c.Country
	}
	return out
}

// regions are the countries phone numbers without a country code are read
// in: origins first, then destinations, then transit countries.
func (s *warningState) regions() []string {
	var out []string
	for _, role := range []model.CountryRole{model.CountryOrigin, model.CountryDestination, model.CountryTransit} {
		for _, c := range s.Countries {
			if c.Role == role {
				out = append(out, c.Country)
			}
		}
	}
	return out
}

// rawIndicators parses the indicator lines; unreadable lines were refused
// when the state was made and are skipped.
func (s *warningState) rawIndicators() []RawIndicator {
	var out []RawIndicator
	for _, line := range strings.Split(s.Indicators, "\n") {
		if raw, ok := parseIndicatorLine(strings.TrimSpace(line)); ok {
			out = append(out, raw)
		}
	}
	return out
}

func (s *warningState) route() string {
	var parts []string
	for _, c := range s.Countries {
		parts = append(parts, string(c.Role)+": "+c.Country)
	}
	return strings.Join(parts, ", ")
}

// NamesParty reports whether a warning's content names a person or a
// company: the moderator's mark, a company among the indicator lines, or a
// company known to the checker in the title, summary or body of any
// translation. It is the one rule of four eyes: content for which it is true
// is public only once a moderator other than its writers approved it.
func (a *Authoring) NamesParty(ctx context.Context, s warningState) (bool, error) {
	if s.Mark {
		return true, nil
	}
	for _, raw := range s.rawIndicators() {
		if raw.Kind == model.IndicatorCompany {
			return true, nil
		}
	}
	for _, t := range s.Texts {
		names, err := a.checker.namesCompany(ctx, t.Title+"\n"+t.Summary+"\n"+t.WhatToDo+"\n"+t.Body)
		if err != nil || names {
			return names, err
		}
	}
	return false, nil
}

// namesCompany reports whether text names a company known to the checker.
func (c *Checker) namesCompany(ctx context.Context, text string) (bool, error) {
	companies, err := c.knownCompanies(ctx)
	if err != nil {
		return false, err
	}
	for _, f := range extract.Extract(text, extract.Options{Companies: companies}) {
		if f.Kind == extract.KindCompany {
			return true, nil
		}
	}
	return false, nil
}

// liveState reads the approved content of a warning from the live tables.
func (a *Authoring) liveState(ctx context.Context, w model.Warning) (warningState, error) {
	s := warningState{Severity: w.Severity, CategoryID: w.CategoryID, ExpiresAt: w.ExpiresAt, Mark: w.NamesParty}
	ts, err := a.store.WarningTranslations(ctx, w.ID)
	if err != nil {
		return s, err
	}
	for _, t := range ts {
		s.Texts = append(s.Texts, stateText{Lang: t.Lang, Title: t.Title, Summary: t.Summary, Body: t.Body, WhatToDo: t.WhatToDo})
	}
	countries, err := a.store.WarningCountries(ctx, []int64{w.ID})
	if err != nil {
		return s, err
	}
	for _, c := range countries[w.ID] {
		s.Countries = append(s.Countries, stateCountry{Country: c.Country, Role: c.Role})
	}
	inds, err := a.store.WarningIndicators(ctx, []int64{w.ID})
	if err != nil {
		return s, err
	}
	var lines []string
	for _, ind := range inds[w.ID] {
		if ind.Kind == model.IndicatorSocial {
			lines = append(lines, fmt.Sprintf("%s: %s %s", ind.Kind, ind.Platform, ind.Raw))
		} else {
			lines = append(lines, fmt.Sprintf("%s: %s", ind.Kind, ind.Raw))
		}
	}
	s.Indicators = strings.Join(lines, "\n")
	return s, nil
}

// pending is the revision of a warning that waits, with its state and
// contributors; ok is false when none waits.
type pending struct {
	rev          model.WarningRevision
	state        warningState
	contributors []int64
}

func (a *Authoring) pendingOf(ctx context.Context, tx *store.Store, warningID int64) (pending, bool, error) {
	rev, err := tx.PendingWarningRevision(ctx, warningID)
	if errors.Is(err, apperr.ErrNotFound) {
		return pending{}, false, nil
	}
	if err != nil {
		return pending{}, false, err
	}
	p := pending{rev: rev}
	if err := json.Unmarshal([]byte(rev.State), &p.state); err != nil {
		return pending{}, false, fmt.Errorf("revision %d: %w", rev.ID, err)
	}
	if err := json.Unmarshal([]byte(rev.Contributors), &p.contributors); err != nil {
		return pending{}, false, fmt.Errorf("revision %d: %w", rev.ID, err)
	}
	return p, true, nil
}

// baseState is what a change to w starts from: the waiting revision of a
// published warning, else the live content.
func (a *Authoring) baseState(ctx context.Context, w model.Warning) (warningState, error) {
	if versioned(w.Status) {
		p, ok, err := a.pendingOf(ctx, a.store, w.ID)
		if err != nil {
			return warningState{}, err
		}
		if ok {
			return p.state, nil
		}
	}
	return a.liveState(ctx, w)
}

// versioned reports whether changes to a warning in status s wait for a
// second moderator when they name a party.
func versioned(s model.WarningStatus) bool {
	return s == model.WarningPublished || s == model.WarningExpired
}

// change is one moderator's change of a warning.
type change struct {
	action  string // "warning.edit" or "warning.translate"
	reason  string
	before  string
	after   string
	toDraft bool // a warning in review goes back to draft
}

// Outcome says what became of a change.
type Outcome int

// Outcomes of a change.
const (
	// Applied: the change is live (or in the draft).
	Applied Outcome = iota
	// Proposed: the change waits for a second moderator as a revision.
	Proposed
)

// apply writes state s as the new content of w: live at once when it names
// no party or w is not yet published, else as a pending revision.
func (a *Authoring) apply(ctx context.Context, moderator *model.User, w model.Warning, s warningState, c change) (Outcome, error) {
	names, err := a.NamesParty(ctx, s)
	if err != nil {
		return Applied, err
	}
	now := a.now()
	outcome := Applied
	err = a.store.Tx(ctx, func(tx *store.Store) error {
		if err := claim(ctx, tx, w); err != nil {
			return err
		}
		old, hasOld, err := a.pendingOf(ctx, tx, w.ID)
		if err != nil {
			return err
		}
		if hasOld {
			if err := tx.DecideWarningRevision(ctx, old.rev.ID, model.RevisionSuperseded, &moderator.ID, "", now); err != nil {
				return err
			}
			if err := tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: revisionAction + "supersede", TargetType: "warning", TargetID: w.ID, Reason: fmt.Sprint(old.rev.ID), CreatedAt: now}); err != nil {
				return err
			}
		}
		if versioned(w.Status) && names {
			outcome = Proposed
			contributors := []int64{moderator.ID}
			if hasOld {
				for _, id := range old.contributors {
					if !slices.Contains(contributors, id) {
						contributors = append(contributors, id)
					}
				}
			}
			state, _ := json.Marshal(s)
			ids, _ := json.Marshal(contributors)
			rev := model.WarningRevision{WarningID: w.ID, Status: model.RevisionPending, ProposerID: &moderator.ID, Contributors: string(ids), NamesParty: true, State: string(state), CreatedAt: now}
			if err := tx.AddWarningRevision(ctx, &rev); err != nil {
				return err
			}
			return tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: revisionAction + "propose", TargetType: "warning", TargetID: w.ID, Reason: fmt.Sprint(rev.ID), BeforeText: c.before, AfterText: c.after, CreatedAt: now})
		}
		var change store.WarningChange
		if c.toDraft && w.Status == model.WarningInReview {
			change.Status = new(model.WarningDraft)
		}
		if err := a.writeLive(ctx, tx, w.ID, s, names, change, now); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: c.action, TargetType: "warning", TargetID: w.ID, Reason: c.reason, BeforeText: c.before, AfterText: c.after, CreatedAt: now})
	})
	if err != nil {
		return Applied, fmt.Errorf("%s %d: %w", c.action, w.ID, err)
	}
	return outcome, nil
}

// claim takes w for a change decided on it as read: when another change
// of the warning came first, the decision may rest on content that is no
// longer there (a publication judged on a text an edit then made name a
// company), and the change is refused with a request to reload.
func claim(ctx context.Context, tx *store.Store, w model.Warning) error {
	err := tx.ClaimWarning(ctx, w.ID, w.LockVersion)
	if errors.Is(err, apperr.ErrConflict) {
		return &apperr.Invalid{Field: "form", Key: "error.foureyes.changed"}
	}
	return err
}

// writeLive replaces the live content of a warning by s in tx: fields,
// every translation, route and indicator links (those listed and those the
// texts hold).
func (a *Authoring) writeLive(ctx context.Context, tx *store.Store, id int64, s warningState, names bool, change store.WarningChange, now time.Time) error {
	change.Facts = &store.WarningFacts{Severity: s.Severity, CategoryID: s.CategoryID, ExpiresAt: s.ExpiresAt}
	change.NamesParty, change.UpdatedAt = &names, now
	if err := tx.UpdateWarning(ctx, id, change); err != nil {
		return err
	}
	ts := make([]model.WarningTranslation, len(s.Texts))
	for i, t := range s.Texts {
		ts[i] = model.WarningTranslation{Lang: t.Lang, Title: t.Title, Summary: t.Summary, Body: t.Body, WhatToDo: t.WhatToDo, CreatedAt: now, UpdatedAt: now}
	}
	if err := tx.ReplaceWarningTranslations(ctx, id, ts); err != nil {
		return err
	}
	links, err := a.stateLinks(ctx, tx, s)
	if err != nil {
		return err
	}
	cs := make([]model.WarningCountry, len(s.Countries))
	for i, c := range s.Countries {
		cs[i] = model.WarningCountry{Country: c.Country, Role: c.Role}
	}
	return tx.ReplaceWarningRoute(ctx, id, cs, links)
}

// stateLinks stores the indicators s lists and those its texts hold, and
// returns them each once.
func (a *Authoring) stateLinks(ctx context.Context, tx *store.Store, s warningState) ([]model.WarningIndicator, error) {
	regions := s.regions()
	listed, err := ensureIndicators(ctx, tx, s.rawIndicators(), regions)
	if err != nil {
		return nil, err
	}
	companies, err := a.checker.knownCompanies(ctx)
	if err != nil {
		return nil, err
	}
	var texts []string
	for _, t := range s.Texts {
		texts = append(texts, t.Title, t.Summary, t.WhatToDo, t.Body)
	}
	inText, err := textIndicators(ctx, tx, strings.Join(texts, "\n"), regions, companies)
	if err != nil {
		return nil, err
	}
	var links []model.WarningIndicator
	seen := map[int64]bool{}
	for _, f := range append(listed, inText...) {
		if !seen[f.id] {
			seen[f.id] = true
			links = append(links, model.WarningIndicator{IndicatorID: f.id, Raw: f.raw})
		}
	}
	return links, nil
}

// ApproveRevision makes the waiting revision revisionID of a warning
// public. Only a moderator in scope who wrote no part of it may.
func (a *Authoring) ApproveRevision(ctx context.Context, moderator *model.User, id, revisionID int64) error {
	return a.decide(ctx, moderator, id, revisionID, true, "")
}

// RejectRevision discards the waiting revision revisionID of a warning;
// the public content stays as it is.
func (a *Authoring) RejectRevision(ctx context.Context, moderator *model.User, id, revisionID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if len(reason) > maxReasonLen {
		return &apperr.Invalid{Field: "reason", Key: "error.foureyes.reason_long"}
	}
	return a.decide(ctx, moderator, id, revisionID, false, reason)
}

func (a *Authoring) decide(ctx context.Context, moderator *model.User, id, revisionID int64, approve bool, reason string) error {
	w, err := a.inScope(ctx, moderator, id)
	if err != nil {
		return err
	}
	p, ok, err := a.pendingOf(ctx, a.store, id)
	if err != nil {
		return err
	}
	if !ok || p.rev.ID != revisionID || !versioned(w.Status) {
		return &apperr.Invalid{Field: "form", Key: "error.foureyes.stale"}
	}
	if slices.Contains(p.contributors, moderator.ID) {
		return &apperr.Invalid{Field: "form", Key: "error.foureyes.own_revision"}
	}
	if approve {
		if err := whatToDoEverywhere(p.state); err != nil {
			return err
		}
		// Approving moves the warning: the new route must be in the
		// approver's scope too.
		if err := a.mayAuthor(ctx, moderator, w.Lang, p.state.codes()); err != nil {
			return &apperr.Invalid{Field: "form", Key: "error.foureyes.route_scope"}
		}
	}
	names, err := a.NamesParty(ctx, p.state)
	if err != nil {
		return err
	}
	before, err := a.originalText(ctx, w)
	if err != nil {
		return err
	}
	now := a.now()
	err = a.store.Tx(ctx, func(tx *store.Store) error {
		if err := claim(ctx, tx, w); err != nil {
			return err
		}
		if !approve {
			if err := tx.DecideWarningRevision(ctx, p.rev.ID, model.RevisionRejected, &moderator.ID, reason, now); err != nil {
				return err
			}
			return tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: revisionAction + "reject", TargetType: "warning", TargetID: id, Reason: reason, CreatedAt: now})
		}
		if err := tx.DecideWarningRevision(ctx, p.rev.ID, model.RevisionApproved, &moderator.ID, "", now); err != nil {
			return err
		}
		if err := a.writeLive(ctx, tx, id, p.state, names, store.WarningChange{ApproverID: &moderator.ID}, now); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: revisionAction + "approve", TargetType: "warning", TargetID: id, Reason: fmt.Sprint(p.rev.ID), BeforeText: before, AfterText: stateSummary(p.state, w.Lang), CreatedAt: now})
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return &apperr.Invalid{Field: "form", Key: "error.foureyes.stale"}
	}
	if err != nil {
		return fmt.Errorf("decide revision %d of warning %d: %w", revisionID, id, err)
	}
	return nil
}

// stateSummary is the original text of s as the audit log keeps it.
func stateSummary(s warningState, lang string) string {
	t, _ := s.text(lang)
	return textSummary(t)
}

// textSummary is one text as the audit log keeps it.
func textSummary(t stateText) string {
	out := t.Title + "\n\n" + t.Summary
	if t.WhatToDo != "" {
		out += "\n\n" + t.WhatToDo
	}
	return out + "\n\n" + t.Body
}

// RevisionChange is one field a waiting revision changes.
type RevisionChange struct {
	// Field is "severity", "category", "expires", "route", "indicators",
	// "title", "summary", "what_to_do" or "body".
	Field string
	// Lang is the language of a text field.
	Lang     string
	Old, New string
	// OldRoute and NewRoute hold the route's countries when Field is
	// "route", so that pages name the roles and countries in their language.
	OldRoute, NewRoute []RevisionCountry
}

// RevisionCountry is one country of a route in a waiting revision.
type RevisionCountry struct {
	Country string
	Role    model.CountryRole
}

func (s *warningState) routeCountries() []RevisionCountry {
	out := make([]RevisionCountry, len(s.Countries))
	for i, c := range s.Countries {
		out[i] = RevisionCountry(c)
	}
	return out
}

// PendingRevision is a waiting revision as the moderators' page shows it.
type PendingRevision struct {
	ID       int64
	Proposer string
	// Own is set when the viewer wrote part of it: they cannot decide it.
	Own       bool
	CreatedAt time.Time
	Changes   []RevisionChange
}

// revisionView compares the waiting revision with the public content.
func (a *Authoring) revisionView(ctx context.Context, moderator *model.User, live warningState, p pending, cats map[int64]string) (PendingRevision, error) {
	out := PendingRevision{ID: p.rev.ID, Own: slices.Contains(p.contributors, moderator.ID), CreatedAt: p.rev.CreatedAt}
	if p.rev.ProposerID != nil {
		names, err := a.store.PseudonymsByID(ctx, []int64{*p.rev.ProposerID})
		if err != nil {
			return out, err
		}
		out.Proposer = names[*p.rev.ProposerID]
	}
	n := p.state
	add := func(field, lang, old, new string) {
		if old != new {
			out.Changes = append(out.Changes, RevisionChange{Field: field, Lang: lang, Old: old, New: new})
		}
	}
	add("severity", "", string(live.Severity), string(n.Severity))
	add("category", "", cats[live.CategoryID], cats[n.CategoryID])
	add("expires", "", dateOf(live.ExpiresAt), dateOf(n.ExpiresAt))
	add("route", "", live.route(), n.route())
	if last := len(out.Changes) - 1; last >= 0 && out.Changes[last].Field == "route" {
		out.Changes[last].OldRoute, out.Changes[last].NewRoute = live.routeCountries(), n.routeCountries()
	}
	add("indicators", "", live.Indicators, n.Indicators)
	for _, t := range n.Texts {
		o, _ := live.text(t.Lang)
		add("title", t.Lang, o.Title, t.Title)
		add("summary", t.Lang, o.Summary, t.Summary)
		add("what_to_do", t.Lang, o.WhatToDo, t.WhatToDo)
		add("body", t.Lang, o.Body, t.Body)
	}
	return out, nil
}

func dateOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}
