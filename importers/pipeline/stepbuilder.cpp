#include "stepbuilder.h"

#include "importer.h"
#include "messages.h"

#include <utf8.h>

namespace Tracelight {

using nlohmann::json;

namespace {
constexpr std::size_t maxSearchText = 1 << 20;

std::string cappedText(std::string text)
{
    text.resize(Utf8::boundary(text, maxSearchText));
    return text;
}
} // namespace

std::string StepBuilder::rawText(const json& value)
{
    if (value.is_null())
        return {};
    return value.is_string() ? value.get<std::string>() : Messages::dump(value);
}

void StepBuilder::setInputMessages(const json& messages)
{
    if (messages.is_null())
        return;
    step.inputMessages = Messages::dump(messages);
    const std::string text = Messages::plainText(messages);
    step.inputText = step.inputText.empty() ? text : step.inputText + '\n' + text;
}

void StepBuilder::setOutputMessages(const json& messages)
{
    if (messages.is_null())
        return;
    step.outputMessages = Messages::dump(messages);
    step.outputText = Messages::plainText(messages);
}

void StepBuilder::setSystemInstructions(const json& system)
{
    if (system.is_null())
        return;
    step.systemInstructions = Messages::dump(system);
    const std::string text = Messages::plainText(system);
    step.inputText = step.inputText.empty() ? text : text + '\n' + step.inputText;
}

void StepBuilder::setInputData(std::string_view key, const json& value)
{
    if (value.is_null())
        return;
    attributes.add(key, value);
    step.inputText = cappedText(rawText(value));
}

void StepBuilder::setOutputData(std::string_view key, const json& value)
{
    if (value.is_null())
        return;
    attributes.add(key, value);
    step.outputText = cappedText(rawText(value));
}

std::string StepBuilder::event(std::int64_t timeNs, std::string_view name, const json& eventAttributes)
{
    FlatAttributes flat;
    flat.add({}, eventAttributes);
    std::string text = "{\"timeUnixNano\":\"" + std::to_string(timeNs) + "\",\"name\":";
    FlatAttributes::appendJsonString(text, name);
    text += ",\"attributes\":" + flat.take() + "}";
    return text;
}

void StepBuilder::appendToList(std::string& list, std::string_view more)
{
    if (more.size() <= 2)
        return;
    if (list.size() <= 2) {
        list = more;
        return;
    }
    list.pop_back();
    list += ',';
    list.append(more.substr(1));
}

void StepBuilder::addEvent(std::int64_t timeNs, std::string_view name, const json& eventAttributes)
{
    m_events += m_eventCount++ == 0 ? "[" : ",";
    m_events += event(timeNs, name, eventAttributes);
}

Step StepBuilder::finish(ImportJob& job, const std::string& where)
{
    for (const FlatAttributes::Cut& cut : attributes.cut()) {
        job.warn(where,
            "the value of \"" + cut.key + "\" is " + std::to_string(cut.bytes) + " bytes; the first "
                + std::to_string(FlatAttributes::defaultMaxValueBytes) + " are kept");
    }
    step.attributesJson = attributes.take();
    if (m_eventCount > 0) {
        step.eventsJson = m_events + "]";
        m_events.clear();
        m_eventCount = 0;
    }
    return std::move(step);
}

std::shared_ptr<const Resource> ResourceInterner::resource(const json& attributes)
{
    if (!attributes.is_object() || attributes.empty())
        return nullptr;
    FlatAttributes flat;
    flat.add({}, attributes);
    std::string list = flat.take();
    if (const auto it = m_resources.find(list); it != m_resources.end())
        return it->second;
    auto resource = std::make_shared<Resource>();
    resource->serviceName = StepBuilder::rawText(attributes.value("service.name", json()));
    resource->serviceVersion = StepBuilder::rawText(attributes.value("service.version", json()));
    resource->attributesJson = list;
    return m_resources.emplace(std::move(list), std::move(resource)).first->second;
}

std::shared_ptr<const Scope> ResourceInterner::scope(const json& scope)
{
    if (!scope.is_object() || scope.empty())
        return nullptr;
    const std::string key = Messages::dump(scope);
    if (const auto it = m_scopes.find(key); it != m_scopes.end())
        return it->second;
    auto result = std::make_shared<Scope>();
    result->name = StepBuilder::rawText(scope.value("name", json()));
    result->version = StepBuilder::rawText(scope.value("version", json()));
    FlatAttributes flat;
    flat.add({}, scope.value("attributes", json()));
    result->attributesJson = flat.take();
    return m_scopes.emplace(key, std::move(result)).first->second;
}

} // namespace Tracelight
