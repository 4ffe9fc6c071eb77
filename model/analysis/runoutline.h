#pragma once

#include <findings.h>
#include <tracesnapshot.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

class TraceStore;

// A run as compact text for a language model (`tracelight show --outline`, the MCP server's get_run): a header, the
// findings, then a line a step in causal order — its span id (its shortest unique prefix, at least 8 characters),
// kind, name, duration, tokens, cost, status and the first words of its input and output. To fit a token budget it
// folds repeated rounds (the same steps again and again under one parent) into one line that counts them, shortens
// and then drops the excerpts, then hides deep levels; steps that failed or that a finding points at are never
// folded away. Every text taken from the trace is made inert (Utf8::visible) and quoted on one line.
class RunOutline
{
public:
    struct Options
    {
        std::int64_t budgetTokens = 4000; // 0: no limit, nothing folded
    };

    struct Result
    {
        std::string text;
        std::int64_t estimatedTokens = 0;
        int stepsShown = 0; // steps with a line of their own
        int stepsFolded = 0; // steps counted in fold lines or hidden below a depth limit
        bool truncated = false; // lines had to be cut at the end
    };

    // The steps' texts are read from the store for the lines shown only.
    static Result build(
        TraceStore& store, const TraceSnapshot& snapshot, const std::vector<Finding>& findings, const Options& options);

    // The outline's short forms, shared with the MCP server's text results: "950", "12.3k", "1.2M"; "$0.12",
    // "$0.0034", "<$0.0001".
    static std::string count(std::int64_t n);
    static std::string cost(double usd);

    // Roughly four bytes a token, the usual estimate for English text and JSON.
    static std::int64_t estimateTokens(std::string_view text) { return (std::int64_t(text.size()) + 3) / 4; }

    // For each step, the length of the shortest prefix (at least 8) of its span id that no other span id of the run
    // starts with.
    static std::vector<std::size_t> spanPrefixLengths(const TraceSnapshot& snapshot);
};

} // namespace Tracelight
