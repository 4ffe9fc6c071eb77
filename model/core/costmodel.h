#pragma once

#include "pricetable.h"
#include "tracesummary.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// Token usage of the llm calls that share a model and a provider (in one trace, one day, …). Prices are linear in
// tokens, so the cost of the group is the cost of its sums: a query returns a few groups, not every call.
struct UsageGroup
{
    std::string model;
    std::string provider;
    std::int64_t atNs = 0; // when the calls were made (their earliest start), for dated prices
    std::int64_t calls = 0;
    std::int64_t recordedCalls = 0; // calls whose source recorded a cost: that cost wins
    double recordedUsd = 0.0;
    std::int64_t usageCalls = 0; // calls with token usage and no recorded cost; the token sums are over these
    TokenTotals tokens;
    std::int64_t failedWithoutUsage = 0; // failed calls that reported no usage: they cost nothing
    std::int64_t withoutUsage = 0; // other calls without usage or cost: unknown
};

// The cost of a set of llm calls. usd sums the calls whose cost is known; it is nullopt when none is. A call whose
// cost is unknown is counted, never priced at 0.
struct CostTotal
{
    std::optional<double> usd;
    std::int64_t recordedCalls = 0;
    std::int64_t computedCalls = 0;
    std::int64_t freeCalls = 0; // failed calls without usage: known to cost nothing
    std::int64_t unknownCalls = 0;
    std::vector<std::string> unpricedModels; // sorted, unique; "" stands for calls that named no model

    CostSource source() const;
    void add(const CostTotal& other);
};

// Applies the price table to usage. Pure and immutable: shared by worker threads as CostModelPtr; a new price
// table means a new CostModel, and the views recompute their costs from the cached tokens.
class CostModel
{
public:
    // No prices: only the costs that sources recorded are known.
    CostModel();
    explicit CostModel(PriceTablePtr prices);

    const PriceTable& prices() const { return *m_prices; }
    const PriceTablePtr& pricesPtr() const { return m_prices; }

    // USD of usage at price. The uncached input is input − cache read − cache write (input includes both); when
    // the cache counts exceed the input, the source counted input without them (Anthropic's raw usage) and all of
    // it is uncached. Reasoning tokens are part of the output: priced at the reasoning rate, the rest of the output
    // at the output rate.
    static double usageCost(const ModelPrice& price, const TokenTotals& tokens);

    struct StepCost
    {
        std::optional<double> usd;
        CostSource source = CostSource::None;
        std::string pricedAs; // the price table pattern that matched
    };
    // step.costUsd is what the source recorded (as read from the cache). Only llm steps get a computed cost.
    StepCost stepCost(const StepRecord& step) const;
    CostTotal groupCost(const UsageGroup& group) const;

    // Fills costUsd/costSource of each step from what the cache recorded.
    void applyToSteps(std::vector<StepRecord>& steps) const;

private:
    PriceTablePtr m_prices;
};

using CostModelPtr = std::shared_ptr<const CostModel>;

} // namespace Tracelight
