#include "tracestore.h"

#include <algorithm>

#include "schema.h"
#include "steppayload.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <unordered_map>

namespace Tracelight {

namespace {

std::string str(std::string_view view)
{
    return std::string(view);
}

constexpr std::string_view summaryColumns
    = "trace_id, name, service, version, agent, session_id, user_id, start_ns, end_ns, spans, llm_calls, "
      "tool_calls, input_tokens, output_tokens, cache_read_tokens, reasoning_tokens, cost_usd, errors, "
      "(SELECT count(*) || ',' || max(f.severity) || ',' || group_concat(DISTINCT f.kind) FROM findings f "
      "WHERE f.trace = traces.id), "
      "(SELECT count(*) FROM annotations a WHERE a.trace_id = traces.trace_id), "
      "(SELECT group_concat(label, char(31)) FROM (SELECT DISTINCT label FROM annotations a "
      "WHERE a.trace_id = traces.trace_id AND label <> '' ORDER BY label))";

TraceSummary readSummary(const Sql::Statement& row)
{
    TraceSummary t;
    t.traceId = str(row.text(0));
    t.name = str(row.text(1));
    t.service = str(row.text(2));
    t.version = str(row.text(3));
    t.agent = str(row.text(4));
    t.sessionId = str(row.text(5));
    t.userId = str(row.text(6));
    t.startNs = row.int64(7);
    t.endNs = row.int64(8);
    t.spans = row.int64(9);
    t.llmCalls = row.int64(10);
    t.toolCalls = row.int64(11);
    t.tokens.input = row.int64(12);
    t.tokens.output = row.int64(13);
    t.tokens.cacheRead = row.int64(14);
    t.tokens.reasoning = row.int64(15);
    t.costUsd = row.optReal(16);
    t.errors = row.int64(17);
    // "count,severity,kind,kind…" of the stored findings, NULL when there are none.
    if (!row.isNull(18)) {
        const std::string_view findings = row.text(18);
        const auto first = findings.find(',');
        const auto second = findings.find(',', first + 1);
        if (first != std::string_view::npos && second != std::string_view::npos) {
            t.findings = std::atoll(std::string(findings.substr(0, first)).c_str());
            t.findingsSeverity = std::atoi(std::string(findings.substr(first + 1, second - first - 1)).c_str());
            t.findingKinds = std::string(findings.substr(second + 1));
        }
    }
    t.annotations = row.int64(19);
    // The distinct labels, separated by U+001F (a label may hold a comma).
    for (std::string_view labels = row.text(20); !labels.empty();) {
        const std::size_t end = std::min(labels.find('\x1f'), labels.size());
        t.annotationLabels.emplace_back(labels.substr(0, end));
        labels.remove_prefix(std::min(end + 1, labels.size()));
    }
    return t;
}

constexpr std::string_view recordColumns
    = "s.id, s.span_id, s.parent_id, s.name, s.kind, s.status, s.start_ns, s.end_ns, s.status_message, "
      "s.operation, s.model, s.provider, s.tool_name, s.agent_name, r.service, s.input_tokens, s.output_tokens, "
      "s.cache_read_tokens, s.reasoning_tokens, s.cost_usd, s.cache_write_tokens";

StepRecord readRecord(const Sql::Statement& row)
{
    StepRecord s;
    s.rowId = row.int64(0);
    s.spanId = str(row.text(1));
    s.parentId = str(row.text(2));
    s.name = str(row.text(3));
    const auto kind = row.int64(4);
    s.kind = kind >= 0 && kind < StepKindCount ? static_cast<StepKind>(kind) : StepKind::Other;
    const auto status = row.int64(5);
    s.status = status == 1 ? StepStatus::Ok : status == 2 ? StepStatus::Error : StepStatus::Unset;
    s.startNs = row.int64(6);
    s.endNs = row.int64(7);
    s.statusMessage = str(row.text(8));
    s.operation = str(row.text(9));
    s.model = str(row.text(10));
    s.provider = str(row.text(11));
    s.toolName = str(row.text(12));
    s.agentName = str(row.text(13));
    s.service = str(row.text(14));
    s.tokens.input = row.optInt64(15);
    s.tokens.output = row.optInt64(16);
    s.tokens.cacheRead = row.optInt64(17);
    s.tokens.reasoning = row.optInt64(18);
    s.costUsd = row.optReal(19);
    s.costSource = s.costUsd ? CostSource::Recorded : CostSource::None;
    s.tokens.cacheWrite = row.optInt64(20);
    return s;
}

// The columns of a detail query after recordColumns, in the order of DetailColumn.
constexpr std::string_view detailColumns
    = "s.otel_kind, s.tool_call_id, s.payload_block, s.payload_index, s.session_id, s.user_id, s.agent_version, "
      "s.trace_state, s.flags, coalesce(r.attributes, '[]'), r.version, sc.name, sc.version, "
      "coalesce(sc.attributes, '[]'), src.path, src.format";
enum DetailColumn : int
{
    RecordColumnCount = 21, // recordColumns
    OtelKind = RecordColumnCount,
    ToolCallId,
    PayloadBlock,
    PayloadIndex,
    SessionId,
    UserId,
    AgentVersion,
    TraceState,
    Flags,
    ResourceAttributes,
    ResourceVersion,
    ScopeName,
    ScopeVersion,
    ScopeAttributes,
    SourcePath,
    SourceFormat,
};

constexpr std::string_view detailJoins
    = " FROM steps s JOIN traces t ON t.id = s.trace LEFT JOIN resources r ON r.id = s.resource "
      "LEFT JOIN scopes sc ON sc.id = s.scope LEFT JOIN sources src ON src.id = s.source ";

StepDetail readDetail(const Sql::Statement& query, std::string_view traceId, StepPayload::Reader& payloads)
{
    StepDetail d;
    d.record = readRecord(query);
    const StepRecord& r = d.record;
    Step& s = d.step;
    s.traceId = str(traceId);
    s.spanId = r.spanId;
    s.parentId = r.parentId;
    s.name = r.name;
    s.kind = r.kind;
    s.status = r.status;
    s.startNs = r.startNs;
    s.endNs = r.endNs;
    s.statusMessage = r.statusMessage;
    s.operation = r.operation.str();
    s.model = r.model.str();
    s.provider = r.provider.str();
    s.toolName = r.toolName.str();
    s.agentName = r.agentName.str();
    s.tokens = r.tokens;
    s.costUsd = r.costUsd; // as recorded: the cost model has not been applied yet
    s.otelKind = static_cast<int>(query.int64(OtelKind));
    s.toolCallId = str(query.text(ToolCallId));
    StepPayload::moveInto(payloads.container(query.int64(PayloadBlock), query.int64(PayloadIndex)), s);
    s.sessionId = str(query.text(SessionId));
    s.userId = str(query.text(UserId));
    s.agentVersion = str(query.text(AgentVersion));
    s.traceState = str(query.text(TraceState));
    s.flags = static_cast<std::uint32_t>(query.int64(Flags));
    auto resource = std::make_shared<Resource>();
    resource->attributesJson = str(query.text(ResourceAttributes));
    resource->serviceName = r.service.str();
    resource->serviceVersion = str(query.text(ResourceVersion));
    s.resource = std::move(resource);
    auto scope = std::make_shared<Scope>();
    scope->name = str(query.text(ScopeName));
    scope->version = str(query.text(ScopeVersion));
    scope->attributesJson = str(query.text(ScopeAttributes));
    s.scope = std::move(scope);
    d.sourcePath = str(query.text(SourcePath));
    d.sourceFormat = str(query.text(SourceFormat));
    return d;
}

} // namespace

TraceStore::TraceStore(const std::string& path, Mode mode)
    : m_path(path)
    , m_costModel(std::make_shared<const CostModel>())
{
    if (mode == Mode::ReadOnly) {
        m_db = Sql::Database(path, Sql::Database::Mode::ReadOnly);
        StepPayload::registerFunctions(m_db.handle());
        const int version = Schema::version(m_db);
        if (version > Schema::CurrentVersion)
            throw StoreError("the cache " + path + " was written by a newer Tracelight");
        if (version < Schema::CurrentVersion) {
            // An older cache: this build's queries need its schema, so it is migrated once by a writer first.
            m_db = Sql::Database();
            try {
                TraceStore(path, Mode::ReadWrite);
            } catch (const StoreError& error) {
                throw StoreError("the cache " + path + " was written by an older Tracelight and must be upgraded, "
                    + "which needs write access: " + error.what());
            }
            m_db = Sql::Database(path, Sql::Database::Mode::ReadOnly);
            StepPayload::registerFunctions(m_db.handle());
        }
        return;
    }
    const QFileInfo info(QString::fromStdString(path));
    if (!info.dir().exists() && !QDir().mkpath(info.absolutePath()))
        throw StoreError("cannot create the folder for the cache " + path);
    m_db = Sql::Database(path, Sql::Database::Mode::ReadWrite);
    StepPayload::registerFunctions(m_db.handle());
    // Two processes or threads opening a new cache at once: switching it to WAL can report SQLITE_BUSY without
    // waiting on the busy timeout, so the set-up is retried for as long as that timeout would have waited.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (int attempt = 0;; ++attempt) {
        try {
            // WAL: readers (the window's queries) never block the writer (imports, the collector) and vice versa.
            m_db.exec("PRAGMA journal_mode = WAL");
            m_db.exec("PRAGMA synchronous = NORMAL");
            m_db.exec("PRAGMA foreign_keys = ON");
            Schema::migrate(m_db);
            return;
        } catch (const StoreError&) {
            if (!m_db.lastErrorWasBusy() || std::chrono::steady_clock::now() > deadline)
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(200, 10 * (attempt + 1))));
        }
    }
}

std::string TraceStore::defaultPath()
{
    const QByteArray fromEnv = qgetenv("TRACELIGHT_DB");
    if (!fromEnv.isEmpty())
        return fromEnv.toStdString();
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/tracelight");
    return QString(dir + QStringLiteral("/cache.sqlite")).toStdString();
}

int TraceStore::schemaVersion()
{
    return Schema::version(m_db);
}

void TraceStore::setCostModel(CostModelPtr model)
{
    m_costModel = model ? std::move(model) : std::make_shared<const CostModel>();
}

std::string_view TraceStore::usageColumns()
{
    // Keep in step with readUsage() and UsageColumnCount.
    return "coalesce(s.model, ''), coalesce(s.provider, ''), "
           "coalesce(min(CASE WHEN s.start_ns > 0 THEN s.start_ns END), 0), count(*), "
           "count(s.cost_usd), coalesce(sum(s.cost_usd), 0), "
           "coalesce(sum(s.cost_usd IS NULL AND (s.input_tokens IS NOT NULL OR s.output_tokens IS NOT NULL)), 0), "
           "coalesce(sum(CASE WHEN s.cost_usd IS NULL THEN s.input_tokens END), 0), "
           "coalesce(sum(CASE WHEN s.cost_usd IS NULL THEN s.output_tokens END), 0), "
           "coalesce(sum(CASE WHEN s.cost_usd IS NULL THEN s.cache_read_tokens END), 0), "
           "coalesce(sum(CASE WHEN s.cost_usd IS NULL THEN s.cache_write_tokens END), 0), "
           "coalesce(sum(CASE WHEN s.cost_usd IS NULL THEN s.reasoning_tokens END), 0), "
           "coalesce(sum(s.cost_usd IS NULL AND s.input_tokens IS NULL AND s.output_tokens IS NULL "
           "AND s.status = 2), 0), "
           "coalesce(sum(s.cost_usd IS NULL AND s.input_tokens IS NULL AND s.output_tokens IS NULL "
           "AND s.status <> 2), 0)";
}

UsageGroup TraceStore::readUsage(const Sql::Statement& row, int c)
{
    UsageGroup g;
    g.model = str(row.text(c++));
    g.provider = str(row.text(c++));
    g.atNs = row.int64(c++);
    g.calls = row.int64(c++);
    g.recordedCalls = row.int64(c++);
    g.recordedUsd = row.real(c++);
    g.usageCalls = row.int64(c++);
    g.tokens.input = row.int64(c++);
    g.tokens.output = row.int64(c++);
    g.tokens.cacheRead = row.int64(c++);
    g.tokens.cacheWrite = row.int64(c++);
    g.tokens.reasoning = row.int64(c++);
    g.failedWithoutUsage = row.int64(c++);
    g.withoutUsage = row.int64(c++);
    return g;
}

void TraceStore::applyCosts(std::vector<TraceSummary>& traces, std::string_view traceId)
{
    if (traces.empty())
        return;
    std::unordered_map<std::string_view, TraceSummary*> byId;
    for (TraceSummary& trace : traces) {
        trace.costUsd.reset();
        byId.emplace(trace.traceId, &trace);
    }
    // Tokens are summed over llm steps only, as in the trace list: frameworks repeat usage on enclosing spans.
    auto query = m_db.prepare("SELECT t.trace_id, coalesce(sum(s.cache_write_tokens), 0), " + str(usageColumns())
        + " FROM steps s JOIN traces t ON t.id = s.trace WHERE s.kind = 1"
        + (traceId.empty() ? "" : " AND t.trace_id = ?1") + " GROUP BY s.trace, s.model, s.provider");
    if (!traceId.empty())
        query.bind(1, traceId);
    std::unordered_map<TraceSummary*, CostTotal> totals;
    while (query.step()) {
        const auto it = byId.find(query.text(0));
        if (it == byId.end())
            continue;
        it->second->tokens.cacheWrite += query.int64(1);
        totals[it->second].add(m_costModel->groupCost(readUsage(query, 2)));
    }
    for (auto& [trace, total] : totals) {
        trace->costUsd = total.usd;
        trace->costSource = total.source();
        trace->unknownCostCalls = total.unknownCalls;
        trace->unpricedModels = std::move(total.unpricedModels);
    }
}

std::vector<TraceSummary> TraceStore::traces()
{
    auto query = m_db.prepare("SELECT " + str(summaryColumns) + " FROM traces ORDER BY start_ns DESC, id DESC");
    std::vector<TraceSummary> result;
    while (query.step())
        result.push_back(readSummary(query));
    applyCosts(result, {});
    return result;
}

std::optional<TraceSummary> TraceStore::trace(std::string_view traceId)
{
    auto query = m_db.prepare("SELECT " + str(summaryColumns) + " FROM traces WHERE trace_id = ?");
    query.bind(1, traceId);
    if (!query.step())
        return std::nullopt;
    std::vector<TraceSummary> one { readSummary(query) };
    applyCosts(one, traceId);
    return std::move(one.front());
}

std::vector<StepRecord> TraceStore::steps(std::string_view traceId)
{
    auto query = m_db.prepare("SELECT " + str(recordColumns)
        + " FROM steps s JOIN traces t ON t.id = s.trace LEFT JOIN resources r ON r.id = "
          "s.resource WHERE t.trace_id = ? ORDER BY s.start_ns, s.id");
    query.bind(1, traceId);
    std::vector<StepRecord> result;
    // A million records moved on every growth of the vector cost more than the one count query.
    if (const auto summary = trace(traceId))
        result.reserve(std::size_t(std::max<std::int64_t>(0, summary->spans)));
    while (query.step())
        result.push_back(readRecord(query));
    m_costModel->applyToSteps(result);
    return result;
}

std::optional<StepDetail> TraceStore::stepDetail(std::string_view traceId, std::string_view spanId)
{
    auto query = m_db.prepare("SELECT " + str(recordColumns) + ", " + str(detailColumns) + str(detailJoins)
        + "WHERE t.trace_id = ? AND s.span_id = ?");
    query.bind(1, traceId).bind(2, spanId);
    if (!query.step())
        return std::nullopt;
    StepPayload::Reader payloads(m_db);
    StepDetail detail = readDetail(query, traceId, payloads);
    const CostModel::StepCost cost = costModel().stepCost(detail.record);
    detail.record.costUsd = cost.usd;
    detail.record.costSource = cost.source;
    return detail;
}

void TraceStore::forEachStepDetail(std::string_view traceId, const std::function<void(StepDetail&&)>& fn)
{
    auto query = m_db.prepare("SELECT " + str(recordColumns) + ", " + str(detailColumns) + str(detailJoins)
        + "WHERE t.trace_id = ? ORDER BY s.resource, s.scope, s.start_ns, s.id");
    query.bind(1, traceId);
    StepPayload::Reader payloads(m_db);
    while (query.step())
        fn(readDetail(query, traceId, payloads));
}

std::vector<SourceRecord> TraceStore::sources()
{
    auto query
        = m_db.prepare("SELECT path, sha256, size, format, imported_at_ms, spans, new_spans FROM sources ORDER BY id");
    std::vector<SourceRecord> result;
    while (query.step()) {
        result.push_back({ str(query.text(0)), str(query.text(1)), query.int64(2), str(query.text(3)), query.int64(4),
            query.int64(5), query.int64(6) });
    }
    return result;
}

std::optional<SourceRecord> TraceStore::sourceBySha256(std::string_view sha256)
{
    auto query = m_db.prepare("SELECT path, sha256, size, format, imported_at_ms, spans, new_spans FROM sources "
                              "WHERE sha256 = ? ORDER BY id LIMIT 1");
    query.bind(1, sha256);
    if (!query.step())
        return std::nullopt;
    return SourceRecord { str(query.text(0)), str(query.text(1)), query.int64(2), str(query.text(3)), query.int64(4),
        query.int64(5), query.int64(6) };
}

std::int64_t TraceStore::diskSize() const
{
    const QString base = QString::fromStdString(m_path);
    return QFileInfo(base).size() + QFileInfo(base + QStringLiteral("-wal")).size();
}

} // namespace Tracelight
