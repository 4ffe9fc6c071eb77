// OpenInference (Arize Phoenix), trace-formats.md section 4: openinference.span.kind, flattened
// llm.input_messages / llm.output_messages, llm.token_count.*, tool.*, input/output.value, retrieval documents.

#include "conventions.h"
#include "conventionutil.h"

namespace Tracelight::Conventions {

using nlohmann::json;
using namespace Detail;

namespace {

std::optional<StepKind> kindFor(const std::string& spanKind, const std::string& name)
{
    const std::string kind = lowercase(spanKind);
    if (kind == "llm")
        return StepKind::Llm;
    if (kind == "tool") // the OpenAI Agents instrumentor writes handoffs as TOOL spans named "handoff to …"
        return name.rfind("handoff to ", 0) == 0 ? StepKind::Handoff : StepKind::Tool;
    if (kind == "agent")
        return StepKind::Agent;
    if (kind == "chain" || kind == "prompt")
        return StepKind::Chain;
    if (kind == "retriever" || kind == "reranker")
        return StepKind::Retriever;
    if (kind == "embedding")
        return StepKind::Embedding;
    if (kind == "guardrail")
        return StepKind::Guardrail;
    if (kind == "evaluator")
        return StepKind::Evaluator;
    return std::nullopt; // UNKNOWN
}

const json& field(const json& object, const char* name)
{
    static const json none;
    if (!object.is_object())
        return none;
    const auto it = object.find(name);
    return it == object.end() ? none : *it;
}

// An element of an unflattened OI list is {"<wrapper>": {…}}; tolerate producers that leave the wrapper out.
const json& unwrap(const json& element, const char* wrapper)
{
    const json& inner = field(element, wrapper);
    return inner.is_object() ? inner : element;
}

// One OI message_content item → a chat-API content block that Messages understands.
json contentBlock(const json& item)
{
    const json& c = unwrap(item, "message_content");
    const json& type = field(c, "type");
    if (type == "text")
        return { { "type", "text" }, { "text", field(c, "text") } };
    if (type == "image")
        return { { "type", "image_url" },
            { "image_url", { { "url", field(field(field(c, "image"), "image"), "url") } } } };
    if (type == "reasoning")
        return { { "type", "reasoning" }, { "text", field(c, "text") } };
    if (type == "tool_use") {
        const json& call = unwrap(field(c, "tool_call"), "tool_call");
        const json& function = field(call, "function");
        return { { "type", "tool_use" }, { "id", field(call, "id") }, { "name", field(function, "name") },
            { "input", field(function, "arguments") } };
    }
    return c; // audio and anything newer stay raw
}

// llm.input_messages / llm.output_messages, unflattened → our messages.
json fromMessages(const json& list)
{
    if (!list.is_array() || list.empty())
        return nullptr;
    json messages = json::array();
    for (const json& element : list) {
        const json& m = unwrap(element, "message");
        json chat = json::object();
        for (const char* key : { "role", "name", "tool_call_id" }) {
            if (const json& value = field(m, key); !value.is_null())
                chat[key] = value;
        }
        if (const json& contents = field(m, "contents"); contents.is_array()) {
            json blocks = json::array();
            for (const json& item : contents)
                blocks.push_back(contentBlock(item));
            chat["content"] = std::move(blocks);
        } else if (const json& content = field(m, "content"); !content.is_null()) {
            chat["content"] = content;
        }
        json calls = json::array();
        if (const json& toolCalls = field(m, "tool_calls"); toolCalls.is_array()) {
            for (const json& item : toolCalls) {
                const json& call = unwrap(item, "tool_call");
                calls.push_back({ { "id", field(call, "id") }, { "function", field(call, "function") } });
            }
        }
        if (const json& name = field(m, "function_call_name"); !name.is_null())
            calls.push_back(
                { { "function", { { "name", name }, { "arguments", field(m, "function_call_arguments_json") } } } });
        if (!calls.empty())
            chat["tool_calls"] = std::move(calls);
        messages.push_back(Messages::normalizeMessage(chat));
    }
    return messages;
}

// llm.prompts.{i}.prompt.text / llm.choices.{i}.completion.text (legacy completions API).
json fromTexts(const json& list, const char* wrapper, const char* role)
{
    if (!list.is_array())
        return nullptr;
    json messages = json::array();
    for (const json& element : list) {
        const json& text = field(unwrap(element, wrapper), "text");
        if (!text.is_null())
            messages.push_back({ { "role", role }, { "parts", json::array({ Messages::textPart(text) }) } });
    }
    return messages;
}

// retrieval.documents / reranker.output_documents → one tool message of "document" parts.
json fromDocuments(const json& list)
{
    if (!list.is_array() || list.empty())
        return nullptr;
    json parts = json::array();
    for (const json& element : list) {
        const json& d = unwrap(element, "document");
        json part { { "type", "document" } };
        for (const char* key : { "id", "score", "content" }) {
            if (const json& value = field(d, key); !value.is_null())
                part[key] = value;
        }
        if (const json& metadata = field(d, "metadata"); !metadata.is_null())
            part["metadata"] = Messages::parsedIfJson(metadata);
        parts.push_back(std::move(part));
    }
    return json::array({ json { { "role", "tool" }, { "parts", std::move(parts) } } });
}

// input.value of an LLM span: usually the request body ({messages:[…], model, …}), sometimes the messages.
json llmInput(const json& value)
{
    const json parsed = Messages::parsedIfJson(value);
    if (parsed.is_array())
        return Messages::fromGenAi(parsed);
    if (const json& messages = field(parsed, "messages"); messages.is_array())
        return Messages::fromGenAi(messages);
    if (const json& prompt = field(parsed, "prompt"); !prompt.is_null())
        return Messages::textMessages("user", prompt);
    return Messages::textMessages("user", value.is_string() ? value : json(Messages::dump(value)));
}

// output.value of an LLM span: a chat completion ({choices:[{message, finish_reason}]}), a completion or text.
json llmOutput(const json& value)
{
    const json parsed = Messages::parsedIfJson(value);
    if (const json& choices = field(parsed, "choices"); choices.is_array()) {
        json messages = json::array();
        for (const json& choice : choices) {
            json message = field(choice, "message");
            if (!message.is_object())
                message = { { "role", "assistant" }, { "content", field(choice, "text") } };
            if (const json& finish = field(choice, "finish_reason"); !finish.is_null())
                message["finish_reason"] = finish;
            messages.push_back(Messages::normalizeMessage(message));
        }
        return messages;
    }
    if (parsed.is_object() || parsed.is_array())
        return Messages::fromCompletion(parsed);
    return Messages::textMessages("assistant", value);
}

} // namespace

void applyOpenInference(const AttributeView& a, Step& s)
{
    const std::string spanKind = a.string("openinference.span.kind").value_or(std::string());
    if (spanKind.empty() && !a.contains("llm.model_name") && !a.contains("input.value")
        && !a.hasPrefix("llm.token_count.") && !a.hasPrefix("llm.input_messages."))
        return;
    const std::optional<StepKind> kind = kindFor(spanKind, s.name);
    if (s.operation.empty())
        s.operation = lowercase(spanKind);

    fill(s.model,
        firstString(a,
            { "llm.response.model_name", "llm.model_name", "llm.request.model_name", "embedding.model_name",
                "reranker.model_name" }));
    fill(s.provider, firstString(a, { "llm.provider", "llm.system" }));
    // llm.token_count.prompt includes the cached tokens, as GenAI's input count does.
    fill(s.tokens.input, a.integer("llm.token_count.prompt"));
    fill(s.tokens.output, a.integer("llm.token_count.completion"));
    fill(s.tokens.cacheRead, a.integer("llm.token_count.prompt_details.cache_read"));
    fill(s.tokens.cacheWrite, a.integer("llm.token_count.prompt_details.cache_write"));
    fill(s.tokens.reasoning, a.integer("llm.token_count.completion_details.reasoning"));
    fill(s.costUsd, a.real("llm.cost.total"));

    fill(s.sessionId, firstString(a, { "session.id" }));
    fill(s.userId, firstString(a, { "user.id" }));
    fill(s.agentName, firstString(a, { "agent.name" }));

    const bool tool = kind == StepKind::Tool || kind == StepKind::Handoff;
    if (tool) {
        fill(s.toolName, firstString(a, { "tool.name" }));
        fill(s.toolCallId, firstString(a, { "tool.id", "tool_call.id" }));
        // tool.parameters is the parameter schema of the tool (OpenInference semconv), not the call's
        // arguments: it stays in the raw attributes.
        fillRaw(s.toolArguments, a, { "input.value" });
        fillRaw(s.toolResult, a, { "output.value" });
    }

    setInput(s, fromMessages(a.unflatten("llm.input_messages")));
    setOutput(s, fromMessages(a.unflatten("llm.output_messages")));
    setInput(s, fromTexts(a.unflatten("llm.prompts"), "prompt", "user"));
    setOutput(s, fromTexts(a.unflatten("llm.choices"), "completion", "assistant"));
    setOutput(s, fromDocuments(a.unflatten("retrieval.documents")));
    setOutput(s, fromDocuments(a.unflatten("reranker.output_documents")));
    setInput(s, Messages::textMessages("user", a.plain("reranker.query")));
    if (const json embeddings = a.unflatten("embedding.embeddings"); embeddings.is_array())
        setInput(s, fromTexts(embeddings, "embedding", "user"));
    if (!tool) {
        const json input = a.plain("input.value");
        const json output = a.plain("output.value");
        if (kind == StepKind::Llm) {
            if (!input.is_null())
                setInput(s, llmInput(input));
            if (!output.is_null())
                setOutput(s, llmOutput(output));
        } else {
            // Chains, agents, retrievers, …: their input and output as text, so the inspector and search see them.
            setInput(s, Messages::textMessages("user", input));
            setOutput(s, Messages::textMessages("assistant", output));
        }
    }

    setKind(s, kind);
}

} // namespace Tracelight::Conventions
