#include "stepmerge.h"

#include <jsonfield.h>

#include "messages.h"

#include <nlohmann/json.hpp>

#include <unordered_map>

namespace Tracelight {

using nlohmann::json;

namespace {

void fill(std::string& field, std::string&& other)
{
    if (field.empty() && !other.empty())
        field = std::move(other);
}

void prefer(std::string& field, std::string&& later)
{
    if (!later.empty())
        field = std::move(later);
}

template <typename T> void prefer(std::optional<T>& field, const std::optional<T>& later)
{
    if (later)
        field = later;
}

bool emptyList(const std::string& list)
{
    return list.empty() || list == "[]";
}

} // namespace

std::string mergeKeyValueLists(const std::string& earlier, const std::string& later)
{
    if (emptyList(earlier))
        return later.empty() ? std::string("[]") : later;
    if (emptyList(later) || earlier == later)
        return earlier;
    json merged = JsonField::parse(earlier);
    const json update = JsonField::parse(later);
    if (!merged.is_array() || !update.is_array())
        return later;
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < merged.size(); ++i) {
        if (merged[i].is_object() && merged[i].contains("key") && merged[i]["key"].is_string())
            index.emplace(merged[i]["key"].get<std::string>(), i);
    }
    for (const json& entry : update) {
        if (!entry.is_object() || !entry.contains("key") || !entry["key"].is_string()) {
            merged.push_back(entry);
            continue;
        }
        const auto [it, inserted] = index.emplace(entry["key"].get<std::string>(), merged.size());
        if (inserted)
            merged.push_back(entry);
        else
            merged[it->second] = entry;
    }
    return Messages::dump(merged);
}

void mergeStep(Step& into, Step&& later)
{
    fill(into.traceId, std::move(later.traceId));
    fill(into.parentId, std::move(later.parentId));
    fill(into.name, std::move(later.name));
    if (into.kind == StepKind::Other)
        into.kind = later.kind;
    if (into.otelKind == 0)
        into.otelKind = later.otelKind;
    if (into.startNs == 0)
        into.startNs = later.startNs;
    if (later.endNs != 0)
        into.endNs = later.endNs;
    if (later.status == StepStatus::Error || into.status == StepStatus::Unset) {
        if (later.status != StepStatus::Unset) {
            into.status = later.status;
            prefer(into.statusMessage, std::move(later.statusMessage));
        }
    }
    fill(into.operation, std::move(later.operation));
    fill(into.model, std::move(later.model));
    fill(into.provider, std::move(later.provider));
    prefer(into.tokens.input, later.tokens.input);
    prefer(into.tokens.output, later.tokens.output);
    prefer(into.tokens.cacheRead, later.tokens.cacheRead);
    prefer(into.tokens.cacheWrite, later.tokens.cacheWrite);
    prefer(into.tokens.reasoning, later.tokens.reasoning);
    prefer(into.costUsd, later.costUsd);
    fill(into.toolName, std::move(later.toolName));
    fill(into.toolCallId, std::move(later.toolCallId));
    fill(into.toolArguments, std::move(later.toolArguments));
    prefer(into.toolResult, std::move(later.toolResult));
    fill(into.agentName, std::move(later.agentName));
    fill(into.agentVersion, std::move(later.agentVersion));
    fill(into.sessionId, std::move(later.sessionId));
    fill(into.userId, std::move(later.userId));
    fill(into.systemInstructions, std::move(later.systemInstructions));
    if (into.inputMessages.empty() && !later.inputMessages.empty()) {
        into.inputMessages = std::move(later.inputMessages);
        into.inputText = std::move(later.inputText);
    } else {
        fill(into.inputText, std::move(later.inputText));
    }
    if (!later.outputMessages.empty()) {
        into.outputMessages = std::move(later.outputMessages);
        into.outputText = std::move(later.outputText);
    } else {
        fill(into.outputText, std::move(later.outputText));
    }
    into.attributesJson = mergeKeyValueLists(into.attributesJson, later.attributesJson);
    if (!emptyList(later.eventsJson))
        into.eventsJson = std::move(later.eventsJson);
    if (!emptyList(later.linksJson))
        into.linksJson = std::move(later.linksJson);
    fill(into.traceState, std::move(later.traceState));
    if (!into.resource)
        into.resource = std::move(later.resource);
    if (!into.scope)
        into.scope = std::move(later.scope);
}

} // namespace Tracelight
