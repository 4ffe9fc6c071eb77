#pragma once

#include <cstdint>
#include <optional>

namespace Tracelight {

// The tokens of one model call as its source recorded them; a field the source left out is nullopt, not 0
// (GenAI semantics: input includes the cached tokens, output includes the reasoning tokens).
struct TokenUsage
{
    std::optional<std::int64_t> input;
    std::optional<std::int64_t> output;
    std::optional<std::int64_t> cacheRead;
    std::optional<std::int64_t> cacheWrite;
    std::optional<std::int64_t> reasoning;

    bool empty() const { return !input && !output && !cacheRead && !cacheWrite && !reasoning; }
    // Input and output (the cached and reasoning tokens are inside them).
    std::int64_t total() const { return input.value_or(0) + output.value_or(0); }
    // A field present on either side is present in the sum.
    TokenUsage& operator+=(const TokenUsage& other)
    {
        add(input, other.input);
        add(output, other.output);
        add(cacheRead, other.cacheRead);
        add(cacheWrite, other.cacheWrite);
        add(reasoning, other.reasoning);
        return *this;
    }
    friend TokenUsage operator+(TokenUsage a, const TokenUsage& b) { return a += b; }
    bool operator==(const TokenUsage&) const = default;

private:
    static void add(std::optional<std::int64_t>& sum, const std::optional<std::int64_t>& value)
    {
        if (value)
            sum = sum.value_or(0) + *value;
    }
};

// Token sums over many calls (a run, a model, a day): what was not recorded counts as 0.
struct TokenTotals
{
    std::int64_t input = 0;
    std::int64_t output = 0;
    std::int64_t cacheRead = 0;
    std::int64_t cacheWrite = 0;
    std::int64_t reasoning = 0;

    std::int64_t total() const { return input + output; }
    TokenTotals& operator+=(const TokenTotals& other)
    {
        input += other.input;
        output += other.output;
        cacheRead += other.cacheRead;
        cacheWrite += other.cacheWrite;
        reasoning += other.reasoning;
        return *this;
    }
    TokenTotals& operator+=(const TokenUsage& usage)
    {
        input += usage.input.value_or(0);
        output += usage.output.value_or(0);
        cacheRead += usage.cacheRead.value_or(0);
        cacheWrite += usage.cacheWrite.value_or(0);
        reasoning += usage.reasoning.value_or(0);
        return *this;
    }
    bool operator==(const TokenTotals&) const = default;
};

} // namespace Tracelight
