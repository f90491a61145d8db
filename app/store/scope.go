package store

import (
	"context"

	"forewarn/app/model"
)

// Scope is what a moderator covers: content in one of Langs and on a route
// through one of Countries. A nil *Scope means everything (an admin).
type Scope struct {
	Langs     []string
	Countries []string
	// UserID is the moderator, who also sees the entries about members they
	// restricted themselves.
	UserID int64
}

// memberInScope is the SQL condition that the member whose ID is the
// expression idExpr wrote a report or a reply, in any state, whose report
// is in scope; it takes the languages and the countries twice. It follows
// the member's own posts (an index on author_id), so it costs what they
// wrote, not what the scope holds.
func memberInScope(idExpr string) string {
	const inScope = `r.lang IN ? AND EXISTS (SELECT 1 FROM report_countries rc WHERE rc.report_id = r.id AND rc.country IN ?)`
	return `(EXISTS (SELECT 1 FROM reports r WHERE r.author_id = ` + idExpr + ` AND ` + inScope + `)` +
		` OR EXISTS (SELECT 1 FROM replies rp JOIN reports r ON r.id = rp.report_id WHERE rp.author_id = ` + idExpr + ` AND ` + inScope + `))`
}

// MemberInScope reports whether userID wrote a report or a reply, in any
// state, whose report is in sc.
func (s *Store) MemberInScope(ctx context.Context, userID int64, sc Scope) (bool, error) {
	l, c := nonEmpty(sc.Langs), nonEmpty(sc.Countries)
	var n int64
	err := s.db.WithContext(ctx).Model(&model.User{}).
		Where("id = ? AND "+memberInScope("users.id"), userID, l, c, l, c).Count(&n).Error
	return n > 0, mapErr(err, "member %d in scope", userID)
}

// ModeratorScope returns the content languages and countries a moderator
// covers.
func (s *Store) ModeratorScope(ctx context.Context, userID int64) (langs, countries []string, err error) {
	db := s.db.WithContext(ctx)
	if err := db.Model(&model.UserLanguage{}).Where("user_id = ?", userID).Order("lang").Pluck("lang", &langs).Error; err != nil {
		return nil, nil, mapErr(err, "languages of moderator %d", userID)
	}
	if err := db.Model(&model.UserCountry{}).Where("user_id = ?", userID).Order("country").Pluck("country", &countries).Error; err != nil {
		return nil, nil, mapErr(err, "countries of moderator %d", userID)
	}
	return langs, countries, nil
}

// SetModeratorScope replaces the languages and countries of a moderator.
func (s *Store) SetModeratorScope(ctx context.Context, userID int64, langs, countries []string) error {
	db := s.db.WithContext(ctx)
	if err := db.Where("user_id = ?", userID).Delete(&model.UserLanguage{}).Error; err != nil {
		return mapErr(err, "clear languages of %d", userID)
	}
	if err := db.Where("user_id = ?", userID).Delete(&model.UserCountry{}).Error; err != nil {
		return mapErr(err, "clear countries of %d", userID)
	}
	ls := make([]model.UserLanguage, len(langs))
	for i, l := range langs {
		ls[i] = model.UserLanguage{UserID: userID, Lang: l}
	}
	cs := make([]model.UserCountry, len(countries))
	for i, c := range countries {
		cs[i] = model.UserCountry{UserID: userID, Country: c}
	}
	if err := createAll(db, ls); err != nil {
		return mapErr(err, "set languages of %d", userID)
	}
	return mapErr(createAll(db, cs), "set countries of %d", userID)
}
