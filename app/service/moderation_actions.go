package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// Redacted replaces a redacted passage in public text.
const Redacted = "[redacted]"

// Moderator actions on a post, beyond the queue's approve and reject.
const (
	ActionHide   = "hide"
	ActionUnhide = "unhide"
	ActionLock   = "lock"
	ActionUnlock = "unlock"
	ActionRedact = "redact"
)

// PostAction is a moderator's action on a published post.
type PostAction struct {
	Action string
	Kind   string
	ID     int64
	Reason string
	// Passage is the text to redact, for ActionRedact.
	Passage string
}

// transitions lists, per action, the states it applies to and the state it
// leads to; redaction keeps the state.
var transitions = map[string]struct {
	from []model.PostStatus
	to   model.PostStatus
}{
	ActionHide:   {[]model.PostStatus{model.PostPublished, model.PostLocked}, model.PostHidden},
	ActionUnhide: {[]model.PostStatus{model.PostHidden}, model.PostPublished},
	ActionLock:   {[]model.PostStatus{model.PostPublished}, model.PostLocked},
	ActionUnlock: {[]model.PostStatus{model.PostLocked}, model.PostPublished},
	ActionRedact: {[]model.PostStatus{model.PostPending, model.PostPublished, model.PostLocked, model.PostHidden}, ""},
}

// Act applies a moderator's action to a post in their scope, logging it
// with the text before and after a redaction; a redaction applies to every
// earlier revision of the post too, so the original text is then kept only
// in the audit log.
func (m *Moderation) Act(ctx context.Context, moderator *model.User, a PostAction) error {
	tr, ok := transitions[a.Action]
	if !ok || (a.Kind == "reply" && (a.Action == ActionLock || a.Action == ActionUnlock)) {
		return &apperr.Invalid{Field: "action", Key: "error.moderation.action"}
	}
	a.Reason = strings.TrimSpace(a.Reason)
	if errs := checkText("reason", a.Reason, 3, maxReasonLen); len(errs) > 0 {
		return errs
	}
	p, err := m.postInScope(ctx, moderator, Decision{Kind: a.Kind, ID: a.ID})
	if err != nil {
		return fmt.Errorf("%s: %w", a.Action, err)
	}
	report := p.report
	if !containsStatus(tr.from, p.status) {
		return &apperr.Invalid{Field: "action", Key: "error.moderation.state"}
	}
	now := m.now()
	entry := &model.ModerationAction{ActorID: &moderator.ID, Action: a.Kind + "." + a.Action, TargetType: a.Kind, TargetID: a.ID, Reason: a.Reason, CreatedAt: now}
	change := store.PostChange{UpdatedAt: now}
	if tr.to != "" {
		change.Status = &tr.to
	}
	if a.Action == ActionRedact {
		if err := m.redaction(ctx, a, report, &change, entry); err != nil {
			return err
		}
	}
	return m.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdatePost(ctx, a.Kind, a.ID, change); err != nil {
			return err
		}
		if a.Action == ActionRedact {
			if err := tx.RedactRevisions(ctx, a.Kind, a.ID, strings.TrimSpace(a.Passage), Redacted); err != nil {
				return err
			}
		}
		if change.Title != nil && a.Action == ActionRedact && a.Kind == "report" {
			countries, err := tx.ReportCountries(ctx, []int64{a.ID})
			if err != nil {
				return err
			}
			if err := m.forum.syncIndicators(ctx, tx, a.ID, *change.Title+"\n"+*change.Body, countries[a.ID]); err != nil {
				return err
			}
		}
		if a.Action == ActionHide || a.Action == ActionUnhide || a.Action == ActionRedact {
			status := model.FlagUpheld
			if a.Action == ActionUnhide {
				status = model.FlagDismissed
			}
			if err := tx.ResolveFlags(ctx, a.Kind, a.ID, moderator.ID, status, now); err != nil {
				return err
			}
		}
		return tx.LogAction(ctx, entry)
	})
}

// redaction replaces every occurrence of the passage in the post's text
// and records the text before and after in the audit entry.
func (m *Moderation) redaction(ctx context.Context, a PostAction, report model.Report, change *store.PostChange, entry *model.ModerationAction) error {
	passage := strings.TrimSpace(a.Passage)
	if errs := checkText("passage", passage, 2, maxBodyLen); len(errs) > 0 {
		return errs
	}
	before := report.Title + "\n\n" + report.Body
	if a.Kind == "reply" {
		rp, err := m.store.Reply(ctx, a.ID)
		if err != nil {
			return err
		}
		before = rp.Body
	}
	if !strings.Contains(before, passage) {
		// A passage an author's edit took out lives on only in the earlier
		// revisions: the redaction removes it there, the post stays.
		ok, err := m.store.RevisionsContain(ctx, a.Kind, a.ID, passage)
		if err != nil {
			return err
		}
		if !ok {
			return &apperr.Invalid{Field: "passage", Key: "error.moderation.passage"}
		}
		entry.BeforeText, entry.AfterText = passage, Redacted
		return nil
	}
	if a.Kind == "reply" {
		body := strings.ReplaceAll(before, passage, Redacted)
		change.Body = &body
		entry.BeforeText, entry.AfterText = before, body
		return nil
	}
	title, body := strings.ReplaceAll(report.Title, passage, Redacted), strings.ReplaceAll(report.Body, passage, Redacted)
	change.Title, change.Body = &title, &body
	entry.BeforeText, entry.AfterText = before, title+"\n\n"+body
	return nil
}

func containsStatus(list []model.PostStatus, s model.PostStatus) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// MaxModeratorRestrictDays is the longest silence or ban a moderator may
// give; longer ones are for admins.
const MaxModeratorRestrictDays = 30

// Restriction silences or bans a member for a number of days.
type Restriction struct {
	UserID int64
	// Kind is "silence" (may read, may not post) or "ban" (may not log in).
	Kind   string
	Days   string
	Reason string
}

// Restrict silences or bans a member. Moderators may restrict only members
// who wrote a report or a reply in their scope, for at most
// MaxModeratorRestrictDays, and never shorten a restriction; admins anyone
// but themselves, site-wide and for longer. Any route that restricts goes
// through here.
func (m *Moderation) Restrict(ctx context.Context, moderator *model.User, r Restriction) error {
	langs, countries, all, err := m.scope(ctx, moderator)
	if err != nil {
		return fmt.Errorf("restrict: %w", err)
	}
	target, err := findInScope(ctx, "restrict user", r.UserID, m.store.User, m.mayRestrict(moderator, langs, countries, all))
	if err != nil {
		return err
	}
	var errs apperr.Invalids
	if r.Kind != "silence" && r.Kind != "ban" {
		errs = append(errs, &apperr.Invalid{Field: "kind", Key: "error.moderation.action"})
	}
	days, err := strconv.Atoi(r.Days)
	switch {
	case err != nil || days < 1 || days > 3650:
		errs = append(errs, &apperr.Invalid{Field: "days", Key: "error.moderation.days"})
	case days > MaxModeratorRestrictDays && !all:
		errs = append(errs, &apperr.Invalid{Field: "days", Key: "error.scope.days_max", Args: map[string]any{"Max": MaxModeratorRestrictDays}})
	}
	r.Reason = strings.TrimSpace(r.Reason)
	errs = append(errs, checkText("reason", r.Reason, 3, maxReasonLen)...)
	if err := errs.Err(); err != nil {
		return err
	}
	now := m.now()
	until := now.Add(time.Duration(days) * 24 * time.Hour)
	// A moderator never shortens a restriction: a longer one an admin gave
	// stays as it is.
	current := target.SilencedUntil
	if r.Kind == "ban" {
		current = target.BannedUntil
	}
	if !all && current != nil && current.After(until) {
		until = *current
	}
	return m.store.Tx(ctx, func(tx *store.Store) error {
		restrict := tx.SilenceUser
		if r.Kind == "ban" {
			restrict = tx.BanUser
		}
		if err := restrict(ctx, target.ID, until); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: "user." + r.Kind, TargetType: "user", TargetID: target.ID, Reason: r.Reason, AfterText: until.Format(time.RFC3339), CreatedAt: now})
	})
}

// PurgeAuditTexts empties the texts before and after of the audit entries
// older than the configured retention, so originals of redactions and
// edits do not outlive it, and the proposed content of warning revisions
// decided before it (their copy of the same texts); it returns how many
// audit entries it emptied. With no retention it keeps everything.
func (m *Moderation) PurgeAuditTexts(ctx context.Context) (int64, error) {
	if m.retention <= 0 {
		return 0, nil
	}
	cutoff := m.now().Add(-m.retention)
	n, err := m.store.PurgeAuditTexts(ctx, cutoff)
	if err != nil {
		return 0, fmt.Errorf("purge audit texts: %w", err)
	}
	if _, err := m.store.PurgeRevisionStates(ctx, cutoff); err != nil {
		return 0, fmt.Errorf("purge audit texts: %w", err)
	}
	return n, nil
}
