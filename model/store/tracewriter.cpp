#include "tracewriter.h"

#include <QDateTime>

#include <array>
#include <string_view>

namespace Tracelight {

namespace {

// Column order shared by the insert and the update: ?1 and ?2 are the key (trace, span_id).
constexpr std::array<std::string_view, 41> stepColumns = {
    "trace",
    "span_id",
    "parent_id",
    "kind",
    "name",
    "otel_kind",
    "start_ns",
    "end_ns",
    "status",
    "status_message",
    "operation",
    "model",
    "provider",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
    "cost_usd",
    "tool_name",
    "tool_call_id",
    "tool_arguments",
    "tool_result",
    "agent_name",
    "agent_version",
    "session_id",
    "user_id",
    "system_instructions",
    "input_messages",
    "output_messages",
    "input_text",
    "output_text",
    "attributes",
    "events",
    "links",
    "trace_state",
    "flags",
    "resource",
    "scope",
    "source",
    "completeness",
};

std::string insertStepSql()
{
    std::string columns;
    std::string values;
    for (std::size_t i = 0; i < stepColumns.size(); ++i) {
        columns += (i ? ", " : "") + std::string(stepColumns[i]);
        values += (i ? ", ?" : "?") + std::to_string(i + 1);
    }
    return "INSERT OR IGNORE INTO steps(" + columns + ") VALUES (" + values + ")";
}

std::string updateStepSql()
{
    std::string assignments;
    for (std::size_t i = 2; i < stepColumns.size(); ++i)
        assignments += (i > 2 ? ", " : "") + std::string(stepColumns[i]) + " = ?" + std::to_string(i + 1);
    return "UPDATE steps SET " + assignments + " WHERE trace = ?1 AND span_id = ?2 AND completeness < ?41";
}

std::int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

TraceWriter::TraceWriter(TraceStore& store)
    : m_store(store)
    , m_db(store.database())
    , m_insertStep(m_db.prepare(insertStepSql()))
    , m_updateStep(m_db.prepare(updateStepSql()))
    , m_insertTrace(m_db.prepare("INSERT OR IGNORE INTO traces(trace_id) VALUES (?)"))
    , m_findTrace(m_db.prepare("SELECT id FROM traces WHERE trace_id = ?"))
    , m_insertResource(m_db.prepare("INSERT OR IGNORE INTO resources(attributes, service, version) VALUES (?, ?, ?)"))
    , m_findResource(m_db.prepare("SELECT id FROM resources WHERE attributes = ?"))
    , m_insertScope(m_db.prepare("INSERT OR IGNORE INTO scopes(name, version, attributes) VALUES (?, ?, ?)"))
    , m_findScope(m_db.prepare("SELECT id FROM scopes WHERE name = ? AND version = ? AND attributes = ?"))
{ }

TraceWriter::~TraceWriter()
{
    if (inFile())
        rollbackFile();
}

void TraceWriter::beginFile(const std::string& path, const std::string& format, std::int64_t size)
{
    if (inFile())
        throw StoreError("TraceWriter::beginFile called while a file is open");
    m_transaction = std::make_unique<Sql::Transaction>(m_db);
    m_traceRows.clear();
    m_resourceRows.clear();
    m_scopeRows.clear();
    m_touchedTraces.clear();
    m_stats = {};
    auto insert
        = m_db.prepare("INSERT INTO sources(path, sha256, size, format, imported_at_ms) VALUES (?, '', ?, ?, ?)");
    insert.bind(1, path).bind(2, size).bind(3, format).bind(4, nowMs()).run();
    m_sourceRow = m_db.lastInsertRowId();
}

std::int64_t TraceWriter::traceRow(const std::string& traceId)
{
    if (const auto it = m_traceRows.find(traceId); it != m_traceRows.end())
        return it->second;
    m_insertTrace.bind(1, traceId).run();
    m_findTrace.bind(1, traceId);
    if (!m_findTrace.step())
        m_db.fail("cannot find trace row");
    const std::int64_t row = m_findTrace.int64(0);
    m_findTrace.reset();
    m_traceRows.emplace(traceId, row);
    return row;
}

std::optional<std::int64_t> TraceWriter::resourceRow(const std::shared_ptr<const Resource>& resource)
{
    // An empty resource is no resource: both read back alike, and an empty row would stand in, by its attributes
    // alone, for a resource that has only a service name.
    if (!resource
        || (resource->attributesJson == "[]" && resource->serviceName.empty() && resource->serviceVersion.empty()))
        return std::nullopt;
    if (const auto it = m_resourceRows.find(resource); it != m_resourceRows.end())
        return it->second;
    m_insertResource.bind(1, resource->attributesJson)
        .bind(2, resource->serviceName, true)
        .bind(3, resource->serviceVersion, true)
        .run();
    m_findResource.bind(1, resource->attributesJson);
    if (!m_findResource.step())
        m_db.fail("cannot find resource row");
    const std::int64_t row = m_findResource.int64(0);
    m_findResource.reset();
    m_resourceRows.emplace(resource, row);
    return row;
}

std::optional<std::int64_t> TraceWriter::scopeRow(const std::shared_ptr<const Scope>& scope)
{
    if (!scope || (scope->name.empty() && scope->version.empty() && scope->attributesJson == "[]"))
        return std::nullopt;
    if (const auto it = m_scopeRows.find(scope); it != m_scopeRows.end())
        return it->second;
    m_insertScope.bind(1, scope->name).bind(2, scope->version).bind(3, scope->attributesJson).run();
    m_findScope.bind(1, scope->name).bind(2, scope->version).bind(3, scope->attributesJson);
    if (!m_findScope.step())
        m_db.fail("cannot find scope row");
    const std::int64_t row = m_findScope.int64(0);
    m_findScope.reset();
    m_scopeRows.emplace(scope, row);
    return row;
}

void TraceWriter::bindStep(Sql::Statement& q, const Step& s, std::int64_t trace)
{
    q.bind(1, trace)
        .bind(2, s.spanId)
        .bind(3, s.parentId, true)
        .bind(4, static_cast<int>(s.kind))
        .bind(5, s.name)
        .bind(6, s.otelKind)
        .bind(7, s.startNs)
        .bind(8, s.endNs)
        .bind(9, static_cast<int>(s.status))
        .bind(10, s.statusMessage, true)
        .bind(11, s.operation, true)
        .bind(12, s.model, true)
        .bind(13, s.provider, true)
        .bind(14, s.tokens.input)
        .bind(15, s.tokens.output)
        .bind(16, s.tokens.cacheRead)
        .bind(17, s.tokens.cacheWrite)
        .bind(18, s.tokens.reasoning)
        .bind(19, s.costUsd)
        .bind(20, s.toolName, true)
        .bind(21, s.toolCallId, true)
        .bind(22, s.toolArguments, true)
        .bind(23, s.toolResult, true)
        .bind(24, s.agentName, true)
        .bind(25, s.agentVersion, true)
        .bind(26, s.sessionId, true)
        .bind(27, s.userId, true)
        .bind(28, s.systemInstructions, true)
        .bind(29, s.inputMessages, true)
        .bind(30, s.outputMessages, true)
        .bind(31, s.inputText, true)
        .bind(32, s.outputText, true)
        .bind(33, s.attributesJson)
        .bind(34, s.eventsJson)
        .bind(35, s.linksJson)
        .bind(36, s.traceState, true)
        .bind(37, static_cast<std::int64_t>(s.flags))
        .bind(38, resourceRow(s.resource))
        .bind(39, scopeRow(s.scope))
        .bind(40, m_sourceRow)
        .bind(41, s.completeness());
}

void TraceWriter::addSteps(StepBatch&& batch)
{
    if (!inFile())
        throw StoreError("TraceWriter::addSteps called outside a file");
    for (const Step& step : batch) {
        const std::int64_t trace = traceRow(step.traceId);
        m_touchedTraces.insert(trace);
        ++m_stats.spans;
        bindStep(m_insertStep, step, trace);
        m_insertStep.run();
        if (m_db.changes() > 0) {
            ++m_stats.newSpans;
            continue;
        }
        // The cache has this span already: keep whichever copy is more complete.
        bindStep(m_updateStep, step, trace);
        m_updateStep.run();
        if (m_db.changes() > 0)
            ++m_stats.updatedSpans;
    }
}

void TraceWriter::updateAggregates(std::int64_t trace)
{
    // Tokens and cost over llm steps only: frameworks repeat usage on enclosing agent and chain spans.
    auto totals = m_db.prepare(R"sql(
SELECT count(*),
       coalesce(sum(kind = 1), 0),
       coalesce(sum(kind = 2), 0),
       coalesce(sum(CASE WHEN kind = 1 THEN input_tokens END), 0),
       coalesce(sum(CASE WHEN kind = 1 THEN output_tokens END), 0),
       coalesce(sum(CASE WHEN kind = 1 THEN cache_read_tokens END), 0),
       coalesce(sum(CASE WHEN kind = 1 THEN reasoning_tokens END), 0),
       sum(CASE WHEN kind = 1 THEN cost_usd END),
       coalesce(sum(status = 2), 0),
       min(CASE WHEN start_ns > 0 THEN start_ns END),
       max(max(end_ns, start_ns))
FROM steps WHERE trace = ?1)sql");
    totals.bind(1, trace);
    totals.step();
    // The root: a step without a parent, else the earliest step whose parent is not in the cache.
    auto root = m_db.prepare(R"sql(
SELECT s.name, r.service, r.version FROM steps s LEFT JOIN resources r ON r.id = s.resource
WHERE s.trace = ?1 AND (s.parent_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM steps p WHERE p.trace = ?1 AND p.span_id = s.parent_id))
ORDER BY s.parent_id IS NOT NULL, s.start_ns, s.id LIMIT 1)sql");
    root.bind(1, trace);
    const bool hasRoot = root.step();
    auto update = m_db.prepare(R"sql(
UPDATE traces SET spans = ?2, llm_calls = ?3, tool_calls = ?4, input_tokens = ?5, output_tokens = ?6,
    cache_read_tokens = ?7, reasoning_tokens = ?8, cost_usd = ?9, errors = ?10, start_ns = ?11, end_ns = ?12,
    name = ?13,
    service = coalesce(?14, (SELECT r.service FROM steps s JOIN resources r ON r.id = s.resource
                             WHERE s.trace = ?1 AND r.service IS NOT NULL ORDER BY s.start_ns LIMIT 1)),
    version = coalesce(?15, (SELECT r.version FROM steps s JOIN resources r ON r.id = s.resource
                             WHERE s.trace = ?1 AND r.version IS NOT NULL ORDER BY s.start_ns LIMIT 1)),
    agent = (SELECT agent_name FROM steps WHERE trace = ?1 AND agent_name IS NOT NULL ORDER BY start_ns, id LIMIT 1),
    session_id = (SELECT session_id FROM steps WHERE trace = ?1 AND session_id IS NOT NULL ORDER BY start_ns LIMIT 1),
    user_id = (SELECT user_id FROM steps WHERE trace = ?1 AND user_id IS NOT NULL ORDER BY start_ns LIMIT 1),
    updated_at_ms = ?16
WHERE id = ?1)sql");
    update.bind(1, trace);
    for (int i = 0; i < 7; ++i)
        update.bind(2 + i, totals.int64(i));
    update.bind(9, totals.optReal(7));
    update.bind(10, totals.int64(8));
    update.bind(11, totals.optInt64(9).value_or(0));
    update.bind(12, totals.optInt64(10).value_or(0));
    if (hasRoot) {
        update.bind(13, root.text(0)).bind(14, root.text(1), true).bind(15, root.text(2), true);
    } else {
        update.bindNull(13).bindNull(14).bindNull(15);
    }
    update.bind(16, nowMs());
    update.run();
}

FileImportStats TraceWriter::commitFile(const std::string& sha256)
{
    if (!inFile())
        throw StoreError("TraceWriter::commitFile called outside a file");
    auto previous = m_db.prepare("SELECT 1 FROM sources WHERE sha256 = ? AND id <> ? LIMIT 1");
    previous.bind(1, sha256).bind(2, m_sourceRow);
    m_stats.alreadyImported = previous.step();
    m_stats.traces = static_cast<std::int64_t>(m_touchedTraces.size());
    if (m_stats.alreadyImported && m_stats.newSpans == 0 && m_stats.updatedSpans == 0) {
        // The same content again: nothing changed, and the cache keeps no trace of the attempt either.
        auto drop = m_db.prepare("DELETE FROM sources WHERE id = ?");
        drop.bind(1, m_sourceRow).run();
    } else {
        for (const std::int64_t trace : m_touchedTraces)
            updateAggregates(trace);
        auto source = m_db.prepare("UPDATE sources SET sha256 = ?, spans = ?, new_spans = ? WHERE id = ?");
        source.bind(1, sha256).bind(2, m_stats.spans).bind(3, m_stats.newSpans).bind(4, m_sourceRow).run();
    }
    m_transaction->commit();
    m_transaction.reset();
    return m_stats;
}

void TraceWriter::rollbackFile()
{
    if (m_transaction)
        m_transaction->rollback();
    m_transaction.reset();
    m_resourceRows.clear();
    m_scopeRows.clear();
    m_traceRows.clear();
}

} // namespace Tracelight
