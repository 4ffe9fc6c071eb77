// Phoenix span JSON Lines: a generated tree of spans in the three shapes Phoenix writes (nested attributes, flat
// dotted keys, the dataframe's "context.span_id" / "attributes.<key>" columns), bad rows, and ISO 8601 times.
// Expected values are written by hand from the fixtures below.

#include "testutils.h"

#include <fileimport.h>
#include <importer.h>
#include <isotime.h>
#include <tracesnapshot.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <map>

using namespace Tracelight;
using nlohmann::json;

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

const QByteArray traceA = "5A0B1C2D3E4F56789A0B1C2D3E4F5678"; // uppercase on purpose: ids are lowercased
const QByteArray traceAlower = "5a0b1c2d3e4f56789a0b1c2d3e4f5678";

// A tree of five spans in one trace, and an older-Phoenix trace of two spans with UUID ids.
QByteArray treeFixture()
{
    return QByteArray(R"({"name": "support-agent", "context": {"trace_id": ")") + traceA
        + R"(", "span_id": "00000000000000A1"}, "span_kind": "AGENT", "parent_id": null, "start_time": "2025-06-01T12:00:00.000000+00:00", "end_time": "2025-06-01T12:00:10.000000+00:00", "status_code": "OK", "status_message": "", "attributes": {"openinference": {"span": {"kind": "AGENT"}}, "agent": {"name": "support"}, "session": {"id": "sess-1"}, "user": {"id": "user-1"}, "input": {"value": "Refund order 42", "mime_type": "text/plain"}, "output": {"value": "Refunded."}, "metadata": {"tier": "gold"}}, "events": [], "conversation": null}
{"name": "ChatCompletion", "context": {"trace_id": ")"
        + traceA
        + R"(", "span_id": "00000000000000a2"}, "span_kind": "LLM", "parent_id": "00000000000000a1", "start_time": "2025-06-01T12:00:01+00:00", "end_time": "2025-06-01T12:00:03+00:00", "status_code": "OK", "status_message": "", "attributes": {"openinference": {"span": {"kind": "LLM"}}, "llm": {"model_name": "gpt-4o-mini", "provider": "openai", "token_count": {"prompt": 1200, "completion": 80, "total": 1280, "prompt_details": {"cache_read": 1024}}, "input_messages": [{"message": {"role": "system", "content": "You are a support agent."}}, {"message": {"role": "user", "content": "Refund order 42"}}], "output_messages": [{"message": {"role": "assistant", "tool_calls": [{"tool_call": {"id": "call_1", "function": {"name": "issue_refund", "arguments": "{\"order\": 42}"}}}]}}], "invocation_parameters": {"temperature": 0}}}, "events": [], "conversation": null}
{"name": "issue_refund", "context": {"trace_id": ")"
        + traceA
        + R"(", "span_id": "00000000000000a3"}, "span_kind": "TOOL", "parent_id": "00000000000000a1", "start_time": "2025-06-01T12:00:03.5Z", "end_time": "2025-06-01T12:00:04.25Z", "status_code": "ERROR", "status_message": "", "attributes": {"openinference.span.kind": "TOOL", "tool.name": "issue_refund", "tool.id": "call_1", "input.value": "{\"order\": 42}", "output.value": "card declined"}, "events": [{"name": "exception", "timestamp": "2025-06-01T12:00:04Z", "attributes": {"exception.type": "PaymentError", "exception.message": "card declined"}}], "conversation": null}

{"name": "faq-lookup", "span_kind": "RETRIEVER", "context.trace_id": ")"
        + traceA
        + R"(", "context.span_id": "00000000000000a4", "parent_id": "00000000000000a1", "start_time": "2025-06-01 12:00:05.000", "end_time": "2025-06-01 12:00:05.500", "status_code": "UNSET", "status_message": "", "attributes.input.value": "refund policy", "attributes.retrieval.documents": [{"document.id": "faq-7", "document.score": 0.8, "document.content": "Refunds take 5 days"}], "attributes.openinference.span.kind": "RETRIEVER"}
{"name": "ChatCompletion", "context": {"trace_id": ")"
        + traceA
        + R"(", "span_id": "00000000000000a5"}, "span_kind": "LLM", "parent_id": "00000000000000a1", "start_time": "2025-06-01T12:00:06Z", "end_time": null, "status_code": "ERROR", "status_message": "rate limited", "attributes": {"llm": {"model_name": "gpt-4o-mini", "token_count": {"prompt": 300, "completion": 20}}}, "events": [], "conversation": null}
{"name": "query", "context": {"trace_id": "6F9619FF-8B86-D011-B42D-00C04FC964FF", "span_id": "0E984725-C51C-4BF4-9960-E1C80E27ABA0"}, "span_kind": "CHAIN", "parent_id": null, "start_time": "2023-11-02T09:30:00.123456", "end_time": "2023-11-02T09:30:01.123456", "status_code": "OK", "status_message": "", "attributes": {"input.value": "hello"}, "events": "[]", "conversation": {"conversation_id": "conv-9"}}
{"name": "llm", "context": {"trace_id": "6f9619ff-8b86-d011-b42d-00c04fc964ff", "span_id": "1a2b3c4d-0000-4000-8000-000000000001"}, "span_kind": "LLM", "parent_id": "0e984725-c51c-4bf4-9960-e1c80e27aba0", "start_time": "2023-11-02T09:30:00.2Z", "end_time": "2023-11-02T09:30:00.9Z", "status_code": "OK", "status_message": "", "attributes": {"llm.token_count.prompt": 10, "llm.token_count.completion": 5}, "events": [], "conversation": null}
)";
}

// A minimal valid span line.
QByteArray good(const char* spanId, const char* parent = nullptr, const char* extra = "")
{
    return QByteArray(R"({"name": "s-)") + spanId
        + R"(", "context": {"trace_id": "0123456789abcdef0123456789abcdef", "span_id": ")" + spanId
        + R"("}, "span_kind": "CHAIN", "parent_id": )"
        + (parent ? QByteArray("\"") + parent + "\"" : QByteArray("null"))
        + R"(, "start_time": "2025-01-01T00:00:01Z", "end_time": "2025-01-01T00:00:02Z", "status_code": "OK", "attributes": {"input.value": "x"})"
        + extra + "}";
}

struct Imported
{
    ImportOutcome outcome;
    QString file;
    QString warnings;
};

Imported importInto(const QByteArray& content, QTemporaryDir& dir, TraceStore& store, bool forced = false)
{
    Imported result;
    result.file = dir.filePath(QStringLiteral("spans.jsonl"));
    TestUtils::writeFile(result.file, content);
    TraceWriter writer(store);
    ImportContext context;
    if (forced)
        context.forcedFormat = "phoenix-jsonl";
    result.outcome = importFile(result.file.toStdString(), writer, context);
    QStringList texts;
    for (const ImportIssue& issue : result.outcome.warnings)
        texts << qs(issue.toString());
    result.warnings = texts.join(QLatin1Char('\n'));
    return result;
}

} // namespace

class TestPhoenixImport : public QObject
{
    Q_OBJECT
private slots:
    void isoTime_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ns"); // -1: rejected
        // Seconds by `date -u -d TEXT +%s`.
        QTest::newRow("Z") << "2025-01-01T12:00:00Z" << Q_INT64_C(1735732800000000000);
        QTest::newRow("no zone is UTC") << "2025-01-01T12:00:00" << Q_INT64_C(1735732800000000000);
        QTest::newRow("space, millis") << "2025-01-01 12:00:00.250" << Q_INT64_C(1735732800250000000);
        QTest::newRow("micros, +00:00") << "2025-01-01T12:00:00.000001+00:00" << Q_INT64_C(1735732800000001000);
        QTest::newRow("nanos") << "2025-01-01T12:00:00.123456789Z" << Q_INT64_C(1735732800123456789);
        QTest::newRow("more than nanos are cut") << "2025-01-01T12:00:00.1234567891Z" << Q_INT64_C(1735732800123456789);
        QTest::newRow("+02:00") << "2025-06-01T12:00:00+02:00" << Q_INT64_C(1748772000000000000);
        QTest::newRow("-0530") << "2025-06-01T12:00:00-0530" << Q_INT64_C(1748799000000000000);
        QTest::newRow("leap day") << "2024-02-29T23:59:59Z" << Q_INT64_C(1709251199000000000);
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << Q_INT64_C(0);
        QTest::newRow("before the epoch") << "1969-12-31T23:59:59Z" << Q_INT64_C(-1000000000);
        QTest::newRow("no leap day in 2023") << "2023-02-29T00:00:00Z" << Q_INT64_C(-1);
        QTest::newRow("month 13") << "2025-13-01T00:00:00Z" << Q_INT64_C(-1);
        QTest::newRow("hour 24") << "2025-01-01T24:00:00Z" << Q_INT64_C(-1);
        QTest::newRow("date only") << "2025-01-01" << Q_INT64_C(-1);
        QTest::newRow("trailing text") << "2025-01-01T00:00:00Zjunk" << Q_INT64_C(-1);
        QTest::newRow("empty") << "" << Q_INT64_C(-1);
    }

    void isoTime()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ns);
        const auto parsed = parseIsoTimeNs(text.toStdString());
        QCOMPARE(parsed.value_or(-1), ns);
    }

    void probe()
    {
        Importer* phoenix = importerByName("phoenix-jsonl");
        QVERIFY(phoenix);
        QCOMPARE(phoenix->probe(treeFixture().toStdString()), 80);
        QFile sample(TestUtils::samplePath());
        QVERIFY(sample.open(QIODevice::ReadOnly));
        QCOMPARE(phoenix->probe(sample.readAll().toStdString()), 0); // OTLP JSON is not Phoenix
        QCOMPARE(phoenix->probe("{\"name\": \"x\", \"span_kind\": \"LLM\"}"), 0); // no context: not enough
    }

    void tree()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("cache.sqlite")).toStdString());
        const Imported imported = importInto(treeFixture(), dir, store);
        QVERIFY2(imported.outcome.ok(), imported.outcome.error.toString().c_str());
        QCOMPARE(qs(imported.outcome.format), QStringLiteral("phoenix-jsonl")); // detected by content
        QVERIFY2(imported.outcome.warnings.empty(), qPrintable(imported.warnings));
        QCOMPARE(imported.outcome.spans, 7);
        QCOMPARE(imported.outcome.traces, 2);

        std::map<std::string, TraceSummary> traces;
        for (const TraceSummary& t : store.traces())
            traces[t.traceId] = t;
        QCOMPARE(int(traces.size()), 2);
        const TraceSummary& a = traces.at(traceAlower.toStdString());
        QCOMPARE(a.spans, 5);
        QCOMPARE(a.llmCalls, 2);
        QCOMPARE(a.toolCalls, 1);
        QCOMPARE(a.tokens.input, 1200 + 300);
        QCOMPARE(a.tokens.output, 80 + 20);
        QCOMPARE(a.tokens.cacheRead, 1024);
        QCOMPARE(a.errors, 2);
        QCOMPARE(a.startNs, Q_INT64_C(1748779200000000000)); // 2025-06-01T12:00:00Z
        QCOMPARE(qs(a.sessionId), QStringLiteral("sess-1"));
        QCOMPARE(qs(a.userId), QStringLiteral("user-1"));
        QCOMPARE(qs(a.agent), QStringLiteral("support"));

        const auto steps = store.steps(a.traceId);
        const auto snapshot = TraceSnapshot::build(a, steps);
        QCOMPARE(snapshot->roots().size(), std::size_t(1));
        QStringList tree;
        for (int i : snapshot->causalOrder()) {
            const StepRecord& s = snapshot->step(i);
            tree << QString(snapshot->depth(i) * 2, QLatin1Char(' ')) + qs(s.spanId) + QLatin1Char(' ')
                    + qs(std::string(stepKindName(s.kind))) + QLatin1Char(' ')
                    + qs(std::string(stepStatusName(s.status))) + QLatin1Char(' ')
                    + QString::number(s.endNs ? (s.endNs - s.startNs) / 1000000 : -1);
        }
        QCOMPARE(tree,
            QStringList({ QStringLiteral("00000000000000a1 agent ok 10000"),
                QStringLiteral("  00000000000000a2 llm ok 2000"), QStringLiteral("  00000000000000a3 tool error 750"),
                QStringLiteral("  00000000000000a4 retriever unset 500"),
                QStringLiteral("  00000000000000a5 llm error -1") }));

        const auto detail = [&](const char* span) { return *store.stepDetail(a.traceId, span); };
        const StepDetail llm = detail("00000000000000a2");
        QCOMPARE(qs(llm.record.model), QStringLiteral("gpt-4o-mini"));
        QCOMPARE(qs(llm.record.provider), QStringLiteral("openai"));
        const json input = json::parse(llm.step.inputMessages);
        QCOMPARE(int(input.size()), 2);
        QCOMPARE(qs(input[0]["role"].get<std::string>()), QStringLiteral("system"));
        const json call = json::parse(llm.step.outputMessages)[0]["parts"][0];
        QCOMPARE(qs(call["name"].get<std::string>()), QStringLiteral("issue_refund"));
        QCOMPARE(qs(call["arguments"].dump()), QStringLiteral("{\"order\":42}"));
        // Nested attributes are stored flat, in OTLP form; JSON-string attributes stay one value.
        const json attributes = json::parse(llm.step.attributesJson);
        std::map<std::string, json> byKey;
        for (const json& kv : attributes)
            byKey[kv["key"].get<std::string>()] = kv["value"];
        QCOMPARE(qs(byKey.at("llm.input_messages.1.message.content").dump()),
            QStringLiteral("{\"stringValue\":\"Refund order 42\"}"));
        QCOMPARE(qs(byKey.at("llm.token_count.prompt").dump()), QStringLiteral("{\"intValue\":\"1200\"}"));
        QCOMPARE(qs(byKey.at("llm.invocation_parameters").dump()),
            QStringLiteral("{\"stringValue\":\"{\\\"temperature\\\":0}\"}"));

        const StepDetail tool = detail("00000000000000a3");
        QCOMPARE(qs(tool.record.statusMessage), QStringLiteral("PaymentError: card declined"));
        QCOMPARE(qs(tool.step.toolCallId), QStringLiteral("call_1"));
        QCOMPARE(qs(tool.step.toolArguments), QStringLiteral("{\"order\": 42}"));
        QCOMPARE(qs(json::parse(tool.step.eventsJson)[0]["timeUnixNano"].get<std::string>()),
            QStringLiteral("1748779204000000000")); // 2025-06-01T12:00:04Z

        const StepDetail retriever = detail("00000000000000a4");
        const json documents = json::parse(retriever.step.outputMessages)[0]["parts"];
        QCOMPARE(qs(documents[0]["id"].get<std::string>()), QStringLiteral("faq-7"));
        QCOMPARE(qs(documents[0]["content"].get<std::string>()), QStringLiteral("Refunds take 5 days"));
        QCOMPARE(qs(detail("00000000000000a5").record.statusMessage), QStringLiteral("rate limited"));

        // Older Phoenix: UUID ids (kept as UUIDs, lowercased), no zone on the time, conversation as the session.
        const TraceSummary& b = traces.at("6f9619ff-8b86-d011-b42d-00c04fc964ff");
        QCOMPARE(b.spans, 2);
        QCOMPARE(qs(b.sessionId), QStringLiteral("conv-9"));
        QCOMPARE(b.tokens.input, 10);
        const auto bSteps = store.steps(b.traceId);
        const auto bSnapshot = TraceSnapshot::build(b, bSteps);
        QCOMPARE(bSnapshot->roots().size(), std::size_t(1));
        QCOMPARE(
            qs(bSnapshot->step(bSnapshot->roots()[0]).spanId), QStringLiteral("0e984725-c51c-4bf4-9960-e1c80e27aba0"));
        QCOMPARE(b.startNs, Q_INT64_C(1698917400123456000)); // date -u -d 2023-11-02T09:30:00Z +%s → 1698917400
    }

    // A row that stops the file: the error names the file and the line, and the cache is left as it was.
    void badInput_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("forced");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");
        const QByteArray one = good("0000000000000001") + '\n';
        const QByteArray two = good("0000000000000002");
        const QString byteOfLine2 = QStringLiteral("line 2 (byte %1)").arg(one.size());
        QTest::newRow("truncated line in the middle")
            << one + two.left(two.size() / 2) + '\n' + good("0000000000000003") << false << "line 2, column"
            << "the line ends in the middle of its JSON (truncated?)";
        QByteArray many; // more than one batch of steps has reached the sink before the bad line
        for (int i = 1; i <= 2500; ++i)
            many += good(QByteArray::number(i, 16).rightJustified(16, '0').constData()) + '\n';
        QTest::newRow("truncated after 2500 good spans")
            << many + two.left(two.size() / 3) << false << "line 2501, column"
            << "the file ends in the middle of a span (truncated?)";
        QTest::newRow("truncated last line") << one + two.left(two.size() - 1) << false << "line 2, column"
                                             << "the file ends in the middle of a span (truncated?)";
        QTest::newRow("a line that is an array")
            << one + "[1, 2]\n"
            << false << byteOfLine2 << "expected one span object per line, found an array";
        QTest::newRow("a line that is a string")
            << one + "\"span\"\n"
            << false << byteOfLine2 << "expected one span object per line, found a string";
        QTest::newRow("a line that is not JSON") << one + "hello\n"
                                                 << false << "line 2, column"
                                                 << "syntax error";
        QTest::newRow("only blank lines, format forced") << QByteArray("\n  \n\r\n") << true << ""
                                                         << "the file is empty";
        QTest::newRow("no span has ids") << QByteArray(
            R"({"name": "x", "context": {}, "span_kind": "LLM", "start_time": "2025-01-01T00:00:00Z"})")
                                         << false << ""
                                         << "no span in the file could be read";
    }

    void badInput()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, forced);
        QFETCH(QString, where);
        QFETCH(QString, message);
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("cache.sqlite")).toStdString());
        const Imported imported = importInto(content, dir, store, forced);
        QCOMPARE(imported.outcome.status, ImportOutcome::Status::Failed);
        const QString text = qs(imported.outcome.error.toString());
        QVERIFY2(text.startsWith(imported.file), qPrintable(text));
        QVERIFY2(qs(imported.outcome.error.where).startsWith(where), qPrintable(text));
        QVERIFY2(qs(imported.outcome.error.message).contains(message), qPrintable(text));
        QVERIFY(store.traces().empty()); // nothing half-imported: the good lines before went back too
        QVERIFY(store.sources().empty());
    }

    // A row that still allows the import: a warning names the file and the line, the bad span is either
    // skipped whole or imported whole.
    void warnings_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("spans");
        QTest::addColumn<QString>("warning");
        const QByteArray one = good("0000000000000001") + '\n';
        const QString line2 = QStringLiteral(": line 2 (byte %1): ").arg(one.size());
        const auto at = [&](const char* text) { return QString(line2 + QString::fromUtf8(text)); };
        QTest::newRow("missing trace id")
            << one
                + R"({"name": "lost", "context": {"span_id": "0000000000000002"}, "start_time": "2025-01-01T00:00:01Z"})"
            << 1 << at("missing or invalid context.trace_id (span \"lost\"); the span was skipped");
        QTest::newRow("span id of the wrong type") << one
                + R"({"context": {"trace_id": "0123456789abcdef0123456789abcdef", "span_id": 12}, "start_time": "2025-01-01T00:00:01Z"})"
                                                   << 1 << at("missing or invalid context.span_id");
        QTest::newRow("context of the wrong type") << one + R"({"context": 7, "start_time": "2025-01-01T00:00:01Z"})"
                                                   << 1 << at("missing or invalid context.trace_id");
        QTest::newRow("start_time of the wrong type")
            << one + good("0000000000000002").replace("\"2025-01-01T00:00:01Z\"", "true") << 1
            << at("span 0000000000000002: missing or invalid start_time true; the span was skipped");
        QTest::newRow("end_time that is not a time")
            << one + good("0000000000000002").replace("\"2025-01-01T00:00:02Z\"", "\"yesterday\"") << 2
            << at("span 0000000000000002: invalid end_time");
        QTest::newRow("attributes of the wrong type")
            << one + good("0000000000000002").replace(R"({"input.value": "x"})", "42") << 2
            << at("span 0000000000000002: \"attributes\" must be an object; ignored");
        QTest::newRow("events of the wrong type") << one + good("0000000000000002", nullptr, R"(, "events": 5)") << 2
                                                  << at("span 0000000000000002: \"events\" must be an array");
        // Repairs are named at the first repaired byte of their line.
        const auto repairedAt = [](const QByteArray& content, const QByteArray& first, const char* text) -> QString {
            return QStringLiteral(": line 2 (byte %1): ").arg(content.indexOf(first)) + QString::fromUtf8(text);
        };
        const QByteArray latin1 = one + good("0000000000000002").replace("\"x\"", "\"caf\xE9 \xFF\"");
        QTest::newRow("invalid UTF-8") << latin1 << 2 << repairedAt(latin1, "\xE9", "2 invalid UTF-8 sequence(s)");
        const QByteArray lone = one + good("0000000000000002").replace("\"x\"", R"("a\ud800b")");
        QTest::newRow("lone surrogate escape")
            << lone << 2 << repairedAt(lone, "\\ud800", "1 invalid UTF-8 sequence(s) or lone surrogate");
        QTest::newRow("duplicate span id")
            << one + good("0000000000000001") << 2 << at("duplicate span id 0000000000000001");
        QTest::newRow("own parent") << one + good("0000000000000002", "0000000000000002") << 2
                                    << at("span 0000000000000002 is its own parent; shown as a root");
        QTest::newRow("cyclic parents") << good("0000000000000001", "0000000000000002") + '\n'
                + good("0000000000000002", "0000000000000001")
                                        << 2 << QStringLiteral("cyclic parent links");
        QTest::newRow("ends before it starts")
            << one + good("0000000000000002").replace("\"2025-01-01T00:00:02Z\"", "\"2024-01-01T00:00:00Z\"") << 2
            << at("span 0000000000000002 ends before it starts");
    }

    void warnings()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, spans);
        QFETCH(QString, warning);
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("cache.sqlite")).toStdString());
        const Imported imported = importInto(content, dir, store);
        QVERIFY2(imported.outcome.ok(), imported.outcome.error.toString().c_str());
        QCOMPARE(imported.outcome.spans, spans);
        QVERIFY2(imported.warnings.contains(warning), qPrintable(imported.warnings));
        QVERIFY(imported.warnings.startsWith(imported.file));
        const TraceSummary t = store.traces().front();
        const auto snapshot = TraceSnapshot::build(t, store.steps(t.traceId));
        QCOMPARE(int(snapshot->causalOrder().size()), snapshot->size());
        // Whatever was repaired is valid UTF-8 in the cache.
        for (const StepRecord& r : store.steps(t.traceId)) {
            const StepDetail d = *store.stepDetail(t.traceId, r.spanId);
            QVERIFY(json::accept(d.step.attributesJson));
            if (warning.contains(QLatin1String("UTF-8")) && r.spanId == "0000000000000002")
                QVERIFY2(qs(d.step.attributesJson).contains(QChar(0xFFFD)), d.step.attributesJson.c_str());
        }
    }

    void hugeAttribute()
    {
        // One span whose input is 20 MB, between two ordinary ones.
        const std::string big(20 * 1000 * 1000, 'x');
        QByteArray content = good("0000000000000001") + '\n';
        const QByteArray quoted = '"' + QByteArray::fromStdString(big) + '"';
        content += good("0000000000000002", "0000000000000001").replace("\"x\"", quoted);
        content += '\n' + good("0000000000000003", "0000000000000001") + '\n';
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("cache.sqlite")).toStdString());
        QElapsedTimer timer;
        timer.start();
        const Imported imported = importInto(content, dir, store);
        QVERIFY2(imported.outcome.ok(), imported.outcome.error.toString().c_str());
        QCOMPARE(imported.outcome.spans, 3);
        const StepDetail d = *store.stepDetail("0123456789abcdef0123456789abcdef", "0000000000000002");
        QVERIFY(d.step.attributesJson.size() > big.size()); // kept whole
        QVERIFY(d.step.inputMessages.size() > big.size());
        qInfo("a 20 MB attribute imported in %lld ms", static_cast<long long>(timer.elapsed()));
    }
};

QTEST_GUILESS_MAIN(TestPhoenixImport)
#include "tst_phoeniximport.moc"
