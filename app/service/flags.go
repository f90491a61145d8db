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

// FlagReasons lists the reasons a post can be flagged for.
var FlagReasons = []model.FlagReason{model.FlagSpam, model.FlagPersonalData, model.FlagFalse, model.FlagDangerous, model.FlagOffTopic, model.FlagOther}

// FlagInput is a flag as sent from the form.
type FlagInput struct {
	Kind   string
	ID     int64
	Reason string
	Note   string
}

// Flags of new accounts and bursts of flags are signs of sock puppets.
const (
	// flagMinAccountAge is how old an account must be before its flags
	// count towards hiding a post; younger flaggers are "new".
	flagMinAccountAge = 7 * 24 * time.Hour
	// flagBurstWindow and flagBurstSize: that many flags that do not count,
	// raised within the window, are a burst.
	flagBurstWindow = time.Hour
	flagBurstSize   = 3
	// flagNewAccounts flags of new accounts on one post are suspicious.
	flagNewAccounts = 2
	// flagMaxWeight is the weight of the most trusted flaggers.
	flagMaxWeight = 3
)

// Flag records that reporter (nil for a visitor) thinks a public post
// breaks the rules. Every flag reaches the moderators, but only the flags
// of trusted members count towards hiding the post until a moderator
// reviews it, each weighted by the member's trust (see flagWeight):
// visitors, new, untrusted, silenced and banned accounts hide nothing.
// Silenced and banned members may not flag at all. A member flags a post
// once.
func (m *Moderation) Flag(ctx context.Context, reporter *model.User, in FlagInput) error {
	if err := m.forum.actorState(reporter); err != nil {
		return err
	}
	report, _, status, err := m.target(ctx, Decision{Kind: in.Kind, ID: in.ID})
	if err != nil {
		return err
	}
	if !status.Public() || !report.Status.Public() {
		return fmt.Errorf("flag %s %d: %w", in.Kind, in.ID, apperr.ErrNotFound)
	}
	reason := model.FlagReason(in.Reason)
	var errs apperr.Invalids
	valid := false
	for _, r := range FlagReasons {
		valid = valid || r == reason
	}
	if !valid {
		errs = append(errs, &apperr.Invalid{Field: "reason", Key: "error.flag.reason"})
	}
	note := strings.TrimSpace(in.Note)
	if note != "" {
		errs = append(errs, checkText("note", note, 0, maxReasonLen)...)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if reporter != nil {
		dup, err := m.store.HasOpenFlag(ctx, in.Kind, in.ID, reporter.ID)
		if err != nil {
			return err
		}
		if dup {
			return nil
		}
	}
	now := m.now()
	return m.store.Tx(ctx, func(tx *store.Store) error {
		flag := model.Flag{TargetType: in.Kind, TargetID: in.ID, Reason: reason, Note: note, ReporterID: actorID(reporter), Status: model.FlagOpen, CreatedAt: now}
		if err := tx.CreateFlag(ctx, &flag); err != nil {
			return err
		}
		if status == model.PostHidden {
			return nil
		}
		flaggers, err := tx.OpenFlaggers(ctx, in.Kind, in.ID)
		if err != nil {
			return err
		}
		if err := m.markModerators(ctx, report, flaggers); err != nil {
			return err
		}
		weight := 0
		for _, f := range flaggers {
			weight += m.flagWeight(f)
		}
		if weight < m.forum.cfg.FlagThreshold {
			return nil
		}
		if err := tx.UpdatePost(ctx, in.Kind, in.ID, store.PostChange{Status: new(model.PostHidden), UpdatedAt: now}); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{Action: in.Kind + ".auto_hide", TargetType: in.Kind, TargetID: in.ID, Reason: "flag weight " + strconv.Itoa(weight) + " of " + strconv.Itoa(m.forum.cfg.FlagThreshold), CreatedAt: now})
	})
}

// flagWeight is how much a flag counts towards hiding a post: nothing from
// a visitor, from an account that is silenced, banned, younger than a week
// or below the trust threshold of approved posts; 1 for a member at the
// threshold, 2 from four times it, 3 from ten times it (approved posts
// that were taken down since do not count); moderators' and
// admins' flags count 3 on posts in their scope (see markModerators),
// elsewhere as a member's. The weights of a post's flags must reach the flag
// threshold.
func (m *Moderation) flagWeight(f store.Flagger) int {
	if f.UserID == nil || f.JoinedAt == nil {
		return 0
	}
	now := m.now()
	if (f.BannedUntil != nil && f.BannedUntil.After(now)) || (f.SilencedUntil != nil && f.SilencedUntil.After(now)) {
		return 0
	}
	if isStaff(f.Role) && f.ModeratesPost {
		return flagMaxWeight
	}
	if now.Sub(*f.JoinedAt) < flagMinAccountAge {
		return 0
	}
	threshold := m.forum.cfg.TrustThreshold
	step := max(threshold, 1)
	approved := flaggerTrust(f)
	switch {
	case approved < threshold:
		return 0
	case approved >= 10*step:
		return flagMaxWeight
	case approved >= 4*step:
		return 2
	}
	return 1
}

// markModerators sets ModeratesPost on the moderators and admins among
// flaggers whose scope holds report: a moderator hides a post at once only
// where they may hide it themselves.
func (m *Moderation) markModerators(ctx context.Context, report model.Report, flaggers []store.Flagger) error {
	for i := range flaggers {
		f := &flaggers[i]
		if f.UserID == nil || !isStaff(f.Role) {
			continue
		}
		ok, err := m.forum.moderates(ctx, &model.User{ID: *f.UserID, Role: f.Role}, report)
		if err != nil {
			return err
		}
		f.ModeratesPost = ok
	}
	return nil
}

// flaggerTrust is the trust a flagger has now: their approved posts less
// those moderators (or flags) took down since, so that members whose posts
// turned out to be spam lose the weight the posts gave them.
func flaggerTrust(f store.Flagger) int {
	return max(f.ApprovedPosts-f.RemovedPosts, 0)
}

// FlaggedItem is a post with open flags, their reasons and notes, and who
// raised them.
type FlaggedItem struct {
	model.FlaggedPost
	Reasons  []string
	Notes    []string
	Flaggers []FlaggerView
	// Weight is the sum of the flags' weights, against Threshold.
	Weight, Threshold int
	// NewAccounts counts the flags of accounts younger than a week.
	NewAccounts int
	// Suspicious marks a burst of flags that do not count, or several from
	// new accounts: perhaps sock puppets trying to hide the post.
	Suspicious bool
}

// FlaggerView is one flag as moderators see it.
type FlaggerView struct {
	// Pseudonym is empty for a visitor.
	Pseudonym     string
	ApprovedPosts int
	// AgeDays is the account's age in whole days when it flagged.
	AgeDays    int
	New        bool
	Restricted bool
	Weight     int
	FlaggedAt  time.Time
}

// Flagged lists the flagged posts in moderator's scope, oldest flag first,
// hidden ones too, with each flagger's trust and account age.
func (m *Moderation) Flagged(ctx context.Context, moderator *model.User) ([]FlaggedItem, error) {
	langs, countries, all, err := m.scope(ctx, moderator)
	if err != nil {
		return nil, err
	}
	items, err := m.store.OpenFlags(ctx, langs, countries, all, queueSize)
	if err != nil {
		return nil, fmt.Errorf("flagged: %w", err)
	}
	out := make([]FlaggedItem, len(items))
	for i, it := range items {
		reasons, err := m.store.FlagReasons(ctx, it.TargetType, it.TargetID)
		if err != nil {
			return nil, err
		}
		notes, err := m.store.FlagNotes(ctx, it.TargetType, it.TargetID)
		if err != nil {
			return nil, err
		}
		flaggers, err := m.store.OpenFlaggers(ctx, it.TargetType, it.TargetID)
		if err != nil {
			return nil, err
		}
		if err := m.markModerators(ctx, model.Report{ID: it.ReportID, Lang: it.Lang}, flaggers); err != nil {
			return nil, err
		}
		out[i] = m.flaggedItem(it, reasons, notes, flaggers)
	}
	return out, nil
}

func (m *Moderation) flaggedItem(it model.FlaggedPost, reasons, notes []string, flaggers []store.Flagger) FlaggedItem {
	item := FlaggedItem{FlaggedPost: it, Reasons: reasons, Notes: notes, Threshold: m.forum.cfg.FlagThreshold}
	now := m.now()
	var uncounted []time.Time
	for _, f := range flaggers {
		v := FlaggerView{Pseudonym: f.Pseudonym, ApprovedPosts: flaggerTrust(f), Weight: m.flagWeight(f), FlaggedAt: f.FlaggedAt}
		if f.JoinedAt != nil {
			age := f.FlaggedAt.Sub(*f.JoinedAt)
			v.AgeDays = int(age / (24 * time.Hour))
			v.New = age < flagMinAccountAge && f.Role == model.RoleMember
			v.Restricted = (f.BannedUntil != nil && f.BannedUntil.After(now)) || (f.SilencedUntil != nil && f.SilencedUntil.After(now))
		}
		if v.New {
			item.NewAccounts++
		}
		if v.Weight == 0 {
			uncounted = append(uncounted, f.FlaggedAt)
		}
		item.Weight += v.Weight
		item.Flaggers = append(item.Flaggers, v)
	}
	for i := 0; i+flagBurstSize-1 < len(uncounted); i++ {
		if uncounted[i+flagBurstSize-1].Sub(uncounted[i]) <= flagBurstWindow {
			item.Suspicious = true
		}
	}
	item.Suspicious = item.Suspicious || item.NewAccounts >= flagNewAccounts
	return item
}

// Dismiss closes the open flags of a post as unfounded, and shows the post
// again if the flags had hidden it.
func (m *Moderation) Dismiss(ctx context.Context, moderator *model.User, kind string, id int64) error {
	p, err := m.postInScope(ctx, moderator, Decision{Kind: kind, ID: id})
	if err != nil {
		return fmt.Errorf("dismiss flags: %w", err)
	}
	status := p.status
	now := m.now()
	return m.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.ResolveFlags(ctx, kind, id, moderator.ID, model.FlagDismissed, now); err != nil {
			return err
		}
		if status == model.PostHidden {
			if err := tx.UpdatePost(ctx, kind, id, store.PostChange{Status: new(model.PostPublished), UpdatedAt: now}); err != nil {
				return err
			}
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: kind + ".flags_dismissed", TargetType: kind, TargetID: id, CreatedAt: now})
	})
}

// AuditQuery filters the audit log; fields are raw text.
type AuditQuery struct {
	Action     string
	TargetType string
	TargetID   string
	Page       string
}

// AuditPage is one page of the audit log.
type AuditPage struct {
	Entries []model.AuditEntry
	Actions []string
	Page    int
	HasNext bool
}

// Audit returns a page of the audit log: all of it to admins, to a
// moderator only the entries about content in their scope (reports,
// replies and warnings in their languages and countries, members who wrote
// there or whom they restricted). It holds the text of posts before their
// redaction or edit, so a filter never widens that scope.
func (m *Moderation) Audit(ctx context.Context, moderator *model.User, q AuditQuery) (AuditPage, error) {
	langs, countries, all, err := m.scope(ctx, moderator)
	if err != nil {
		return AuditPage{}, err
	}
	var errs apperr.Invalids
	f := store.AuditFilter{Action: q.Action, Limit: 51}
	if !all {
		f.Scope = &store.Scope{Langs: langs, Countries: countries, UserID: moderator.ID}
	}
	switch q.TargetType {
	case "", "report", "reply", "warning", "user", "organisation", "category", "api_key":
		f.TargetType = q.TargetType
	default:
		errs = append(errs, &apperr.Invalid{Field: "target", Key: "error.audit.target"})
	}
	if q.TargetID != "" {
		id, err := strconv.ParseInt(q.TargetID, 10, 64)
		if err != nil || id <= 0 {
			errs = append(errs, &apperr.Invalid{Field: "id", Key: "error.id.invalid"})
		}
		f.TargetID = id
	}
	out := AuditPage{Page: 1}
	if q.Page != "" {
		n, err := strconv.Atoi(q.Page)
		if err != nil || n < 1 || n > maxPage {
			errs = append(errs, &apperr.Invalid{Field: "page", Key: "error.page.invalid"})
		}
		out.Page = n
	}
	if err := errs.Err(); err != nil {
		return AuditPage{}, err
	}
	f.Offset = (out.Page - 1) * 50
	entries, err := m.store.AuditLog(ctx, f)
	if err != nil {
		return AuditPage{}, fmt.Errorf("audit: %w", err)
	}
	if len(entries) > 50 {
		entries, out.HasNext = entries[:50], true
	}
	out.Entries = entries
	if out.Actions, err = m.store.AuditActions(ctx); err != nil {
		return AuditPage{}, err
	}
	return out, nil
}
