#include "testutils.h"

#include <annotationstore.h>
#include <fileimport.h>
#include <schema.h>
#include <searchindex.h>
#include <steppayload.h>
#include <tracesearch.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <map>
#include <thread>

using namespace Tracelight;

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

// Token sums over the chat spans of an OTLP file, read with Qt's JSON parser (independent of the importer).
struct ChatTotals
{
    int chats = 0;
    int tools = 0;
    qint64 input = 0;
    qint64 output = 0;
};

ChatTotals chatTotals(const QString& path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    ChatTotals totals;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    for (const auto rs : root.value(QStringLiteral("resourceSpans")).toArray()) {
        for (const auto ss : rs.toObject().value(QStringLiteral("scopeSpans")).toArray()) {
            for (const auto span : ss.toObject().value(QStringLiteral("spans")).toArray()) {
                QString operation;
                qint64 in = 0;
                qint64 out = 0;
                for (const auto attribute : span.toObject().value(QStringLiteral("attributes")).toArray()) {
                    const QString key = attribute.toObject().value(QStringLiteral("key")).toString();
                    const QJsonObject value = attribute.toObject().value(QStringLiteral("value")).toObject();
                    if (key == QLatin1String("gen_ai.operation.name"))
                        operation = value.value(QStringLiteral("stringValue")).toString();
                    else if (key == QLatin1String("gen_ai.usage.input_tokens"))
                        in = value.value(QStringLiteral("intValue")).toVariant().toLongLong();
                    else if (key == QLatin1String("gen_ai.usage.output_tokens"))
                        out = value.value(QStringLiteral("intValue")).toVariant().toLongLong();
                }
                if (operation == QLatin1String("chat")) {
                    ++totals.chats;
                    totals.input += in;
                    totals.output += out;
                } else if (operation == QLatin1String("execute_tool")) {
                    ++totals.tools;
                }
            }
        }
    }
    return totals;
}

// Splits an OTLP request file into two requests holding the first `split` spans and the rest.
void splitRequest(const QString& path, int split, const QString& first, const QString& second)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QJsonArray resourceSpans = root.value(QStringLiteral("resourceSpans")).toArray();
    QJsonObject rs = resourceSpans.at(0).toObject();
    QJsonArray scopeSpans = rs.value(QStringLiteral("scopeSpans")).toArray();
    QJsonObject ss = scopeSpans.at(0).toObject();
    const QJsonArray spans = ss.value(QStringLiteral("spans")).toArray();
    for (const auto& [target, from, to] :
        { std::tuple { first, 0, split }, std::tuple { second, split, int(spans.size()) } }) {
        QJsonArray part;
        for (int i = from; i < to; ++i)
            part.append(spans.at(i));
        ss.insert(QStringLiteral("spans"), part);
        rs.insert(QStringLiteral("scopeSpans"), QJsonArray { ss });
        TestUtils::writeFile(
            target, QJsonDocument(QJsonObject { { QStringLiteral("resourceSpans"), QJsonArray { rs } } }).toJson());
    }
}

std::int64_t count(TraceStore& store, const char* sql)
{
    auto statement = store.database().prepare(sql);
    statement.step();
    return statement.int64(0);
}

} // namespace

class TestTraceStore : public QObject
{
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void idempotentReimport()
    {
        TraceStore store(path(QStringLiteral("idempotent.sqlite")));
        TraceWriter writer(store);
        const ImportOutcome first = importFile(TestUtils::samplePath().toStdString(), writer);
        QVERIFY2(first.ok(), first.error.toString().c_str());
        QCOMPARE(first.newSpans, 32);
        const ImportOutcome second = importFile(TestUtils::samplePath().toStdString(), writer);
        QVERIFY(second.ok());
        QCOMPARE(second.newSpans, 0);
        QVERIFY(second.alreadyImported);
        QCOMPARE(count(store, "SELECT count(*) FROM steps"), 32);
        QCOMPARE(count(store, "SELECT count(*) FROM traces"), 1);
        QCOMPARE(count(store, "SELECT count(*) FROM sources"), 1);
        QCOMPARE(store.traces().front().spans, 32);
    }

    void mergeAcrossFiles()
    {
        const ChatTotals expected = chatTotals(TestUtils::samplePath());
        QCOMPARE(expected.chats, 10); // the sample's own figures, as its author computed them with jq
        QCOMPARE(expected.input, 12881);
        const QString a = m_dir.filePath(QStringLiteral("part-a.json"));
        const QString b = m_dir.filePath(QStringLiteral("part-b.json"));
        splitRequest(TestUtils::samplePath(), 13, a, b);

        TraceStore store(path(QStringLiteral("merge.sqlite")));
        TraceWriter writer(store);
        QVERIFY(importFile(a.toStdString(), writer).ok());
        QCOMPARE(store.traces().size(), std::size_t(1));
        QCOMPARE(store.traces().front().spans, 13);
        QVERIFY(importFile(b.toStdString(), writer).ok());
        const auto traces = store.traces();
        QCOMPARE(traces.size(), std::size_t(1));
        const TraceSummary& t = traces.front();
        QCOMPARE(t.spans, 32);
        QCOMPARE(t.llmCalls, expected.chats);
        QCOMPARE(t.toolCalls, expected.tools);
        QCOMPARE(t.tokens.input, expected.input);
        QCOMPARE(t.tokens.output, expected.output);
        QCOMPARE(t.errors, 2);
        // The root arrived in the second file (spans are in end order): the name follows it.
        QCOMPARE(qs(t.name), QStringLiteral("invoke_agent triage"));
        QCOMPARE(qs(t.service), QStringLiteral("support-agent"));
        QCOMPARE(qs(t.version), QStringLiteral("1.4.2"));
        QCOMPARE(qs(t.agent), QStringLiteral("triage"));
        QCOMPARE(t.startNs, Q_INT64_C(1760433123217483911));
        QCOMPARE(t.endNs, Q_INT64_C(1760433162630453019));
        QVERIFY(!t.costUsd); // no source recorded a cost: unknown, never 0
    }

    // Two connections opening a new cache at once (the window preparing it while its live collector starts, or a
    // window and `tracelight serve`) both see version 0 first; the one that gets the write lock second must find
    // the schema made, not create it again ("table already exists").
    void concurrentOpenersOfANewCacheBothSucceed()
    {
        QTemporaryDir dir;
        for (int round = 0; round < 20; ++round) {
            const std::string path = dir.filePath(QStringLiteral("race-%1.sqlite").arg(round)).toStdString();
            std::atomic<int> ready = 0;
            std::string errors[2];
            const auto open = [&](int who) {
                ++ready;
                while (ready < 2) { }
                try {
                    TraceStore store(path);
                } catch (const std::exception& error) {
                    errors[who] = error.what();
                }
            };
            std::thread a(open, 0);
            std::thread b(open, 1);
            a.join();
            b.join();
            QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + errors[1]).c_str());
            TraceStore store(path, TraceStore::Mode::ReadOnly);
            QCOMPARE(Schema::version(store.database()), Schema::CurrentVersion);
        }
    }

    void migrationsFromVersionOne()
    {
        const std::string file = path(QStringLiteral("migrate.sqlite"));
        {
            Sql::Database db(file, Sql::Database::Mode::ReadWrite);
            Schema::migrate(db, 1);
            QCOMPARE(Schema::version(db), 1);
            db.exec("INSERT INTO traces(trace_id, name) VALUES ('00000000000000000000000000000abc', 'old run')");
            db.exec("INSERT INTO steps(trace, span_id, kind, name, start_ns, end_ns, status, attributes, events, "
                    "links, input_text) VALUES (1, '0000000000000001', 1, 'chat', 1, 2, 0, '[]', '[]', '[]', "
                    "'the quick brown fox')");
        }
        TraceStore store(file);
        QCOMPARE(store.schemaVersion(), Schema::CurrentVersion);
        QCOMPARE(qs(store.traces().front().name), QStringLiteral("old run"));
        QCOMPARE(qs(store.stepDetail("00000000000000000000000000000abc", "0000000000000001")->step.inputText),
            QStringLiteral("the quick brown fox"));
        // The upgrade leaves the search index to be rebuilt behind it, and says so until it is.
        QCOMPARE(SearchIndex::state(store.database()).indexed, 0);
        QCOMPARE(SearchIndex::state(store.database()).total, 1);
        QVERIFY(SearchIndex::catchUp(store.database()));
        QVERIFY(SearchIndex::state(store.database()).complete());
        QCOMPARE(count(store, "SELECT count(*) FROM steps_fts WHERE steps_fts MATCH 'brown'"), 1);
        store.database().exec("INSERT INTO steps_fts(steps_fts) VALUES ('integrity-check')");
    }

    // A version-5 cache gains the annotations table; annotations are kept apart from the data, merge by the
    // last update, and show in the run's summary.
    void annotationsFromVersionFive()
    {
        const std::string file = path(QStringLiteral("migrate5.sqlite"));
        {
            Sql::Database db(file, Sql::Database::Mode::ReadWrite);
            StepPayload::registerFunctions(db.handle()); // the migrations to 4 move texts with them
            Schema::migrate(db, 5);
            QCOMPARE(Schema::version(db), 5);
            db.exec("INSERT INTO traces(trace_id, name) VALUES ('00000000000000000000000000000a55', 'v5 run')");
        }
        TraceStore store(file);
        QCOMPARE(store.schemaVersion(), Schema::CurrentVersion);
        const std::string trace = "00000000000000000000000000000a55";
        Annotation run { trace, "", "wrong", 2, "the wrong customer", "alice", 1000, 1000 };
        Annotation step { trace, "00000000000000b1", "root cause", std::nullopt, "", "alice", 1100, 1100 };
        AnnotationStore::set(store.database(), run);
        AnnotationStore::set(store.database(), step);
        QCOMPARE(AnnotationStore::forTrace(store.database(), trace), (std::vector<Annotation> { run, step }));
        TraceSummary summary = *store.trace(trace);
        QCOMPARE(summary.annotations, Q_INT64_C(2));
        QCOMPARE(summary.annotationLabels, (std::vector<std::string> { "root cause", "wrong" }));

        // An edit replaces label, rating and note, keeps the creation time.
        Annotation edited = run;
        edited.label = "correct";
        edited.rating.reset();
        edited.createdMs = 5000;
        edited.updatedMs = 2000;
        AnnotationStore::set(store.database(), edited);
        const Annotation stored = *AnnotationStore::find(store.database(), trace, "", "alice");
        QCOMPARE(stored.label, std::string("correct"));
        QVERIFY(!stored.rating);
        QCOMPARE(stored.createdMs, Q_INT64_C(1000));
        QCOMPARE(stored.updatedMs, Q_INT64_C(2000));

        // Merge: newer wins, older or equal stays, new ones are added.
        Annotation older = run; // updated at 1000, ours at 2000
        Annotation newer = step;
        newer.label = "hallucination";
        newer.updatedMs = 3000;
        Annotation bobs { trace, "", "correct", 5, "", "bob", 4000, 4000 };
        const auto result = AnnotationStore::merge(store.database(), { older, newer, bobs });
        QCOMPARE(result.added, Q_INT64_C(1));
        QCOMPARE(result.updated, Q_INT64_C(1));
        QCOMPARE(result.unchanged, Q_INT64_C(1));
        QCOMPARE(AnnotationStore::find(store.database(), trace, "", "alice")->label, std::string("correct"));
        QCOMPARE(AnnotationStore::find(store.database(), trace, "00000000000000b1", "alice")->label,
            std::string("hallucination"));
        QCOMPARE(AnnotationStore::all(store.database()).size(), std::size_t(3));
        // A rating of 7 is refused, and nothing half-merged stays.
        Annotation bad = bobs;
        bad.author = "carol";
        bad.rating = 7;
        QVERIFY_THROWS_EXCEPTION(StoreError, AnnotationStore::merge(store.database(), { bobs, bad }));
        QCOMPARE(AnnotationStore::all(store.database()).size(), std::size_t(3));
        QVERIFY(AnnotationStore::remove(store.database(), trace, "", "bob"));
        QVERIFY(!AnnotationStore::remove(store.database(), trace, "", "bob"));
        QCOMPARE(store.trace(trace)->annotations, Q_INT64_C(2));
    }

    void migrationFromVersionThreeKeepsEveryText()
    {
        // Every large text column of version 3 moves into the step's compressed block, byte for byte.
        const std::string file = path(QStringLiteral("migrate3.sqlite"));
        const QStringList columns = { QStringLiteral("tool_arguments"), QStringLiteral("tool_result"),
            QStringLiteral("system_instructions"), QStringLiteral("input_messages"), QStringLiteral("output_messages"),
            QStringLiteral("input_text"), QStringLiteral("output_text"), QStringLiteral("attributes"),
            QStringLiteral("events"), QStringLiteral("links") };
        {
            Sql::Database db(file, Sql::Database::Mode::ReadWrite);
            Schema::migrate(db, 3);
            db.exec("INSERT INTO traces(trace_id, name) VALUES ('00000000000000000000000000000def', 'v3 run')");
            QStringList values;
            for (const QString& column : columns)
                values << QStringLiteral("'%1 of the step, café ✓'").arg(column);
            db.exec(QStringLiteral("INSERT INTO steps(trace, span_id, kind, name, start_ns, end_ns, status, %1) "
                                   "VALUES (1, '0000000000000002', 2, 'tool', 1, 2, 0, %2)")
                        .arg(columns.join(QStringLiteral(", ")), values.join(QStringLiteral(", ")))
                        .toUtf8()
                        .constData());
        }
        TraceStore store(file);
        const Step step = store.stepDetail("00000000000000000000000000000def", "0000000000000002")->step;
        const std::vector<std::string> read
            = { step.toolArguments, step.toolResult, step.systemInstructions, step.inputMessages, step.outputMessages,
                  step.inputText, step.outputText, step.attributesJson, step.eventsJson, step.linksJson };
        for (int i = 0; i < columns.size(); ++i)
            QCOMPARE(qs(read[std::size_t(i)]), QStringLiteral("%1 of the step, café ✓").arg(columns[i]));
    }

    void deferredIndexCatchesUpInBatches()
    {
        // 3,000 llm steps in 30 traces, each prompt with a word of its own and a long shared passage: the steps of a
        // trace share blocks, and the index follows the import in batches.
        const QString shared = QStringLiteral("the customer asked for a refund of the order ").repeated(60);
        QByteArray lines;
        for (int line = 0; line < 30; ++line) {
            QByteArray spans;
            for (int i = 0; i < 100; ++i) {
                // The messages as a JSON string inside the attribute: its quotes escaped.
                QString prompt
                    = QStringLiteral(R"([{"role":"user","parts":[{"type":"text","content":"tok%1x%2 %3"}]}])")
                          .arg(line)
                          .arg(i)
                          .arg(shared);
                prompt.replace(QLatin1Char('"'), QStringLiteral("\\\""));
                spans += QStringLiteral(
                    R"(%1{"traceId":"%2","spanId":"%3","name":"chat m","startTimeUnixNano":"%4","endTimeUnixNano":"%5","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.input.messages","value":{"stringValue":"%6"}}]})")
                             .arg(i ? QStringLiteral(",") : QString())
                             .arg(line + 1, 32, 16, QLatin1Char('0'))
                             .arg(i + 1, 16, 16, QLatin1Char('0'))
                             .arg(i * 10 + 1)
                             .arg(i * 10 + 5)
                             .arg(prompt)
                             .toUtf8();
            }
            lines += "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}\n";
        }
        const QString file = m_dir.filePath(QStringLiteral("deferred.jsonl"));
        TestUtils::writeFile(file, lines);
        TraceStore store(path(QStringLiteral("deferred.sqlite")));
        TraceWriter writer(store);
        writer.setSearchIndexDeferred(true);
        const ImportOutcome outcome = importFile(file.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        // Browsable: every step and its texts are there. Not searchable yet, and the state says so.
        QCOMPARE(count(store, "SELECT count(*) FROM steps"), 3000);
        const std::int64_t blocks = count(store, "SELECT count(*) FROM payloads");
        QVERIFY2(blocks >= 30 && blocks < 300, std::to_string(blocks).c_str());
        QCOMPARE(SearchIndex::state(store.database()).indexed, 0);
        QVERIFY(TraceSearch::search(store.database(), "tok7x42").empty());
        std::vector<SearchIndexState> states;
        QVERIFY(SearchIndex::catchUp(
            store.database(), nullptr, [&](const SearchIndexState& state) { states.push_back(state); }, 1000));
        QVERIFY(states.size() >= 4); // before, after each of the three batches
        QCOMPARE(states.front().indexed, 0);
        QCOMPARE(states.back().indexed, 3000);
        QCOMPARE(states.back().total, 3000);
        const std::vector<SearchHit> hits = TraceSearch::search(store.database(), "tok7x42");
        QCOMPARE(hits.size(), std::size_t(1));
        QCOMPARE(qs(hits.front().spanId), QStringLiteral("%1").arg(43, 16, 16, QLatin1Char('0')));
        QCOMPARE(qs(hits.front().traceId), QStringLiteral("%1").arg(8, 32, 16, QLatin1Char('0')));
        store.database().exec("INSERT INTO steps_fts(steps_fts) VALUES ('integrity-check')");
        // Each step reads back its own texts from its shared block.
        for (int line = 0; line < 30; line += 7) {
            const std::string traceId = QStringLiteral("%1").arg(line + 1, 32, 16, QLatin1Char('0')).toStdString();
            std::int64_t seen = 0;
            store.forEachStepDetail(traceId, [&](StepDetail&& detail) {
                const int i = QString::fromStdString(detail.step.spanId).toInt(nullptr, 16) - 1;
                const QString word = QStringLiteral("tok%1x%2 ").arg(line).arg(i);
                QVERIFY(qs(detail.step.inputText).startsWith(word));
                QVERIFY(qs(detail.step.attributesJson).contains(word));
                ++seen;
            });
            QCOMPARE(seen, 100);
        }
    }

    void searchIndexHoldsEachLongLineOfARunOnce()
    {
        // Each llm call sends the conversation so far again: a long line is indexed at the first step of the run
        // that has it (as input, output or tool result), a short one at every step.
        const auto message = [](const QString& role, const QString& text) {
            return QJsonObject { { QStringLiteral("role"), role },
                { QStringLiteral("parts"),
                    QJsonArray { QJsonObject {
                        { QStringLiteral("type"), QStringLiteral("text") }, { QStringLiteral("content"), text } } } } };
        };
        const auto attribute = [](const char* key, const QJsonArray& messages) {
            return QJsonObject { { QStringLiteral("key"), QString::fromLatin1(key) },
                { QStringLiteral("value"),
                    QJsonObject { { QStringLiteral("stringValue"),
                        QString::fromUtf8(QJsonDocument(messages).toJson(QJsonDocument::Compact)) } } } };
        };
        const auto chat = [&](const char* trace, const char* span, const QJsonArray& input, const QJsonArray& output) {
            return QJsonObject { { QStringLiteral("traceId"), QString::fromLatin1(trace) },
                { QStringLiteral("spanId"), QString::fromLatin1(span) },
                { QStringLiteral("name"), QStringLiteral("chat m") },
                { QStringLiteral("startTimeUnixNano"), QStringLiteral("1") },
                { QStringLiteral("endTimeUnixNano"), QStringLiteral("2") },
                { QStringLiteral("attributes"),
                    QJsonArray { QJsonObject { { QStringLiteral("key"), QStringLiteral("gen_ai.operation.name") },
                                     { QStringLiteral("value"),
                                         QJsonObject { { QStringLiteral("stringValue"), QStringLiteral("chat") } } } },
                        attribute("gen_ai.input.messages", input), attribute("gen_ai.output.messages", output) } } };
        };
        const QString ask = QStringLiteral("Please look up order A-10442 for the customer today");
        const QString answer = QStringLiteral("The order A-10442 has shipped with the ground carrier");
        const QString next = QStringLiteral("Now refund the duplicate charge of that order please");
        const QString shortLine = QStringLiteral("thanks");
        const char* run = "11111111111111111111111111111111";
        const char* other = "22222222222222222222222222222222";
        const QJsonArray spans {
            chat(run, "0000000000000001",
                QJsonArray { message(QStringLiteral("user"), ask), message(QStringLiteral("user"), shortLine) },
                QJsonArray { message(QStringLiteral("assistant"), answer) }),
            chat(run, "0000000000000002",
                QJsonArray { message(QStringLiteral("user"), ask), message(QStringLiteral("user"), shortLine),
                    message(QStringLiteral("assistant"), answer), message(QStringLiteral("user"), next) },
                QJsonArray { message(QStringLiteral("assistant"), QStringLiteral("Done.")) }),
            chat(other, "0000000000000003", QJsonArray { message(QStringLiteral("user"), ask) }, QJsonArray {}),
        };
        const QJsonObject request { { QStringLiteral("resourceSpans"),
            QJsonArray { QJsonObject { { QStringLiteral("scopeSpans"),
                QJsonArray { QJsonObject { { QStringLiteral("spans"), spans } } } } } } } };
        const QString file = m_dir.filePath(QStringLiteral("conversation.json"));
        TestUtils::writeFile(file, QJsonDocument(request).toJson());
        TraceStore store(path(QStringLiteral("conversation.sqlite")));
        TraceWriter writer(store);
        QVERIFY(importFile(file.toStdString(), writer).ok());
        const auto found = [&](const char* query) {
            QStringList spans;
            for (const SearchHit& hit : TraceSearch::search(store.database(), query))
                spans << qs(hit.spanId).right(1);
            spans.sort();
            return spans.join(QLatin1Char(' '));
        };
        QCOMPARE(found("today"), QStringLiteral("1 3")); // once per run
        QCOMPARE(found("shipped"), QStringLiteral("1")); // the answer, not the call that sent it back
        QCOMPARE(found("duplicate"), QStringLiteral("2"));
        QCOMPARE(found("thanks"), QStringLiteral("1 2")); // a short line every time
        // The step itself keeps its whole input.
        const QString input = qs(store.stepDetail(run, "0000000000000002")->step.inputText);
        for (const QString& line : { ask, shortLine, answer, next })
            QVERIFY2(input.contains(line), qPrintable(input));
        store.database().exec("INSERT INTO steps_fts(steps_fts) VALUES ('integrity-check')");

        // A span that arrives twice in one file (in progress, then ended) is indexed with its whole input: the lines
        // its first copy had are its own, not an earlier step's.
        QJsonObject open = chat("33333333333333333333333333333333", "0000000000000004",
            QJsonArray {
                message(QStringLiteral("user"), QStringLiteral("Where did the parcel go yesterday afternoon")) },
            QJsonArray {});
        open.remove(QStringLiteral("endTimeUnixNano"));
        QJsonObject ended = open;
        ended.insert(QStringLiteral("endTimeUnixNano"), QStringLiteral("9"));
        const QJsonObject twice { { QStringLiteral("resourceSpans"),
            QJsonArray { QJsonObject { { QStringLiteral("scopeSpans"),
                QJsonArray { QJsonObject { { QStringLiteral("spans"), QJsonArray { open, ended } } } } } } } } };
        const QString again = m_dir.filePath(QStringLiteral("twice.json"));
        TestUtils::writeFile(again, QJsonDocument(twice).toJson());
        QVERIFY(importFile(again.toStdString(), writer).ok());
        QCOMPARE(store.steps("33333333333333333333333333333333").front().endNs, 9);
        QCOMPARE(found("yesterday"), QStringLiteral("4"));
        store.database().exec("INSERT INTO steps_fts(steps_fts) VALUES ('integrity-check')");
    }

    void mcpClientAndServerSpansAreOneCall()
    {
        // trace-formats-2026.md section 7: the client's tools/call span (kind CLIENT) and the server's (kind SERVER,
        // its child, same jsonrpc.request.id) are one call; a server span alone is a call of its own.
        const QByteArray file = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
 {"traceId":"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee","spanId":"00000000000000c1","name":"tools/call get_weather","kind":3,"startTimeUnixNano":"10","endTimeUnixNano":"90",
  "attributes":[{"key":"mcp.method.name","value":{"stringValue":"tools/call"}},{"key":"jsonrpc.request.id","value":{"intValue":"7"}}]},
 {"traceId":"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee","spanId":"00000000000000d1","parentSpanId":"00000000000000c1","name":"tools/call get_weather","kind":2,"startTimeUnixNano":"20","endTimeUnixNano":"80",
  "attributes":[{"key":"mcp.method.name","value":{"stringValue":"tools/call"}},{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"jsonrpc.request.id","value":{"intValue":"7"}}]},
 {"traceId":"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee","spanId":"00000000000000d2","name":"tools/call lookup","kind":2,"startTimeUnixNano":"100","endTimeUnixNano":"120",
  "attributes":[{"key":"mcp.method.name","value":{"stringValue":"tools/call"}},{"key":"jsonrpc.request.id","value":{"intValue":"8"}}]}
]}]}]})";
        const QString name = m_dir.filePath(QStringLiteral("mcp.json"));
        TestUtils::writeFile(name, file);
        TraceStore store(path(QStringLiteral("mcp.sqlite")));
        TraceWriter writer(store);
        QVERIFY(importFile(name.toStdString(), writer).ok());
        const TraceSummary t = *store.trace("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
        QCOMPARE(t.toolCalls, 2);
        std::map<std::string, StepKind> kinds;
        for (const StepRecord& s : store.steps(t.traceId))
            kinds[s.spanId] = s.kind;
        QCOMPARE(kinds.at("00000000000000c1"), StepKind::Tool);
        QCOMPARE(kinds.at("00000000000000d1"), StepKind::Chain); // the execution inside the client's call
        QCOMPARE(kinds.at("00000000000000d2"), StepKind::Tool);
    }

    void replacedStepIsSearchableByItsNewTexts()
    {
        const auto span = [](const char* end, const char* result) -> QByteArray {
            return QByteArray(
                       R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"dddddddddddddddddddddddddddddddd","spanId":"eeeeeeeeeeeeeeee","name":"execute_tool lookup","startTimeUnixNano":"1000",)")
                + end
                + R"("attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"lookup"}},{"key":"gen_ai.tool.call.result","value":{"stringValue":)"
                + '"' + result + '"' + "}}]}]}]}]}";
        };
        const QString open = m_dir.filePath(QStringLiteral("tool-open.json"));
        const QString done = m_dir.filePath(QStringLiteral("tool-done.json"));
        TestUtils::writeFile(open, span("", "pending alphaword"));
        TestUtils::writeFile(done, span(R"("endTimeUnixNano":"5000",)", "finished omegaword"));
        TraceStore store(path(QStringLiteral("replace.sqlite")));
        TraceWriter writer(store);
        QVERIFY(importFile(open.toStdString(), writer).ok());
        QCOMPARE(TraceSearch::search(store.database(), "alphaword").size(), std::size_t(1));
        QVERIFY(importFile(done.toStdString(), writer).ok());
        QCOMPARE(TraceSearch::search(store.database(), "alphaword").size(), std::size_t(0));
        QCOMPARE(TraceSearch::search(store.database(), "omegaword").size(), std::size_t(1));
        QCOMPARE(qs(store.stepDetail("dddddddddddddddddddddddddddddddd", "eeeeeeeeeeeeeeee")->step.toolResult),
            QStringLiteral("finished omegaword"));
        store.database().exec("INSERT INTO steps_fts(steps_fts) VALUES ('integrity-check')");
    }

    void newerCacheIsRefused()
    {
        const std::string file = path(QStringLiteral("newer.sqlite"));
        {
            Sql::Database db(file, Sql::Database::Mode::ReadWrite);
            db.exec("PRAGMA user_version = 99");
        }
        QVERIFY_THROWS_EXCEPTION(StoreError, TraceStore { file });
    }

    void failedFileRollsBack()
    {
        TraceStore store(path(QStringLiteral("rollback.sqlite")));
        TraceWriter writer(store);
        QVERIFY(importFile(TestUtils::samplePath().toStdString(), writer).ok());
        const auto before = snapshotOf(store);

        // A collector JSON Lines file whose first line is a valid request of a new trace, then garbage.
        const QString bad = m_dir.filePath(QStringLiteral("half-good.jsonl"));
        TestUtils::writeFile(bad,
            R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"11111111111111111111111111111111","spanId":"2222222222222222","name":"new","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]})"
            "\n{\"resourceSpans\": [ {\"scopeSpans\": \n");
        const ImportOutcome outcome = importFile(bad.toStdString(), writer);
        QCOMPARE(outcome.status, ImportOutcome::Status::Failed);
        QVERIFY2(outcome.error.where.find("line 3") != std::string::npos, outcome.error.toString().c_str());
        QCOMPARE(snapshotOf(store), before);
        QVERIFY(!store.trace("11111111111111111111111111111111"));
    }

    void cancelledFileRollsBack()
    {
        // Big enough for several progress callbacks: 3,000 spans.
        QByteArray lines;
        for (int line = 0; line < 30; ++line) {
            QByteArray spans;
            for (int i = 0; i < 100; ++i) {
                spans += QStringLiteral(
                    R"(%1{"traceId":"%2","spanId":"%3","name":"step","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{"key":"pad","value":{"stringValue":"%4"}}]})")
                             .arg(i ? QStringLiteral(",") : QString())
                             .arg(line + 1, 32, 16, QLatin1Char('0'))
                             .arg(i + 1, 16, 16, QLatin1Char('0'))
                             .arg(QString(4000, QLatin1Char('x')))
                             .toUtf8();
            }
            lines += "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}\n";
        }
        const QString file = m_dir.filePath(QStringLiteral("big.jsonl"));
        TestUtils::writeFile(file, lines);

        TraceStore store(path(QStringLiteral("cancel.sqlite")));
        TraceWriter writer(store);
        std::atomic<bool> cancel { false };
        ImportContext context;
        context.cancel = &cancel;
        int calls = 0;
        context.progress = [&](double, std::int64_t) {
            if (++calls == 3)
                cancel = true;
        };
        const ImportOutcome outcome = importFile(file.toStdString(), writer, context);
        QCOMPARE(outcome.status, ImportOutcome::Status::Cancelled);
        QCOMPARE(count(store, "SELECT count(*) FROM steps"), 0);
        QCOMPARE(count(store, "SELECT count(*) FROM payloads"), 0);
        QCOMPARE(count(store, "SELECT count(*) FROM sources"), 0);
        // The same file imports in full afterwards.
        cancel = false;
        context.progress = {};
        QVERIFY(importFile(file.toStdString(), writer, context).ok());
        QCOMPARE(count(store, "SELECT count(*) FROM steps"), 3000);
    }

    void moreCompleteCopyWins()
    {
        const auto span = [](const char* end, const char* extra) -> QByteArray {
            return QByteArray(
                       R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","spanId":"bbbbbbbbbbbbbbbb","name":"chat","startTimeUnixNano":"1000",)")
                + end + R"("attributes":[)" + extra + "]}]}]}]}";
        };
        const QString open = m_dir.filePath(QStringLiteral("open.json"));
        const QString done = m_dir.filePath(QStringLiteral("done.json"));
        TestUtils::writeFile(open, span("", ""));
        TestUtils::writeFile(done,
            span(R"("endTimeUnixNano":"5000",)", R"({"key":"gen_ai.operation.name","value":{"stringValue":"chat"}})"));
        TraceStore store(path(QStringLiteral("complete.sqlite")));
        TraceWriter writer(store);
        QVERIFY(importFile(open.toStdString(), writer).ok());
        QCOMPARE(store.steps("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").front().endNs, 0);
        QVERIFY(importFile(done.toStdString(), writer).ok());
        QCOMPARE(store.steps("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").front().endNs, 5000);
        // A retry that sends the incomplete copy again does not undo the ended one.
        QVERIFY(importFile(open.toStdString(), writer).ok());
        const auto steps = store.steps("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        QCOMPARE(steps.size(), std::size_t(1));
        QCOMPARE(steps.front().endNs, 5000);
        QCOMPARE(steps.front().kind, StepKind::Llm);
    }

    void usageRepeatedOnOuterSpansCountsOnce()
    {
        // An agent span repeating its child's usage, as Vercel and LangSmith do.
        const QByteArray file = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
 {"traceId":"cccccccccccccccccccccccccccccccc","spanId":"0000000000000001","name":"invoke_agent a","startTimeUnixNano":"1","endTimeUnixNano":"10",
  "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"100"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":20}}]},
 {"traceId":"cccccccccccccccccccccccccccccccc","spanId":"0000000000000002","parentSpanId":"0000000000000001","name":"chat m","startTimeUnixNano":"2","endTimeUnixNano":"9",
  "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"100"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"20"}}]}
]}]}]})";
        const QString name = m_dir.filePath(QStringLiteral("repeat.json"));
        TestUtils::writeFile(name, file);
        TraceStore store(path(QStringLiteral("repeat.sqlite")));
        TraceWriter writer(store);
        QVERIFY(importFile(name.toStdString(), writer).ok());
        const TraceSummary t = *store.trace("cccccccccccccccccccccccccccccccc");
        QCOMPARE(t.tokens.input, 100);
        QCOMPARE(t.tokens.output, 20);
        QCOMPARE(t.llmCalls, 1);
    }

    void fullTextSearchFindsPromptsAndToolResults()
    {
        TraceStore store(path(QStringLiteral("fts.sqlite")));
        TraceWriter writer(store);
        QVERIFY(importFile(TestUtils::samplePath().toStdString(), writer).ok());
        // "declined" is in the failing tool's result and in later prompts; "Whitfield" in the customer lookup.
        QVERIFY(count(store, "SELECT count(*) FROM steps_fts WHERE steps_fts MATCH 'declined'") >= 1);
        QVERIFY(count(store, "SELECT count(*) FROM steps_fts WHERE tool_result MATCH 'Whitfield'") >= 1);
        QCOMPARE(count(store, "SELECT count(*) FROM steps_fts WHERE steps_fts MATCH 'zebracornflakes'"), 0);
        store.database().exec("INSERT INTO steps_fts(steps_fts) VALUES ('integrity-check')");
    }

private:
    std::string path(const QString& name) const { return m_dir.filePath(name).toStdString(); }

    static QStringList snapshotOf(TraceStore& store)
    {
        QStringList lines;
        for (const TraceSummary& t : store.traces())
            lines << QStringLiteral("%1 %2 %3 %4").arg(qs(t.traceId)).arg(t.spans).arg(t.tokens.input).arg(t.errors);
        lines << QString::number(count(store, "SELECT count(*) FROM sources"));
        lines << QString::number(count(store, "SELECT count(*) FROM steps"));
        return lines;
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestTraceStore)
#include "tst_tracestore.moc"
