-- PostgreSQL's search documents are rewritten in this version (their
-- tsvectors lose their positions and gain title and window marks); SQLite's
-- word index (FTS5) keeps a column per field and reads each word's list
-- newest first, and needs neither. The version exists on both databases.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
