package service

import (
	"context"
	"fmt"

	"forewarn/app/store"
)

// exportBatch is how many warnings the bulk export reads at a time: the
// memory an export holds, whatever the number of warnings.
const exportBatch = 1000

// EachExported calls fn for every public warning (published, expired or
// retracted; never a draft, one in review or a pending revision), by ID,
// with all its translations, countries and indicators. It reads the
// warnings in keyset-paged batches, so memory stays bounded; fn's error
// stops the walk and is returned.
func (ws *Warnings) EachExported(ctx context.Context, fn func(store.ExportedWarning) error) error {
	var after int64
	for {
		batch, err := ws.store.ExportWarnings(ctx, after, exportBatch)
		if err != nil {
			return fmt.Errorf("export warnings after %d: %w", after, err)
		}
		for _, w := range batch {
			if err := fn(w); err != nil {
				return err
			}
		}
		if len(batch) < exportBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}
