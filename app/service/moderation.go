package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// queueSize is how many pending posts the queue shows at once.
const queueSize = 50

// Moderation holds the rules of moderators' work on posts. Every decision
// is checked against the moderator's scope and written to the audit log in
// the same transaction.
type Moderation struct {
	store *store.Store
	now   func() time.Time
	forum *Forum
	// retention is how long the audit log keeps texts; 0 keeps them.
	retention time.Duration
}

// Decision is a moderator's verdict on a pending post.
type Decision struct {
	// Kind is "report" or "reply".
	Kind   string
	ID     int64
	Reason string
}

// Approve publishes a pending post and counts it towards its author's trust.
func (m *Moderation) Approve(ctx context.Context, moderator *model.User, d Decision) error {
	return m.decide(ctx, moderator, d, model.PostPublished, "approve")
}

// Reject refuses a pending post with a reason its author sees.
func (m *Moderation) Reject(ctx context.Context, moderator *model.User, d Decision) error {
	d.Reason = strings.TrimSpace(d.Reason)
	if errs := checkText("reason", d.Reason, 3, maxReasonLen); len(errs) > 0 {
		return errs
	}
	return m.decide(ctx, moderator, d, model.PostRejected, "reject")
}

func (m *Moderation) decide(ctx context.Context, moderator *model.User, d Decision, to model.PostStatus, action string) error {
	p, err := m.postInScope(ctx, moderator, d)
	if err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	authorID := p.authorID
	if p.status != model.PostPending {
		return &apperr.Invalid{Field: "form", Key: "error.moderation.not_pending"}
	}
	now := m.now()
	change := store.PostChange{Status: &to, RejectReason: &d.Reason, UpdatedAt: now}
	if to == model.PostPublished {
		change.PublishedAt = &now
		change.RejectReason = new("")
	}
	return m.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdatePost(ctx, d.Kind, d.ID, change); err != nil {
			return err
		}
		if to == model.PostPublished && authorID != nil {
			if err := tx.AddApprovedPost(ctx, *authorID); err != nil {
				return err
			}
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &moderator.ID, Action: d.Kind + "." + action, TargetType: d.Kind, TargetID: d.ID, Reason: d.Reason, CreatedAt: now})
	})
}

// target loads the post a decision is about, with the report that sets its
// scope.
func (m *Moderation) target(ctx context.Context, d Decision) (model.Report, *int64, model.PostStatus, error) {
	switch d.Kind {
	case "report":
		r, err := m.store.Report(ctx, d.ID)
		if err != nil {
			return model.Report{}, nil, "", fmt.Errorf("moderate report %d: %w", d.ID, err)
		}
		return r, r.AuthorID, r.Status, nil
	case "reply":
		rp, err := m.store.Reply(ctx, d.ID)
		if err != nil {
			return model.Report{}, nil, "", fmt.Errorf("moderate reply %d: %w", d.ID, err)
		}
		r, err := m.store.Report(ctx, rp.ReportID)
		if err != nil {
			return model.Report{}, nil, "", fmt.Errorf("moderate reply %d: %w", d.ID, err)
		}
		return r, rp.AuthorID, rp.Status, nil
	default:
		return model.Report{}, nil, "", fmt.Errorf("moderate %q: %w", d.Kind, apperr.ErrNotFound)
	}
}
