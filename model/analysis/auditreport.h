#pragma once

#include "annotation.h"
#include "findings.h"
#include "integrityhash.h"
#include "step.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace Tracelight {

class Redactor;
class TraceStore;

// Everything an audit report says about one trace, built from the cache (house style point 11: a data set here,
// the writers only format it). Texts are already redacted when a Redactor was given; the integrity hash is always
// over the unredacted steps, so that a redacted report still verifies against the cache or the original file.
struct AuditReport
{
    struct Step
    {
        int index = 0; // position in causal order, from 1
        int depth = 0;
        std::string spanId;
        std::string parentId;
        StepKind kind = StepKind::Other;
        StepStatus status = StepStatus::Unset;
        std::string name;
        std::string statusMessage;
        std::int64_t startNs = 0;
        std::int64_t endNs = 0;
        std::string agent;
        std::string model;
        std::string provider;
        std::string toolName;
        std::string toolCallId;
        std::string systemInstructions;
        std::string prompt; // the input messages as plain text
        std::string completion;
        std::string arguments;
        std::string result;
        TokenUsage tokens;
        std::optional<double> costUsd;
    };

    struct Source
    {
        std::string path;
        std::string sha256;
        std::string format;
        std::int64_t size = 0;
        std::int64_t importedAtMs = 0;
    };

    struct Aligned
    {
        std::string op; // same, changed, added, removed
        std::string a; // "LLM chat gpt-4o" or empty
        std::string b;
    };

    struct Comparison
    {
        std::string otherTraceId;
        std::string otherName;
        int same = 0;
        int changed = 0;
        int added = 0;
        int removed = 0;
        int firstDivergence = -1; // index into alignment
        double durationDeltaMs = 0;
        std::int64_t llmCallsDelta = 0;
        std::int64_t toolCallsDelta = 0;
        std::int64_t tokensDelta = 0;
        std::int64_t errorsDelta = 0;
        std::vector<Aligned> alignment;
    };

    // Context.
    std::string traceId;
    std::string name;
    std::string agent;
    std::string version;
    std::string service;
    std::string user;
    std::string session;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::string outcome; // "ok", "incomplete", "failed: 2 errors"

    std::vector<Step> steps; // causal order
    std::int64_t llmCalls = 0;
    std::int64_t toolCalls = 0;
    TokenTotals tokens;
    std::optional<double> costUsd;
    std::int64_t errors = 0;
    std::vector<std::string> models;
    std::vector<Source> sources;
    std::optional<Comparison> comparison;
    // What went wrong (core/findings.h), computed when the report is built; texts redacted like the rest.
    std::vector<Finding> findings;
    std::string findingsError; // why there are none, when they could not be computed
    // What people noted on the run and its steps (core/annotation.h); notes redacted like the rest.
    std::vector<Annotation> annotations;

    IntegrityHash integrity;
    bool redacted = false;
    std::vector<std::string> redactionRules;
    std::int64_t generatedAtMs = 0;
    std::string generator = "tracelight";

    // nullopt when the trace is not in the cache. The redactor (may be null) is applied to every text.
    static std::optional<AuditReport> build(
        TraceStore& store, std::string_view traceId, Redactor* redactor = nullptr, std::string_view compareWith = {});
};

} // namespace Tracelight
