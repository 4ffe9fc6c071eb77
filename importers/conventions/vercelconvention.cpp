// Vercel AI SDK legacy ai.* spans (trace-formats.md section 5): ai.generateText → .doGenerate → ai.toolCall and
// the stream/object/embed variants. Newer SDKs write GenAI attributes, read by applyGenAi.

#include "conventions.h"

#include "conventionutil.h"
#include <jsonfield.h>

namespace Tracelight::Conventions {

using nlohmann::json;
using namespace Detail;

namespace {

bool endsWith(const std::string& text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isOuterCall(const std::string& operation)
{
    for (const char* outer :
        { "ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject", "ai.embed", "ai.embedMany" }) {
        if (operation == outer)
            return true;
    }
    return false;
}

StepKind kindFor(const std::string& operation)
{
    if (endsWith(operation, ".doGenerate") || endsWith(operation, ".doStream"))
        return StepKind::Llm;
    if (endsWith(operation, ".doEmbed"))
        return StepKind::Embedding;
    if (operation == "ai.toolCall")
        return StepKind::Tool;
    return StepKind::Chain; // the outer calls, and ai.* operations we do not know
}

// ai.value / ai.values hold the embedded text JSON-encoded ("\"The quick brown fox\""): decode it.
json decodedText(const json& value)
{
    if (value.is_string() && !value.get_ref<const std::string&>().empty()
        && value.get_ref<const std::string&>()[0] == '"') {
        json decoded = JsonField::parse(value.get_ref<const std::string&>());
        if (decoded.is_string())
            return decoded;
    }
    return value;
}

// ai.prompt: {system?, prompt?, messages?} on the outer span.
json promptMessages(const json& prompt)
{
    if (!prompt.is_object())
        return Messages::textMessages("user", prompt);
    if (const auto messages = prompt.find("messages"); messages != prompt.end() && messages->is_array())
        return Messages::fromGenAi(*messages);
    if (const auto text = prompt.find("prompt"); text != prompt.end()) {
        if (text->is_array())
            return Messages::fromGenAi(*text);
        return Messages::textMessages("user", *text);
    }
    return nullptr;
}

// ai.response.text / reasoning / toolCalls / object → one assistant message.
json responseMessages(const AttributeView& a)
{
    json parts = json::array();
    const json reasoning = a.structured("ai.response.reasoning");
    if (reasoning.is_string() && !reasoning.get_ref<const std::string&>().empty()) {
        parts.push_back({ { "type", "reasoning" }, { "content", reasoning } });
    } else if (reasoning.is_array()) {
        for (const json& item : reasoning) {
            const json text = item.is_object() ? item.value("text", json()) : item;
            parts.push_back({ { "type", "reasoning" }, { "content", text } });
        }
    }
    for (const char* key : { "ai.response.text", "ai.response.object" }) {
        const json text = a.plain(key);
        if (!text.is_null() && !(text.is_string() && text.get_ref<const std::string&>().empty()))
            parts.push_back(Messages::textPart(text));
    }
    if (const json calls = a.structured("ai.response.toolCalls"); calls.is_array()) {
        for (const json& call : calls) {
            if (!call.is_object())
                continue;
            parts.push_back(Messages::toolCallPart(call.value("toolCallId", json()), call.value("toolName", json()),
                call.contains("input") ? call["input"] : call.value("args", json())));
        }
    }
    if (parts.empty())
        return nullptr;
    json message { { "role", "assistant" }, { "parts", std::move(parts) } };
    if (auto finish = a.string("ai.response.finishReason"))
        message["finish_reason"] = *finish;
    return json::array({ std::move(message) });
}

} // namespace

void applyVercel(const AttributeView& a, Step& s)
{
    std::string operation = a.string("ai.operationId").value_or(std::string());
    if (operation.empty() && s.name.rfind("ai.", 0) == 0 && a.hasPrefix("ai."))
        operation = s.name;
    if (operation.empty())
        return;
    if (s.operation.empty())
        s.operation = operation;
    const bool outer = isOuterCall(operation);

    fill(s.model, firstString(a, { "ai.response.model", "ai.model.id" }));
    // ai.model.provider is "openai.chat", "anthropic.messages", …: the vendor is the part before the first dot.
    // Vercel also copies it into gen_ai.system, which applyGenAi has already taken as it is.
    if (const auto provider = a.string("ai.model.provider"); provider && !provider->empty()) {
        const std::string vendor = provider->substr(0, provider->find('.'));
        if (s.provider.empty() || s.provider == *provider)
            s.provider = vendor;
    }
    fill(s.tokens.input, firstInteger(a, { "ai.usage.inputTokens", "ai.usage.promptTokens", "ai.usage.tokens" }));
    fill(s.tokens.output, firstInteger(a, { "ai.usage.outputTokens", "ai.usage.completionTokens" }));
    fill(s.tokens.cacheRead,
        firstInteger(a, { "ai.usage.cachedInputTokens", "ai.usage.inputTokenDetails.cacheReadTokens" }));
    fill(s.tokens.cacheWrite, firstInteger(a, { "ai.usage.inputTokenDetails.cacheWriteTokens" }));
    fill(s.tokens.reasoning,
        firstInteger(a, { "ai.usage.reasoningTokens", "ai.usage.outputTokenDetails.reasoningTokens" }));

    fill(s.toolName, firstString(a, { "ai.toolCall.name" }));
    fill(s.toolCallId, firstString(a, { "ai.toolCall.id" }));
    fillRaw(s.toolArguments, a, { "ai.toolCall.args", "ai.toolCall.input" });
    fillRaw(s.toolResult, a, { "ai.toolCall.result", "ai.toolCall.output" });

    fill(s.agentName, firstString(a, { "ai.telemetry.functionId" }));
    fill(s.sessionId, firstString(a, { "ai.telemetry.metadata.sessionId" }));
    fill(s.userId, firstString(a, { "ai.telemetry.metadata.userId" }));

    setInput(s, Messages::fromGenAi(a.structured("ai.prompt.messages")));
    const json prompt = a.structured("ai.prompt");
    if (s.systemInstructions.empty() && prompt.is_object() && prompt.contains("system")) {
        if (json system = Messages::systemFromParts(prompt["system"]); !system.is_null())
            s.systemInstructions = Messages::dump(system);
    }
    setInput(s, promptMessages(prompt));
    if (const json values = a.structured("ai.values"); values.is_array()) {
        json messages = json::array();
        for (const json& value : values)
            messages.push_back(
                { { "role", "user" }, { "parts", json::array({ Messages::textPart(decodedText(value)) }) } });
        setInput(s, messages);
    }
    setInput(s, Messages::textMessages("user", decodedText(a.plain("ai.value"))));
    setOutput(s, responseMessages(a));

    setKind(s, kindFor(operation));
    if (outer) {
        // The outer call repeats the usage of its do* calls (section 8, "Token semantics"): count it once, there.
        // Whichever convention filled the counts (ai.usage.*, or gen_ai.* on newer SDKs), they go.
        s.tokens.input.reset();
        s.tokens.output.reset();
        s.tokens.cacheRead.reset();
        s.tokens.cacheWrite.reset();
        s.tokens.reasoning.reset();
        s.costUsd.reset();
    }
}

} // namespace Tracelight::Conventions
