package service

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// Admin holds the rules of administration: roles, moderators' scopes,
// organisations and categories. Only admins may use it.
type Admin struct {
	store    *store.Store
	now      func() time.Time
	warnings *Warnings
	checker  *Checker
}

// UserRow is a user as the admin pages show it.
type UserRow struct {
	model.User
	Languages []string
	Countries []string
}

// Users lists users whose pseudonym contains q.
func (a *Admin) Users(ctx context.Context, admin *model.User, q string) ([]model.User, error) {
	if err := a.check(admin); err != nil {
		return nil, err
	}
	return a.store.ListUsers(ctx, PseudonymKey(strings.TrimSpace(q)), 0, 100)
}

// User loads one user with their moderator scope.
func (a *Admin) User(ctx context.Context, admin *model.User, id int64) (UserRow, error) {
	if err := a.check(admin); err != nil {
		return UserRow{}, err
	}
	u, err := a.store.User(ctx, id)
	if err != nil {
		return UserRow{}, fmt.Errorf("admin user %d: %w", id, err)
	}
	langs, countries, err := a.store.ModeratorScope(ctx, id)
	if err != nil {
		return UserRow{}, err
	}
	return UserRow{User: u, Languages: langs, Countries: countries}, nil
}

// UserChange is what an admin sets on a user; lists are comma-separated.
type UserChange struct {
	Role         string
	Organisation string
	Languages    string
	Countries    string
}

// UpdateUser sets a user's role, organisation and moderator scope. An admin
// cannot change their own role, so that the last admin cannot lock everyone
// out by mistake.
func (a *Admin) UpdateUser(ctx context.Context, admin *model.User, id int64, ch UserChange) error {
	if err := a.check(admin); err != nil {
		return err
	}
	u, err := a.store.User(ctx, id)
	if err != nil {
		return fmt.Errorf("admin user %d: %w", id, err)
	}
	var errs apperr.Invalids
	role := model.Role(ch.Role)
	if !role.Valid() {
		errs = append(errs, &apperr.Invalid{Field: "role", Key: "error.role.invalid"})
	} else if u.ID == admin.ID && role != u.Role {
		errs = append(errs, &apperr.Invalid{Field: "role", Key: "error.admin.own_role"})
	}
	var orgID *int64
	if ch.Organisation != "" {
		oid, err := strconv.ParseInt(ch.Organisation, 10, 64)
		if err == nil {
			_, err = a.store.Organisation(ctx, oid)
		}
		if err != nil {
			errs = append(errs, &apperr.Invalid{Field: "organisation", Key: "error.admin.organisation"})
		}
		orgID = &oid
	}
	var langs, countries []string
	for _, l := range splitComma(ch.Languages) {
		code, ok := contentLanguage(l)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "languages", Key: "error.language.unknown"})
			continue
		}
		langs = appendUnique(langs, code)
	}
	for _, c := range splitComma(ch.Countries) {
		code, ok := CountryCode(c)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "countries", Key: "error.country.unknown"})
			continue
		}
		countries = appendUnique(countries, code)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	now := a.now()
	return a.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetUserRole(ctx, id, role, orgID, now); err != nil {
			return err
		}
		if err := tx.SetModeratorScope(ctx, id, langs, countries); err != nil {
			return err
		}
		after := fmt.Sprintf("role=%s languages=%s countries=%s", role, strings.Join(langs, ","), strings.Join(countries, ","))
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "user.update", TargetType: "user", TargetID: id, BeforeText: "role=" + string(u.Role), AfterText: after, CreatedAt: now})
	})
}

// Organisations lists every organisation.
func (a *Admin) Organisations(ctx context.Context, admin *model.User) ([]model.Organisation, error) {
	if err := a.check(admin); err != nil {
		return nil, err
	}
	return a.store.Organisations(ctx)
}

// OrganisationInput is what an admin types for an organisation.
type OrganisationInput struct {
	Name     string
	Website  string
	Verified bool
}

var slugUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

// CreateOrganisation adds an organisation; its slug comes from its name.
func (a *Admin) CreateOrganisation(ctx context.Context, admin *model.User, in OrganisationInput) (int64, error) {
	if err := a.check(admin); err != nil {
		return 0, err
	}
	o, err := a.validOrganisation(ctx, in)
	if err != nil {
		return 0, err
	}
	now := a.now()
	o.Slug = strings.Trim(slugUnsafe.ReplaceAllString(FoldName(o.Name), "-"), "-")
	if o.Slug == "" {
		o.Slug = "org-" + strconv.FormatInt(now.Unix(), 36)
	}
	o.CreatedAt, o.UpdatedAt = now, now
	err = a.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateOrganisation(ctx, &o); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				return &apperr.Invalid{Field: "name", Key: "error.admin.organisation_taken"}
			}
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "organisation.create", TargetType: "organisation", TargetID: o.ID, AfterText: o.Name, CreatedAt: now})
	})
	return o.ID, err
}

// UpdateOrganisation changes an organisation's name, website and whether
// it is verified.
func (a *Admin) UpdateOrganisation(ctx context.Context, admin *model.User, id int64, in OrganisationInput) error {
	if err := a.check(admin); err != nil {
		return err
	}
	before, err := a.store.Organisation(ctx, id)
	if err != nil {
		return fmt.Errorf("organisation %d: %w", id, err)
	}
	o, err := a.validOrganisation(ctx, in)
	if err != nil {
		return err
	}
	now := a.now()
	return a.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateOrganisation(ctx, model.Organisation{ID: id, Name: o.Name, Website: o.Website, Verified: o.Verified, UpdatedAt: now}); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "organisation.update", TargetType: "organisation", TargetID: id, BeforeText: fmt.Sprintf("%s verified=%v", before.Name, before.Verified), AfterText: fmt.Sprintf("%s verified=%v", o.Name, o.Verified), CreatedAt: now})
	})
}

// SetInvestigator marks an organisation a vetted investigator (on) or
// withdraws the mark; admins only. Its keys' investigate scope and its
// members' investigation pages follow at once: both are checked against
// the mark on every request (see Investigations). Setting the state it
// already has changes nothing and logs nothing.
func (a *Admin) SetInvestigator(ctx context.Context, admin *model.User, id int64, on bool) error {
	if err := a.check(admin); err != nil {
		return err
	}
	before, err := a.store.Organisation(ctx, id)
	if err != nil {
		return fmt.Errorf("organisation %d: %w", id, err)
	}
	if (before.InvestigatorSince != nil) == on {
		return nil
	}
	now := a.now()
	var since *time.Time
	if on {
		since = &now
	}
	return a.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetInvestigator(ctx, id, since, now); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "organisation.investigator", TargetType: "organisation", TargetID: id,
			BeforeText: fmt.Sprintf("%s investigator=%v", before.Name, !on), AfterText: fmt.Sprintf("%s investigator=%v", before.Name, on), CreatedAt: now})
	})
}

// validOrganisation checks an organisation. Its name is shown on every
// warning it publishes, and one admin sets it alone: it cannot name a
// company (four eyes).
func (a *Admin) validOrganisation(ctx context.Context, in OrganisationInput) (model.Organisation, error) {
	var errs apperr.Invalids
	name := strings.TrimSpace(in.Name)
	errs = append(errs, checkText("name", name, 2, 120)...)
	company, err := a.checker.namesCompany(ctx, name)
	if err != nil {
		return model.Organisation{}, err
	}
	if company {
		errs = append(errs, &apperr.Invalid{Field: "name", Key: "error.review.organisation_company"})
	}
	website := strings.TrimSpace(in.Website)
	if website != "" {
		// https only: the website is a live link on every warning and help
		// page of the organisation.
		u, err := url.Parse(website)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(website) > 300 {
			errs = append(errs, &apperr.Invalid{Field: "website", Key: "error.admin.website"})
		}
	}
	return model.Organisation{Name: name, Website: website, Verified: in.Verified}, errs.Err()
}

// CategoryRow is a category with its admin-given names per language.
type CategoryRow struct {
	model.Category
	Names map[string]string
}

// Categories lists every category with its names.
func (a *Admin) Categories(ctx context.Context, admin *model.User) ([]CategoryRow, error) {
	if err := a.check(admin); err != nil {
		return nil, err
	}
	cats, err := a.store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	names, err := a.store.CategoryNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CategoryRow, len(cats))
	for i, c := range cats {
		out[i] = CategoryRow{Category: c, Names: map[string]string{}}
		for _, n := range names {
			if n.CategoryID == c.ID {
				out[i].Names[n.Lang] = n.Name
			}
		}
	}
	return out, nil
}

var validSlug = regexp.MustCompile(`^[a-z][a-z0-9-]{2,40}$`)

// CreateCategory adds a category with its name in the given languages.
func (a *Admin) CreateCategory(ctx context.Context, admin *model.User, slug string, names map[string]string) error {
	if err := a.check(admin); err != nil {
		return err
	}
	slug = strings.TrimSpace(slug)
	var errs apperr.Invalids
	if !validSlug.MatchString(slug) {
		errs = append(errs, &apperr.Invalid{Field: "slug", Key: "error.admin.slug"})
	}
	nameErrs, err := a.checkNames(ctx, names)
	if err != nil {
		return err
	}
	errs = append(errs, nameErrs...)
	if names["en"] == "" {
		errs = append(errs, &apperr.Invalid{Field: "name_en", Key: "error.admin.english_name"})
	}
	if err := errs.Err(); err != nil {
		return err
	}
	now := a.now()
	err = a.store.Tx(ctx, func(tx *store.Store) error {
		c := model.Category{Slug: slug, Position: 1000, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateCategory(ctx, &c); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				return &apperr.Invalid{Field: "slug", Key: "error.admin.slug_taken"}
			}
			return err
		}
		for lang, name := range names {
			if err := tx.SetCategoryName(ctx, model.CategoryName{CategoryID: c.ID, Lang: lang, Name: strings.TrimSpace(name)}); err != nil {
				return err
			}
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "category.create", TargetType: "category", TargetID: c.ID, AfterText: slug, CreatedAt: now})
	})
	return err
}

// RenameCategory sets a category's names per language; an empty name
// falls back to the interface's own translation or English.
func (a *Admin) RenameCategory(ctx context.Context, admin *model.User, id int64, names map[string]string) error {
	if err := a.check(admin); err != nil {
		return err
	}
	errs, err := a.checkNames(ctx, names)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return errs
	}
	now := a.now()
	err = a.store.Tx(ctx, func(tx *store.Store) error {
		for lang, name := range names {
			if err := tx.SetCategoryName(ctx, model.CategoryName{CategoryID: id, Lang: lang, Name: strings.TrimSpace(name)}); err != nil {
				return err
			}
		}
		if err := tx.UpdateCategory(ctx, id, now); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "category.rename", TargetType: "category", TargetID: id, CreatedAt: now})
	})
	return err
}

// checkNames checks a category's names. A name is shown on every warning
// of the category, and one admin sets it alone: it cannot name a company
// (four eyes).
func (a *Admin) checkNames(ctx context.Context, names map[string]string) (apperr.Invalids, error) {
	var errs apperr.Invalids
	for lang, name := range names {
		if name = strings.TrimSpace(name); name != "" {
			errs = append(errs, checkText("name_"+lang, name, 2, 80)...)
			company, err := a.checker.namesCompany(ctx, name)
			if err != nil {
				return nil, err
			}
			if company {
				errs = append(errs, &apperr.Invalid{Field: "name_" + lang, Key: "error.review.category_company"})
			}
		}
	}
	return errs, nil
}

func splitComma(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func appendUnique(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}
