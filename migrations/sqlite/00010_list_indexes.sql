-- +goose Up
-- The public list of reports reads one index in list order for each filter
-- (all, by language, by category), so that a page costs a short walk, not a
-- sort of every public report. The index by status alone led SQLite's
-- planner to sort every public report for each page; reports_listed and
-- reports_queue cover what it served.
CREATE INDEX reports_listed_lang ON reports (lang, published_at DESC, id DESC) WHERE status IN ('published', 'locked');
CREATE INDEX reports_listed_category ON reports (category_id, published_at DESC, id DESC) WHERE status IN ('published', 'locked');
DROP INDEX reports_status_published;
-- An indicator's count of public reports reads two small indexes, not the
-- rows of the link table and of every report that mentions it.
CREATE INDEX report_indicators_counted ON report_indicators (indicator_id, report_id);
DROP INDEX report_indicators_indicator;
CREATE INDEX reports_public_ids ON reports (id) WHERE status IN ('published', 'locked');

-- +goose Down
DROP INDEX reports_public_ids;
CREATE INDEX report_indicators_indicator ON report_indicators (indicator_id);
DROP INDEX report_indicators_counted;
CREATE INDEX reports_status_published ON reports (status, published_at DESC, id DESC);
DROP INDEX reports_listed_category;
DROP INDEX reports_listed_lang;
