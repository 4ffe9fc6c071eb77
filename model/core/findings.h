#pragma once

#include "tracesummary.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Tracelight {

class PriceTable;

// What a finding says went wrong in a run (README "Findings" explains each).
enum class FindingKind : std::uint8_t
{
    Loop, // the same tool call, or the same prompt, again without new information
    Runaway, // far more llm calls, tool calls or tokens than the runs of the same agent and version
    CostRegression, // far more cost than the baseline
    LatencyRegression, // far longer than the baseline
    FailureCause, // the step a failed run failed because of; a guardrail that stopped it
    FailureStreak, // the same tool failing again and again with different arguments
    UngroundedArgument, // a tool argument that appeared nowhere earlier, or contradicts an earlier result
    ContextPressure, // a conversation near its model's context window; output cut at the token limit
};
inline constexpr int FindingKindCount = 8;

std::string_view findingKindName(FindingKind kind);
std::optional<FindingKind> findingKindFromName(std::string_view name);

enum class FindingSeverity : std::uint8_t
{
    Low,
    Medium,
    High,
};

std::string_view findingSeverityName(FindingSeverity severity);
std::optional<FindingSeverity> findingSeverityFromName(std::string_view name);

struct Finding
{
    std::string traceId;
    FindingKind kind = FindingKind::Loop;
    FindingSeverity severity = FindingSeverity::Medium;
    std::vector<std::string> spanIds; // the steps it points at, the most telling first
    std::string message; // one line in plain words
    std::optional<std::int64_t> wastedTokens;
    std::optional<double> wastedCostUsd;
    std::optional<std::int64_t> wastedNs;
    // ungrounded_argument: the argument (a path into the arguments: "customer_id", "items[0].sku") and its value;
    // when an earlier step returned another value for the same entity, that step, its value and the entity
    // ("order_id=A-10442").
    std::string argument;
    std::string value;
    std::string sourceSpanId;
    std::string sourceValue;
    std::string entity;

    bool operator==(const Finding&) const = default;
};

// The findings as JSON objects (the fields README "Findings" lists), and back (for the cache).
std::string findingToJson(const Finding& finding);
std::optional<Finding> findingFromJson(std::string_view json);

// What a finding is about, whatever run it is in: its kind and its message with every number taken out
// ("issue_refund was called # times…"), so that the same loop or the same wrong argument matches across runs.
std::string findingSignature(const Finding& finding);
// The findings of b that a has nothing like (for a comparison: what run B does wrong that A did not).
std::vector<Finding> findingsNewIn(const std::vector<Finding>& a, const std::vector<Finding>& b);

// When a finding speaks. Defaults are documented in README "Findings"; a user file (findings.json in the
// configuration folder, or --thresholds FILE) overrides any of them.
struct FindingThresholds
{
    int loopRepeats = 3; // the same tool with the same arguments and the same result, this many times
    int sameResultRepeats = 3; // the same tool returning the same result to different arguments
    int promptRepeats = 2; // the same prompt sent again after it was answered
    int failureStreak = 3; // the same tool failing this many times in a row (with different arguments)
    int baselineMinRuns = 5; // runs of the same agent and version before a baseline speaks
    double baselineMads = 5.0; // far above: more than median + k × MAD (MAD scaled to a standard deviation)…
    double baselineRatio = 2.0; // … and at least this multiple of the median
    double contextWarning = 0.8; // a call's input at this fraction of the model's window
    double contextHigh = 0.95;
    bool ungroundedArguments = true;
    int minIdentifierLength = 4; // shorter values (a page number, "en") are never checked for a source

    static FindingThresholds fromJson(std::string_view json, const std::string& origin); // throws std::runtime_error
    static FindingThresholds fromFile(const std::string& path); // throws std::runtime_error
    // AppConfigLocation/findings.json.
    static std::string userFilePath();
    // The user file when it exists, else the defaults (throws on a bad file).
    static FindingThresholds withUserFile(const std::string& path);
    std::string toJson() const;
    // Changes when anything that changes the findings changes (these values, the engine's revision): the cache
    // recomputes the findings it holds under another fingerprint.
    std::int64_t fingerprint() const;
};

// Where one argument of a tool call came from: the step (and what of it) where its value first appeared before the
// call, or nothing. The inspector shows these beside the arguments.
struct ArgumentSource
{
    std::string argument;
    std::string value;
    std::string sourceSpanId; // empty: no earlier appearance
    std::string sourceKind; // "prompt" (an llm call's messages), "input" (a step's input), "tool result"
    std::string sourceName; // the source step's name
    std::string conflictSpanId; // an earlier step returned conflictValue for the same entity
    std::string conflictName; // that step's tool (or name)
    std::string conflictValue;
    std::string entity;
};

// Per run: what the run's own steps show (loops, the failing cause, arguments without a source, context pressure).
// Steps are added in any order, one at a time, and are not kept: only what the detectors need (hashes, the
// identifier-like tokens each step brought into the run, the facts tool results stated), so a run of a million
// steps fits in memory.
class RunFindingsBuilder
{
public:
    explicit RunFindingsBuilder(
        std::string traceId, FindingThresholds thresholds = {}, std::shared_ptr<const PriceTable> prices = {});
    ~RunFindingsBuilder();
    RunFindingsBuilder(const RunFindingsBuilder&) = delete;
    RunFindingsBuilder& operator=(const RunFindingsBuilder&) = delete;

    void add(const StepDetail& detail);
    std::vector<Finding> finish();
    // The sources of each identifier-like argument of the tool call spanId (after finish()).
    std::vector<ArgumentSource> argumentSources(std::string_view spanId) const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// The figures of one run that baselines compare.
struct RunMetrics
{
    std::string traceId;
    std::string rootSpanId;
    std::string agent;
    std::string version;
    std::int64_t startNs = 0;
    std::int64_t durationNs = 0;
    std::int64_t llmCalls = 0;
    std::int64_t toolCalls = 0;
    std::int64_t tokens = 0;
    std::int64_t inputTokens = 0;
    std::optional<double> costUsd;
    std::int64_t llmNs = 0; // summed over the llm calls
    std::int64_t toolNs = 0;
    // The slowest tool's name and summed time, and the models used (for the attribution of an excess).
    std::string slowestTool;
    std::int64_t slowestToolNs = 0;
    std::vector<std::string> models;
};

// Runaway and regressions of run against baseline (the other runs of its agent and version, or of the version
// `check --baseline` names). Nothing until baseline holds thresholds.baselineMinRuns runs.
std::vector<Finding> baselineFindings(
    const RunMetrics& run, const std::vector<RunMetrics>& baseline, const FindingThresholds& thresholds);

// Robust statistics: the median and the MAD scaled to a standard deviation (× 1.4826).
struct RobustSpread
{
    double median = 0.0;
    double mad = 0.0;
};
RobustSpread robustSpread(std::vector<double> values);

} // namespace Tracelight
