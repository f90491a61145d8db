package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// ListUsers returns users whose pseudonym contains q (folded), newest
// first.
func (s *Store) ListUsers(ctx context.Context, q string, offset, limit int) ([]model.User, error) {
	db := s.db.WithContext(ctx).Model(&model.User{})
	if q != "" {
		escaped := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q)
		db = db.Where(`pseudonym_key LIKE ? ESCAPE '\'`, "%"+escaped+"%")
	}
	var rows []model.User
	err := db.Order("created_at DESC, id DESC").Offset(offset).Limit(limit).Find(&rows).Error
	return rows, mapErr(err, "list users")
}

// SetUserRole sets the role and the organisation (nil for none) of a user.
func (s *Store) SetUserRole(ctx context.Context, id int64, role model.Role, organisationID *int64, at time.Time) error {
	return s.update(ctx, &model.User{}, id, map[string]any{"role": role, "organisation_id": organisationID, "updated_at": at})
}

// Organisations lists every organisation by name.
func (s *Store) Organisations(ctx context.Context) ([]model.Organisation, error) {
	var rows []model.Organisation
	err := s.db.WithContext(ctx).Order("name, id").Find(&rows).Error
	return rows, mapErr(err, "organisations")
}

// Organisation loads one organisation.
func (s *Store) Organisation(ctx context.Context, id int64) (model.Organisation, error) {
	var o model.Organisation
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&o).Error
	return o, mapErr(err, "organisation %d", id)
}

// CreateOrganisation inserts o; a taken slug is apperr.ErrConflict.
func (s *Store) CreateOrganisation(ctx context.Context, o *model.Organisation) error {
	return mapErr(s.db.WithContext(ctx).Create(o).Error, "create organisation %s", o.Slug)
}

// UpdateOrganisation writes the name, website and verification of o, whose
// ID names the organisation, and its UpdatedAt.
func (s *Store) UpdateOrganisation(ctx context.Context, o model.Organisation) error {
	return s.update(ctx, &model.Organisation{}, o.ID, map[string]any{"name": o.Name, "website": o.Website, "verified": o.Verified, "updated_at": o.UpdatedAt})
}

// SetInvestigator marks the organisation id a vetted investigator since
// since, or withdraws the mark when since is nil.
func (s *Store) SetInvestigator(ctx context.Context, id int64, since *time.Time, at time.Time) error {
	return s.update(ctx, &model.Organisation{}, id, map[string]any{"investigator_since": since, "updated_at": at})
}

// InvestigatorSince returns when the organisation id became a vetted
// investigator, nil when it is not one (or does not exist). It is read on
// every request that needs it, so a withdrawal holds at once.
func (s *Store) InvestigatorSince(ctx context.Context, id int64) (*time.Time, error) {
	var rows []model.Organisation
	err := s.db.WithContext(ctx).Select("id, investigator_since").Where("id = ?", id).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, mapErr(err, "investigator organisation %d", id)
	}
	return rows[0].InvestigatorSince, nil
}

// CreateCategory inserts c; a taken slug is apperr.ErrConflict.
func (s *Store) CreateCategory(ctx context.Context, c *model.Category) error {
	return mapErr(s.db.WithContext(ctx).Create(c).Error, "create category %s", c.Slug)
}

// CategoryNames lists the admin-given names of categories.
func (s *Store) CategoryNames(ctx context.Context) ([]model.CategoryName, error) {
	var rows []model.CategoryName
	err := s.db.WithContext(ctx).Find(&rows).Error
	return rows, mapErr(err, "category names")
}

// SetCategoryName creates or replaces a category's name in one language;
// an empty name removes it.
func (s *Store) SetCategoryName(ctx context.Context, n model.CategoryName) error {
	db := s.db.WithContext(ctx)
	if n.Name == "" {
		return mapErr(db.Where("category_id = ? AND lang = ?", n.CategoryID, n.Lang).Delete(&model.CategoryName{}).Error, "delete category name")
	}
	err := db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "category_id"}, {Name: "lang"}},
		DoUpdates: clause.AssignmentColumns([]string{"name"}),
	}).Create(&n).Error
	return mapErr(err, "set category name")
}

// UpdateCategory marks a category as changed at.
func (s *Store) UpdateCategory(ctx context.Context, id int64, at time.Time) error {
	return s.update(ctx, &model.Category{}, id, map[string]any{"updated_at": at})
}
