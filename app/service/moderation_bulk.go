package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// maxBulkItems is how many posts one bulk decision may name: two pages of
// the queue.
const maxBulkItems = 2 * queueSize

// QueueQuery asks for a page of the moderation queue; fields are raw text.
type QueueQuery struct {
	Page string
}

// QueuePage is one page of the pending posts in a moderator's scope, with
// the counts of all of them.
type QueuePage struct {
	Items   []model.QueueItem
	Page    int
	Pages   int
	Reports int
	Replies int
	// Related is the content related to each item of the page, by
	// RelatedKey.
	Related map[string]RelatedContent
}

// Total is the number of pending posts in scope.
func (q QueuePage) Total() int { return q.Reports + q.Replies }

// HasPrev reports whether an earlier page exists.
func (q QueuePage) HasPrev() bool { return q.Page > 1 }

// HasNext reports whether a later page exists.
func (q QueuePage) HasNext() bool { return q.Page < q.Pages }

// Queue returns a page of the pending posts in moderator's scope, oldest
// first; a page past the end is the last one.
func (m *Moderation) Queue(ctx context.Context, moderator *model.User, q QueueQuery) (QueuePage, error) {
	sc, err := m.postScope(ctx, moderator)
	if err != nil {
		return QueuePage{}, fmt.Errorf("queue: %w", err)
	}
	reports, replies, err := m.store.CountPending(ctx, sc)
	if err != nil {
		return QueuePage{}, fmt.Errorf("queue: %w", err)
	}
	out := QueuePage{Reports: int(reports), Replies: int(replies), Page: 1}
	out.Pages = (out.Total() + queueSize - 1) / queueSize
	if n, err := strconv.Atoi(q.Page); err == nil && n > 1 && len(q.Page) < 10 {
		out.Page = min(n, max(out.Pages, 1))
	}
	items, err := m.store.PendingPage(ctx, sc, queueSize, (out.Page-1)*queueSize)
	if err != nil {
		return QueuePage{}, fmt.Errorf("queue: %w", err)
	}
	out.Items = items
	if out.Related, err = m.related(ctx, moderator, items); err != nil {
		return QueuePage{}, fmt.Errorf("queue: %w", err)
	}
	return out, nil
}

// BulkResult counts what a bulk decision changed and what it left alone.
type BulkResult struct {
	Rejected int
	Hidden   int
	// Skipped are the items that were not pending, not in the moderator's
	// scope, or do not exist.
	Skipped int
}

// BulkReject rejects, with one reason, the pending posts named by items
// ("report:12", "reply:7") that are in moderator's scope, in one
// transaction with an audit entry for each. Items out of scope, unknown or
// no longer pending are skipped and left as they are.
func (m *Moderation) BulkReject(ctx context.Context, moderator *model.User, items []string, reason string) (BulkResult, error) {
	sc, err := m.postScope(ctx, moderator)
	if err != nil {
		return BulkResult{}, fmt.Errorf("bulk reject: %w", err)
	}
	var errs apperr.Invalids
	switch {
	case len(items) == 0:
		errs = append(errs, &apperr.Invalid{Field: "item", Key: "error.limits.bulk_none"})
	case len(items) > maxBulkItems:
		errs = append(errs, &apperr.Invalid{Field: "item", Key: "error.limits.bulk_too_many", Args: map[string]any{"Max": maxBulkItems}})
	}
	reason = strings.TrimSpace(reason)
	errs = append(errs, checkText("reason", reason, 3, maxReasonLen)...)
	if err := errs.Err(); err != nil {
		return BulkResult{}, err
	}
	var res BulkResult
	ids := map[string][]int64{}
	seen := map[string]bool{}
	for _, raw := range items {
		kind, id, ok := parseItem(raw)
		key := fmt.Sprintf("%s:%d", kind, id)
		if !ok || seen[key] {
			res.Skipped++
			continue
		}
		seen[key] = true
		ids[kind] = append(ids[kind], id)
	}
	var targets []store.PostRef
	for _, kind := range []string{"report", "reply"} {
		found, err := m.store.PostsInScope(ctx, kind, ids[kind], sc)
		if err != nil {
			return BulkResult{}, fmt.Errorf("bulk reject: %w", err)
		}
		res.Skipped += len(ids[kind]) - len(found)
		for _, p := range found {
			if p.Status != model.PostPending {
				res.Skipped++
				continue
			}
			targets = append(targets, p)
		}
	}
	now := m.now()
	var done BulkResult
	err = m.store.Tx(ctx, func(tx *store.Store) error {
		done = res
		for _, p := range targets {
			changed, err := tx.UpdatePostIf(ctx, p.Kind, p.ID, []model.PostStatus{model.PostPending},
				store.PostChange{Status: new(model.PostRejected), RejectReason: &reason, UpdatedAt: now})
			if err != nil {
				return err
			}
			if !changed {
				done.Skipped++
				continue
			}
			done.Rejected++
			if err := tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: p.Kind + ".reject", TargetType: p.Kind, TargetID: p.ID, Reason: reason, CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return BulkResult{}, fmt.Errorf("bulk reject: %w", err)
	}
	return done, nil
}

// BanAndRemove bans a member through Restrict, whose rules apply, then
// rejects the member's pending posts and hides their public ones, those in
// moderator's scope only, in one transaction with an audit entry for each.
// When Restrict refuses, nothing is changed. The ban and the removals are
// two transactions (Restrict owns its own): should the removals fail, the
// ban stands and the moderator may simply do it again.
func (m *Moderation) BanAndRemove(ctx context.Context, moderator *model.User, userID int64, days, reason string) (BulkResult, error) {
	sc, err := m.postScope(ctx, moderator)
	if err != nil {
		return BulkResult{}, fmt.Errorf("ban and remove: %w", err)
	}
	reason = strings.TrimSpace(reason)
	if err := m.Restrict(ctx, moderator, Restriction{UserID: userID, Kind: "ban", Days: days, Reason: reason}); err != nil {
		return BulkResult{}, err
	}
	posts, err := m.store.PostsByAuthor(ctx, userID, []model.PostStatus{model.PostPending, model.PostPublished, model.PostLocked}, sc)
	if err != nil {
		return BulkResult{}, fmt.Errorf("ban and remove: %w", err)
	}
	now := m.now()
	var res BulkResult
	err = m.store.Tx(ctx, func(tx *store.Store) error {
		res = BulkResult{}
		for _, p := range posts {
			action, from := "hide", []model.PostStatus{model.PostPublished, model.PostLocked}
			change := store.PostChange{Status: new(model.PostHidden), UpdatedAt: now}
			if p.Status == model.PostPending {
				action, from = "reject", []model.PostStatus{model.PostPending}
				change = store.PostChange{Status: new(model.PostRejected), RejectReason: &reason, UpdatedAt: now}
			}
			changed, err := tx.UpdatePostIf(ctx, p.Kind, p.ID, from, change)
			if err != nil {
				return err
			}
			if !changed {
				res.Skipped++
				continue
			}
			if action == "hide" {
				res.Hidden++
				if err := tx.ResolveFlags(ctx, p.Kind, p.ID, moderator.ID, model.FlagUpheld, now); err != nil {
					return err
				}
			} else {
				res.Rejected++
			}
			if err := tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: p.Kind + "." + action, TargetType: p.Kind, TargetID: p.ID, Reason: reason, CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return BulkResult{}, fmt.Errorf("ban and remove %d: %w", userID, err)
	}
	return res, nil
}

// parseItem reads "report:12" or "reply:7".
func parseItem(raw string) (kind string, id int64, ok bool) {
	kind, rawID, found := strings.Cut(raw, ":")
	if !found || (kind != "report" && kind != "reply") || len(rawID) > 19 {
		return "", 0, false
	}
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, false
	}
	return kind, id, true
}
