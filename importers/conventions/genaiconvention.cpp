#include "conventions.h"
#include "conventionutil.h"

#include <algorithm>

namespace Tracelight::Conventions {

using nlohmann::json;
using namespace Detail;

namespace {

std::optional<StepKind> kindForOperation(const std::string& operation)
{
    if (operation == "chat" || operation == "text_completion" || operation == "generate_content"
        || operation == "completion")
        return StepKind::Llm;
    if (operation == "execute_tool")
        return StepKind::Tool;
    if (operation == "invoke_agent" || operation == "create_agent")
        return StepKind::Agent;
    // A framework runner's turn (genai #571; invoke_workflow before it) is a step of the agent, not an agent.
    if (operation == "handle_conversation_turn" || operation == "invoke_workflow")
        return StepKind::Chain;
    if (operation == "retrieval" || operation == "rerank")
        return StepKind::Retriever;
    if (operation == "embeddings")
        return StepKind::Embedding;
    if (operation.find("guardrail") != std::string::npos)
        return StepKind::Guardrail;
    if (operation.find("handoff") != std::string::npos)
        return StepKind::Handoff;
    // invoke_workflow, plan, the memory operations, and operations we do not know are still steps of the agent.
    return StepKind::Chain;
}

// OpenLLMetry writes message content as a string that often holds the provider's content blocks as JSON.
json blocksIfJson(const json& content)
{
    const json parsed = Messages::parsedIfJson(content);
    if (parsed.is_array() && !parsed.empty()
        && std::all_of(parsed.begin(), parsed.end(), [](const json& b) { return b.is_object() && b.contains("type"); }))
        return parsed;
    return content;
}

// gen_ai.prompt.{i}.* / gen_ai.completion.{i}.* (OpenLLMetry's flattened messages) → our messages.
json fromFlattened(json messages, const char* defaultRole)
{
    if (!messages.is_array())
        return nullptr;
    for (json& message : messages) {
        if (!message.is_object())
            continue;
        if (!message.contains("role"))
            message["role"] = defaultRole;
        if (const auto content = message.find("content"); content != message.end())
            *content = blocksIfJson(*content);
    }
    return Messages::fromGenAi(messages);
}

// gen_ai.retrieval.documents: [{id, score, content?, …}] → one tool message of document parts.
json documentMessages(const json& documents)
{
    if (!documents.is_array() || documents.empty())
        return nullptr;
    json parts = json::array();
    for (const json& document : documents) {
        json part = document.is_object() ? document : json { { "content", document } };
        part["type"] = "document";
        parts.push_back(std::move(part));
    }
    return json::array({ json { { "role", "tool" }, { "parts", std::move(parts) } } });
}

} // namespace

std::string currentProviderName(const std::string& provider)
{
    // Values the conventions renamed: one provider, one name, whichever SDK version wrote the span.
    static const std::pair<const char*, const char*> renamed[] = {
        { "az.ai.openai", "azure.ai.openai" },
        { "az.ai.inference", "azure.ai.inference" },
        { "vertex_ai", "gcp.vertex_ai" },
        { "gemini", "gcp.gemini" },
        { "xai", "x_ai" },
        { "mistral_ai", "mistral" },
    };
    for (const auto& [old, current] : renamed) {
        if (provider == old)
            return current;
    }
    return provider;
}

void applyMcp(const AttributeView& a, Step& s)
{
    const auto method = a.string("mcp.method.name");
    if (!method || method->empty())
        return;
    if (s.operation.empty())
        s.operation = *method;
    const std::string& m = *method;
    const auto endsWith = [&](std::string_view suffix) {
        return m.size() >= suffix.size() && m.compare(m.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (m == "tools/call") {
        setKind(s, StepKind::Tool);
        // Spans are named "{method} {target}"; the target is the tool when gen_ai.tool.name is not there.
        if (s.toolName.empty() && s.name.rfind(m + ' ', 0) == 0)
            s.toolName = s.name.substr(m.size() + 1);
        if (s.toolCallId.empty()) {
            const json id = a.plain("jsonrpc.request.id");
            if (id.is_string() || id.is_number())
                s.toolCallId = id.is_string() ? id.get<std::string>() : id.dump();
        }
        // error.type "tool_error": the tool answered with isError.
        if (s.status == StepStatus::Error && s.statusMessage == "tool_error")
            s.statusMessage = "tool returned isError";
    } else if (m == "resources/read") {
        setKind(s, StepKind::Retriever);
    } else if (m == "initialize" || m == "server/discover" || m == "ping" || endsWith("/list")
        || m.rfind("notifications/", 0) == 0) {
        setKind(s, StepKind::Event);
    }
    fill(s.sessionId, firstString(a, { "mcp.session.id" }));
}

void applyGenAi(const AttributeView& a, Step& s)
{
    const auto operation = a.string("gen_ai.operation.name");
    if (operation && s.operation.empty())
        s.operation = *operation;

    fill(s.model, firstString(a, { "gen_ai.response.model", "gen_ai.request.model" }));
    fill(s.provider, firstString(a, { "gen_ai.provider.name", "gen_ai.system" }));
    s.provider = currentProviderName(s.provider);
    // Every name the conventions have had, the newest first (trace-formats-2026.md section 6), and Sentry's.
    fill(s.tokens.input, firstInteger(a, { "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens" }));
    fill(s.tokens.output, firstInteger(a, { "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens" }));
    fill(s.tokens.cacheRead,
        firstInteger(a,
            { "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
                "gen_ai.usage.input_tokens.cached" }));
    fill(s.tokens.cacheWrite,
        firstInteger(a,
            { "gen_ai.usage.cache_write.input_tokens", "gen_ai.usage.cache_creation.input_tokens",
                "gen_ai.usage.cache_creation_input_tokens", "gen_ai.usage.input_tokens.cache_write" }));
    fill(s.tokens.reasoning,
        firstInteger(a,
            { "gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens",
                "gen_ai.usage.output_tokens.reasoning" }));

    fill(s.toolName, firstString(a, { "gen_ai.tool.name" }));
    fill(s.toolCallId, firstString(a, { "gen_ai.tool.call.id" }));
    fillRaw(s.toolArguments, a, { "gen_ai.tool.call.arguments" });
    fillRaw(s.toolResult, a, { "gen_ai.tool.call.result" });

    fill(s.agentName, firstString(a, { "gen_ai.agent.name" }));
    fill(s.agentVersion, firstString(a, { "gen_ai.agent.version" }));
    // Then the products' own spellings on OTLP: Langfuse's OTel endpoint reads langfuse.session.id, and LangSmith's
    // exporter writes the run's metadata, where a thread is keyed by session_id, thread_id or conversation_id (its
    // langsmith.trace.session_id is the tracing project, not a conversation).
    fill(s.sessionId,
        firstString(a,
            { "gen_ai.conversation.id", "session.id", "langfuse.session.id", "langsmith.metadata.session_id",
                "langsmith.metadata.thread_id", "langsmith.metadata.conversation_id" }));
    fill(s.userId, firstString(a, { "user.id", "enduser.id", "langfuse.user.id", "langsmith.metadata.user_id" }));

    setInput(s, Messages::fromGenAi(a.structured("gen_ai.input.messages")));
    setOutput(s, Messages::fromGenAi(a.structured("gen_ai.output.messages")));
    // The deprecated whole-conversation attributes (before the per-message events and the messages attributes).
    setInput(s, Messages::fromGenAi(a.structured("gen_ai.prompt")));
    setOutput(s, Messages::fromCompletion(a.structured("gen_ai.completion")));
    // OpenLLMetry's flattened gen_ai.prompt.{i}.* / gen_ai.completion.{i}.* (section 3, "Older forms").
    setInput(s, fromFlattened(a.unflatten("gen_ai.prompt"), "user"));
    setOutput(s, fromFlattened(a.unflatten("gen_ai.completion"), "assistant"));
    // Retrieval: the query in, the documents out.
    setInput(s, Messages::textMessages("user", a.plain("gen_ai.retrieval.query.text")));
    setOutput(s, documentMessages(a.structured("gen_ai.retrieval.documents")));
    if (s.systemInstructions.empty()) {
        if (json system = Messages::systemFromParts(a.structured("gen_ai.system_instructions")); !system.is_null()) {
            s.systemInstructions = Messages::dump(system);
            const std::string text = Messages::plainText(system);
            s.inputText = s.inputText.empty() ? text : text + '\n' + s.inputText;
        }
    }

    if (operation)
        setKind(s, kindForOperation(*operation));

    // error.type is required on a failed GenAI call even when the status was left unset.
    if (s.status != StepStatus::Error) {
        if (auto errorType = a.string("error.type"); errorType && !errorType->empty()) {
            s.status = StepStatus::Error;
            if (s.statusMessage.empty())
                s.statusMessage = *errorType;
        }
    }
}

void applyGenAiEvents(const json& events, Step& s)
{
    if (!events.is_array() || events.empty())
        return;
    json input = json::array();
    json output = json::array();
    for (const json& event : events) {
        if (!event.is_object())
            continue;
        const auto nameIt = event.find("name");
        if (nameIt == event.end() || !nameIt->is_string())
            continue;
        const std::string& name = nameIt->get_ref<const std::string&>();
        if (name.rfind("gen_ai.", 0) != 0)
            continue;
        static const json none;
        const auto attributesIt = event.find("attributes");
        // AttributeView points into the list: it must be the event's own, not a temporary.
        const AttributeView a = AttributeView::fromKeyValueList(attributesIt != event.end() ? *attributesIt : none);
        if (name == "gen_ai.content.prompt") {
            setInput(s, Messages::fromGenAi(a.structured("gen_ai.prompt")));
        } else if (name == "gen_ai.content.completion") {
            setOutput(s, Messages::fromCompletion(a.structured("gen_ai.completion")));
        } else if (name == "gen_ai.client.inference.operation.details") {
            setInput(s, Messages::fromGenAi(a.structured("gen_ai.input.messages")));
            setOutput(s, Messages::fromGenAi(a.structured("gen_ai.output.messages")));
            if (s.systemInstructions.empty()) {
                const json system = Messages::systemFromParts(a.structured("gen_ai.system_instructions"));
                if (!system.is_null())
                    s.systemInstructions = Messages::dump(system);
            }
        } else if (name == "gen_ai.choice" || (name.size() > 16 && name.compare(name.size() - 8, 8, ".message") == 0)) {
            // The v1.28–v1.36 per-message events. As span events their body arrives either as one JSON attribute
            // (gen_ai.event.content) or spread over attributes named after the body's fields.
            json body = a.structured("gen_ai.event.content");
            if (!body.is_object()) {
                body = json::object();
                for (const char* field :
                    { "role", "content", "tool_calls", "id", "message", "finish_reason", "index" }) {
                    if (json value = a.structured(field); !value.is_null())
                        body[field] = std::move(value);
                }
            }
            if (name == "gen_ai.choice") {
                json message
                    = body.contains("message") && body["message"].is_object() ? body["message"] : json::object();
                if (!message.contains("role"))
                    message["role"] = "assistant";
                if (body.contains("tool_calls") && !message.contains("tool_calls"))
                    message["tool_calls"] = body["tool_calls"];
                if (body.contains("finish_reason"))
                    message["finish_reason"] = body["finish_reason"];
                output.push_back(Messages::normalizeMessage(message));
            } else {
                const std::string role = name.substr(7, name.size() - 7 - 8); // gen_ai.<role>.message
                if (!body.contains("role"))
                    body["role"] = role;
                if (role == "tool" && body.contains("id") && !body.contains("tool_call_id"))
                    body["tool_call_id"] = body["id"];
                input.push_back(Messages::normalizeMessage(body));
            }
        }
    }
    setInput(s, input);
    setOutput(s, output);
}

} // namespace Tracelight::Conventions
