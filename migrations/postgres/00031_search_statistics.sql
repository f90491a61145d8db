-- The planner picks, for each search, between walking the documents
-- newest first (a common word: the first ones match) and the GIN index
-- then a sort (a rare word, a word with a typo, a name). With the default
-- statistics (100), a tsvector column keeps the frequencies of about a
-- thousand words: every other word, even one that no document holds, is
-- guessed at thousands of documents, and the walk was chosen and read the
-- whole index (1 s at 1.1 million documents) for a word with a typo. With
-- 10,000 it keeps about a hundred thousand, and rare words go to the
-- index (0.1 ms). ANALYZE at this target reads a sample of 3 million rows
-- (about 10 s at 1.1 million documents); autovacuum repeats it.

-- +goose Up
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS 10000;
ANALYZE search_docs;

-- +goose Down
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS -1;
