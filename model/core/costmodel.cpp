#include "costmodel.h"

#include <algorithm>

namespace Tracelight {

std::string_view costSourceName(CostSource source)
{
    switch (source) {
    case CostSource::Recorded:
        return "recorded";
    case CostSource::Computed:
        return "computed";
    case CostSource::Mixed:
        return "mixed";
    case CostSource::Unknown:
        return "unknown";
    case CostSource::None:
        break;
    }
    return "";
}

CostSource CostTotal::source() const
{
    if (recordedCalls > 0 && computedCalls > 0)
        return CostSource::Mixed;
    if (recordedCalls > 0)
        return CostSource::Recorded;
    if (computedCalls > 0 || freeCalls > 0)
        return CostSource::Computed;
    if (unknownCalls > 0)
        return CostSource::Unknown;
    return CostSource::None;
}

void CostTotal::add(const CostTotal& other)
{
    if (other.usd)
        usd = usd.value_or(0.0) + *other.usd;
    recordedCalls += other.recordedCalls;
    computedCalls += other.computedCalls;
    freeCalls += other.freeCalls;
    unknownCalls += other.unknownCalls;
    if (other.unpricedModels.empty())
        return;
    std::vector<std::string> merged;
    std::set_union(unpricedModels.begin(), unpricedModels.end(), other.unpricedModels.begin(),
        other.unpricedModels.end(), std::back_inserter(merged));
    unpricedModels = std::move(merged);
}

CostModel::CostModel()
    : m_prices(std::make_shared<const PriceTable>())
{ }

CostModel::CostModel(PriceTablePtr prices)
    : m_prices(prices ? std::move(prices) : std::make_shared<const PriceTable>())
{ }

double CostModel::usageCost(const ModelPrice& price, const TokenTotals& tokens)
{
    const std::int64_t input = std::max<std::int64_t>(tokens.input, 0);
    const std::int64_t output = std::max<std::int64_t>(tokens.output, 0);
    const std::int64_t cacheRead = std::max<std::int64_t>(tokens.cacheRead, 0);
    const std::int64_t cacheWrite = std::max<std::int64_t>(tokens.cacheWrite, 0);
    const std::int64_t reasoning = std::clamp<std::int64_t>(tokens.reasoning, 0, output);
    const std::int64_t uncached = cacheRead + cacheWrite <= input ? input - cacheRead - cacheWrite : input;
    const double micro = double(uncached) * price.input + double(cacheRead) * price.cacheReadRate()
        + double(cacheWrite) * price.cacheWriteRate() + double(output - reasoning) * price.output
        + double(reasoning) * price.reasoningRate();
    return micro / 1e6;
}

CostModel::StepCost CostModel::stepCost(const StepRecord& step) const
{
    if (step.costUsd)
        return { step.costUsd, CostSource::Recorded, {} };
    if (step.kind != StepKind::Llm)
        return {};
    if (!step.tokens.input && !step.tokens.output) {
        if (step.status == StepStatus::Error)
            return { 0.0, CostSource::Computed, {} };
        return { std::nullopt, CostSource::Unknown, {} };
    }
    const auto match = m_prices->find(step.model, step.provider, step.startNs);
    if (!match)
        return { std::nullopt, CostSource::Unknown, {} };
    TokenTotals tokens;
    tokens += step.tokens;
    return { usageCost(match->entry->price, tokens), CostSource::Computed, match->pattern };
}

CostTotal CostModel::groupCost(const UsageGroup& group) const
{
    CostTotal total;
    if (group.recordedCalls > 0) {
        total.usd = group.recordedUsd;
        total.recordedCalls = group.recordedCalls;
    }
    if (group.failedWithoutUsage > 0) {
        total.usd = total.usd.value_or(0.0);
        total.freeCalls += group.failedWithoutUsage;
    }
    total.unknownCalls += group.withoutUsage;
    if (group.usageCalls > 0) {
        const auto match = m_prices->find(group.model, group.provider, group.atNs);
        if (match) {
            total.usd = total.usd.value_or(0.0) + usageCost(match->entry->price, group.tokens);
            total.computedCalls += group.usageCalls;
        } else {
            total.unknownCalls += group.usageCalls;
            total.unpricedModels.push_back(group.model);
        }
    }
    return total;
}

void CostModel::applyToSteps(std::vector<StepRecord>& steps) const
{
    for (StepRecord& step : steps) {
        StepCost cost = stepCost(step);
        step.costUsd = cost.usd;
        step.costSource = cost.source;
    }
}

} // namespace Tracelight
