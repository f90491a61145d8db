-- +goose Up
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id         BIGSERIAL PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    website    TEXT NOT NULL DEFAULT '',
    verified   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    pseudonym       TEXT NOT NULL,
    pseudonym_key   TEXT NOT NULL UNIQUE,
    email           TEXT,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator', 'admin')),
    trust_level     INTEGER NOT NULL DEFAULT 0,
    approved_posts  INTEGER NOT NULL DEFAULT 0,
    organisation_id BIGINT REFERENCES organisations (id) ON DELETE SET NULL,
    locale          TEXT NOT NULL DEFAULT 'en',
    silenced_until  TIMESTAMPTZ,
    banned_until    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_languages (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lang    TEXT NOT NULL,
    PRIMARY KEY (user_id, lang)
);

CREATE TABLE user_countries (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    PRIMARY KEY (user_id, country)
);

CREATE TABLE categories (
    id         BIGSERIAL PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE category_names (
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    lang        TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (category_id, lang)
);

CREATE TABLE reports (
    id            BIGSERIAL PRIMARY KEY,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    lang          TEXT NOT NULL,
    category_id   BIGINT NOT NULL REFERENCES categories (id),
    seen_on       TEXT NOT NULL CHECK (seen_on IN ('facebook', 'instagram', 'whatsapp', 'telegram', 'tiktok', 'website', 'in_person', 'other')),
    author_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'rejected', 'hidden', 'locked')),
    reject_reason TEXT NOT NULL DEFAULT '',
    seed_key      TEXT UNIQUE,
    published_at  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX reports_status_published ON reports (status, published_at DESC, id DESC);

CREATE TABLE report_countries (
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    country   TEXT NOT NULL,
    role      TEXT NOT NULL CHECK (role IN ('origin', 'transit', 'destination')),
    PRIMARY KEY (report_id, country, role)
);
CREATE INDEX report_countries_country ON report_countries (country, report_id);

CREATE TABLE report_images (
    id           BIGSERIAL PRIMARY KEY,
    report_id    BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_images_report ON report_images (report_id);

CREATE TABLE report_confirmations (
    report_id  BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (report_id, user_id)
);

CREATE TABLE replies (
    id            BIGSERIAL PRIMARY KEY,
    report_id     BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    author_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'rejected', 'hidden', 'locked')),
    reject_reason TEXT NOT NULL DEFAULT '',
    published_at  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX replies_report ON replies (report_id, status, created_at);

CREATE TABLE warnings (
    id                BIGSERIAL PRIMARY KEY,
    severity          TEXT NOT NULL CHECK (severity IN ('info', 'caution', 'danger')),
    category_id       BIGINT NOT NULL REFERENCES categories (id),
    status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'published', 'retracted', 'expired')),
    lang              TEXT NOT NULL,
    organisation_id   BIGINT REFERENCES organisations (id) ON DELETE SET NULL,
    author_id         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    approver_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    names_party       BOOLEAN NOT NULL DEFAULT FALSE,
    retraction_reason TEXT NOT NULL DEFAULT '',
    seed_key          TEXT UNIQUE,
    expires_at        TIMESTAMPTZ,
    published_at      TIMESTAMPTZ,
    retracted_at      TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
-- The public lists show published warnings (expired ones included), newest
-- first, optionally by category or severity: one partial index per shape, so
-- a page is an ordered index walk, never a sort.
CREATE INDEX warnings_listed ON warnings (published_at DESC, id DESC) WHERE status IN ('published', 'expired');
CREATE INDEX warnings_listed_category ON warnings (category_id, published_at DESC, id DESC) WHERE status IN ('published', 'expired');
CREATE INDEX warnings_listed_severity ON warnings (severity, published_at DESC, id DESC) WHERE status IN ('published', 'expired');
CREATE INDEX warnings_unpublished ON warnings (status, updated_at) WHERE status IN ('draft', 'in_review');
CREATE INDEX warnings_updated ON warnings (updated_at, id);

CREATE TABLE warning_translations (
    warning_id BIGINT NOT NULL REFERENCES warnings (id) ON DELETE CASCADE,
    lang       TEXT NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (warning_id, lang)
);

CREATE TABLE warning_countries (
    warning_id BIGINT NOT NULL REFERENCES warnings (id) ON DELETE CASCADE,
    country    TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('origin', 'transit', 'destination')),
    PRIMARY KEY (warning_id, country, role)
);
CREATE INDEX warning_countries_country ON warning_countries (country, warning_id);

CREATE TABLE warning_reports (
    warning_id BIGINT NOT NULL REFERENCES warnings (id) ON DELETE CASCADE,
    report_id  BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    PRIMARY KEY (warning_id, report_id)
);
CREATE INDEX warning_reports_report ON warning_reports (report_id);

CREATE TABLE indicators (
    id         BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'link', 'social', 'company', 'bank_account')),
    platform   TEXT NOT NULL DEFAULT '',
    normalized TEXT NOT NULL,
    hash       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (kind, platform, normalized)
);
CREATE INDEX indicators_hash ON indicators (hash);

CREATE TABLE warning_indicators (
    warning_id   BIGINT NOT NULL REFERENCES warnings (id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    raw          TEXT NOT NULL,
    PRIMARY KEY (warning_id, indicator_id)
);
CREATE INDEX warning_indicators_indicator ON warning_indicators (indicator_id);

CREATE TABLE report_indicators (
    report_id    BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    raw          TEXT NOT NULL,
    PRIMARY KEY (report_id, indicator_id)
);
CREATE INDEX report_indicators_indicator ON report_indicators (indicator_id);

CREATE TABLE flags (
    id             BIGSERIAL PRIMARY KEY,
    target_type    TEXT NOT NULL CHECK (target_type IN ('report', 'reply')),
    target_id      BIGINT NOT NULL,
    reason         TEXT NOT NULL CHECK (reason IN ('spam', 'personal_data', 'false_or_defamatory', 'dangerous', 'off_topic', 'other')),
    note           TEXT NOT NULL DEFAULT '',
    reporter_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'dismissed')),
    resolved_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    resolved_at    TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX flags_target ON flags (target_type, target_id);
CREATE INDEX flags_status ON flags (status, created_at);

CREATE TABLE moderation_actions (
    id          BIGSERIAL PRIMARY KEY,
    actor_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   BIGINT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    before_text TEXT NOT NULL DEFAULT '',
    after_text  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX moderation_actions_target ON moderation_actions (target_type, target_id);
CREATE INDEX moderation_actions_created ON moderation_actions (created_at DESC);

CREATE TABLE api_keys (
    id              BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    prefix          TEXT NOT NULL UNIQUE,
    hash            TEXT NOT NULL,
    scopes          TEXT NOT NULL,
    rate_limit      INTEGER NOT NULL DEFAULT 60,
    last_used_at    TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL
);

INSERT INTO categories (slug, position, created_at) VALUES
    ('fake-job-offer', 10, CURRENT_TIMESTAMP),
    ('fake-travel-agency', 20, CURRENT_TIMESTAMP),
    ('fake-documents', 30, CURRENT_TIMESTAMP),
    ('sham-marriage', 40, CURRENT_TIMESTAMP),
    ('smuggling', 50, CURRENT_TIMESTAMP),
    ('debt-bondage', 60, CURRENT_TIMESTAMP),
    ('wage-theft', 70, CURRENT_TIMESTAMP),
    ('exploitation-construction', 80, CURRENT_TIMESTAMP),
    ('exploitation-agriculture', 90, CURRENT_TIMESTAMP),
    ('exploitation-transport', 100, CURRENT_TIMESTAMP),
    ('exploitation-cleaning', 110, CURRENT_TIMESTAMP),
    ('exploitation-hospitality', 120, CURRENT_TIMESTAMP),
    ('exploitation-domestic-work', 130, CURRENT_TIMESTAMP),
    ('sexual-exploitation', 140, CURRENT_TIMESTAMP),
    ('other', 150, CURRENT_TIMESTAMP);

-- +goose Down
DROP TABLE api_keys;
DROP TABLE moderation_actions;
DROP TABLE flags;
DROP TABLE report_indicators;
DROP TABLE warning_indicators;
DROP TABLE indicators;
DROP TABLE warning_reports;
DROP TABLE warning_countries;
DROP TABLE warning_translations;
DROP TABLE warnings;
DROP TABLE replies;
DROP TABLE report_confirmations;
DROP TABLE report_images;
DROP TABLE report_countries;
DROP TABLE reports;
DROP TABLE category_names;
DROP TABLE categories;
DROP TABLE user_countries;
DROP TABLE user_languages;
DROP TABLE users;
DROP TABLE organisations;
DROP TABLE settings;
