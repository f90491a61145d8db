package store

import (
	"context"
	"database/sql"

	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// OrganisationsByID loads the organisations with the given IDs, keyed by ID.
func (s *Store) OrganisationsByID(ctx context.Context, ids []int64) (map[int64]model.Organisation, error) {
	out := make(map[int64]model.Organisation, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(nil, ids)
	err := s.plainQuery(ctx, "organisations",
		"SELECT id, slug, name, website, verified, created_at, updated_at FROM organisations WHERE id IN ("+in+")", args,
		func(r *sql.Rows) error {
			var o model.Organisation
			if err := r.Scan(&o.ID, &o.Slug, &o.Name, &o.Website, &o.Verified, &o.CreatedAt, &o.UpdatedAt); err != nil {
				return err
			}
			out[o.ID] = o
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpsertOrganisation creates the organisation with o.Slug or updates its
// name, website, verification and public contacts, and fills o.ID.
func (s *Store) UpsertOrganisation(ctx context.Context, o *model.Organisation) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "slug"}},
		DoUpdates: clause.AssignmentColumns([]string{"name", "website", "verified", "phone", "email", "hours", "languages", "helps_with", "countries", "updated_at"}),
	}).Create(o).Error
	if err != nil {
		return mapErr(err, "upsert organisation %s", o.Slug)
	}
	if o.ID == 0 {
		return mapErr(s.db.WithContext(ctx).Where("slug = ?", o.Slug).Select("id").Take(o).Error, "organisation %s", o.Slug)
	}
	return nil
}
