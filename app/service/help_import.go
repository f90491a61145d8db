package service

import (
	"context"

	"forewarn/app/model"
	"forewarn/app/store"
)

// ImportHelp creates or updates help entries by their seed key, so that a
// repeated import changes nothing.
func (im *Importer) ImportHelp(ctx context.Context, entries []model.HelpEntry) error {
	now := im.now()
	return im.store.Tx(ctx, func(tx *store.Store) error {
		for _, e := range entries {
			e.CreatedAt, e.UpdatedAt = now, now
			if err := tx.UpsertHelpEntry(ctx, &e); err != nil {
				return err
			}
		}
		return nil
	})
}
