#pragma once

#include <findings.h>
#include <step.h>
#include <tracesummary.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

class TraceStore;

// Conversations across runs: the runs that share a session id (session.id, gen_ai.conversation.id, Langfuse
// sessions, LangSmith threads, OpenAI Agents group_id, a coding agent's session file) and their turns. A turn is a
// step named "turn N" of a run (a coding-agent session has one per prompt), or the whole run when it has none.
class Sessions
{
public:
    struct Row
    {
        std::string sessionId;
        std::int64_t runs = 0;
        std::int64_t turns = 0;
        std::int64_t startNs = 0;
        std::int64_t endNs = 0;
        std::optional<double> costUsd; // known costs summed; unknown when no run's is known
        std::int64_t errors = 0;
        std::string name; // the first run's
        std::string service;
        std::vector<std::string> traceIds; // in start order
    };
    // Every session of the cache, the most recent first.
    static std::vector<Row> list(TraceStore& store);

    struct Turn
    {
        int number = 0; // 1-based over the session
        std::string traceId;
        std::string spanId; // the turn step, or the run's root
        std::int64_t startNs = 0;
        std::int64_t endNs = 0;
        std::int64_t steps = 0;
        std::int64_t llmCalls = 0;
        std::int64_t toolCalls = 0;
        std::int64_t tokens = 0;
        std::optional<double> costUsd;
        std::int64_t errors = 0;
        std::string user; // what the user asked: the turn's first human step, else its first model call's last message
        std::string answer; // the turn's last model output
        std::vector<Finding> findings; // the stored findings that point into the turn
        // The turn's steps folded beneath it: depth-first from the turn step, at most OutlineLimit of them.
        struct Step
        {
            std::string spanId;
            StepKind kind = StepKind::Other;
            std::string name;
            std::int64_t durationNs = 0;
            bool failed = false;
            int depth = 0;
        };
        std::vector<Step> outline;
    };
    static constexpr std::size_t OutlineLimit = 300;
    // The turns of a session in order; empty when there is no such session.
    static std::vector<Turn> transcript(TraceStore& store, std::string_view sessionId);
};

} // namespace Tracelight
