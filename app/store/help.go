package store

import (
	"context"

	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// HelpEntries lists the help entries of a country in every language,
// by language, kind and ID.
func (s *Store) HelpEntries(ctx context.Context, country string) ([]model.HelpEntry, error) {
	var rows []model.HelpEntry
	err := s.db.WithContext(ctx).Where("country = ?", country).Order("lang, kind, id").Find(&rows).Error
	return rows, mapErr(err, "help entries %s", country)
}

// HelpCountries lists the countries that have at least one help entry.
func (s *Store) HelpCountries(ctx context.Context) ([]string, error) {
	var codes []string
	err := s.db.WithContext(ctx).Model(&model.HelpEntry{}).Distinct("country").Order("country").Pluck("country", &codes).Error
	return codes, mapErr(err, "help countries")
}

// HelpEntry loads one help entry.
func (s *Store) HelpEntry(ctx context.Context, id int64) (model.HelpEntry, error) {
	var e model.HelpEntry
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&e).Error
	return e, mapErr(err, "help entry %d", id)
}

// CreateHelpEntry inserts e and fills its ID.
func (s *Store) CreateHelpEntry(ctx context.Context, e *model.HelpEntry) error {
	return mapErr(s.db.WithContext(ctx).Create(e).Error, "create help entry %s", e.Country)
}

// UpsertHelpEntry creates the entry with e.SeedKey or updates its text,
// for the demo seed, which may run again.
func (s *Store) UpsertHelpEntry(ctx context.Context, e *model.HelpEntry) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "seed_key"}},
		DoUpdates: clause.AssignmentColumns([]string{"country", "lang", "kind", "name", "description", "phone", "website", "hours", "updated_at"}),
	}).Create(e).Error
	return mapErr(err, "upsert help entry %s", e.Country)
}

// UpdateHelpEntry writes the text fields of e, whose ID names the entry.
func (s *Store) UpdateHelpEntry(ctx context.Context, e model.HelpEntry) error {
	return s.update(ctx, &model.HelpEntry{}, e.ID, map[string]any{"lang": e.Lang, "kind": e.Kind, "name": e.Name,
		"description": e.Description, "phone": e.Phone, "website": e.Website, "hours": e.Hours, "updated_at": e.UpdatedAt})
}

// DeleteHelpEntry removes one help entry.
func (s *Store) DeleteHelpEntry(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&model.HelpEntry{})
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr(errNotFound, "delete help entry %d", id)
	}
	return mapErr(res.Error, "delete help entry %d", id)
}

// OrganisationsCovering lists the organisations whose public contacts name
// country among the countries they cover, by name.
func (s *Store) OrganisationsCovering(ctx context.Context, country string) ([]model.Organisation, error) {
	var rows []model.Organisation
	err := s.db.WithContext(ctx).Where("',' || countries || ',' LIKE ?", "%,"+country+",%").Order("name, id").Find(&rows).Error
	return rows, mapErr(err, "organisations covering %s", country)
}

// SetOrganisationContacts writes the public contacts of o, whose ID names
// the organisation.
func (s *Store) SetOrganisationContacts(ctx context.Context, o model.Organisation) error {
	return s.update(ctx, &model.Organisation{}, o.ID, map[string]any{"phone": o.Phone, "email": o.Email, "hours": o.Hours,
		"languages": o.Languages, "helps_with": o.HelpsWith, "countries": o.Countries, "updated_at": o.UpdatedAt})
}

// CoveredCountries lists the distinct country lists of organisations'
// public contacts (comma-separated codes).
func (s *Store) CoveredCountries(ctx context.Context) ([]string, error) {
	var lists []string
	err := s.db.WithContext(ctx).Model(&model.Organisation{}).Where("countries <> ''").Distinct("countries").Pluck("countries", &lists).Error
	return lists, mapErr(err, "covered countries")
}
