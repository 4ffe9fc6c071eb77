#include "toolcalls.h"

#include "statmath.h"
#include "steppayload.h"
#include "tracestore.h"

#include <utf8.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace Tracelight::ToolCalls {

std::string oneLine(std::string_view text, int length)
{
    return Utf8::oneLine(text, static_cast<std::size_t>(std::max(0, length)));
}

std::int64_t percentile(std::vector<std::int64_t>& values, double p)
{
    // The same definition as the dashboard's (StatMath): linear between the closest ranks.
    std::sort(values.begin(), values.end());
    const std::vector<double> sorted(values.begin(), values.end());
    return std::int64_t(std::llround(StatMath::percentile(sorted, p / 100.0)));
}

std::vector<ToolCallRow> load(TraceStore& store, const TraceSnapshot& snapshot)
{
    std::vector<ToolCallRow> rows;
    std::unordered_map<std::string_view, std::size_t> bySpan;
    for (int i = 0; i < snapshot.size(); ++i) {
        const StepRecord& s = snapshot.step(i);
        if (s.kind != StepKind::Tool)
            continue;
        ToolCallRow row;
        row.step = i;
        row.spanId = s.spanId;
        row.tool = s.toolName.empty() ? s.name : s.toolName.str();
        const int agent = snapshot.owningAgent(i);
        row.agent = !s.agentName.empty() ? s.agentName.str() : agent >= 0 ? snapshot.step(agent).name : std::string();
        row.status = s.status;
        row.statusMessage = s.statusMessage;
        row.startNs = s.startNs - snapshot.startNs();
        row.durationNs = s.durationNs();
        rows.push_back(std::move(row));
    }
    for (std::size_t r = 0; r < rows.size(); ++r)
        bySpan.emplace(rows[r].spanId, r);
    if (rows.empty())
        return rows;

    // The texts are in the tool steps' compressed blocks; only their first characters are kept.
    Sql::Statement statement = store.database().prepare(R"sql(
SELECT s.span_id, s.payload_block, s.payload_index
FROM steps s JOIN traces t ON t.id = s.trace
WHERE t.trace_id = ?1 AND s.kind = ?2
)sql");
    statement.bind(1, snapshot.summary().traceId);
    statement.bind(2, static_cast<int>(StepKind::Tool));
    StepPayload::Reader payloads(store.database());
    while (statement.step()) {
        const auto it = bySpan.find(statement.text(0));
        if (it == bySpan.end())
            continue;
        const StepPayload::Fields fields = payloads.fields(statement.int64(1), statement.int64(2));
        rows[it->second].arguments = oneLine(fields[StepPayload::ToolArguments]);
        rows[it->second].result = oneLine(fields[StepPayload::ToolResult]);
    }
    return rows;
}

std::vector<ToolSummaryRow> summarize(const std::vector<ToolCallRow>& calls, std::int64_t runDurationNs)
{
    std::map<std::string, std::vector<const ToolCallRow*>> byTool;
    for (const ToolCallRow& call : calls)
        byTool[call.tool].push_back(&call);
    std::vector<ToolSummaryRow> rows;
    for (const auto& [tool, list] : byTool) {
        ToolSummaryRow row;
        row.tool = tool;
        row.calls = int(list.size());
        std::vector<std::int64_t> durations;
        for (const ToolCallRow* call : list) {
            row.errors += call->status == StepStatus::Error;
            row.totalNs += call->durationNs;
            durations.push_back(call->durationNs);
        }
        row.successRate = double(row.calls - row.errors) / row.calls;
        row.p50Ns = percentile(durations, 50);
        row.p95Ns = percentile(durations, 95);
        row.shareOfRun = runDurationNs > 0 ? double(row.totalNs) / double(runDurationNs) : 0;
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const ToolSummaryRow& a, const ToolSummaryRow& b) {
        return a.calls != b.calls ? a.calls > b.calls : a.tool < b.tool;
    });
    return rows;
}

} // namespace Tracelight::ToolCalls
