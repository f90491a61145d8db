-- PostgreSQL keeps more statistics of the search documents' words in this
-- version; SQLite's word index (FTS5) reads each word's own list and needs
-- none. The version exists on both databases.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
