package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"forewarn/app/model"
	"forewarn/app/store"
)

// maxListedKeys bounds the memory of the memo of list keys (8 bytes each):
// past it, the memo starts afresh.
const maxListedKeys = 1_500_000

// listedKeys keeps, for the current content version, the ordered IDs of
// the listed warnings of each filter, so that any page of any filter is a
// slice of them and a read by ID: a crawler following filter and page links
// costs no deep OFFSET scan. Concurrent requests for a filter not yet known
// wait for one read.
type listedKeys struct {
	mu      sync.Mutex
	version string
	total   int
	entries map[string]*keysEntry
}

type keysEntry struct {
	done chan struct{}
	keys []int64
	err  error
}

func filterKey(f store.WarningFilter) string {
	return f.Country + "|" + strconv.FormatInt(f.CategoryID, 10) + "|" + string(f.Severity)
}

// get returns the keys of the list named key at version, read by load
// when not known yet.
func (m *listedKeys) get(ctx context.Context, version, key string, load func(context.Context) ([]int64, error)) ([]int64, error) {
	m.mu.Lock()
	if m.version != version || m.entries == nil {
		m.version, m.total, m.entries = version, 0, map[string]*keysEntry{}
	}
	e, ok := m.entries[key]
	if !ok {
		e = &keysEntry{done: make(chan struct{})}
		m.entries[key] = e
	}
	m.mu.Unlock()
	if ok {
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("listed keys: %w", ctx.Err())
		}
		return e.keys, e.err
	}
	e.keys, e.err = load(ctx)
	close(e.done)
	m.mu.Lock()
	if e.err != nil {
		// A failed read (a cancelled request) is not kept.
		if m.entries[key] == e {
			delete(m.entries, key)
		}
	} else if m.entries[key] == e {
		m.total += len(e.keys)
		if m.total > maxListedKeys {
			m.total, m.entries = len(e.keys), map[string]*keysEntry{key: e}
		}
	}
	m.mu.Unlock()
	return e.keys, e.err
}

// listedPage returns the warnings of one page of the list f asks for: from
// the cursor when f has one, else from f.Offset; f.Limit rows at most.
func (ws *Warnings) listedPage(ctx context.Context, f store.WarningFilter) ([]model.Warning, error) {
	version, err := ws.Version(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := ws.listed.get(ctx, version, filterKey(f), func(ctx context.Context) ([]int64, error) {
		return ws.store.ListedWarningIDs(ctx, f)
	})
	if err != nil {
		return nil, err
	}
	start := f.Offset
	if f.AfterID != 0 {
		// The cursor names the last warning of the previous page; a
		// warning no longer listed is looked for by its place instead.
		start = slices.Index(keys, f.AfterID) + 1
		if start == 0 {
			return ws.store.ListWarnings(ctx, f)
		}
	}
	if start >= len(keys) {
		return nil, nil
	}
	ids := keys[start:min(start+f.Limit, len(keys))]
	rows, err := ws.store.WarningsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	// A warning changed since the keys were read (on another instance,
	// within the version's second) is left out rather than shown unlisted.
	out := rows[:0]
	for _, w := range rows {
		if (w.Status == model.WarningPublished || w.Status == model.WarningExpired) && w.PublishedAt != nil {
			out = append(out, w)
		}
	}
	return out, nil
}
