-- cronaca store, schema 3: indexes in the exact order the API pages events and stories,
-- so a page deep into a large store walks an index instead of sorting the table.
CREATE INDEX events_order ON events(date IS NULL, date, doc_id, start);
CREATE INDEX stories_order ON stories(date IS NULL, date, id, n_sources);
CREATE INDEX stories_newest ON stories(date IS NULL, date DESC, id DESC, n_sources)
