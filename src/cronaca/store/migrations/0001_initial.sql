-- cronaca store, schema 1. Every event row keeps its document, evidence span,
-- the stage and lexicon entry that produced it, and the knowledge-base version.
CREATE TABLE articles (
    id          TEXT PRIMARY KEY,          -- sha256 of the text (content id)
    doc_id      TEXT NOT NULL,             -- the user's id, or the content id
    text        TEXT NOT NULL,
    lang        TEXT,
    title       TEXT,
    url         TEXT,
    outlet      TEXT,
    pub_date    TEXT,
    source      TEXT,
    kb_version  TEXT NOT NULL,
    n_events    INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_doc_id ON articles(doc_id);

CREATE TABLE events (
    id             TEXT PRIMARY KEY,
    article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    doc_id         TEXT NOT NULL,
    event          TEXT NOT NULL,
    mode           TEXT,
    cameo          TEXT,
    goldstein      REAL,
    quad_class     INTEGER,
    plover_score   REAL,
    date           TEXT,
    date_precision TEXT NOT NULL,
    date_basis     TEXT NOT NULL,
    loc_name       TEXT,
    loc_code       TEXT,
    lat            REAL,
    lon            REAL,
    attr_code      TEXT,
    modality       TEXT NOT NULL,
    confidence     REAL NOT NULL,
    symmetric      INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    lang           TEXT,
    kb_version     TEXT NOT NULL,
    stage          TEXT NOT NULL,
    lexicon        TEXT,
    record         TEXT NOT NULL            -- the full SPEC.md record as JSON
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_type ON events(event);

CREATE TABLE event_entities (
    event_id      TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role          TEXT NOT NULL,           -- actor | recipient
    pos           INTEGER NOT NULL,
    code          TEXT NOT NULL,
    sector        TEXT,
    identifier_id TEXT,
    entity_text   TEXT,
    PRIMARY KEY (event_id, role, pos)
);
CREATE INDEX event_entities_code ON event_entities(code, role);

CREATE TABLE errors (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);
