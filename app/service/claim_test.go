package service

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/db"
	"forewarn/app/model"
	"forewarn/app/store"
)

// authoringFixture returns the services over a fresh, migrated SQLite
// database and a maker of moderators of en/UA.
func authoringFixture(t *testing.T) (*Services, *store.Store, func(string) *model.User) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open("sqlite:" + filepath.Join(t.TempDir(), "claim.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.MigrateUp(ctx, nil); err != nil {
		t.Fatal(err)
	}
	st := store.New(d.Gorm)
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	svc := New(st, func() time.Time { return now }, DefaultConfig())
	moderator := func(name string) *model.User {
		u, err := svc.Users.Create(ctx, NewUser{Pseudonym: name, Password: "a long moderator passphrase", Role: string(model.RoleModerator)})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetModeratorScope(ctx, u.ID, []string{"en"}, []string{"UA"}); err != nil {
			t.Fatal(err)
		}
		return &u
	}
	return svc, st, moderator
}

// A translation of a warning in review sends it back to draft, like an
// edit: the reviewer judges the text as it is when it is sent again.
func TestTranslationSendsAWarningInReviewBackToDraft(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, st, moderator := authoringFixture(t)
	author := moderator("translating_mod")
	id, err := svc.Authoring.CreateWarning(ctx, author, WarningDraft{Severity: "caution", Category: "fake-job-offer", Lang: "en", Origin: []string{"UA"},
		Title: "Fake cleaning jobs in Vienna", Summary: "A chat group offers cleaning jobs with housing.",
		Body: "They take the passport on arrival and keep the first month's wages."})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Authoring.Submit(ctx, author, id); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authoring.Translate(ctx, author, id, Translation{Lang: "uk", Title: "Фальшива робота прибиральницею у Відні",
		Summary: "Група в месенджері пропонує роботу прибиральницею з житлом.", Body: "Після приїзду забирають паспорт і не платять за перший місяць."}); err != nil {
		t.Fatal(err)
	}
	if w, err := st.Warning(ctx, id); err != nil || w.Status != model.WarningDraft {
		t.Errorf("after a translation in review: %s, %v; want draft", w.Status, err)
	}
}

// A publication is decided on the warning as the second moderator read it.
// When the author changed it in between (here: to name a company), the
// publication is refused and nothing becomes public; without the claim,
// the company went public approved by nobody but its author.
func TestPublicationOfAWarningChangedMeanwhileIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, st, moderator := authoringFixture(t)
	author, reviewer := moderator("author_mod"), moderator("reviewer_mod")
	draft := WarningDraft{Severity: "danger", Category: "fake-job-offer", Lang: "en", Origin: []string{"UA"},
		Title: "Fake warehouse jobs in Poland", Summary: "An agency sells warehouse jobs that do not exist.", WhatToDo: "Do not pay the fee.",
		Body: "They ask for a fee of 300 euros before the trip and then stop answering."}
	id, err := svc.Authoring.CreateWarning(ctx, author, draft)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Authoring.Submit(ctx, author, id); err != nil {
		t.Fatal(err)
	}

	// The reviewer reads the warning in review and judges it: it names no
	// one, so they may publish it.
	seen, err := svc.Authoring.inScope(ctx, reviewer, id)
	if err != nil || seen.Status != model.WarningInReview {
		t.Fatalf("read: %v %s", err, seen.Status)
	}
	// Meanwhile the author makes it name a company.
	draft.Indicators = "company: Baltic Build Staffing UAB"
	if _, err := svc.Authoring.UpdateWarning(ctx, author, id, draft); err != nil {
		t.Fatal(err)
	}
	err = svc.Authoring.transition(ctx, reviewer, seen, model.WarningInReview, model.WarningPublished, "warning.publish", "", store.WarningChange{NamesParty: new(false)})
	var invalid *apperr.Invalid
	if !errors.As(err, &invalid) || invalid.Key != "error.foureyes.changed" {
		t.Fatalf("stale publication: %v, want error.foureyes.changed", err)
	}
	w, err := st.Warning(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if w.Status == model.WarningPublished || !w.NamesParty {
		t.Errorf("after the refused publication: status %s, names party %v", w.Status, w.NamesParty)
	}
	// Read again, the warning is judged on what it says now: the author
	// cannot publish it, the reviewer can once it is in review again.
	if err := svc.Authoring.Submit(ctx, author, id); err != nil {
		t.Fatal(err)
	}
	if err := svc.Authoring.Publish(ctx, author, id); err == nil {
		t.Error("the author published a warning naming a company alone")
	}
	if err := svc.Authoring.Publish(ctx, reviewer, id); err != nil {
		t.Errorf("reviewer's publication of the current text: %v", err)
	}
	if w, _ := st.Warning(ctx, id); w.ApproverID == nil || *w.ApproverID != reviewer.ID || w.Status != model.WarningPublished {
		t.Errorf("published warning: status %s, approver %v", w.Status, w.ApproverID)
	}
}
