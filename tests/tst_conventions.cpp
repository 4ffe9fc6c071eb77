// Semantic-convention mapping (GenAI, OpenInference, OpenLLMetry, Vercel AI SDK): the public attribute sets of the
// corpus and hand-written spans go through the OTLP span path (Otlp::stepFrom → Conventions::apply); expected
// values are worked out from the files with jq (commands next to the rows) or written by hand.

#include "testutils.h"

#include <fileimport.h>
#include <otlpspan.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Tracelight;
using nlohmann::json;

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

// A plain attribute object → OTLP KeyValue list, written here rather than with the importers' own encoder.
json anyValueOf(const json& v)
{
    if (v.is_string())
        return { { "stringValue", v } };
    if (v.is_boolean())
        return { { "boolValue", v } };
    if (v.is_number_integer())
        return { { "intValue", std::to_string(v.get<std::int64_t>()) } };
    if (v.is_number_float())
        return { { "doubleValue", v } };
    if (v.is_array()) {
        json values = json::array();
        for (const json& e : v)
            values.push_back(anyValueOf(e));
        return { { "arrayValue", { { "values", values } } } };
    }
    return json::object();
}

json keyValues(const json& object)
{
    json list = json::array();
    for (auto it = object.begin(); it != object.end(); ++it)
        list.push_back({ { "key", it.key() }, { "value", anyValueOf(it.value()) } });
    return list;
}

// events: [{name, attributes:{…}}] in plain form.
Step mapSpan(const json& attributes, const std::string& name = "span", const json& events = json::array())
{
    json otlpEvents = json::array();
    for (const json& e : events)
        otlpEvents.push_back({ { "name", e["name"] }, { "timeUnixNano", "1500" },
            { "attributes", keyValues(e.value("attributes", json::object())) } });
    const json span { { "traceId", "0123456789abcdef0123456789abcdef" }, { "spanId", "00000000000000a1" },
        { "name", name }, { "startTimeUnixNano", "1000" }, { "endTimeUnixNano", "2000" },
        { "attributes", keyValues(attributes) }, { "events", otlpEvents } };
    Step step;
    std::string reason;
    std::vector<std::string> warnings;
    if (!Otlp::stepFrom(span, step, reason, warnings))
        qFatal("span rejected: %s", reason.c_str());
    return step;
}

json loadJson(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return json::parse(file.readAll().toStdString());
}

// "user,assistant,tool"; a finish reason is appended as "assistant:stop".
QString roles(const std::string& messages)
{
    if (messages.empty())
        return {};
    QStringList list;
    for (const json& m : json::parse(messages)) {
        QString role = qs(m.value("role", std::string()));
        if (m.contains("finish_reason"))
            role += QLatin1Char(':') + qs(m["finish_reason"].get<std::string>());
        list << role;
    }
    return list.join(QLatin1Char(','));
}

// Parts of one type, each rendered by fn, joined by ';'.
template <typename Fn> QString partsOf(const std::string& messages, const char* type, Fn fn)
{
    QStringList list;
    if (!messages.empty()) {
        for (const json& m : json::parse(messages)) {
            for (const json& p : m["parts"]) {
                if (p.value("type", std::string()) == type)
                    list << fn(p);
            }
        }
    }
    return list.join(QLatin1Char(';'));
}

// "text,uri": the types of all parts.
QString partTypes(const std::string& messages)
{
    QStringList list;
    if (!messages.empty()) {
        for (const json& m : json::parse(messages)) {
            for (const json& p : m["parts"])
                list << qs(p.value("type", std::string()));
        }
    }
    return list.join(QLatin1Char(','));
}

// "get_weather {"location":"Paris"}" per tool call part.
QString toolCalls(const std::string& messages)
{
    return partsOf(messages, "tool_call", [](const json& p) {
        const json args = p.value("arguments", json());
        return qs(p.value("name", std::string()) + ' ' + (args.is_string() ? args.get<std::string>() : args.dump()));
    });
}

QString tokens(const std::optional<std::int64_t>& value)
{
    return value ? QString::number(*value) : QStringLiteral("-");
}

// "in/out/cache read/cache write/reasoning", '-' for unknown.
QString usage(const Step& s)
{
    return QStringList { tokens(s.tokens.input), tokens(s.tokens.output), tokens(s.tokens.cacheRead),
        tokens(s.tokens.cacheWrite), tokens(s.tokens.reasoning) }
        .join(QLatin1Char('/'));
}

} // namespace

class TestConventions : public QObject
{
    Q_OBJECT
private slots:
    // Every attribute set of corpus/genai-semconv and corpus/openinference, fed through the mapping as a span.
    void corpusAttributeSet_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("usage");
        QTest::addColumn<QString>("tool"); // name and call id
        QTest::addColumn<QString>("inputRoles");
        QTest::addColumn<QString>("outputRoles");
        QTest::addColumn<QString>("calls");
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");
        const QStringList covered = { QStringLiteral("genai-semconv/genai-chat-span-tool-calls.attributes.json"),
            QStringLiteral("genai-semconv/genai-chat-span-deprecated-attrs.attributes.json"),
            QStringLiteral("genai-semconv/genai-execute-tool-span.attributes.json"),
            QStringLiteral("openinference/oi-llm-span-input-output-only.attributes.json"),
            QStringLiteral("openinference/oi-llm-span-tool-calls.attributes.json") };
        // A new file in those folders must get its row.
        for (const QString& folder : { QStringLiteral("genai-semconv"), QStringLiteral("openinference") }) {
            for (const QString& name : QDir(TestUtils::corpusDir() + QLatin1Char('/') + folder).entryList(QDir::Files))
                QVERIFY2(covered.contains(folder + QLatin1Char('/') + name), qPrintable(name));
        }
        const QString weather = QStringLiteral(R"(get_weather {"location":"Paris"})");
        // jq -c '{op: ."gen_ai.operation.name", oik: ."openinference.span.kind", model: (."gen_ai.response.model" //
        //   ."llm.model_name"), provider: (."gen_ai.provider.name" // ."llm.provider"), in:
        //   (."gen_ai.usage.input_tokens"
        //   // ."llm.token_count.prompt"), out: (."gen_ai.usage.output_tokens" // ."llm.token_count.completion"),
        //   tool: ."gen_ai.tool.name", callid: ."gen_ai.tool.call.id"}' FILE
        // Roles:  jq -r '."gen_ai.input.messages" | fromjson | map(.role) | join(",")'  (gen_ai.prompt, input.value
        //         alike); output: jq -r '."gen_ai.output.messages" | fromjson | map(.role + ":" + .finish_reason)'
        // Calls:  jq -r '."gen_ai.input.messages" | fromjson | [.[].parts[] | select(.type=="tool_call") | .name + " "
        //         + (.arguments|tojson)] | join(",")'
        QTest::newRow("genai chat, tool calls") << covered[0] << "llm"
                                                << "gpt-4-0613"
                                                << "openai"
                                                << "97/52/-/-/-"
                                                << " "
                                                << "user,assistant,tool"
                                                << "assistant:stop" << weather;
        // gen_ai.completion: jq -r '."gen_ai.completion" | fromjson | .finish_reason' → stop
        QTest::newRow("genai deprecated gen_ai.prompt/completion") << covered[1] << "llm"
                                                                   << "gpt-4-0613"
                                                                   << "openai"
                                                                   << "97/52/-/-/-"
                                                                   << " "
                                                                   << "user,assistant,tool"
                                                                   << "assistant:stop" << weather;
        // The file's arguments sit in non-standard "input"/"output" keys, which no convention defines.
        QTest::newRow("genai execute_tool") << covered[2] << "tool"
                                            << ""
                                            << ""
                                            << "-/-/-/-/-"
                                            << "get_weather 1234"
                                            << ""
                                            << ""
                                            << "";
        // input.value: jq -r '."input.value" | fromjson | map(.role) | join(",")'; output.value: {text, finish_reason}
        QTest::newRow("openinference input/output values") << covered[3] << "llm"
                                                           << "gpt-4-0613"
                                                           << "openai"
                                                           << "97/52/-/-/-"
                                                           << " "
                                                           << "user,assistant,tool"
                                                           << "assistant:stop" << weather;
        // jq -r 'to_entries | map(select(.key|test("^llm\\.input_messages\\.[0-9]+\\.message\\.role$"))) |
        //   sort_by(.key) | map(.value) | join(",")'  → user,assistant,tool (output_messages: assistant, no finish)
        // jq -r '[."llm.input_messages.1.message.tool_calls.0.tool_call.function.name",
        //   ."llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments"] | join(" ")'
        QTest::newRow("openinference flattened messages") << covered[4] << "llm"
                                                          << "gpt-4-0613"
                                                          << "openai"
                                                          << "97/52/-/-/-"
                                                          << " "
                                                          << "user,assistant,tool"
                                                          << "assistant" << weather;
    }

    void corpusAttributeSet()
    {
        QFETCH(QString, file);
        QFETCH(QString, kind);
        QFETCH(QString, model);
        QFETCH(QString, provider);
        QFETCH(QString, usage);
        QFETCH(QString, tool);
        QFETCH(QString, inputRoles);
        QFETCH(QString, outputRoles);
        QFETCH(QString, calls);
        const Step s = mapSpan(loadJson(TestUtils::corpusDir() + QLatin1Char('/') + file));
        QCOMPARE(qs(std::string(stepKindName(s.kind))), kind);
        QCOMPARE(qs(s.model), model);
        QCOMPARE(qs(s.provider), provider);
        QCOMPARE(::usage(s), usage);
        QCOMPARE(qs(s.toolName + ' ' + s.toolCallId), tool);
        QCOMPARE(roles(s.inputMessages), inputRoles);
        QCOMPARE(roles(s.outputMessages), outputRoles);
        QCOMPARE(toolCalls(s.inputMessages), calls);
        if (!inputRoles.isEmpty()) {
            QVERIFY(qs(s.inputText).contains(QStringLiteral("Weather in Paris?")));
            QVERIFY(qs(s.outputText).contains(QStringLiteral("rainy with a temperature of 57°F")));
            // The tool's answer is a tool_call_response part of the tool message, whatever the convention.
            QCOMPARE(partsOf(s.inputMessages, "tool_call_response",
                         [](const json& p) { return qs(p["id"].get<std::string>() + ' ' + p["response"].dump()); }),
                QStringLiteral("1234 \"rainy, 57°F\""));
        }
    }

    // The ten Vercel AI SDK v6 spans of corpus/other (attributes of JS ReadableSpans), through the same path.
    void vercelCorpusSpan_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("usage");
        QTest::addColumn<QString>("inputRoles");
        QTest::addColumn<QString>("output");
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        // jq -r '.[] | [.name, (.attributes["ai.response.model"] // .attributes["ai.model.id"]),
        //   (.attributes["gen_ai.usage.input_tokens"] // .attributes["ai.usage.inputTokens"] //
        //    .attributes["ai.usage.promptTokens"] // .attributes["ai.usage.tokens"] // "-"), (… output likewise),
        //   (.attributes["ai.prompt.messages"] // "null" | fromjson | if . == null then "-" else map(.role)|join(",")
        //   end)] | @tsv' other/vercel-ai-sdk-v6-readablespans.json
        // The outer ai.* spans repeat their do* span's usage: chain steps without tokens. The provider of every
        // span is "openai" (ai.model.provider "openai.responses" / "openai.embedding", cut at the dot).
        QTest::newRow("0 ai.generateText.doGenerate") << 0 << "llm"
                                                      << "gpt-4o-mini-2024-07-18"
                                                      << "14/20/-/-/-"
                                                      << "user"
                                                      << "Lines of code align";
        QTest::newRow("1 ai.generateText") << 1 << "chain"
                                           << "gpt-4o-mini"
                                           << "-/-/-/-/-"
                                           << "user"
                                           << "Lines of code align";
        QTest::newRow("2 ai.generateText.doGenerate, history") << 2 << "llm"
                                                               << "gpt-4o-mini-2024-07-18"
                                                               << "50/9/-/-/-"
                                                               << "system,user,assistant,user"
                                                               << "3 + 3 equals 6.";
        QTest::newRow("3 ai.generateText, history") << 3 << "chain"
                                                    << "gpt-4o-mini"
                                                    << "-/-/-/-/-"
                                                    << "system,user,assistant,user"
                                                    << "3 + 3 equals 6.";
        QTest::newRow("4 ai.generateObject.doGenerate") << 4 << "llm"
                                                        << "gpt-4o-mini-2024-07-18"
                                                        << "63/156/-/-/-"
                                                        << "user"
                                                        << "Scrambled Eggs";
        QTest::newRow("5 ai.generateObject") << 5 << "chain"
                                             << "gpt-4o-mini"
                                             << "-/-/-/-/-"
                                             << "user"
                                             << "Scrambled Eggs";
        // jq '.[6].attributes | with_entries(select(.key|startswith("ai.usage")))' → cachedInputTokens 0,
        // reasoningTokens 0
        QTest::newRow("6 ai.streamText.doStream") << 6 << "llm"
                                                  << "gpt-4o-mini-2024-07-18"
                                                  << "15/112/0/-/0"
                                                  << "user"
                                                  << "TypeScript dances";
        QTest::newRow("7 ai.streamText") << 7 << "chain"
                                         << "gpt-4o-mini"
                                         << "-/-/-/-/-"
                                         << "user"
                                         << "TypeScript dances";
        // ai.usage.tokens 10 on both; ai.values / ai.value hold the JSON-encoded input text.
        QTest::newRow("8 ai.embed.doEmbed") << 8 << "embedding"
                                            << "text-embedding-3-small"
                                            << "10/-/-/-/-"
                                            << "user"
                                            << "";
        QTest::newRow("9 ai.embed") << 9 << "chain"
                                    << "text-embedding-3-small"
                                    << "-/-/-/-/-"
                                    << "user"
                                    << "";
    }

    void vercelCorpusSpan()
    {
        QFETCH(int, index);
        QFETCH(QString, kind);
        QFETCH(QString, model);
        QFETCH(QString, usage);
        QFETCH(QString, inputRoles);
        QFETCH(QString, output);
        const json spans
            = loadJson(TestUtils::corpusDir() + QStringLiteral("/other/vercel-ai-sdk-v6-readablespans.json"));
        const json& span = spans.at(std::size_t(index));
        const Step s = mapSpan(span["attributes"], span["name"].get<std::string>());
        QCOMPARE(qs(std::string(stepKindName(s.kind))), kind);
        QCOMPARE(qs(s.model), model);
        QCOMPARE(qs(s.provider), QStringLiteral("openai"));
        QCOMPARE(::usage(s), usage);
        QCOMPARE(roles(s.inputMessages), inputRoles);
        QVERIFY2(qs(s.outputText).contains(output), qPrintable(qs(s.outputText)));
        QCOMPARE(qs(s.agentName), qs(span["attributes"]["ai.telemetry.functionId"].get<std::string>()));
        if (kind == QLatin1String("embedding") || index == 9)
            QCOMPARE(qs(s.inputText), QStringLiteral("The quick brown fox jumps over the lazy dog."));
    }

    // Hand-written spans: each row is a plain attribute object, a span name, span events, and the expected
    // fields (only those listed are checked).
    void fixtureSpan_data();
    void fixtureSpan();

    // Usage that an outer span repeats is counted once in the trace's figures.
    void usageCountedOnce_data();
    void usageCountedOnce();
};

namespace {

// The fields a fixture row names, as "key=value" lines; text fields named *_text and "system" are checked by
// containment (the expected value is echoed back when it is contained).
QStringList describe(const Step& s, const json& expected)
{
    QStringList lines;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        const std::string& key = it.key();
        const QString want = it.value().is_string() ? qs(it.value().get<std::string>()) : qs(it.value().dump());
        QString actual;
        const auto contains = [&](const std::string& text) { return qs(text).contains(want) ? want : qs(text); };
        if (key == "kind")
            actual = qs(std::string(stepKindName(s.kind)));
        else if (key == "status")
            actual = qs(std::string(stepStatusName(s.status)));
        else if (key == "usage")
            actual = usage(s);
        else if (key == "cost")
            actual = s.costUsd ? QString::number(*s.costUsd) : QStringLiteral("-");
        else if (key == "model")
            actual = qs(s.model);
        else if (key == "provider")
            actual = qs(s.provider);
        else if (key == "operation")
            actual = qs(s.operation);
        else if (key == "tool_name")
            actual = qs(s.toolName);
        else if (key == "tool_call_id")
            actual = qs(s.toolCallId);
        else if (key == "tool_arguments")
            actual = qs(s.toolArguments);
        else if (key == "tool_result")
            actual = qs(s.toolResult);
        else if (key == "agent_name")
            actual = qs(s.agentName);
        else if (key == "agent_version")
            actual = qs(s.agentVersion);
        else if (key == "session_id")
            actual = qs(s.sessionId);
        else if (key == "user_id")
            actual = qs(s.userId);
        else if (key == "status_message")
            actual = qs(s.statusMessage);
        else if (key == "input_roles")
            actual = roles(s.inputMessages);
        else if (key == "output_roles")
            actual = roles(s.outputMessages);
        else if (key == "input_calls")
            actual = toolCalls(s.inputMessages);
        else if (key == "output_calls")
            actual = toolCalls(s.outputMessages);
        else if (key == "input_results")
            actual = partsOf(s.inputMessages, "tool_call_response",
                [](const json& p) { return qs(p.value("id", std::string()) + ' ' + p["response"].dump()); });
        else if (key == "documents")
            actual = partsOf(s.outputMessages, "document",
                [](const json& p) { return qs(p["id"].dump() + ':' + p.value("score", json()).dump()); });
        else if (key == "input_parts" || key == "output_parts")
            actual = partTypes(key == "input_parts" ? s.inputMessages : s.outputMessages);
        else if (key == "input_text")
            actual = contains(s.inputText);
        else if (key == "output_text")
            actual = contains(s.outputText);
        else if (key == "input_text_is")
            actual = qs(s.inputText);
        else if (key == "system")
            actual = contains(s.systemInstructions);
        else
            actual = QStringLiteral("<unknown key>");
        lines << qs(key) + QLatin1Char('=') + actual;
    }
    return lines;
}

QStringList expectedLines(const json& expected)
{
    QStringList lines;
    for (auto it = expected.begin(); it != expected.end(); ++it)
        lines << qs(it.key()) + QLatin1Char('=')
                + (it.value().is_string() ? qs(it.value().get<std::string>()) : qs(it.value().dump()));
    return lines;
}

void row(const char* name, const char* attributes, const char* expected, const char* spanName = "span",
    const char* events = "[]")
{
    QTest::newRow(name) << QByteArray(attributes) << QByteArray(spanName) << QByteArray(events) << QByteArray(expected);
}

} // namespace

void TestConventions::fixtureSpan_data()
{
    QTest::addColumn<QByteArray>("attributes");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("events");
    QTest::addColumn<QByteArray>("expected");
    // Attribute values that are objects, or arrays holding objects, reach the span as JSON strings (as SDKs send
    // them); arrays of scalars as arrayValue.

    // ------------------------------------------------------------------------------------------- OpenLLMetry
    row("openllmetry workflow", R"({"traceloop.span.kind": "workflow", "traceloop.entity.name": "support_flow",
        "traceloop.workflow.name": "support_flow",
        "traceloop.entity.input": "{\"args\": [\"refund order 42\"], \"kwargs\": {}}",
        "traceloop.entity.output": "\"done\"", "traceloop.association.properties.session_id": "sess-7",
        "traceloop.association.properties.user_id": "u-9"})",
        R"({"kind": "chain", "operation": "workflow", "input_roles": "user", "output_roles": "assistant",
        "input_text": "refund order 42", "session_id": "sess-7", "user_id": "u-9", "usage": "-/-/-/-/-"})",
        "support_flow.workflow");
    row("openllmetry task", R"({"traceloop.span.kind": "task", "traceloop.entity.name": "classify"})",
        R"({"kind": "chain", "operation": "task"})", "classify.task");
    row("openllmetry agent", R"({"traceloop.span.kind": "agent", "traceloop.entity.name": "triage",
        "traceloop.entity.version": 3})",
        R"({"kind": "agent", "agent_name": "triage", "agent_version": "3", "tool_name": ""})", "triage.agent");
    row("openllmetry tool", R"({"traceloop.span.kind": "tool", "traceloop.entity.name": "lookup_order",
        "traceloop.entity.input": "{\"args\": [], \"kwargs\": {\"order_id\": 42}}",
        "traceloop.entity.output": "{\"status\": \"shipped\"}"})",
        R"({"kind": "tool", "tool_name": "lookup_order", "tool_arguments": "{\"args\": [], \"kwargs\": {\"order_id\": 42}}",
        "tool_result": "{\"status\": \"shipped\"}", "input_roles": ""})",
        "lookup_order.tool");
    row("openllmetry chat, flattened prompt and completion", R"({"llm.request.type": "chat", "gen_ai.system": "OpenAI",
        "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.prompt.0.role": "system", "gen_ai.prompt.0.content": "You are a support agent.",
        "gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": "Where is order 42?",
        "gen_ai.prompt.2.role": "assistant", "gen_ai.prompt.2.tool_calls.0.id": "call_1",
        "gen_ai.prompt.2.tool_calls.0.name": "lookup_order", "gen_ai.prompt.2.tool_calls.0.arguments": "{\"order_id\": 42}",
        "gen_ai.prompt.3.role": "tool", "gen_ai.prompt.3.content": "{\"status\":\"shipped\"}",
        "gen_ai.prompt.3.tool_call_id": "call_1",
        "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": "It has shipped.",
        "gen_ai.completion.0.finish_reason": "stop",
        "gen_ai.usage.prompt_tokens": 220, "gen_ai.usage.completion_tokens": 12, "llm.usage.total_tokens": 232,
        "gen_ai.usage.cache_read_input_tokens": 128, "gen_ai.usage.cache_creation_input_tokens": 0})",
        R"({"kind": "llm", "operation": "chat", "model": "gpt-4o-2024-08-06", "provider": "openai",
        "usage": "220/12/128/0/-", "input_roles": "system,user,assistant,tool", "output_roles": "assistant:stop",
        "input_calls": "lookup_order {\"order_id\":42}", "input_results": "call_1 {\"status\":\"shipped\"}",
        "output_text": "It has shipped."})",
        "openai.chat");
    row("openllmetry flattened prompt in index order", R"({"llm.request.type": "completion",
        "gen_ai.prompt.0.content": "m0", "gen_ai.prompt.1.content": "m1", "gen_ai.prompt.2.content": "m2",
        "gen_ai.prompt.3.content": "m3", "gen_ai.prompt.4.content": "m4", "gen_ai.prompt.5.content": "m5",
        "gen_ai.prompt.6.content": "m6", "gen_ai.prompt.7.content": "m7", "gen_ai.prompt.8.content": "m8",
        "gen_ai.prompt.9.content": "m9", "gen_ai.prompt.10.content": "m10", "gen_ai.prompt.11.content": "m11"})",
        R"({"kind": "llm", "input_text_is": "m0\nm1\nm2\nm3\nm4\nm5\nm6\nm7\nm8\nm9\nm10\nm11",
        "input_roles": "user,user,user,user,user,user,user,user,user,user,user,user"})");
    row("openllmetry content blocks as JSON text", R"({"llm.request.type": "chat", "gen_ai.system": "Anthropic",
        "gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": "[{\"type\": \"text\", \"text\": \"Hi\"}]"})",
        R"({"provider": "anthropic", "input_text_is": "Hi", "input_parts": "text"})");
    row("openllmetry total only", R"({"llm.request.type": "chat", "gen_ai.usage.prompt_tokens": 100,
        "llm.usage.total_tokens": 130})",
        R"({"kind": "llm", "usage": "100/30/-/-/-"})");
    row("openllmetry embedding and rerank", R"({"llm.request.type": "embedding"})", R"({"kind": "embedding"})");

    // ------------------------------------------------------------------------ Vercel AI SDK, v4 naming (ai.*)
    row("vercel v4 doGenerate", R"({"ai.operationId": "ai.generateText.doGenerate",
        "ai.model.id": "claude-3-5-sonnet", "ai.model.provider": "anthropic.messages",
        "ai.telemetry.functionId": "weather-bot", "ai.telemetry.metadata.sessionId": "s-1",
        "ai.telemetry.metadata.userId": "u-1",
        "ai.prompt.messages": [{"role": "system", "content": "Be brief."},
            {"role": "user", "content": [{"type": "text", "text": "Weather in Oslo?"}]},
            {"role": "assistant", "content": [{"type": "tool-call", "toolCallId": "t1", "toolName": "weather",
                "args": {"city": "Oslo"}}]},
            {"role": "tool", "content": [{"type": "tool-result", "toolCallId": "t1", "toolName": "weather",
                "result": {"temp": 3}}]}],
        "ai.response.text": "It is 3°C.", "ai.response.finishReason": "stop",
        "ai.usage.promptTokens": 40, "ai.usage.completionTokens": 8})",
        R"({"kind": "llm", "operation": "ai.generateText.doGenerate", "model": "claude-3-5-sonnet",
        "provider": "anthropic", "usage": "40/8/-/-/-", "input_roles": "system,user,assistant,tool",
        "input_calls": "weather {\"city\":\"Oslo\"}", "input_results": "t1 {\"temp\":3}",
        "output_roles": "assistant:stop", "output_text": "It is 3°C.", "agent_name": "weather-bot",
        "session_id": "s-1", "user_id": "u-1"})",
        "ai.generateText.doGenerate");
    row("vercel v4 doGenerate answering with tool calls", R"({"ai.operationId": "ai.generateText.doGenerate",
        "ai.response.toolCalls": [{"toolCallId": "t1", "toolName": "weather", "args": "{\"city\":\"Oslo\"}"}],
        "ai.response.finishReason": "tool-calls", "ai.usage.promptTokens": 30, "ai.usage.completionTokens": 9})",
        R"({"kind": "llm", "output_roles": "assistant:tool-calls", "output_calls": "weather {\"city\":\"Oslo\"}",
        "usage": "30/9/-/-/-"})");
    row("vercel v4 toolCall", R"({"ai.operationId": "ai.toolCall", "ai.toolCall.name": "weather",
        "ai.toolCall.id": "t1", "ai.toolCall.args": "{\"city\":\"Oslo\"}", "ai.toolCall.result": "{\"temp\":3}"})",
        R"({"kind": "tool", "tool_name": "weather", "tool_call_id": "t1", "tool_arguments": "{\"city\":\"Oslo\"}",
        "tool_result": "{\"temp\":3}"})",
        "ai.toolCall weather");
    row("vercel v4 outer generateText keeps no usage", R"({"ai.operationId": "ai.generateText",
        "ai.model.id": "claude-3-5-sonnet", "ai.model.provider": "anthropic.messages",
        "ai.prompt": {"system": "Be brief.", "prompt": "Weather in Oslo?"},
        "ai.response.text": "It is 3°C.", "ai.usage.promptTokens": 40, "ai.usage.completionTokens": 8})",
        R"({"kind": "chain", "usage": "-/-/-/-/-", "system": "Be brief.", "input_roles": "user",
        "input_text": "Weather in Oslo?", "output_roles": "assistant"})",
        "ai.generateText");

    // ---------------------------------------------------------------- Vercel AI SDK, v5/v6 naming (still ai.*)
    row("vercel v5 doStream", R"({"ai.operationId": "ai.streamText.doStream", "ai.model.id": "gpt-5",
        "ai.model.provider": "openai.responses", "gen_ai.system": "openai.responses",
        "ai.prompt.messages": [{"role": "user", "content": [{"type": "text", "text": "find otel"}]},
            {"role": "assistant", "content": [{"type": "tool-call", "toolCallId": "t0", "toolName": "search",
                "input": {"q": "a"}}]},
            {"role": "tool", "content": [{"type": "tool-result", "toolCallId": "t0", "toolName": "search",
                "output": {"type": "json", "value": {"hits": 1}}}]}],
        "ai.response.reasoning": "Let me search.",
        "ai.response.toolCalls": [{"toolCallId": "t2", "toolName": "search", "input": {"q": "otel"}}],
        "ai.usage.inputTokens": 1200, "ai.usage.outputTokens": 300, "ai.usage.cachedInputTokens": 1000,
        "ai.usage.inputTokenDetails.cacheWriteTokens": 50, "ai.usage.reasoningTokens": 120})",
        R"({"kind": "llm", "provider": "openai", "usage": "1200/300/1000/50/120", "input_calls": "search {\"q\":\"a\"}",
        "input_results": "t0 {\"type\":\"json\",\"value\":{\"hits\":1}}", "output_calls": "search {\"q\":\"otel\"}",
        "output_parts": "reasoning,tool_call", "output_text": "Let me search."})",
        "ai.streamText.doStream");
    row("vercel v6 detail keys", R"({"ai.operationId": "ai.generateText.doGenerate",
        "ai.usage.inputTokens": 90, "ai.usage.outputTokens": 30, "ai.usage.inputTokenDetails.cacheReadTokens": 60,
        "ai.usage.outputTokenDetails.reasoningTokens": 20})",
        R"({"usage": "90/30/60/-/20"})");
    row("vercel v5 toolCall input/output", R"({"ai.operationId": "ai.toolCall", "ai.toolCall.name": "search",
        "ai.toolCall.id": "t2", "ai.toolCall.input": "{\"q\":\"otel\"}", "ai.toolCall.output": "{\"hits\":1}"})",
        R"({"kind": "tool", "tool_name": "search", "tool_arguments": "{\"q\":\"otel\"}", "tool_result": "{\"hits\":1}"})",
        "ai.toolCall search");
    row("vercel outer span that also carries GenAI usage", R"({"ai.operationId": "ai.generateText",
        "gen_ai.usage.input_tokens": 40, "gen_ai.usage.output_tokens": 8, "llm.token_count.prompt": 40})",
        R"({"kind": "chain", "usage": "-/-/-/-/-"})", "ai.generateText");
    row("vercel outer streamText", R"({"ai.operationId": "ai.streamText", "ai.usage.inputTokens": 1200,
        "ai.usage.outputTokens": 300, "ai.usage.cachedInputTokens": 1000, "ai.usage.reasoningTokens": 120})",
        R"({"kind": "chain", "usage": "-/-/-/-/-"})", "ai.streamText");

    // --------------------------------------------------------------------------- several conventions at once
    row("mixed: the same usage in four conventions", R"({"gen_ai.operation.name": "chat",
        "gen_ai.request.model": "m-genai", "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 20,
        "openinference.span.kind": "LLM", "llm.model_name": "m-oi", "llm.token_count.prompt": 100,
        "llm.token_count.completion": 20, "llm.token_count.total": 120, "gen_ai.usage.prompt_tokens": 100,
        "llm.usage.total_tokens": 120, "ai.usage.promptTokens": 100, "ai.usage.completionTokens": 20})",
        R"({"kind": "llm", "model": "m-genai", "usage": "100/20/-/-/-"})");
    row("mixed: conflicting values, GenAI first, others fill gaps", R"({"gen_ai.usage.input_tokens": 100,
        "openinference.span.kind": "LLM", "llm.token_count.prompt": 999, "llm.token_count.completion": 7,
        "llm.token_count.prompt_details.cache_read": 30, "ai.operationId": "ai.generateText.doGenerate",
        "ai.usage.inputTokens": 555, "ai.usage.outputTokens": 555})",
        R"({"kind": "llm", "usage": "100/7/30/-/-"})");
    row("mixed: OpenInference kind beats the GenAI heuristics", R"({"openinference.span.kind": "AGENT",
        "gen_ai.request.model": "gpt-4o", "agent.name": "planner"})",
        R"({"kind": "agent", "agent_name": "planner"})");
    row("mixed: GenAI operation beats the OpenInference kind", R"({"gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "t", "openinference.span.kind": "CHAIN"})",
        R"({"kind": "tool", "tool_name": "t"})");
    row("mixed: messages from one convention only", R"({"gen_ai.input.messages":
        [{"role": "user", "parts": [{"type": "text", "content": "genai"}]}],
        "llm.input_messages.0.message.role": "system", "llm.input_messages.0.message.content": "oi",
        "llm.input_messages.1.message.role": "user", "llm.input_messages.1.message.content": "oi"})",
        R"({"input_roles": "user", "input_text_is": "genai"})");

    // ------------------------------------------------------------------------------ GenAI: events, operations
    row("genai per-message span events", R"({"gen_ai.operation.name": "chat"})",
        R"({"kind": "llm", "input_roles": "system,user,assistant,tool", "input_calls": "f {\"x\":1}",
        "input_results": "c1 \"42\"", "output_roles": "assistant:stop", "output_text": "Done"})",
        "chat m",
        R"([{"name": "gen_ai.system.message", "attributes": {"content": "Be nice."}},
        {"name": "gen_ai.user.message", "attributes": {"content": "Hi"}},
        {"name": "gen_ai.assistant.message", "attributes": {"tool_calls":
            [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\"x\":1}"}}]}},
        {"name": "gen_ai.tool.message", "attributes": {"content": "42", "id": "c1"}},
        {"name": "gen_ai.choice", "attributes": {"gen_ai.event.content":
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Done"}}}}])");
    row("genai content events (before v1.28)", R"({"gen_ai.request.model": "gpt-3.5-turbo"})",
        R"({"kind": "llm", "input_roles": "user", "output_roles": "assistant", "output_text": "Hi there"})", "span",
        R"([{"name": "gen_ai.content.prompt", "attributes": {"gen_ai.prompt": [{"role": "user", "content": "Hello"}]}},
        {"name": "gen_ai.content.completion", "attributes":
            {"gen_ai.completion": [{"role": "assistant", "content": "Hi there"}]}}])");
    row("genai inference details event", R"({"gen_ai.operation.name": "chat"})",
        R"({"input_roles": "user", "output_roles": "assistant:stop", "system": "Be terse"})", "span",
        R"([{"name": "gen_ai.client.inference.operation.details", "attributes": {
            "gen_ai.input.messages": [{"role": "user", "parts": [{"type": "text", "content": "Q"}]}],
            "gen_ai.output.messages": [{"role": "assistant", "parts": [{"type": "text", "content": "A"}],
                "finish_reason": "stop"}],
            "gen_ai.system_instructions": [{"type": "text", "content": "Be terse"}]}}])");
    row("genai attributes beat events", R"({"gen_ai.operation.name": "chat", "gen_ai.input.messages":
        [{"role": "system", "parts": [{"type": "text", "content": "attr"}]}]})",
        R"({"input_roles": "system", "input_text_is": "attr"})", "span",
        R"([{"name": "gen_ai.content.prompt", "attributes": {"gen_ai.prompt": [{"role": "user", "content": "event"}]}}])");
    row("genai cache and reasoning tokens", R"({"gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 500,
        "gen_ai.usage.output_tokens": 200, "gen_ai.usage.cache_read.input_tokens": 300,
        "gen_ai.usage.cache_creation.input_tokens": 100, "gen_ai.usage.reasoning.output_tokens": 150})",
        R"({"usage": "500/200/300/100/150"})");
    row("genai invoke_agent", R"({"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "planner",
        "gen_ai.agent.version": "2", "gen_ai.conversation.id": "conv-1"})",
        R"({"kind": "agent", "agent_name": "planner", "agent_version": "2", "session_id": "conv-1"})");
    row("genai create_agent", R"({"gen_ai.operation.name": "create_agent"})", R"({"kind": "agent"})");
    row("langfuse session on otlp", R"({"langfuse.session.id": "lf-s", "langfuse.user.id": "lf-u"})",
        R"({"session_id": "lf-s", "user_id": "lf-u"})");
    row("langsmith thread on otlp", R"({"langsmith.metadata.thread_id": "th-1", "langsmith.trace.session_id": "proj"})",
        R"({"session_id": "th-1"})");
    row("conversation id wins", R"({"langsmith.metadata.session_id": "ls", "gen_ai.conversation.id": "conv-2"})",
        R"({"session_id": "conv-2"})");
    row("genai retrieval", R"({"gen_ai.operation.name": "retrieval", "gen_ai.retrieval.query.text": "refund policy",
        "gen_ai.retrieval.documents": [{"id": "d1", "score": 0.9, "content": "Refunds within 30 days"}]})",
        R"({"kind": "retriever", "input_text_is": "refund policy", "documents": "\"d1\":0.9",
        "output_text": "Refunds within 30 days"})");
    row("genai embeddings", R"({"gen_ai.operation.name": "embeddings", "gen_ai.request.model": "e5"})",
        R"({"kind": "embedding", "model": "e5"})");
    row("genai invoke_workflow", R"({"gen_ai.operation.name": "invoke_workflow"})", R"({"kind": "chain"})");
    row("genai guardrail operation", R"({"gen_ai.operation.name": "apply_guardrail"})", R"({"kind": "guardrail"})");
    row("genai handoff operation", R"({"gen_ai.operation.name": "handoff"})", R"({"kind": "handoff"})");
    row("genai rerank (Vercel v7)", R"({"gen_ai.operation.name": "rerank"})", R"({"kind": "retriever"})");
    row("genai unknown operation kept", R"({"gen_ai.operation.name": "plan"})",
        R"({"kind": "chain", "operation": "plan"})");
    row("genai evaluation event", R"({})", R"({"kind": "evaluator"})", "judge",
        R"([{"name": "gen_ai.evaluation.result", "attributes": {"gen_ai.evaluation.name": "relevance",
        "gen_ai.evaluation.score.value": 0.8}}])");
    row("genai error.type", R"({"gen_ai.operation.name": "chat", "error.type": "timeout"})",
        R"({"status": "error", "status_message": "timeout"})");

    // ----------------------------------------------------------------------------------------- OpenInference
    for (const auto& [kind, expected] : std::initializer_list<std::pair<const char*, const char*>> { { "TOOL", "tool" },
             { "AGENT", "agent" }, { "CHAIN", "chain" }, { "PROMPT", "chain" }, { "RETRIEVER", "retriever" },
             { "RERANKER", "retriever" }, { "EMBEDDING", "embedding" }, { "GUARDRAIL", "guardrail" },
             { "EVALUATOR", "evaluator" }, { "LLM", "llm" }, { "UNKNOWN", "other" } }) {
        QTest::newRow(qPrintable(QStringLiteral("openinference kind %1").arg(QLatin1String(kind))))
            << QByteArray(R"({"openinference.span.kind": ")") + kind + "\"}" << QByteArray("span") << QByteArray("[]")
            << QByteArray(R"({"kind": ")") + expected + "\"}";
    }
    row("openinference llm without its span kind", R"({"llm.model_name": "gpt-4o", "llm.token_count.prompt": 5})",
        R"({"kind": "llm", "model": "gpt-4o", "usage": "5/-/-/-/-"})");
    row("openinference handoff", R"({"openinference.span.kind": "TOOL"})", R"({"kind": "handoff"})",
        "handoff to billing");
    row("openinference tool", R"({"openinference.span.kind": "TOOL", "tool.name": "lookup", "tool.id": "call_9",
        "tool.parameters": "{\"type\": \"object\"}", "input.value": "{\"order_id\": 42}", "output.value": "shipped"})",
        R"({"kind": "tool", "tool_name": "lookup", "tool_call_id": "call_9", "tool_arguments": "{\"order_id\": 42}",
        "tool_result": "shipped", "input_roles": ""})");
    row("openinference chain", R"({"openinference.span.kind": "CHAIN", "input.value": "refund 42",
        "output.value": "refunded", "session.id": "s", "user.id": "u"})",
        R"({"kind": "chain", "operation": "chain", "input_roles": "user", "output_roles": "assistant",
        "input_text_is": "refund 42", "output_text": "refunded", "session_id": "s", "user_id": "u"})");
    row("openinference retriever", R"({"openinference.span.kind": "RETRIEVER", "input.value": "refund policy",
        "retrieval.documents.0.document.id": "d1", "retrieval.documents.0.document.score": 0.92,
        "retrieval.documents.0.document.content": "Refunds within 30 days",
        "retrieval.documents.0.document.metadata": "{\"source\": \"faq\"}",
        "retrieval.documents.1.document.id": 7, "retrieval.documents.1.document.score": 0.5,
        "retrieval.documents.1.document.content": "Shipping takes 2 days"})",
        R"({"kind": "retriever", "input_roles": "user", "output_roles": "tool", "documents": "\"d1\":0.92;7:0.5",
        "output_text": "Refunds within 30 days\nShipping takes 2 days"})");
    row("openinference reranker", R"({"openinference.span.kind": "RERANKER", "reranker.query": "q",
        "reranker.model_name": "rerank-v3", "reranker.output_documents.0.document.id": "a",
        "reranker.output_documents.0.document.score": 1.5})",
        R"({"kind": "retriever", "model": "rerank-v3", "input_text_is": "q", "documents": "\"a\":1.5"})");
    row("openinference llm tokens and cost", R"({"openinference.span.kind": "LLM", "llm.provider": "azure",
        "llm.system": "openai", "llm.model_name": "gpt-4o", "llm.token_count.prompt": 1000,
        "llm.token_count.completion": 300, "llm.token_count.prompt_details.cache_read": 800,
        "llm.token_count.prompt_details.cache_write": 100, "llm.token_count.completion_details.reasoning": 250,
        "llm.cost.total": 0.0123})",
        R"({"kind": "llm", "provider": "azure", "model": "gpt-4o", "usage": "1000/300/800/100/250", "cost": "0.0123"})");
    row("openinference llm.system when no llm.provider", R"({"openinference.span.kind": "LLM",
        "llm.system": "anthropic", "llm.token_count.prompt": 10, "llm.token_count.total": 15})",
        R"({"provider": "anthropic", "usage": "10/5/-/-/-"})");
    row("openinference contents and images", R"({"openinference.span.kind": "LLM",
        "llm.input_messages.0.message.role": "user",
        "llm.input_messages.0.message.contents.0.message_content.type": "text",
        "llm.input_messages.0.message.contents.0.message_content.text": "What is this?",
        "llm.input_messages.0.message.contents.1.message_content.type": "image",
        "llm.input_messages.0.message.contents.1.message_content.image.image.url": "https://example.com/cat.png",
        "llm.output_messages.0.message.role": "assistant", "llm.output_messages.0.message.content": "A cat",
        "llm.output_messages.0.message.contents.0.message_content.type": "reasoning",
        "llm.output_messages.0.message.contents.0.message_content.text": "Looks feline"})",
        R"({"input_parts": "text,uri", "input_text_is": "What is this?", "output_parts": "reasoning"})");
    row("openinference llm request and response bodies", R"({"openinference.span.kind": "LLM",
        "input.value": "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief\"},{\"role\":\"user\",\"content\":\"Hi\"}]}",
        "input.mime_type": "application/json",
        "output.value": "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}"})",
        R"({"input_roles": "system,user", "output_roles": "assistant:tool_calls", "output_calls": "f {}"})");
    row("openinference legacy completions", R"({"openinference.span.kind": "LLM",
        "llm.prompts.0.prompt.text": "Say hi", "llm.choices.0.completion.text": "hi"})",
        R"({"input_roles": "user", "output_roles": "assistant", "input_text_is": "Say hi"})");
    row("openinference embedding", R"({"openinference.span.kind": "EMBEDDING",
        "embedding.model_name": "text-embedding-3-small", "embedding.embeddings.0.embedding.text": "alpha",
        "embedding.embeddings.0.embedding.vector": [0.1, 0.2], "embedding.embeddings.1.embedding.text": "beta"})",
        R"({"kind": "embedding", "model": "text-embedding-3-small", "input_text_is": "alpha\nbeta"})");

    // --------------------------------------------------------------- 2026 names (trace-formats-2026.md 6 and 7)
    row("genai 2026 cache write tokens", R"({"gen_ai.operation.name": "chat", "gen_ai.provider.name": "mistral_ai",
        "gen_ai.usage.input_tokens": 900, "gen_ai.usage.output_tokens": 40, "gen_ai.usage.cache_read.input_tokens": 600,
        "gen_ai.usage.cache_write.input_tokens": 250, "gen_ai.usage.cache_creation.input_tokens": 1})",
        R"({"kind": "llm", "provider": "mistral", "usage": "900/40/600/250/-"})");
    row("genai renamed provider values", R"({"gen_ai.operation.name": "chat", "gen_ai.system": "az.ai.openai"})",
        R"({"provider": "azure.ai.openai"})");
    row("sentry token names", R"({"gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 100,
        "gen_ai.usage.output_tokens": 20, "gen_ai.usage.input_tokens.cached": 60,
        "gen_ai.usage.input_tokens.cache_write": 30, "gen_ai.usage.output_tokens.reasoning": 8})",
        R"({"usage": "100/20/60/30/8"})");
    row("genai conversation turn", R"({"gen_ai.operation.name": "handle_conversation_turn",
        "gen_ai.conversation.id": "conv-9"})",
        R"({"kind": "chain", "operation": "handle_conversation_turn", "session_id": "conv-9"})");
    row("mcp tools/call", R"({"mcp.method.name": "tools/call", "jsonrpc.request.id": 7, "mcp.session.id": "s-1",
        "error.type": "tool_error", "gen_ai.tool.call.arguments": "{\"city\":\"Oslo\"}"})",
        R"({"kind": "tool", "tool_name": "get_weather", "tool_call_id": "7", "status": "error",
        "status_message": "tool returned isError", "session_id": "s-1", "operation": "tools/call",
        "tool_arguments": "{\"city\":\"Oslo\"}"})",
        "tools/call get_weather");
    row("mcp resources/read", R"({"mcp.method.name": "resources/read", "mcp.resource.uri": "file:///notes.md"})",
        R"({"kind": "retriever"})", "resources/read");
    row("mcp list and notifications", R"({"mcp.method.name": "tools/list"})", R"({"kind": "event"})", "tools/list");
}

void TestConventions::fixtureSpan()
{
    QFETCH(QByteArray, attributes);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, events);
    QFETCH(QByteArray, expected);
    json plain = json::parse(attributes.toStdString());
    for (auto& [key, value] : plain.items()) {
        if (value.is_object() || (value.is_array() && std::any_of(value.begin(), value.end(), [](const json& v) {
                return v.is_object();
            })))
            value = value.dump();
    }
    json eventList = json::parse(events.toStdString());
    for (json& event : eventList) {
        for (auto& [key, value] : event["attributes"].items()) {
            if (value.is_object() || value.is_array())
                value = value.dump();
        }
    }
    const json want = json::parse(expected.toStdString());
    const Step s = mapSpan(plain, name.toStdString(), eventList);
    QCOMPARE(describe(s, want), expectedLines(want));
}

void TestConventions::usageCountedOnce_data()
{
    QTest::addColumn<QByteArray>("spans"); // JSON array of {id, parent, name, attributes}
    QTest::addColumn<int>("inputTokens");
    QTest::addColumn<int>("outputTokens");
    QTest::addColumn<int>("llmCalls");
    QTest::addColumn<QString>("outerUsage");
    // By hand: the outer span's usage equals the sum of its do* calls (50 = 20 + 30, 10 = 4 + 6).
    QTest::newRow("vercel outer generateText and two doGenerate calls") << QByteArray(R"([
        {"id": "00000000000000b1", "parent": "", "name": "ai.generateText", "attributes": {"ai.operationId": "ai.generateText",
         "ai.usage.promptTokens": 50, "ai.usage.completionTokens": 10}},
        {"id": "00000000000000b2", "parent": "00000000000000b1", "name": "ai.generateText.doGenerate", "attributes": {
         "ai.operationId": "ai.generateText.doGenerate", "ai.usage.promptTokens": 20, "ai.usage.completionTokens": 4,
         "gen_ai.usage.input_tokens": 20, "gen_ai.usage.output_tokens": 4}},
        {"id": "00000000000000b3", "parent": "00000000000000b1", "name": "ai.toolCall", "attributes": {
         "ai.operationId": "ai.toolCall", "ai.toolCall.name": "weather"}},
        {"id": "00000000000000b4", "parent": "00000000000000b1", "name": "ai.generateText.doGenerate", "attributes": {
         "ai.operationId": "ai.generateText.doGenerate", "ai.usage.inputTokens": 30, "ai.usage.outputTokens": 6}}])")
                                                                        << 50 << 10 << 2 << "-/-/-/-/-";
    QTest::newRow("openinference agent repeating its llm's usage") << QByteArray(R"([
        {"id": "00000000000000c1", "parent": "", "name": "agent", "attributes": {"openinference.span.kind": "AGENT",
         "llm.token_count.prompt": 70, "llm.token_count.completion": 7}},
        {"id": "00000000000000c2", "parent": "00000000000000c1", "name": "llm", "attributes": {
         "openinference.span.kind": "LLM", "llm.token_count.prompt": 70, "llm.token_count.completion": 7}}])")
                                                                   << 70 << 7 << 1 << "70/7/-/-/-";
    QTest::newRow("one span, four conventions") << QByteArray(R"([
        {"id": "00000000000000d1", "parent": "", "name": "chat", "attributes": {"gen_ai.operation.name": "chat",
         "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 20, "llm.token_count.prompt": 100,
         "llm.token_count.completion": 20, "gen_ai.usage.prompt_tokens": 100, "ai.usage.promptTokens": 100,
         "ai.usage.completionTokens": 20}}])") << 100
                                                << 20 << 1 << "100/20/-/-/-";
}

void TestConventions::usageCountedOnce()
{
    QFETCH(QByteArray, spans);
    QFETCH(int, inputTokens);
    QFETCH(int, outputTokens);
    QFETCH(int, llmCalls);
    QFETCH(QString, outerUsage);
    json otlpSpans = json::array();
    for (const json& s : json::parse(spans.toStdString())) {
        otlpSpans.push_back({ { "traceId", "0123456789abcdef0123456789abcdef" }, { "spanId", s["id"] },
            { "parentSpanId", s["parent"] }, { "name", s["name"] }, { "startTimeUnixNano", "1000" },
            { "endTimeUnixNano", "2000" }, { "attributes", keyValues(s["attributes"]) } });
    }
    const json request { { "resourceSpans",
        json::array({ { { "scopeSpans", json::array({ { { "spans", otlpSpans } } }) } } }) } };
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("trace.json"));
    TestUtils::writeFile(file, QByteArray::fromStdString(request.dump()));
    TraceStore store(dir.filePath(QStringLiteral("cache.sqlite")).toStdString());
    TraceWriter writer(store);
    const ImportOutcome outcome = importFile(file.toStdString(), writer);
    QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
    const auto traces = store.traces();
    QCOMPARE(int(traces.size()), 1);
    QCOMPARE(traces[0].tokens.input, inputTokens);
    QCOMPARE(traces[0].tokens.output, outputTokens);
    QCOMPARE(traces[0].llmCalls, llmCalls);
    const auto steps = store.steps(traces[0].traceId);
    const auto outer
        = *std::find_if(steps.begin(), steps.end(), [](const StepRecord& r) { return r.parentId.empty(); });
    QCOMPARE(QStringList({ tokens(outer.tokens.input), tokens(outer.tokens.output), tokens(outer.tokens.cacheRead),
                             QStringLiteral("-"), tokens(outer.tokens.reasoning) })
                 .join(QLatin1Char('/')),
        outerUsage);
}

QTEST_GUILESS_MAIN(TestConventions)
#include "tst_conventions.moc"
