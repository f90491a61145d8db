-- The search documents' tsvectors lose their positions and gain marked
-- lexemes (app/store/search.go, titleMark and windowMark):
--
-- * Positions carried only the weight of the title's words, for the
--   title-only query, and took a third of each tsvector. A title's words
--   are now also written marked, '~word', and the query asks for those.
-- * Each document holds the window of its id, '#' || id / 1024, and the
--   block of 32 windows, '$' || id / 32768, so that a search asks GIN for
--   the matches of the newest windows first: for a
--   word that a few per cent of a million documents hold, PostgreSQL
--   otherwise fetched every match from the table, or tested hundreds of
--   documents per match, to find the newest (over 100 ms).
--
-- * The statistics target of the words comes back from 10,000 (00031) to
--   1,000: every search now names windows, whose rarity keeps the
--   planner's estimates small, and planning with the larger statistics
--   took 3.5 ms a read instead of 1 ms.
--
-- The rewrite is done here, in SQL, so that searches keep answering
-- without a reindex. VACUUM FULL search_docs afterwards gives the space
-- back to the system.

-- +goose Up
DROP INDEX search_docs_tsv;
UPDATE search_docs SET tsv = strip(tsv)
    || array_to_tsvector(ARRAY(SELECT '~' || l FROM unnest(tsvector_to_array(ts_filter(tsv, '{a}'))) AS l))
    || array_to_tsvector(ARRAY['#' || (id / 1024), '$' || (id / 32768)]);
CREATE INDEX search_docs_tsv ON search_docs USING gin (tsv);
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS 1000;
ANALYZE search_docs;

-- +goose Down
-- The weights cannot be restored here: the marks go, and every item is
-- queued to be indexed again by the earlier code.
DROP INDEX search_docs_tsv;
UPDATE search_docs SET tsv = ts_delete(tsv, ARRAY(SELECT l FROM unnest(tsvector_to_array(tsv)) AS l WHERE l LIKE '~%' OR l LIKE '#%' OR l LIKE '$%'));
CREATE INDEX search_docs_tsv ON search_docs USING gin (tsv);
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS 10000;
INSERT INTO search_dirty (kind, item_id, backlog) SELECT DISTINCT kind, item_id, 1 FROM search_docs ON CONFLICT (kind, item_id) DO NOTHING;
