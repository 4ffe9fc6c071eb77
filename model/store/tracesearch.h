#pragma once

#include "sqlite.h"
#include "step.h"

#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// One step whose texts match a full-text query.
struct SearchHit
{
    std::string traceId;
    std::string traceName;
    std::string spanId;
    std::string stepName;
    StepKind kind = StepKind::Other;
    std::string field; // input, output, tool_arguments or tool_result: where the best snippet is
    // The matching passage; the matched terms are between SnippetOpen and SnippetClose.
    std::string snippet;
    double rank = 0; // bm25: lower is better
};

// Full-text search (FTS5) over prompts, completions, tool arguments and results of the whole cache or of one
// trace. The user's text is turned into a safe FTS5 query, so no input is a syntax error.
class TraceSearch
{
public:
    static constexpr char SnippetOpen = '\x02';
    static constexpr char SnippetClose = '\x03';

    // Every word (or "quoted phrase") must appear; a word ending in * matches as a prefix.
    static std::string ftsQuery(std::string_view text);

    static std::vector<SearchHit> search(
        const Sql::Database& db, std::string_view text, int limit = 200, std::string_view traceId = {});
    // Span ids of a trace's steps whose texts match, for find-in-trace.
    static std::vector<std::string> matchingSteps(
        const Sql::Database& db, std::string_view traceId, std::string_view text);
    // Trace ids of every trace with a step whose texts match.
    static std::vector<std::string> matchingTraces(const Sql::Database& db, std::string_view text);
    // The span id of the tool step that ran a tool call, empty when the trace has none.
    static std::string stepByToolCallId(const Sql::Database& db, std::string_view traceId, std::string_view toolCallId);
};

} // namespace Tracelight
