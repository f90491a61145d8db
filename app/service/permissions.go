package service

// Who may do what. Every permission rule of the services lives in this
// file: the admin check, a moderator's scope (the content languages and the
// countries they cover; everything for an admin), whether a moderator
// covers a report, a reply or a warning, who may author a warning and who
// may edit a post. Services load what a request is about through
// findInScope, so an object out of the actor's scope is answered exactly
// like one that does not exist. A new kind of actor (an API key and its
// scopes) adds its check here and passes it to findInScope.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// findInScope loads the object id with load and returns it when allowed
// says the actor may act on it. One that is not allowed is
// apperr.ErrNotFound, as one that does not exist, so that nobody out of
// scope can tell it exists; an error of allowed (apperr.ErrForbidden for
// someone who may act on no such object at all) is returned as it is.
func findInScope[T any](ctx context.Context, what string, id int64, load func(context.Context, int64) (T, error), allowed func(context.Context, T) (bool, error)) (T, error) {
	var zero T
	v, err := load(ctx, id)
	if err != nil {
		return zero, fmt.Errorf("%s %d: %w", what, id, err)
	}
	ok, err := allowed(ctx, v)
	if err != nil {
		return zero, fmt.Errorf("%s %d: %w", what, id, err)
	}
	if !ok {
		return zero, fmt.Errorf("%s %d: %w", what, id, apperr.ErrNotFound)
	}
	return v, nil
}

// isStaff reports whether role moderates content: moderators and admins.
func isStaff(role model.Role) bool {
	return role == model.RoleModerator || role == model.RoleAdmin
}

// check refuses anyone but an admin.
func (a *Admin) check(u *model.User) error {
	return checkAdmin(u)
}

// checkAdmin refuses anyone but an admin.
func checkAdmin(u *model.User) error {
	if u == nil || u.Role != model.RoleAdmin {
		return fmt.Errorf("admin: %w", apperr.ErrForbidden)
	}
	return nil
}

// HasScope reports whether the key holds scope.
func (id KeyIdentity) HasScope(scope string) bool {
	return contains(id.Scopes, scope)
}

// RequireScope refuses a request made with a key that lacks scope
// (apperr.ErrScope, a 403), and one made without a key
// (apperr.ErrUnauthenticated, a 401). Routes that need a key call it.
func RequireScope(ctx context.Context, scope string) (KeyIdentity, error) {
	id, ok := KeyFrom(ctx)
	if !ok {
		return KeyIdentity{}, fmt.Errorf("scope %s: no key: %w", scope, apperr.ErrUnauthenticated)
	}
	if !id.HasScope(scope) {
		return KeyIdentity{}, fmt.Errorf("scope %s: key %d: %w", scope, id.ID, apperr.ErrScope)
	}
	return id, nil
}

// ReadScope is the rule for reading published content: it never needs a
// key, but a request that sends one is held to it. A valid key without
// the read scope is refused (403), not served as a visitor: a key meant
// only to submit, once leaked or misused, reads nothing through its own
// name, and a partner's mistake shows at once instead of quietly riding
// the anonymous limit.
func ReadScope(ctx context.Context) error {
	if _, keyed := KeyFrom(ctx); !keyed {
		return nil
	}
	_, err := RequireScope(ctx, ScopeRead)
	return err
}

// scopeOf returns the languages and countries a moderator covers; all is
// true for admins. Anyone else is refused.
func (f *Forum) scopeOf(ctx context.Context, u *model.User) (langs, countries []string, all bool, err error) {
	if u == nil || !isStaff(u.Role) {
		return nil, nil, false, fmt.Errorf("moderation: %w", apperr.ErrForbidden)
	}
	if u.Role == model.RoleAdmin {
		return nil, nil, true, nil
	}
	langs, countries, err = f.store.ModeratorScope(ctx, u.ID)
	return langs, countries, false, err
}

// moderates reports whether u may moderate report r: admins always,
// moderators when the report's language and one of its countries are in
// their scope.
func (f *Forum) moderates(ctx context.Context, u *model.User, r model.Report) (bool, error) {
	langs, countries, all, err := f.scopeOf(ctx, u)
	if errors.Is(err, apperr.ErrForbidden) {
		return false, nil
	}
	if err != nil || all {
		return all, err
	}
	if !contains(langs, r.Lang) {
		return false, nil
	}
	rc, err := f.store.ReportCountries(ctx, []int64{r.ID})
	if err != nil {
		return false, err
	}
	for _, c := range rc[r.ID] {
		if contains(countries, c.Country) {
			return true, nil
		}
	}
	return false, nil
}

// visibility tells whether viewer wrote r or moderates it; a report that is
// not public and neither is apperr.ErrNotFound.
func (f *Forum) visibility(ctx context.Context, viewer *model.User, r model.Report) (own, mod bool, err error) {
	own = viewer != nil && r.AuthorID != nil && *r.AuthorID == viewer.ID
	if mod, err = f.moderates(ctx, viewer, r); err != nil {
		return false, false, err
	}
	if !r.Status.Public() && !own && !mod {
		return false, false, fmt.Errorf("report %d: %w", r.ID, apperr.ErrNotFound)
	}
	return own, mod, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scope returns the moderator's languages and countries; see Forum.scopeOf.
func (m *Moderation) scope(ctx context.Context, u *model.User) (langs, countries []string, all bool, err error) {
	return m.forum.scopeOf(ctx, u)
}

// postScope returns the posts u covers, or apperr.ErrForbidden for anyone
// but moderators and admins.
func (m *Moderation) postScope(ctx context.Context, u *model.User) (store.PostScope, error) {
	langs, countries, all, err := m.scope(ctx, u)
	if err != nil {
		return store.PostScope{}, err
	}
	return store.PostScope{Langs: langs, Countries: countries, All: all}, nil
}

// mayAuthor checks that u moderates lang and one of countries.
func (a *Authoring) mayAuthor(ctx context.Context, u *model.User, lang string, countries []string) error {
	langs, scope, all, err := a.forum.scopeOf(ctx, u)
	if err != nil {
		return err
	}
	if all {
		return nil
	}
	base, _ := contentLanguage(lang)
	if !contains(langs, base) {
		return &apperr.Invalid{Field: "lang", Key: "error.warning.scope"}
	}
	for _, c := range countries {
		if code, ok := CountryCode(c); ok && contains(scope, code) {
			return nil
		}
	}
	return &apperr.Invalid{Field: "origin", Key: "error.warning.scope"}
}

// inScope loads a warning the moderator covers, else apperr.ErrNotFound.
func (a *Authoring) inScope(ctx context.Context, u *model.User, id int64) (model.Warning, error) {
	return findInScope(ctx, "warning", id, a.store.Warning, func(ctx context.Context, w model.Warning) (bool, error) {
		return a.covers(ctx, u, w)
	})
}

// covers reports whether u moderates warning w: admins always, moderators
// when its language and one of its countries are in their scope.
func (a *Authoring) covers(ctx context.Context, u *model.User, w model.Warning) (bool, error) {
	langs, scope, all, err := a.forum.scopeOf(ctx, u)
	if err != nil {
		return false, err
	}
	if all {
		return true, nil
	}
	if !contains(langs, w.Lang) {
		return false, nil
	}
	codes, err := a.store.WarningCountryCodes(ctx, w.ID)
	if err != nil {
		return false, err
	}
	for _, c := range codes {
		if contains(scope, c) {
			return true, nil
		}
	}
	return false, nil
}

// mayEdit checks that actor wrote the post, that it is neither locked nor
// refused, and that the edit window is still open.
func (f *Forum) mayEdit(actor *model.User, authorID *int64, status model.PostStatus, created time.Time) error {
	if actor == nil || authorID == nil || *authorID != actor.ID {
		return fmt.Errorf("edit: %w", apperr.ErrForbidden)
	}
	if err := f.actorState(actor); err != nil {
		return err
	}
	switch status {
	case model.PostPublished, model.PostPending:
	default:
		return &apperr.Invalid{Field: "form", Key: "error.post.not_editable"}
	}
	if f.now().Sub(created) > f.cfg.EditWindow {
		return &apperr.Invalid{Field: "form", Key: "error.post.edit_window", Args: map[string]any{"Hours": f.EditWindowHours()}}
	}
	return nil
}

// postInScope loads the post d is about, with the report that sets its
// scope, when moderator moderates it, else apperr.ErrNotFound.
func (m *Moderation) postInScope(ctx context.Context, moderator *model.User, d Decision) (postTarget, error) {
	load := func(ctx context.Context, _ int64) (postTarget, error) {
		report, authorID, status, err := m.target(ctx, d)
		return postTarget{report: report, authorID: authorID, status: status}, err
	}
	return findInScope(ctx, d.Kind, d.ID, load, func(ctx context.Context, p postTarget) (bool, error) {
		return m.forum.moderates(ctx, moderator, p.report)
	})
}

// postTarget is a post a moderator acts on: the report that sets its scope
// (the post itself, or the report a reply answers), its author and state.
type postTarget struct {
	report   model.Report
	authorID *int64
	status   model.PostStatus
}

// mayRestrict is whether moderator, with the scope given, may silence or
// ban a user: admins anyone but themselves, moderators only members who
// wrote a report or a reply in their scope.
func (m *Moderation) mayRestrict(moderator *model.User, langs, countries []string, all bool) func(context.Context, model.User) (bool, error) {
	return func(ctx context.Context, target model.User) (bool, error) {
		if target.ID == moderator.ID || (target.Role != model.RoleMember && !all) {
			return false, apperr.ErrForbidden
		}
		if all {
			return true, nil
		}
		return m.store.MemberInScope(ctx, target.ID, store.Scope{Langs: langs, Countries: countries})
	}
}

// mayEditOwn is mayEdit for findInScope: someone else's post is out of
// scope (not found), a post of actor's that may no longer be edited says
// why.
func (f *Forum) mayEditOwn(actor *model.User, authorID *int64, status model.PostStatus, created time.Time) (bool, error) {
	err := f.mayEdit(actor, authorID, status, created)
	if errors.Is(err, apperr.ErrForbidden) {
		return false, nil
	}
	return err == nil, err
}
