-- +goose Up
-- The public list of reports reads one index in list order for each filter
-- (all, by language, by category), so that a page costs a short walk, not a
-- sort of every public report. The index by status alone led SQLite's
-- planner to sort every public report for each page; reports_listed and
-- reports_queue cover what it served.
CREATE INDEX reports_listed_lang ON reports (lang, published_at DESC, id DESC) WHERE status IN ('published', 'locked');
CREATE INDEX reports_listed_category ON reports (category_id, published_at DESC, id DESC) WHERE status IN ('published', 'locked');
DROP INDEX reports_status_published;

-- +goose Down
CREATE INDEX reports_status_published ON reports (status, published_at DESC, id DESC);
DROP INDEX reports_listed_category;
DROP INDEX reports_listed_lang;
