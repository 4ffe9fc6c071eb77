#include "tracewriter.h"

#include "searchindex.h"
#include "steppayload.h"

#include <QDateTime>

#include <algorithm>
#include <array>
#include <string_view>

namespace Tracelight {

namespace {

// Column order shared by the insert and the update: ?1 and ?2 are the key (trace, span_id).
constexpr std::array<std::string_view, 33> stepColumns = {
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
    "agent_name",
    "agent_version",
    "session_id",
    "user_id",
    "trace_state",
    "flags",
    "resource",
    "scope",
    "source",
    "payload_block",
    "payload_index",
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
    return "UPDATE steps SET " + assignments + " WHERE trace = ?1 AND span_id = ?2 AND completeness < ?"
        + std::to_string(stepColumns.size());
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
    , m_insertPayload(m_db.prepare("INSERT INTO payloads(id, trace, data) VALUES (?, ?, ?)"))
    , m_findIndexedStep(m_db.prepare("SELECT id, payload_block, payload_index FROM steps "
                                     "WHERE trace = ? AND span_id = ? AND id <= (SELECT indexed_to FROM search_state)"))
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
    m_openBlocks.clear();
    m_openBytes = 0;
    m_replacedSteps.clear();
    m_seenLines.clear();
    m_rememberedLines = 0;
    m_stats = {};
    auto lastBlock = m_db.prepare("SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'payloads'), 0), "
                                  "coalesce((SELECT max(id) FROM payloads), 0))");
    m_nextBlock = lastBlock.step() ? lastBlock.int64(0) + 1 : 1;
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

void TraceWriter::bindStep(Sql::Statement& q, const Step& s, std::int64_t trace, const PayloadPlace& place)
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
        .bind(22, s.agentName, true)
        .bind(23, s.agentVersion, true)
        .bind(24, s.sessionId, true)
        .bind(25, s.userId, true)
        .bind(26, s.traceState, true)
        .bind(27, static_cast<std::int64_t>(s.flags))
        .bind(28, resourceRow(s.resource))
        .bind(29, scopeRow(s.scope))
        .bind(30, m_sourceRow)
        .bind(31, place.block)
        .bind(32, place.index)
        .bind(33, s.completeness());
}

TraceWriter::PayloadPlace TraceWriter::placeFor(std::int64_t trace)
{
    auto [it, added] = m_openBlocks.try_emplace(trace);
    OpenBlock& block = it->second;
    if (added)
        block.id = m_nextBlock++;
    return { block.id, block.count };
}

void TraceWriter::appendPayload(std::int64_t trace, std::string_view container)
{
    OpenBlock& block = m_openBlocks.at(trace);
    StepPayload::append(block.plain, container);
    ++block.count;
    m_openBytes += container.size();
    if (block.plain.size() >= StepPayload::BlockTarget) {
        writeBlock(trace, block);
        m_openBlocks.erase(trace);
    } else if (m_openBytes > MaxOpenBytes) {
        // Many traces interleaved: close every block rather than hold them all.
        flushBlocks();
    }
}

void TraceWriter::writeBlock(std::int64_t trace, OpenBlock& block)
{
    m_openBytes -= std::min(m_openBytes, block.plain.size());
    if (block.count == 0)
        return; // its steps were all in the cache already
    const std::string data = StepPayload::compress(block.plain);
    m_insertPayload.bind(1, block.id).bind(2, trace).bindBlob(3, data).run();
}

void TraceWriter::flushBlocks()
{
    for (auto& [trace, block] : m_openBlocks)
        writeBlock(trace, block);
    m_openBlocks.clear();
    m_openBytes = 0;
}

namespace {

// Lines of at least this many bytes are indexed once per trace; shorter ones ("OK", a heading) every time.
constexpr std::size_t LongLine = 32;

template <typename Fn> void forEachLine(std::string_view text, Fn fn)
{
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        fn(text.substr(0, end));
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
}

} // namespace

std::string TraceWriter::searchInput(std::int64_t trace, const Step& step) const
{
    const auto seen = m_seenLines.find(trace);
    if (seen == m_seenLines.end())
        return step.inputText;
    const std::hash<std::string_view> hash;
    std::string out;
    out.reserve(step.inputText.size());
    forEachLine(step.inputText, [&](std::string_view line) {
        if (line.size() >= LongLine && seen->second.count(hash(line)))
            return;
        out.append(line);
        out.push_back('\n');
    });
    if (!out.empty())
        out.pop_back();
    return out;
}

void TraceWriter::rememberLines(std::int64_t trace, const Step& step)
{
    constexpr std::size_t MaxRemembered = 4'000'000; // about 100 MB of hashes at most
    std::unordered_set<std::size_t>& seen = m_seenLines[trace];
    const std::hash<std::string_view> hash;
    for (const std::string* text : { &step.inputText, &step.outputText, &step.toolResult }) {
        forEachLine(*text, [&](std::string_view line) {
            if (line.size() >= LongLine)
                m_rememberedLines += seen.insert(hash(line)).second ? 1 : 0;
        });
    }
    if (m_rememberedLines > MaxRemembered) {
        m_seenLines.clear();
        m_rememberedLines = 0;
    }
}

void TraceWriter::addSteps(StepBatch&& batch)
{
    if (!inFile())
        throw StoreError("TraceWriter::addSteps called outside a file");
    for (const Step& step : batch) {
        const std::int64_t trace = traceRow(step.traceId);
        m_touchedTraces.insert(trace);
        ++m_stats.spans;
        const PayloadPlace place = placeFor(trace);
        bindStep(m_insertStep, step, trace, place);
        m_insertStep.run();
        if (m_db.changes() > 0) {
            ++m_stats.newSpans;
            appendPayload(trace, StepPayload::container(step, searchInput(trace, step)));
            rememberLines(trace, step);
            continue;
        }
        // The cache has this span already: keep whichever copy is more complete.
        m_findIndexedStep.bind(1, trace).bind(2, step.spanId);
        std::optional<std::array<std::int64_t, 3>> indexed;
        if (m_findIndexedStep.step())
            indexed = { m_findIndexedStep.int64(0), m_findIndexedStep.int64(1), m_findIndexedStep.int64(2) };
        m_findIndexedStep.reset();
        bindStep(m_updateStep, step, trace, place);
        m_updateStep.run();
        if (m_db.changes() > 0) {
            ++m_stats.updatedSpans;
            // A replacing copy keeps its whole input searchable: the lines an earlier step "had" may have been
            // this span's own, from the copy it replaces.
            appendPayload(trace, StepPayload::container(step, step.inputText));
            rememberLines(trace, step);
            // A searchable step's old texts leave the index now (from its block of an earlier file) and its new
            // ones enter it at commit, once their block is written.
            if (indexed && m_replacedSteps.insert((*indexed)[0]).second)
                SearchIndex::unindex(m_db, (*indexed)[0], (*indexed)[1], (*indexed)[2]);
        }
    }
}

void TraceWriter::mergeMcpCalls(std::int64_t trace)
{
    // An MCP tools/call is traced twice: the client's span, and the server's span under it with the same request id
    // (trace-formats-2026.md section 7). It is one call: the client's step stays the tool step and the server's
    // becomes the execution inside it. The method is the operation, or the span name's "{method} {target}" when
    // gen_ai.operation.name (execute_tool) took the operation. Spans of one call can arrive in different files, so this
    // runs at each commit of the trace.
    auto merge = m_db.prepare(R"sql(
UPDATE steps SET kind = ?2
WHERE trace = ?1 AND kind = ?3 AND otel_kind = 2 AND tool_call_id IS NOT NULL
  AND (operation = 'tools/call' OR name LIKE 'tools/call%')
  AND EXISTS (SELECT 1 FROM steps c WHERE c.trace = ?1 AND c.span_id = steps.parent_id AND c.kind = ?3
              AND c.otel_kind = 3 AND (c.operation = 'tools/call' OR c.name LIKE 'tools/call%')
              AND c.tool_call_id = steps.tool_call_id)
)sql");
    merge.bind(1, trace).bind(2, static_cast<int>(StepKind::Chain)).bind(3, static_cast<int>(StepKind::Tool)).run();
}

void TraceWriter::updateAggregates(std::int64_t trace)
{
    mergeMcpCalls(trace);
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
    updated_at_ms = ?16, findings_rev = 0, generation = generation + 1
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
    flushBlocks();
    // Steps that were searchable already and were replaced: the trigger took their old texts out of the index.
    SearchIndex::reindex(m_db, m_replacedSteps);
    // This file's steps, after at most a batch of an older backlog (an upgraded cache, a cancelled catch-up): a
    // commit never holds the cache for a whole catch-up, and each one makes the backlog smaller.
    if (!m_searchIndexDeferred)
        SearchIndex::indexPending(m_db, m_stats.newSpans + SearchIndex::BatchSteps);
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
    m_openBlocks.clear();
    m_openBytes = 0;
    m_replacedSteps.clear();
}

} // namespace Tracelight
