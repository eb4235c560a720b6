-- cronaca store, schema 2: story-events. One real event, merged across the reports
-- (events) of many articles and languages. Reports keep their own rows and evidence;
-- a story only points at them. `state` holds the counters every aggregate comes from,
-- so disagreement between reports stays visible and a story can be updated in place.
CREATE TABLE stories (
    id             TEXT PRIMARY KEY,
    event          TEXT NOT NULL,
    family         TEXT NOT NULL,           -- factual | future
    symmetric      INTEGER NOT NULL,
    actors         TEXT NOT NULL,           -- JSON list of codes, most reported first
    recipients     TEXT NOT NULL,
    mode           TEXT,
    cameo          TEXT,
    quad_class     INTEGER,
    goldstein      REAL,
    plover_score   REAL,
    date           TEXT,
    date_precision TEXT NOT NULL,
    lo             INTEGER NOT NULL,        -- the period every report allows, as ordinal days
    hi             INTEGER NOT NULL,
    loc_code       TEXT,
    loc_name       TEXT,
    lat            REAL,
    lon            REAL,
    n_reports      INTEGER NOT NULL,
    n_articles     INTEGER NOT NULL,
    n_sources      INTEGER NOT NULL,
    languages      TEXT NOT NULL,           -- JSON list
    outlets        TEXT NOT NULL,           -- JSON list
    first_seen     TEXT,
    last_seen      TEXT,
    confidence     REAL NOT NULL,
    state          TEXT NOT NULL
);
CREATE INDEX stories_date ON stories(date);

CREATE TABLE story_reports (
    event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE
);
CREATE INDEX story_reports_story ON story_reports(story_id);

-- blocking: a report looks only at stories sharing its type and one of its actor pairs
CREATE TABLE story_keys (
    event    TEXT NOT NULL,
    a        TEXT NOT NULL,
    b        TEXT NOT NULL,                 -- a recipient, '' for none, '*' for any
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    hi       INTEGER NOT NULL,
    PRIMARY KEY (event, a, b, story_id)
);
CREATE INDEX story_keys_story ON story_keys(story_id);

-- dyad timelines: each directed pair a story joins (a joint act joins both directions)
CREATE TABLE story_dyads (
    a        TEXT NOT NULL,
    b        TEXT NOT NULL,
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    date     TEXT,
    PRIMARY KEY (a, b, story_id)
);
CREATE INDEX story_dyads_date ON story_dyads(a, b, date);
CREATE INDEX story_dyads_story ON story_dyads(story_id);
