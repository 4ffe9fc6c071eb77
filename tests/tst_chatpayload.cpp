// ChatPayload: the message shapes of each SDK family turned into normalized messages. Expected shapes written by
// hand from each family's documented format (trace-formats.md section 8, normalizing messages).
#include <chatpayload.h>
#include <messages.h>

#include <QObject>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Tracelight;
using nlohmann::json;

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

// "role:part,part role:part" — tool calls with their name, tool responses with their id.
QString shape(const json& messages)
{
    QStringList out;
    if (!messages.is_array())
        return {};
    for (const json& m : messages) {
        QStringList parts;
        for (const json& p : m.value("parts", json::array())) {
            const std::string type = p.value("type", std::string());
            if (type == "tool_call")
                parts << QStringLiteral("tool_call(%1)").arg(qs(p.value("name", std::string())));
            else if (type == "tool_call_response")
                parts << QStringLiteral("tool_call_response(%1)").arg(qs(p.value("id", std::string())));
            else
                parts << qs(type);
        }
        out << qs(m.value("role", std::string("?"))) + QLatin1Char(':') + parts.join(QLatin1Char(','));
    }
    return out.join(QLatin1Char(' '));
}

} // namespace

class TestChatPayload : public QObject
{
    Q_OBJECT
private slots:
    void chatPayloads_data()
    {
        QTest::addColumn<bool>("isOutput");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("expected");
        QTest::newRow("OpenAI chat with a tool round trip")
            << false << QByteArray(R"([{"role":"system","content":"s"},{"role":"user","content":"q"},
            {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
            {"role":"tool","tool_call_id":"c1","content":"r"}])")
            << "system:text user:text assistant:tool_call(f) tool:tool_call_response(c1)";
        QTest::newRow("Anthropic content blocks")
            << false << QByteArray(R"([{"role":"user","content":[{"type":"text","text":"q"}]},
            {"role":"assistant","content":[{"type":"thinking","thinking":"t"},{"type":"tool_use","id":"tu1","name":"f","input":{"a":1}}]},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"tu1","content":"r"}]}])")
            << "user:text assistant:reasoning,tool_call(f) user:tool_call_response(tu1)";
        QTest::newRow("Gemini contents") << false << QByteArray(R"({"contents":[{"role":"user","parts":[{"text":"q"}]},
            {"role":"model","parts":[{"function_call":{"name":"f","args":{}}}]},
            {"role":"user","parts":[{"function_response":{"name":"f","response":{"x":1}}}]}],"config":{"system_instruction":"be nice"}})")
                                         << "user:text assistant:tool_call(f) user:tool_call_response(f)";
        QTest::newRow("OpenAI Responses input items")
            << false << QByteArray(R"([{"role":"user","content":"q"},
            {"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":"r"},
            {"type":"reasoning","summary":[{"type":"summary_text","text":"why"}]}])")
            << "user:text assistant:tool_call(f) tool:tool_call_response(c) assistant:reasoning";
        QTest::newRow("LangChain message dicts") << false << QByteArray(R"([{"type":"human","content":"q"},
            {"type":"ai","content":"","additional_kwargs":{"tool_calls":[{"id":"c","function":{"name":"f","arguments":"{}"}}]}},
            {"type":"tool","content":"r","tool_call_id":"c"}])")
                                                 << "user:text assistant:tool_call(f) tool:tool_call_response(c)";
        QTest::newRow("Vercel prompt") << false << QByteArray(R"({"system":"s","prompt":"q"})") << "user:text";
        QTest::newRow("Vercel content parts")
            << false
            << QByteArray(
                   R"([{"role":"assistant","content":[{"type":"tool-call","toolCallId":"c","toolName":"f","input":{}}]},
            {"role":"tool","content":[{"type":"tool-result","toolCallId":"c","toolName":"f","output":{"type":"json","value":1}}]}])")
            << "assistant:tool_call(f) tool:tool_call_response(c)";
        QTest::newRow("Vercel tool call list")
            << true << QByteArray(R"([{"toolCallId":"c","toolName":"f","input":"{}"}])") << "assistant:tool_call(f)";
        QTest::newRow("role transcript") << false << QByteArray(R"("system: s\nuser: q\nsecond line\nassistant: a")")
                                         << "system:text user:text assistant:text";
        QTest::newRow("Chat Completions response")
            << true
            << QByteArray(R"({"choices":[{"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}]})")
            << "assistant:text";
        QTest::newRow("Responses response")
            << true << QByteArray(R"({"object":"response","output":[{"type":"message","role":"assistant",
            "content":[{"type":"output_text","text":"a"}]}]})")
            << "assistant:text";
        QTest::newRow("LangChain LLMResult")
            << true << QByteArray(R"({"generations":[[{"text":"a","generation_info":{"finish_reason":"stop"}}]]})")
            << "assistant:text";
        QTest::newRow("Gemini candidates")
            << true
            << QByteArray(
                   R"({"candidates":[{"content":{"role":"model","parts":[{"text":"a"}]},"finish_reason":"STOP"}]})")
            << "assistant:text";
        QTest::newRow("Anthropic message")
            << true
            << QByteArray(
                   R"({"type":"message","role":"assistant","content":[{"type":"text","text":"a"}],"stop_reason":"end_turn"})")
            << "assistant:text";
        QTest::newRow("not a conversation") << false << QByteArray(R"({"query":"x","k":3})") << "";
    }

    void chatPayloads()
    {
        QFETCH(bool, isOutput);
        QFETCH(QByteArray, payload);
        QFETCH(QString, expected);
        const json value = json::parse(payload.toStdString());
        const json messages = isOutput ? ChatPayload::output(value) : ChatPayload::input(value);
        QCOMPARE(shape(messages), expected);
    }

    // One recognizer for every content block, whichever path (GenAI attributes, chat payloads, coding-agent logs)
    // meets it: each block of each family gives the GenAI part its documentation implies.
    void contentBlocks_data()
    {
        QTest::addColumn<QByteArray>("block");
        QTest::addColumn<QByteArray>("part");
        QTest::newRow("OpenAI text") << QByteArray(R"({"type":"text","text":"hi"})")
                                     << QByteArray(R"({"type":"text","content":"hi"})");
        QTest::newRow("Responses summary_text")
            << QByteArray(R"({"type":"summary_text","text":"s"})") << QByteArray(R"({"type":"text","content":"s"})");
        QTest::newRow("refusal") << QByteArray(R"({"type":"refusal","refusal":"no"})")
                                 << QByteArray(R"({"type":"text","content":"no"})");
        // Arguments as JSON text, the way the Responses API sends them, are parsed.
        QTest::newRow("Responses function_call")
            << QByteArray("{\"type\":\"function_call\",\"id\":\"fc_1\","
                          "\"call_id\":\"call_1\",\"name\":\"f\","
                          "\"arguments\":\"{\\\"a\\\":1}\"}")
            << QByteArray(R"({"type":"tool_call","id":"call_1","name":"f","arguments":{"a":1}})");
        QTest::newRow("Responses function_call_output")
            << QByteArray(R"({"type":"function_call_output","call_id":"call_1","output":"ok"})")
            << QByteArray(R"({"type":"tool_call_response","id":"call_1","response":"ok"})");
        QTest::newRow("Anthropic thinking") << QByteArray(R"({"type":"thinking","thinking":"hm","signature":"x"})")
                                            << QByteArray(R"({"type":"reasoning","content":"hm"})");
        QTest::newRow("Anthropic server_tool_use")
            << QByteArray(R"({"type":"server_tool_use","id":"srv_1","name":"web_search","input":{"query":"q"}})")
            << QByteArray(R"({"type":"tool_call","id":"srv_1","name":"web_search","arguments":{"query":"q"}})");
        QTest::newRow("Anthropic web_search_tool_result")
            << QByteArray(R"({"type":"web_search_tool_result","tool_use_id":"srv_1","content":[]})")
            << QByteArray(R"({"type":"tool_call_response","id":"srv_1","response":[]})");
        QTest::newRow("Anthropic image")
            << QByteArray(R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0"}})")
            << QByteArray(R"({"type":"blob","modality":"image","mime_type":"image/png","content":"iVBORw0"})");
        QTest::newRow("Vercel tool-result")
            << QByteArray(R"({"type":"tool-result","toolCallId":"t1","toolName":"f","output":{"v":2}})")
            << QByteArray(R"({"type":"tool_call_response","id":"t1","response":{"v":2}})");
        QTest::newRow("Gemini functionCall") << QByteArray(R"({"functionCall":{"name":"f","args":{"x":1}}})")
                                             << QByteArray(R"({"type":"tool_call","name":"f","arguments":{"x":1}})");
        QTest::newRow("Gemini thought") << QByteArray(R"({"text":"plan","thought":true})")
                                        << QByteArray(R"({"type":"reasoning","content":"plan"})");
        QTest::newRow("Gemini inlineData")
            << QByteArray(R"({"inlineData":{"mimeType":"audio/wav","data":"UklGR"}})")
            << QByteArray(R"({"type":"blob","modality":"audio","mime_type":"audio/wav","content":"UklGR"})");
        // (Built with ordinary literals: moc reads "//" inside a raw string as a comment.)
        const QByteArray uri = QByteArray("{\"type\":\"uri\",\"modality\":\"image\",\"uri\":\"https:/") + "/x/y.png\"}";
        QTest::newRow("GenAI part kept") << uri << uri;
    }

    void contentBlocks()
    {
        QFETCH(QByteArray, block);
        QFETCH(QByteArray, part);
        const json expected = json::parse(part.constData());
        const json got = Messages::part(json::parse(block.constData()));
        QCOMPARE(qs(got.dump()), qs(expected.dump()));
        // The same block inside an OTLP GenAI message and inside a chat payload gives the same part.
        const json message = json::parse(R"({"role":"assistant","content":[)" + block.toStdString() + "]}");
        QCOMPARE(qs(Messages::normalizeMessage(message)["parts"][0].dump()), qs(expected.dump()));
        const json payload = ChatPayload::input(json::array({ message }));
        QCOMPARE(qs(payload[0]["parts"][0].dump()), qs(expected.dump()));
    }

    void instructionsAndToolOutput()
    {
        const json gemini = json::parse(R"({"contents":[],"config":{"system_instruction":"be nice"}})");
        QCOMPARE(shape(ChatPayload::instructions(gemini)), QStringLiteral("system:text"));
        QVERIFY(ChatPayload::instructions(json::parse(R"({"messages":[]})")).is_null());
        std::string callId;
        const json toolMessage
            = json::parse(R"({"lc":1,"type":"constructor","id":["langchain_core","messages","ToolMessage"],
            "kwargs":{"content":"sunny","tool_call_id":"call_1","name":"get_weather"}})");
        QCOMPARE(qs(ChatPayload::toolOutput(toolMessage, callId).get<std::string>()), QStringLiteral("sunny"));
        QCOMPARE(qs(callId), QStringLiteral("call_1"));
        const json plain = json::parse(R"({"temperature":21})");
        QVERIFY(ChatPayload::toolOutput(plain, callId) == plain);
        QCOMPARE(qs(ChatPayload::decodeJsonString(json("\"quoted\"")).get<std::string>()), QStringLiteral("quoted"));
        QVERIFY(ChatPayload::decodeJsonString(json("{not json")) == json("{not json"));
    }
};

QTEST_GUILESS_MAIN(TestChatPayload)
#include "tst_chatpayload.moc"
