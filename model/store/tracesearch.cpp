#include "tracesearch.h"

#include <array>

namespace Tracelight {

std::string TraceSearch::ftsQuery(std::string_view text)
{
    std::vector<std::string> terms;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
            ++i;
        if (i >= text.size())
            break;
        std::string term;
        bool prefix = false;
        if (text[i] == '"') {
            const std::size_t close = text.find('"', i + 1);
            const std::size_t end = close == std::string_view::npos ? text.size() : close;
            term = std::string(text.substr(i + 1, end - i - 1));
            i = end + 1;
        } else {
            std::size_t end = i;
            while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n' && text[end] != '\r')
                ++end;
            term = std::string(text.substr(i, end - i));
            i = end;
            if (term.size() > 1 && term.back() == '*') {
                term.pop_back();
                prefix = true;
            }
        }
        if (term.empty())
            continue;
        // Inside an FTS5 string a double quote is written twice; everything else is literal.
        std::string quoted = "\"";
        for (const char c : term) {
            if (c == '"')
                quoted += '"';
            quoted += c;
        }
        quoted += '"';
        if (prefix)
            quoted += '*';
        terms.push_back(std::move(quoted));
    }
    std::string query;
    for (const std::string& term : terms) {
        if (!query.empty())
            query += ' ';
        query += term;
    }
    return query;
}

std::vector<SearchHit> TraceSearch::search(
    const Sql::Database& db, std::string_view text, int limit, std::string_view traceId)
{
    std::vector<SearchHit> hits;
    const std::string query = ftsQuery(text);
    if (query.empty())
        return hits;
    // One snippet per column: the first column with a highlighted term says where the match is.
    Sql::Statement statement = db.prepare(R"sql(
SELECT t.trace_id, t.name, s.span_id, s.name, s.kind,
       snippet(steps_fts, 0, char(2), char(3), '…', 16),
       snippet(steps_fts, 1, char(2), char(3), '…', 16),
       snippet(steps_fts, 2, char(2), char(3), '…', 16),
       snippet(steps_fts, 3, char(2), char(3), '…', 16),
       bm25(steps_fts)
FROM steps_fts
JOIN steps s ON s.id = steps_fts.rowid
JOIN traces t ON t.id = s.trace
WHERE steps_fts MATCH ?1 AND (?2 IS NULL OR t.trace_id = ?2)
ORDER BY bm25(steps_fts)
LIMIT ?3
)sql");
    statement.bind(1, query);
    statement.bind(2, traceId, true);
    statement.bind(3, limit);
    static constexpr std::array<const char*, 4> fields = { "input", "output", "tool_arguments", "tool_result" };
    while (statement.step()) {
        SearchHit hit;
        hit.traceId = std::string(statement.text(0));
        hit.traceName = std::string(statement.text(1));
        hit.spanId = std::string(statement.text(2));
        hit.stepName = std::string(statement.text(3));
        hit.kind = static_cast<StepKind>(statement.int64(4));
        for (int column = 0; column < 4; ++column) {
            const std::string_view snippet = statement.text(5 + column);
            if (snippet.find(SnippetOpen) != std::string_view::npos) {
                hit.field = fields[std::size_t(column)];
                hit.snippet = std::string(snippet);
                break;
            }
        }
        hit.rank = statement.real(9);
        hits.push_back(std::move(hit));
    }
    return hits;
}

std::vector<std::string> TraceSearch::matchingSteps(
    const Sql::Database& db, std::string_view traceId, std::string_view text)
{
    std::vector<std::string> spans;
    const std::string query = ftsQuery(text);
    if (query.empty())
        return spans;
    Sql::Statement statement = db.prepare(R"sql(
SELECT s.span_id FROM steps_fts
JOIN steps s ON s.id = steps_fts.rowid
JOIN traces t ON t.id = s.trace
WHERE steps_fts MATCH ?1 AND t.trace_id = ?2
)sql");
    statement.bind(1, query);
    statement.bind(2, traceId);
    while (statement.step())
        spans.emplace_back(statement.text(0));
    return spans;
}

std::vector<std::string> TraceSearch::matchingTraces(const Sql::Database& db, std::string_view text)
{
    std::vector<std::string> traces;
    const std::string query = ftsQuery(text);
    if (query.empty())
        return traces;
    Sql::Statement statement = db.prepare(R"sql(
SELECT DISTINCT t.trace_id FROM steps_fts
JOIN steps s ON s.id = steps_fts.rowid
JOIN traces t ON t.id = s.trace
WHERE steps_fts MATCH ?1
)sql");
    statement.bind(1, query);
    while (statement.step())
        traces.emplace_back(statement.text(0));
    return traces;
}

std::string TraceSearch::stepByToolCallId(
    const Sql::Database& db, std::string_view traceId, std::string_view toolCallId)
{
    // The tool step itself (kind tool) before an llm step that merely mentions the id.
    Sql::Statement statement = db.prepare(R"sql(
SELECT s.span_id FROM steps s JOIN traces t ON t.id = s.trace
WHERE t.trace_id = ?1 AND s.tool_call_id = ?2
ORDER BY s.kind = ?3 DESC, s.start_ns
LIMIT 1
)sql");
    statement.bind(1, traceId);
    statement.bind(2, toolCallId);
    statement.bind(3, static_cast<int>(StepKind::Tool));
    return statement.step() ? std::string(statement.text(0)) : std::string();
}

} // namespace Tracelight
