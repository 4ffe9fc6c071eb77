#include "schema.h"

#include "sqlite.h"

#include <array>
#include <string>

namespace Tracelight::Schema {

namespace {

// Migration N takes a cache from version N to N + 1. Never edit a released migration; append a new one.
constexpr std::array<const char*, CurrentVersion> migrations = {
    // 0 → 1: sources, shared resources and scopes, traces with their aggregates, steps.
    R"sql(
CREATE TABLE sources(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    format TEXT NOT NULL,
    imported_at_ms INTEGER NOT NULL,
    spans INTEGER NOT NULL DEFAULT 0,
    new_spans INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sources_by_sha ON sources(sha256);
CREATE TABLE resources(
    id INTEGER PRIMARY KEY,
    attributes TEXT NOT NULL UNIQUE,
    service TEXT,
    version TEXT
);
CREATE TABLE scopes(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    attributes TEXT NOT NULL,
    UNIQUE(name, version, attributes)
);
CREATE TABLE traces(
    id INTEGER PRIMARY KEY,
    trace_id TEXT NOT NULL UNIQUE,
    name TEXT,
    service TEXT,
    version TEXT,
    agent TEXT,
    session_id TEXT,
    user_id TEXT,
    start_ns INTEGER,
    end_ns INTEGER,
    spans INTEGER NOT NULL DEFAULT 0,
    llm_calls INTEGER NOT NULL DEFAULT 0,
    tool_calls INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL,
    errors INTEGER NOT NULL DEFAULT 0,
    updated_at_ms INTEGER
);
CREATE INDEX traces_by_start ON traces(start_ns);
CREATE TABLE steps(
    id INTEGER PRIMARY KEY,
    trace INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
    span_id TEXT NOT NULL,
    parent_id TEXT,
    kind INTEGER NOT NULL,
    name TEXT NOT NULL,
    otel_kind INTEGER NOT NULL DEFAULT 0,
    start_ns INTEGER NOT NULL,
    end_ns INTEGER NOT NULL,
    status INTEGER NOT NULL,
    status_message TEXT,
    operation TEXT,
    model TEXT,
    provider TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cache_read_tokens INTEGER,
    cache_write_tokens INTEGER,
    reasoning_tokens INTEGER,
    cost_usd REAL,
    tool_name TEXT,
    tool_call_id TEXT,
    tool_arguments TEXT,
    tool_result TEXT,
    agent_name TEXT,
    agent_version TEXT,
    session_id TEXT,
    user_id TEXT,
    system_instructions TEXT,
    input_messages TEXT,
    output_messages TEXT,
    input_text TEXT,
    output_text TEXT,
    attributes TEXT NOT NULL,
    events TEXT NOT NULL,
    links TEXT NOT NULL,
    trace_state TEXT,
    flags INTEGER NOT NULL DEFAULT 0,
    resource INTEGER REFERENCES resources(id),
    scope INTEGER REFERENCES scopes(id),
    source INTEGER REFERENCES sources(id),
    completeness INTEGER NOT NULL DEFAULT 0,
    UNIQUE(trace, span_id)
);
CREATE INDEX steps_by_trace_start ON steps(trace, start_ns);
)sql",
    // 1 → 2: full-text search over prompts, completions, tool arguments and results. External content, so the
    // text is stored once; triggers keep the index in step with the steps table.
    R"sql(
CREATE VIRTUAL TABLE steps_fts USING fts5(
    input_text, output_text, tool_arguments, tool_result,
    content='steps', content_rowid='id', tokenize='unicode61'
);
CREATE TRIGGER steps_fts_insert AFTER INSERT ON steps BEGIN
    INSERT INTO steps_fts(rowid, input_text, output_text, tool_arguments, tool_result)
    VALUES (new.id, new.input_text, new.output_text, new.tool_arguments, new.tool_result);
END;
CREATE TRIGGER steps_fts_delete AFTER DELETE ON steps BEGIN
    INSERT INTO steps_fts(steps_fts, rowid, input_text, output_text, tool_arguments, tool_result)
    VALUES ('delete', old.id, old.input_text, old.output_text, old.tool_arguments, old.tool_result);
END;
CREATE TRIGGER steps_fts_update AFTER UPDATE OF input_text, output_text, tool_arguments, tool_result ON steps BEGIN
    INSERT INTO steps_fts(steps_fts, rowid, input_text, output_text, tool_arguments, tool_result)
    VALUES ('delete', old.id, old.input_text, old.output_text, old.tool_arguments, old.tool_result);
    INSERT INTO steps_fts(rowid, input_text, output_text, tool_arguments, tool_result)
    VALUES (new.id, new.input_text, new.output_text, new.tool_arguments, new.tool_result);
END;
INSERT INTO steps_fts(steps_fts) VALUES ('rebuild');
)sql",
    // 2 → 3: the light columns of every step in one covering index, so that statistics and costs over the whole
    // cache read this index instead of the rows, whose prompts and attributes make them a page each.
    R"sql(
CREATE INDEX steps_stats ON steps(trace, kind, status, start_ns, end_ns, model, provider, tool_name, agent_name,
    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd);
)sql",
    // 3 → 4: a step's large texts move into compressed blocks of a trace's steps (StepPayload, table payloads), so
    // that the copies of a prompt cost about one copy on disk. A migrated step gets a block of its own; new imports
    // gather a trace's steps into shared blocks. The search index is built behind the imports, in step id order up
    // to search_state.indexed_to, so step ids are never reused (AUTOINCREMENT); it reads its texts through the view
    // step_texts, whose input is the step's SearchInput where it has one: the index holds each long line of a
    // trace's inputs once, not once per llm call that sends the conversation again. This migration leaves the index
    // empty: SearchIndex::catchUp() rebuilds it.
    // payloads.trace has no foreign key: a step names its block before the block is written, at the end of it. A step
    // replaced by a more complete copy is taken out of the index and put back by the writer (TraceWriter).
    R"sql(
DROP TRIGGER steps_fts_insert;
DROP TRIGGER steps_fts_delete;
DROP TRIGGER steps_fts_update;
DROP TABLE steps_fts;
DROP INDEX steps_stats;
DROP INDEX steps_by_trace_start;
CREATE TABLE payloads(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trace INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE steps_v4(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trace INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
    span_id TEXT NOT NULL,
    parent_id TEXT,
    kind INTEGER NOT NULL,
    name TEXT NOT NULL,
    otel_kind INTEGER NOT NULL DEFAULT 0,
    start_ns INTEGER NOT NULL,
    end_ns INTEGER NOT NULL,
    status INTEGER NOT NULL,
    status_message TEXT,
    operation TEXT,
    model TEXT,
    provider TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cache_read_tokens INTEGER,
    cache_write_tokens INTEGER,
    reasoning_tokens INTEGER,
    cost_usd REAL,
    tool_name TEXT,
    tool_call_id TEXT,
    agent_name TEXT,
    agent_version TEXT,
    session_id TEXT,
    user_id TEXT,
    trace_state TEXT,
    flags INTEGER NOT NULL DEFAULT 0,
    resource INTEGER REFERENCES resources(id),
    scope INTEGER REFERENCES scopes(id),
    source INTEGER REFERENCES sources(id),
    completeness INTEGER NOT NULL DEFAULT 0,
    payload_block INTEGER NOT NULL,
    payload_index INTEGER NOT NULL,
    UNIQUE(trace, span_id)
);
INSERT INTO payloads(id, trace, data)
SELECT id, trace, tl_payload(tool_arguments, tool_result, system_instructions, input_messages, output_messages,
    input_text, output_text, attributes, events, links)
FROM steps ORDER BY id;
INSERT INTO steps_v4(id, trace, span_id, parent_id, kind, name, otel_kind, start_ns, end_ns, status, status_message,
    operation, model, provider, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
    cost_usd, tool_name, tool_call_id, agent_name, agent_version, session_id, user_id, trace_state, flags, resource,
    scope, source, completeness, payload_block, payload_index)
SELECT id, trace, span_id, parent_id, kind, name, otel_kind, start_ns, end_ns, status, status_message,
    operation, model, provider, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
    cost_usd, tool_name, tool_call_id, agent_name, agent_version, session_id, user_id, trace_state, flags, resource,
    scope, source, completeness, id, 0
FROM steps ORDER BY id;
DROP TABLE steps;
ALTER TABLE steps_v4 RENAME TO steps;
CREATE INDEX steps_by_trace_start ON steps(trace, start_ns);
CREATE INDEX steps_stats ON steps(trace, kind, status, start_ns, end_ns, model, provider, tool_name, agent_name,
    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd);
CREATE VIEW step_texts AS
SELECT s.id AS id,
    coalesce(tl_payload_field(p.data, s.payload_index, 10), tl_payload_field(p.data, s.payload_index, 5))
        AS input_text,
    tl_payload_field(p.data, s.payload_index, 6) AS output_text,
    tl_payload_field(p.data, s.payload_index, 0) AS tool_arguments,
    tl_payload_field(p.data, s.payload_index, 1) AS tool_result
FROM steps s LEFT JOIN payloads p ON p.id = s.payload_block;
CREATE VIRTUAL TABLE steps_fts USING fts5(
    input_text, output_text, tool_arguments, tool_result,
    content='step_texts', content_rowid='id', tokenize='unicode61'
);
-- FTS5 keeps up to 64 MB of new postings in memory before it writes a segment, and merges segments in larger
-- steps: with the defaults (1 MB, 4, 16) building the index took 2.3 times as long.
INSERT INTO steps_fts(steps_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO steps_fts(steps_fts, rank) VALUES ('automerge', 16);
INSERT INTO steps_fts(steps_fts, rank) VALUES ('crisismerge', 64);
CREATE TABLE search_state(
    id INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_to INTEGER NOT NULL
);
INSERT INTO search_state(id, indexed_to) VALUES (1, 0);
CREATE TRIGGER steps_fts_delete AFTER DELETE ON steps
WHEN old.id <= (SELECT indexed_to FROM search_state) BEGIN
    INSERT INTO steps_fts(steps_fts, rowid, input_text, output_text, tool_arguments, tool_result)
    SELECT 'delete', old.id,
        coalesce(tl_payload_field(p.data, old.payload_index, 10), tl_payload_field(p.data, old.payload_index, 5)),
        tl_payload_field(p.data, old.payload_index, 6), tl_payload_field(p.data, old.payload_index, 0),
        tl_payload_field(p.data, old.payload_index, 1)
    FROM payloads p WHERE p.id = old.payload_block;
END;
)sql",
    // 4 → 5: findings (what went wrong in a run, model/core/findings.h), computed behind the imports like the search
    // index. A run's findings are current while traces.findings_rev holds the fingerprint of the settings they were
    // computed under; the writer sets it to 0 (pending) and counts traces.generation up whenever it changes a run,
    // so a catch-up that read an older generation does not store what it found.
    R"sql(
ALTER TABLE traces ADD COLUMN findings_rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE traces ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
CREATE TABLE findings(
    id INTEGER PRIMARY KEY,
    trace INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
    baseline INTEGER NOT NULL,
    kind TEXT NOT NULL,
    severity INTEGER NOT NULL,
    wasted_tokens INTEGER,
    wasted_cost_usd REAL,
    wasted_ns INTEGER,
    data TEXT NOT NULL
);
CREATE INDEX findings_by_trace ON findings(trace, baseline);
)sql",
    // 5 → 6: annotations (model/core/annotation.h): what people found, apart from the imported data. Keyed by the
    // trace id's text, not a traces row, so that they outlive a run's deletion and re-import.
    R"sql(
CREATE TABLE annotations(
    id INTEGER PRIMARY KEY,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL DEFAULT '',
    rating INTEGER,
    note TEXT NOT NULL DEFAULT '',
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    UNIQUE(trace_id, span_id, author)
);
)sql",
};

} // namespace

int version(Sql::Database& db)
{
    auto statement = db.prepare("PRAGMA user_version");
    return statement.step() ? static_cast<int>(statement.int64(0)) : 0;
}

void migrate(Sql::Database& db, int targetVersion)
{
    int current = version(db);
    if (current > CurrentVersion)
        throw StoreError("the cache has schema version " + std::to_string(current)
            + ", newer than this Tracelight understands (" + std::to_string(CurrentVersion)
            + "); use a newer Tracelight or another --db");
    while (current < targetVersion) {
        Sql::Transaction transaction(db);
        // Another connection (the window's and a collector's, opening a new cache at once) may have migrated while
        // this one waited for the write lock: read the version again under it.
        current = version(db);
        if (current >= targetVersion)
            break;
        db.exec(migrations[static_cast<std::size_t>(current)]);
        ++current;
        db.exec(("PRAGMA user_version = " + std::to_string(current)).c_str());
        transaction.commit();
    }
}

} // namespace Tracelight::Schema
