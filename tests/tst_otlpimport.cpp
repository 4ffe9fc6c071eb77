#include "testutils.h"

#include <attributeview.h>
#include <chunkreader.h>
#include <conventions.h>
#include <fileimport.h>
#include <tracesnapshot.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QCryptographicHash>
#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Tracelight;

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QByteArray request(const QByteArray& spans, const QByteArray& resource = "{}")
{
    return R"({"resourceSpans":[{"resource":)" + resource + R"(,"scopeSpans":[{"scope":{},"spans":[)" + spans
        + "]}]}]}";
}

QByteArray span(const char* trace, const char* id, const char* parent = "", const char* extra = "")
{
    return QByteArray(R"({"traceId":")") + trace + R"(","spanId":")" + id + R"(","parentSpanId":")" + parent
        + R"(","name":"s-)" + id + R"(","startTimeUnixNano":"1000","endTimeUnixNano":"2000")" + extra + "}";
}

const char* T1 = "0123456789abcdef0123456789abcdef";

// Writes content to file and imports it into store.
ImportOutcome importBytes(const QByteArray& content, const QString& file, TraceStore& store)
{
    TestUtils::writeFile(file, content);
    TraceWriter writer(store);
    return importFile(file.toStdString(), writer);
}

} // namespace

class TestOtlpImport : public QObject
{
    Q_OBJECT
private slots:
    void corpusFile_data()
    {
        QTest::addColumn<QString>("file");
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");
        for (const QString& folder : { QStringLiteral("otlp-json"), QStringLiteral("otlp-collector-file") }) {
            const QDir dir(TestUtils::corpusDir() + QLatin1Char('/') + folder);
            for (const QString& name : dir.entryList(QDir::Files))
                QTest::newRow(qPrintable(name)) << dir.filePath(name);
        }
        QTest::newRow("bundled sample") << TestUtils::samplePath();
    }

    void corpusFile()
    {
        QFETCH(QString, file);
        const TestUtils::OtlpCounts expected = TestUtils::countOtlp(file);
        QVERIFY(expected.spans > 0);
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(file.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(qs(outcome.format), QStringLiteral("otlp-json"));
        QCOMPARE(outcome.spans, expected.spans);
        QCOMPARE(outcome.newSpans, expected.uniqueSpans);
        std::int64_t spans = 0;
        std::int64_t errors = 0;
        const auto traces = store.traces();
        for (const TraceSummary& t : traces) {
            spans += t.spans;
            errors += t.errors;
            // Every trace opens as a tree that covers all of its steps.
            const auto snapshot = TraceSnapshot::build(t, store.steps(t.traceId));
            QCOMPARE(snapshot->causalOrder().size(), std::size_t(t.spans));
        }
        QCOMPARE(int(traces.size()), expected.traces);
        QCOMPARE(spans, expected.uniqueSpans);
        QVERIFY(errors >= expected.errors);
        QCOMPARE(outcome.sha256.size(), std::size_t(64));
    }

    void mixedSignalsFile()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        // 97 lines: 41 of traces, the rest metrics and logs, which are skipped without a warning.
        TestUtils::MemorySink sink;
        const ImportOutcome outcome = importFile(
            QString(TestUtils::corpusDir() + QStringLiteral("/otlp-collector-file/otel-demo-mixed-signals.jsonl"))
                .toStdString(),
            sink);
        QVERIFY(outcome.ok());
        QCOMPARE(int(sink.steps.size()), 547);
        QVERIFY(sink.batches >= 1);
        QVERIFY(outcome.warnings.empty());
        const auto services = [&] {
            QSet<QString> names;
            for (const Step& s : sink.steps)
                names.insert(qs(s.resource->serviceName));
            return names;
        }();
        QCOMPARE(services.size(), 8);
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("where");
        QFile sample(TestUtils::samplePath());
        sample.open(QIODevice::ReadOnly);
        const QByteArray sampleBytes = sample.readAll();
        QByteArray garbage(4096, '\0');
        QRandomGenerator generator(42);
        for (char& c : garbage)
            c = char(generator.bounded(256));
        garbage[0] = '\x7f';

        QTest::newRow("empty file") << QByteArray() << "the file is empty"
                                    << "";
        QTest::newRow("only white space") << QByteArray(" \n\t\n") << "the file is empty"
                                          << "";
        QTest::newRow("binary garbage") << garbage << "binary data"
                                        << "byte 0";
        QTest::newRow("not a trace") << QByteArray(R"({"hello": "world"})") << "not a trace format"
                                     << "byte 0";
        QTest::newRow("malformed JSON") << QByteArray("{\"resourceSpans\": [\n  {\"scopeSpans\": [ }\n]}")
                                        << "syntax error"
                                        << "line 2";
        QTest::newRow("truncated file") << sampleBytes.left(sampleBytes.size() * 6 / 10)
                                        << "the file ends in the middle of its JSON (truncated?)"
                                        << "line ";
        QTest::newRow("wrong type for resourceSpans")
            << QByteArray(R"({"resourceSpans": "oops"})") << "\"resourceSpans\" must be an array"
            << "line 1";
        QTest::newRow("wrong type for spans")
            << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":{"a":1}}]}]})") << "\"spans\" must be an array"
            << "byte ";
        QTest::newRow("no spans anywhere") << QByteArray(R"({"resourceSpans":[]})") << "no OTLP trace data"
                                           << "";
        QTest::newRow("bad second line") << QByteArray(
            request(span(T1, "0000000000000001")) + "\n{\"resourceSpans\": [}\n")
                                         << "syntax error"
                                         << "line 2";
        QTest::newRow("trailing garbage")
            << QByteArray(request(span(T1, "0000000000000001")) + "\nxyz") << "syntax error"
            << "line 2";
        // A value nested 100,000 deep would take the stack of whatever walks it: refused where it is read. (Plain
        // string literals here: moc misreads raw strings with unbalanced brackets.)
        const QByteArray deep = QByteArray("{\"arrayValue\":{\"values\":[").repeated(100000) + "{\"stringValue\":\"x\"}"
            + QByteArray("]}}").repeated(100000);
        QTest::newRow("nesting too deep") << QByteArray(
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + QByteArray(T1)
            + "\",\"spanId\":\"0000000000000001\",\"attributes\":[{\"key\":\"k\",\"value\":" + deep + "}]}]}]}]}")
                                          << "nests deeper than 256 levels"
                                          << "line 1 (byte ";
    }

    // JSON inside a text attribute (messages, inputs) nested beyond reason stays text: the import, show and the
    // export survive it.
    void deeplyNestedTextStaysText()
    {
        const QByteArray deep = QByteArray("[").repeated(200000) + QByteArray("]").repeated(200000);
        const QByteArray body = request("{\"traceId\":\"" + QByteArray(T1)
            + "\",\"spanId\":\"0000000000000001\",\"name\":\"deep\",\"startTimeUnixNano\":\"1760000000000000000\","
              "\"endTimeUnixNano\":\"1760000001000000000\",\"attributes\":["
              "{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"chat\"}},"
              "{\"key\":\"gen_ai.input.messages\",\"value\":{\"stringValue\":\""
            + deep + "\"}}]}");
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("cache.sqlite")).toStdString());
        const ImportOutcome outcome = importBytes(body, dir.filePath(QStringLiteral("deep.json")), store);
        QCOMPARE(outcome.status, ImportOutcome::Status::Ok);
        const auto detail = store.stepDetail(T1, "0000000000000001");
        QVERIFY(detail);
        QCOMPARE(int(store.steps(T1).size()), 1);
        QVERIFY(detail->step.attributesJson.find(deep.toStdString()) != std::string::npos); // kept whole
    }

    void warnings_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("spans");
        QTest::addColumn<QString>("warning");
        QTest::newRow("duplicate span id")
            << request(span(T1, "0000000000000001") + "," + span(T1, "0000000000000001")) << 2 << "duplicate span id";
        QTest::newRow("cyclic parents") << request(span(T1, "0000000000000001", "0000000000000002") + ","
            + span(T1, "0000000000000002", "0000000000000003") + "," + span(T1, "0000000000000003", "0000000000000001"))
                                        << 3 << "cyclic parent links";
        QTest::newRow("own parent") << request(span(T1, "0000000000000001", "0000000000000001")) << 1
                                    << "its own parent";
        QTest::newRow("missing trace id")
            << request(R"({"spanId":"0000000000000009","name":"lost"},)" + span(T1, "0000000000000001")) << 1
            << "missing or invalid traceId (span \"lost\")";
        QTest::newRow("all-zero span id")
            << request(span(T1, "0000000000000000") + "," + span(T1, "0000000000000001")) << 1 << "invalid spanId";
        QTest::newRow("span that is not an object")
            << request("42," + span(T1, "0000000000000001")) << 1 << "must be a JSON object";
        QTest::newRow("ends before it starts") << request(R"({"traceId":")" + QByteArray(T1)
            + R"(","spanId":"0000000000000001","startTimeUnixNano":"50","endTimeUnixNano":"10"})")
                                               << 1 << "ends before it starts";
    }

    void warnings()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, spans);
        QFETCH(QString, warning);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("input.json"));
        TraceStore store(dir.filePath(QStringLiteral("cache.sqlite")).toStdString());
        const ImportOutcome outcome = importBytes(content, file, store);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(outcome.spans, spans);
        QStringList texts;
        for (const ImportIssue& issue : outcome.warnings)
            texts << qs(issue.toString());
        QVERIFY2(texts.join(QLatin1Char('\n')).contains(warning), qPrintable(texts.join(QLatin1Char('\n'))));
        QVERIFY(texts.front().startsWith(file));
        // Whatever the links, the trace opens as a finite tree holding every step once.
        const TraceSummary t = store.traces().front();
        const auto snapshot = TraceSnapshot::build(t, store.steps(t.traceId));
        QCOMPARE(int(snapshot->causalOrder().size()), snapshot->size());
        QVERIFY(!snapshot->roots().empty());
    }

    // Text that is not UTF-8 is repaired and named, not refused (utf8.h); text that is UTF-8 comes through whole
    // wherever the reader's chunks (1 MiB) cut it.
    void invalidTextIsRepairedWherever()
    {
        // Line 1: 3 MB of multi-byte characters and surrogate-pair escapes, so chunk ends fall inside them.
        const QByteArray pattern = "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\\ud83d\\ude00ab";
        const QString decodedPattern = QString::fromUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF0\x9F\x98\x80"
                                                         "ab");
        QByteArray value;
        QString expected;
        while (value.size() < 3 * 1024 * 1024) {
            value += pattern;
            expected += decodedPattern;
        }
        QByteArray content = request(span(T1, "0000000000000001", "",
            QByteArray(R"(,"attributes":[{"key":"note","value":{"stringValue":")" + value + R"("}}])").constData()));
        content += '\n';
        // Line 2: a stray byte and a lone surrogate escape in a span's name.
        content += request(span(T1, "0000000000000002", "0000000000000001")
                               .replace("\"s-0000000000000002\"", "\"bad \xFF name \\ud800\""));
        content += '\n';
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("input.jsonl"));
        TraceStore store(dir.filePath(QStringLiteral("cache.sqlite")).toStdString());
        const ImportOutcome outcome = importBytes(content, file, store);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(outcome.spans, 2);
        QCOMPARE(int(outcome.warnings.size()), 1);
        const QString where = QStringLiteral("line 2 (byte %1)").arg(content.indexOf('\xFF'));
        QCOMPARE(qs(outcome.warnings.front().where), where);
        QVERIFY2(qs(outcome.warnings.front().message).startsWith(QLatin1String("2 invalid UTF-8")),
            outcome.warnings.front().message.c_str());

        const StepDetail bad = *store.stepDetail(T1, "0000000000000002");
        QCOMPARE(qs(bad.record.name), QStringLiteral("bad \uFFFD name \uFFFD"));
        const StepDetail big = *store.stepDetail(T1, "0000000000000001");
        const nlohmann::json attributes = nlohmann::json::parse(big.step.attributesJson);
        QCOMPARE(attributes.size(), std::size_t(1));
        const QString note = qs(attributes[0]["value"]["stringValue"].get<std::string>());
        QCOMPARE(note.size(), expected.size());
        QVERIFY(note == expected);
        // The file's hash is of its own bytes, not of the repaired text.
        QCOMPARE(qs(store.sources().front().sha256),
            QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex()));
    }

    // A line whose bad bytes lie on both sides of a chunk end (1 MiB) gets one warning with both counted; a
    // backslash before a raw line break does not hide the break from the line count.
    void repairsOfOneLineAreReportedOnce()
    {
        const QByteArray name = "\xFF" + QByteArray(1 << 20, 'a') + "\xFE";
        QByteArray content = "{\"t\":\"cut \\\n"; // a broken first line: a backslash, then a raw line break
        content
            += request(span(T1, "0000000000000001").replace("\"s-0000000000000001\"", QByteArray("\"" + name + "\"")));
        content += '\n';
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("input.jsonl"));
        TestUtils::writeFile(file, content);
        ChunkReader reader;
        QVERIFY(reader.open(file.toStdString()).empty());
        std::vector<Utf8::RepairPlace> places;
        reader.repairText([&](const Utf8::RepairPlace& place) { places.push_back(place); });
        while (!reader.atEnd())
            reader.skip(1 << 16);
        QCOMPARE(int(places.size()), 1);
        QCOMPARE(places.front().line, std::int64_t(2));
        QCOMPARE(places.front().offset, std::int64_t(content.indexOf('\xFF')));
        QCOMPARE(places.front().count, std::int64_t(2));
    }

    void lenientIdsEnumsAndNumbers()
    {
        // Uppercase hex, enum names, 64-bit integers as numbers, snake_case keys, base64 ids, a resource that
        // comes after its spans, and a parent that is not in the file.
        const QByteArray content = R"({"resource_spans":[{"scope_spans":[{"spans":[
  {"trace_id":"5B8EFFF798038103D269B633813FC60C","span_id":"EEE19B7EC3C1B174","parent_span_id":"EEE19B7EC3C1B173",
   "name":"server","kind":"SPAN_KIND_SERVER","start_time_unix_nano":1544712660000000000,"end_time_unix_nano":"1544712661000000000",
   "status":{"code":"STATUS_CODE_ERROR","message":"boom"}},
  {"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXU=","parentSpanId":"EEE19B7EC3C1B174","name":"child","kind":3,
   "startTimeUnixNano":"1544712660100000000","endTimeUnixNano":"1544712660200000000"}
  ]}],"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"late-resource"}}]}}]})";
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("lenient.json"));
        TestUtils::writeFile(file, content);
        TestUtils::MemorySink sink;
        const ImportOutcome outcome = importFile(file.toStdString(), sink);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(int(sink.steps.size()), 2);
        const Step& server = sink.steps[0];
        QCOMPARE(qs(server.traceId), QStringLiteral("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(qs(server.spanId), QStringLiteral("eee19b7ec3c1b174"));
        QCOMPARE(server.otelKind, 2);
        QCOMPARE(server.startNs, Q_INT64_C(1544712660000000000));
        QCOMPARE(server.status, StepStatus::Error);
        QCOMPARE(qs(server.statusMessage), QStringLiteral("boom"));
        const Step& child = sink.steps[1];
        QCOMPARE(qs(child.traceId), QStringLiteral("5b8efff798038103d269b633813fc60c")); // base64 of the same bytes
        QCOMPARE(qs(child.spanId), QStringLiteral("eee19b7ec3c1b175"));
        QCOMPARE(qs(child.resource->serviceName), QStringLiteral("late-resource"));
        // The server's parent is not in the file: it is the root.
        TraceSummary summary;
        std::vector<StepRecord> records(2);
        for (int i = 0; i < 2; ++i) {
            records[std::size_t(i)].spanId = sink.steps[std::size_t(i)].spanId;
            records[std::size_t(i)].parentId = sink.steps[std::size_t(i)].parentId;
        }
        const auto snapshot = TraceSnapshot::build(summary, records);
        QCOMPARE(snapshot->roots(), std::vector<int> { 0 });
        QCOMPARE(snapshot->parent(1), 0);
    }

    void streamsInBatches()
    {
        QByteArray spans;
        for (int i = 1; i <= 4500; ++i)
            spans += (i > 1 ? "," : "") + span(T1, QByteArray::number(i, 16).rightJustified(16, '0').constData());
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("many.json"));
        TestUtils::writeFile(file, request(spans));
        TestUtils::MemorySink sink;
        QVERIFY(importFile(file.toStdString(), sink).ok());
        QCOMPARE(int(sink.steps.size()), 4500);
        QVERIFY2(sink.batches >= 4, "steps must reach the sink in batches, not all at the end");
    }

    void genAiChatSpan()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        const nlohmann::json attributes
            = load(QStringLiteral("genai-semconv/genai-chat-span-tool-calls.attributes.json"));
        Step step;
        Conventions::apply(AttributeView::fromObject(attributes), step);
        QCOMPARE(step.kind, StepKind::Llm);
        QCOMPARE(qs(step.model), QStringLiteral("gpt-4-0613")); // the response model wins over the request model
        QCOMPARE(qs(step.provider), QStringLiteral("openai"));
        QCOMPARE(step.tokens.input.value_or(-1), 97);
        QCOMPARE(step.tokens.output.value_or(-1), 52);
        const auto input = nlohmann::json::parse(step.inputMessages);
        QCOMPARE(int(input.size()), 3);
        QCOMPARE(qs(input[1]["role"].get<std::string>()), QStringLiteral("assistant"));
        QCOMPARE(qs(input[1]["parts"][1]["type"].get<std::string>()), QStringLiteral("tool_call"));
        QCOMPARE(qs(input[1]["parts"][1]["name"].get<std::string>()), QStringLiteral("get_weather"));
        QCOMPARE(qs(input[2]["role"].get<std::string>()), QStringLiteral("tool"));
        const auto output = nlohmann::json::parse(step.outputMessages);
        QCOMPARE(qs(output[0]["finish_reason"].get<std::string>()), QStringLiteral("stop"));
        QVERIFY(qs(step.outputText).contains(QStringLiteral("rainy with a temperature")));
        QVERIFY(qs(step.inputText).contains(QStringLiteral("Weather in Paris?")));
    }

    void genAiDeprecatedAttributes()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        Step step;
        const nlohmann::json attributes
            = load(QStringLiteral("genai-semconv/genai-chat-span-deprecated-attrs.attributes.json"));
        Conventions::apply(AttributeView::fromObject(attributes), step);
        QCOMPARE(step.kind, StepKind::Llm);
        const auto input = nlohmann::json::parse(step.inputMessages);
        QCOMPARE(int(input.size()), 3);
        const auto output = nlohmann::json::parse(step.outputMessages);
        QCOMPARE(qs(output[0]["role"].get<std::string>()), QStringLiteral("assistant"));
        QCOMPARE(qs(output[0]["finish_reason"].get<std::string>()), QStringLiteral("stop"));
        QVERIFY(qs(step.outputText).contains(QStringLiteral("57°F")));
    }

    void genAiToolSpan()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        Step step;
        const nlohmann::json attributes = load(QStringLiteral("genai-semconv/genai-execute-tool-span.attributes.json"));
        Conventions::apply(AttributeView::fromObject(attributes), step);
        QCOMPARE(step.kind, StepKind::Tool);
        QCOMPARE(qs(step.toolName), QStringLiteral("get_weather"));
        QCOMPARE(qs(step.toolCallId), QStringLiteral("1234"));
    }

    void sampleTraceMapping()
    {
        TestUtils::MemorySink sink;
        QVERIFY(importFile(TestUtils::samplePath().toStdString(), sink).ok());
        std::map<std::string, const Step*> byId;
        for (const Step& s : sink.steps)
            byId[s.spanId] = &s;
        const Step& failing = *byId.at("dcd2a8ceac3508ff");
        QCOMPARE(failing.kind, StepKind::Tool);
        QCOMPARE(qs(failing.toolName), QStringLiteral("issue_refund"));
        QCOMPARE(failing.status, StepStatus::Error);
        QCOMPARE(qs(failing.statusMessage), QStringLiteral("PaymentGatewayError: card declined"));
        QVERIFY(!failing.toolArguments.empty());
        const Step& refunds = *byId.at("542b7b70735c8b2e");
        QCOMPARE(refunds.kind, StepKind::Agent);
        QCOMPARE(qs(refunds.agentName), QStringLiteral("refunds"));
        const Step& root = *byId.at("89f56a5310a1e470");
        QVERIFY(root.parentId.empty());
        QCOMPARE(qs(root.sessionId).isEmpty(), false);
        int llm = 0;
        for (const Step& s : sink.steps) {
            if (s.kind == StepKind::Llm) {
                ++llm;
                QVERIFY(!s.inputMessages.empty());
                QVERIFY(!s.model.empty());
            }
        }
        QCOMPARE(llm, 10);
    }

    void forcedUnknownFormat()
    {
        TestUtils::MemorySink sink;
        ImportContext context;
        context.forcedFormat = "no-such-format";
        const ImportOutcome outcome = importFile(TestUtils::samplePath().toStdString(), sink, context);
        QCOMPARE(outcome.status, ImportOutcome::Status::Failed);
        QVERIFY(qs(outcome.error.message).contains(QStringLiteral("known formats: otlp-json")));
    }

    void missingFile()
    {
        TestUtils::MemorySink sink;
        const ImportOutcome outcome = importFile("/nonexistent/trace.json", sink);
        QCOMPARE(outcome.status, ImportOutcome::Status::Failed);
        QVERIFY(qs(outcome.error.toString()).contains(QStringLiteral("/nonexistent/trace.json: cannot open")));
    }

private:
    static nlohmann::json load(const QString& relative)
    {
        QFile file(TestUtils::corpusDir() + QLatin1Char('/') + relative);
        file.open(QIODevice::ReadOnly);
        return nlohmann::json::parse(file.readAll().toStdString());
    }
};

QTEST_GUILESS_MAIN(TestOtlpImport)
#include "tst_otlpimport.moc"
