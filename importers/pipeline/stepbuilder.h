#pragma once

#include "flatattributes.h"

#include <step.h>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

namespace Tracelight {

class ImportJob;

// Assembles one step from a source record that is not OTLP (LangSmith runs, Langfuse observations, Agents SDK
// spans): normalized messages with their search text, the record's remaining fields as flat attributes, and
// OTLP-style events. Values too long for the attributes are reported as warnings naming the record.
class StepBuilder
{
public:
    Step step;
    FlatAttributes attributes;

    // Normalized messages (null is ignored).
    void setInputMessages(const nlohmann::json& messages);
    void setOutputMessages(const nlohmann::json& messages);
    void setSystemInstructions(const nlohmann::json& system);
    // A value that is not a conversation: kept as data under key in the attributes, and as search text.
    void setInputData(std::string_view key, const nlohmann::json& value);
    void setOutputData(std::string_view key, const nlohmann::json& value);
    // An event at timeNs with flattened attributes.
    void addEvent(std::int64_t timeNs, std::string_view name, const nlohmann::json& attributes);

    // The finished step. where names the record in warnings ("run 1f…", "observation 8a… (byte 120)").
    Step finish(ImportJob& job, const std::string& where);

    // Raw text of a value: a string as it is, anything else as compact JSON; empty for null.
    static std::string rawText(const nlohmann::json& value);
    // One OTLP JSON event: {timeUnixNano, name, attributes} with the attributes flattened.
    static std::string event(std::int64_t timeNs, std::string_view name, const nlohmann::json& attributes);
    // Appends the elements of the JSON array text more to the JSON array text list.
    static void appendToList(std::string& list, std::string_view more);

private:
    std::string m_events;
    std::size_t m_eventCount = 0;
};

// Shares one Resource or Scope among the steps whose source records describe the same one.
class ResourceInterner
{
public:
    // From a plain object of resource attributes ({"service.name": …}).
    std::shared_ptr<const Resource> resource(const nlohmann::json& attributes);
    // From {name, version, attributes{…}}.
    std::shared_ptr<const Scope> scope(const nlohmann::json& scope);

private:
    std::map<std::string, std::shared_ptr<const Resource>> m_resources;
    std::map<std::string, std::shared_ptr<const Scope>> m_scopes;
};

} // namespace Tracelight
