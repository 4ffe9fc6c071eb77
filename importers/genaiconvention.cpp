#include "attributeview.h"
#include "conventions.h"
#include "messages.h"

#include <step.h>

namespace Tracelight::Conventions {

using nlohmann::json;

namespace {

template <typename T> void fill(std::optional<T>& field, std::optional<T> value)
{
    if (!field && value)
        field = value;
}

void fill(std::string& field, const std::optional<std::string>& value)
{
    if (field.empty() && value)
        field = *value;
}

std::optional<std::string> firstString(const AttributeView& a, std::initializer_list<std::string_view> keys)
{
    for (const auto key : keys) {
        if (auto value = a.string(key); value && !value->empty())
            return value;
    }
    return std::nullopt;
}

std::optional<std::int64_t> firstInteger(const AttributeView& a, std::initializer_list<std::string_view> keys)
{
    for (const auto key : keys) {
        if (auto value = a.integer(key))
            return value;
    }
    return std::nullopt;
}

std::optional<StepKind> kindForOperation(const std::string& operation)
{
    if (operation == "chat" || operation == "text_completion" || operation == "generate_content")
        return StepKind::Llm;
    if (operation == "execute_tool")
        return StepKind::Tool;
    if (operation == "invoke_agent" || operation == "create_agent")
        return StepKind::Agent;
    if (operation == "retrieval")
        return StepKind::Retriever;
    if (operation == "embeddings")
        return StepKind::Embedding;
    if (operation == "invoke_workflow")
        return StepKind::Chain;
    return std::nullopt;
}

// Raw text of a value that may be a string or structured JSON.
std::string rawText(const AttributeView& a, std::string_view key)
{
    const json value = a.plain(key);
    if (value.is_null())
        return {};
    return value.is_string() ? value.get<std::string>() : Messages::dump(value);
}

// Stores normalized messages and their search text, unless an earlier convention already did.
void setMessages(std::string& messagesField, std::string& textField, const json& messages)
{
    if (!messagesField.empty() || messages.is_null())
        return;
    messagesField = Messages::dump(messages);
    textField = Messages::plainText(messages);
}

} // namespace

void applyGenAi(const AttributeView& a, Step& s)
{
    const auto operation = a.string("gen_ai.operation.name");
    if (operation && s.operation.empty())
        s.operation = *operation;

    fill(s.model, firstString(a, { "gen_ai.response.model", "gen_ai.request.model" }));
    fill(s.provider, firstString(a, { "gen_ai.provider.name", "gen_ai.system" }));
    fill(s.inputTokens, firstInteger(a, { "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens" }));
    fill(s.outputTokens, firstInteger(a, { "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens" }));
    fill(s.cacheReadTokens,
        firstInteger(a, { "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens" }));
    fill(s.cacheWriteTokens,
        firstInteger(a, { "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens" }));
    fill(s.reasoningTokens,
        firstInteger(a, { "gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens" }));

    fill(s.toolName, firstString(a, { "gen_ai.tool.name" }));
    fill(s.toolCallId, firstString(a, { "gen_ai.tool.call.id" }));
    if (s.toolArguments.empty())
        s.toolArguments = rawText(a, "gen_ai.tool.call.arguments");
    if (s.toolResult.empty())
        s.toolResult = rawText(a, "gen_ai.tool.call.result");

    fill(s.agentName, firstString(a, { "gen_ai.agent.name" }));
    fill(s.agentVersion, firstString(a, { "gen_ai.agent.version" }));
    fill(s.sessionId, firstString(a, { "gen_ai.conversation.id", "session.id" }));
    fill(s.userId, firstString(a, { "user.id", "enduser.id" }));

    setMessages(s.inputMessages, s.inputText, Messages::fromGenAi(a.structured("gen_ai.input.messages")));
    setMessages(s.outputMessages, s.outputText, Messages::fromGenAi(a.structured("gen_ai.output.messages")));
    // The deprecated whole-conversation attributes (before the per-message events and the messages attributes).
    setMessages(s.inputMessages, s.inputText, Messages::fromGenAi(a.structured("gen_ai.prompt")));
    setMessages(s.outputMessages, s.outputText, Messages::fromCompletion(a.structured("gen_ai.completion")));
    if (s.systemInstructions.empty()) {
        if (json system = Messages::systemFromParts(a.structured("gen_ai.system_instructions")); !system.is_null()) {
            s.systemInstructions = Messages::dump(system);
            const std::string text = Messages::plainText(system);
            s.inputText = s.inputText.empty() ? text : text + '\n' + s.inputText;
        }
    }

    if (s.kind == StepKind::Other) {
        if (operation) {
            if (const auto kind = kindForOperation(*operation))
                s.kind = *kind;
            else
                s.kind = StepKind::Chain; // an operation we do not know (plan, rerank, …) is still a step of the agent
        } else if (a.contains("gen_ai.tool.name")) {
            s.kind = StepKind::Tool;
        } else if (a.contains("gen_ai.request.model") || a.contains("gen_ai.usage.input_tokens")) {
            s.kind = StepKind::Llm;
        } else if (a.contains("gen_ai.agent.name")) {
            s.kind = StepKind::Agent;
        }
    }

    // error.type is required on a failed GenAI call even when the status was left unset.
    if (s.status != StepStatus::Error) {
        if (auto errorType = a.string("error.type"); errorType && !errorType->empty()) {
            s.status = StepStatus::Error;
            if (s.statusMessage.empty())
                s.statusMessage = *errorType;
        }
    }
}

void apply(const AttributeView& attributes, Step& step)
{
    applyGenAi(attributes, step);
    if (step.kind == StepKind::Other && step.toolName.empty() && !step.toolArguments.empty())
        step.kind = StepKind::Tool;
}

} // namespace Tracelight::Conventions
