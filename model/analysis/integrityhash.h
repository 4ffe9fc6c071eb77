#pragma once

#include "tracesummary.h"

#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

class TraceStore;

// The integrity hash of a trace: SHA-256 over a canonical serialization of its steps ("tracelight-steps-v1").
//
// The serialization is one line per step, in causal order (TraceSnapshot::causalOrder()), each line a JSON object
// with its keys sorted, integers as JSON integers, the cost as the shortest decimal string that reads back as the
// same double (no floating-point ambiguity), and every text verbatim. It holds every StepDetail field except
// where the copy lives (the cache's row id and the source file's path), so a trace imported twice, or from a copy
// of its file elsewhere, hashes the same. Each line also gets its own hash, so that a verifier can say which step
// changed, went missing or appeared.
class IntegrityHash
{
public:
    static constexpr std::string_view Algorithm = "sha256";
    static constexpr std::string_view Canonical = "tracelight-steps-v1";

    struct StepHash
    {
        std::string spanId;
        std::string sha256;
        bool operator==(const StepHash&) const = default;
    };

    // Steps must be in causal order.
    static IntegrityHash compute(std::string_view traceId, const std::vector<StepDetail>& steps);
    // Reads the trace's steps from the cache, in causal order; an empty result when the trace is not there.
    static IntegrityHash compute(TraceStore& store, std::string_view traceId);
    // The steps of a trace in full, in causal order.
    static std::vector<StepDetail> causalDetails(TraceStore& store, std::string_view traceId);

    static std::string canonicalLine(const StepDetail& step);
    static std::string sha256Hex(std::string_view bytes);

    // What differs between an expected list of step hashes (from a report) and an actual one, one sentence each:
    // "step 3f2a… changed", "step … removed", "step … added", "steps reordered".
    static std::vector<std::string> differences(
        const std::vector<StepHash>& expected, const std::vector<StepHash>& actual);

    const std::string& hash() const { return m_hash; }
    const std::vector<StepHash>& steps() const { return m_steps; }
    bool found() const { return m_found; }

private:
    std::string m_hash;
    std::vector<StepHash> m_steps;
    bool m_found = false;
};

} // namespace Tracelight
