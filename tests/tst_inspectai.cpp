// Inspect AI eval logs (trace-formats-2026.md section 3): every JSON log of the corpus, with what each sample should
// give counted here from the file with Qt's JSON parser (never from the importer): a trace per sample, a step per
// span, model, tool, score, error and approval event (or per assistant and tool message when a sample has no
// events), and the tokens of its model events.

#include "testutils.h"

#include <fileimport.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <zip.h>

#include <cstring>

#include <map>
#include <set>

using namespace Tracelight;

namespace {

struct ExpectedSample
{
    int steps = 1; // the sample's root
    int llm = 0;
    int tools = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    int toolErrors = 0;
};

// The samples of a JSON log (or its bare event list as one sample), or of an .eval archive's samples/ entries
// (unpacked with libzip, parsed with Qt).
QJsonArray samplesOf(const QString& path)
{
    QJsonArray samples;
    if (path.endsWith(QLatin1String(".eval"))) {
        int error = 0;
        zip_t* zip = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &error);
        if (!zip)
            qFatal("cannot open %s", qPrintable(path));
        for (zip_int64_t i = 0; i < zip_get_num_entries(zip, 0); ++i) {
            const QString name = QString::fromUtf8(zip_get_name(zip, zip_uint64_t(i), 0));
            if (!name.startsWith(QLatin1String("samples/")) || !name.endsWith(QLatin1String(".json")))
                continue;
            zip_stat_t stat;
            zip_stat_index(zip, zip_uint64_t(i), 0, &stat);
            QByteArray bytes(qsizetype(stat.size), '\0');
            zip_file_t* file = zip_fopen_index(zip, zip_uint64_t(i), 0);
            zip_fread(file, bytes.data(), stat.size);
            zip_fclose(file);
            samples.append(QJsonDocument::fromJson(bytes).object());
        }
        zip_discard(zip);
        return samples;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    samples = root.value(QStringLiteral("samples")).toArray();
    if (samples.isEmpty() && root.contains(QStringLiteral("events")))
        samples.append(QJsonObject { { QStringLiteral("events"), root.value(QStringLiteral("events")) } });
    return samples;
}

std::vector<ExpectedSample> expectedSamples(const QString& path)
{
    const QJsonArray samples = samplesOf(path);
    std::vector<ExpectedSample> out;
    for (const QJsonValue value : samples) {
        const QJsonObject sample = value.toObject();
        ExpectedSample e;
        const QJsonArray events = sample.value(QStringLiteral("events")).toArray();
        // A span of type "tool" is one step with the tool event of its name in the span that called it.
        QSet<QString> toolCalls; // calling span id + function
        for (const QJsonValue ev : events) {
            const QJsonObject event = ev.toObject();
            if (event.value(QStringLiteral("event")).toString() == QLatin1String("tool"))
                toolCalls << event.value(QStringLiteral("span_id")).toString() + QLatin1Char('/')
                        + event.value(QStringLiteral("function")).toString();
        }
        for (const QJsonValue ev : events) {
            const QJsonObject event = ev.toObject();
            const QString type = event.value(QStringLiteral("event")).toString();
            if (type == QLatin1String("span_begin")) {
                const bool folded = event.value(QStringLiteral("type")).toString() == QLatin1String("tool")
                    && toolCalls.contains(event.value(QStringLiteral("parent_id")).toString() + QLatin1Char('/')
                        + event.value(QStringLiteral("name")).toString());
                e.steps += folded ? 0 : 1;
            } else if (type == QLatin1String("score") || type == QLatin1String("error")
                || type == QLatin1String("approval")) {
                ++e.steps;
            } else if (type == QLatin1String("model")) {
                ++e.steps;
                ++e.llm;
                const QJsonObject usage
                    = event.value(QStringLiteral("output")).toObject().value(QStringLiteral("usage")).toObject();
                e.inputTokens += usage.value(QStringLiteral("input_tokens")).toInteger();
                e.outputTokens += usage.value(QStringLiteral("output_tokens")).toInteger();
            } else if (type == QLatin1String("tool")) {
                ++e.steps;
                ++e.tools;
                if (event.value(QStringLiteral("error")).isObject())
                    ++e.toolErrors;
            }
        }
        if (events.isEmpty()) {
            for (const QJsonValue m : sample.value(QStringLiteral("messages")).toArray()) {
                const QString role = m.toObject().value(QStringLiteral("role")).toString();
                if (role == QLatin1String("assistant")) {
                    ++e.steps;
                    ++e.llm;
                } else if (role == QLatin1String("tool")) {
                    ++e.steps;
                    ++e.tools;
                    if (m.toObject().value(QStringLiteral("error")).isObject())
                        ++e.toolErrors;
                }
            }
        }
        out.push_back(e);
    }
    return out;
}

} // namespace

class TestInspectAi : public QObject
{
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void corpusFiles_data()
    {
        QTest::addColumn<QString>("file");
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");
        const QDir dir(TestUtils::corpusDir() + QStringLiteral("/other"));
        for (const QString& name : dir.entryList(
                 { QStringLiteral("inspect*.json"), QStringLiteral("inspect*.eval") }, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }

    void corpusFiles()
    {
        QFETCH(QString, file);
        const std::vector<ExpectedSample> expected = expectedSamples(file);
        QVERIFY(!expected.empty());
        TraceStore store(m_dir.filePath(QFileInfo(file).completeBaseName() + QStringLiteral(".sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(file.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(outcome.format, std::string(file.endsWith(QLatin1String(".eval")) ? "inspect-eval" : "inspect-ai"));
        const std::vector<TraceSummary> traces = store.traces();
        QCOMPARE(traces.size(), expected.size());
        // Samples and traces, matched by their figures as multisets (the list is in start order).
        std::multiset<QString> want;
        std::multiset<QString> got;
        const auto key = [](qint64 steps, qint64 llm, qint64 tools, qint64 in, qint64 out, qint64 errors) {
            return QStringLiteral("%1 steps, %2 llm, %3 tools, %4/%5 tokens, %6 errors")
                .arg(steps)
                .arg(llm)
                .arg(tools)
                .arg(in)
                .arg(out)
                .arg(errors);
        };
        for (const ExpectedSample& e : expected)
            want.insert(key(e.steps, e.llm, e.tools, e.inputTokens, e.outputTokens, e.toolErrors));
        for (const TraceSummary& t : traces) {
            int toolErrors = 0;
            int roots = 0;
            for (const StepRecord& s : store.steps(t.traceId)) {
                toolErrors += s.kind == StepKind::Tool && s.status == StepStatus::Error;
                roots += s.parentId.empty();
            }
            QCOMPARE(roots, 1);
            got.insert(key(t.spans, t.llmCalls, t.toolCalls, t.tokens.input, t.tokens.output, toolErrors));
        }
        QCOMPARE(QStringList(got.begin(), got.end()), QStringList(want.begin(), want.end()));
        QCOMPARE(importFile(file.toStdString(), writer).newSpans, 0);
    }

    void spansNestAndToolsCarryTheirCall()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");
        // inspect-ai-events-subagent-loop.json: solvers > bridge (agent) > helper (agent); model m2 in helper,
        // tool t1 (search, call_1, {"query": "1 + 1"} → "found it") in bridge.
        const QString path = TestUtils::corpusDir() + QStringLiteral("/other/inspect-ai-events-subagent-loop.json");
        TraceStore store(m_dir.filePath(QStringLiteral("loop.sqlite")).toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(path.toStdString(), writer).ok());
        const std::string traceId = store.traces().front().traceId;
        std::map<std::string, StepRecord> byId;
        for (const StepRecord& s : store.steps(traceId))
            byId[s.spanId] = s;
        QCOMPARE(byId.at("span-bridge").kind, StepKind::Agent);
        QCOMPARE(byId.at("span-bridge").parentId, std::string("span-solvers"));
        QCOMPARE(byId.at("span-helper").parentId, std::string("span-bridge"));
        QCOMPARE(byId.at("m2").parentId, std::string("span-helper"));
        QCOMPARE(byId.at("m1").parentId, std::string("span-bridge"));
        QCOMPARE(byId.at("t1").parentId, std::string("span-bridge"));
        const auto tool = store.stepDetail(traceId, "t1");
        QCOMPARE(tool->step.toolName, std::string("search"));
        QCOMPARE(tool->step.toolCallId, std::string("call_1"));
        QCOMPARE(tool->step.toolResult, std::string("found it"));
        QVERIFY2(QString::fromStdString(tool->step.toolArguments).contains(QStringLiteral("1 + 1")),
            tool->step.toolArguments.c_str());
        QCOMPARE(tool->record.endNs - tool->record.startNs, 1'000'000'000);
    }

    void evalArchiveOfARunCutShort()
    {
        // An .eval whose run stopped before header.json was written: the journal's start is the header.
        const QString path = m_dir.filePath(QStringLiteral("cut.eval"));
        int error = 0;
        zip_t* zip = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &error);
        QVERIFY(zip);
        const auto add = [&](const char* name, const char* text) {
            zip_source_t* source = zip_source_buffer(zip, text, std::strlen(text), 0);
            QVERIFY(zip_file_add(zip, name, source, ZIP_FL_OVERWRITE) >= 0);
        };
        add("_journal/start.json", R"({"version": 2, "eval": {"eval_id": "EVAL1", "task": "cut", "run_id": "RUN1"}})");
        add("samples/7_epoch_1.json",
            R"({"id": 7, "epoch": 1, "events": [{"event": "model", "uuid": "m", "timestamp": "2026-03-02T10:15:00+00:00",
              "completed": "2026-03-02T10:15:01+00:00", "model": "openai/gpt-4o", "input": [{"role": "user", "content": "hi"}],
              "output": {"choices": [{"message": {"role": "assistant", "content": "hello"}}],
              "usage": {"input_tokens": 5, "output_tokens": 2}}}]})");
        QCOMPARE(zip_close(zip), 0);
        TraceStore store(m_dir.filePath(QStringLiteral("cut.sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(path.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(outcome.format, std::string("inspect-eval"));
        const auto trace = store.trace("EVAL1:7:1");
        QVERIFY(trace);
        QCOMPARE(trace->llmCalls, 1);
        QCOMPARE(trace->tokens.input, 5);
        QCOMPARE(QString::fromStdString(trace->sessionId), QStringLiteral("RUN1"));
        QCOMPARE(QString::fromStdString(trace->name), QStringLiteral("cut #7 (epoch 1)"));
    }

    void corruptEvalArchive()
    {
        const QString path = m_dir.filePath(QStringLiteral("corrupt.eval"));
        TestUtils::writeFile(path, QByteArray("PK\x03\x04", 4) + QByteArray("_journal/start.json and nothing else"));
        TraceStore store(m_dir.filePath(QStringLiteral("corrupt.sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(path.toStdString(), writer);
        QVERIFY(!outcome.ok());
        QVERIFY2(QString::fromStdString(outcome.error.toString()).contains(QStringLiteral("ZIP")),
            outcome.error.toString().c_str());
        QVERIFY(store.traces().empty());
    }

    void notAnEvalLog()
    {
        const QString path = m_dir.filePath(QStringLiteral("header.json"));
        TestUtils::writeFile(path, R"({"version": 2, "status": "started", "eval": {"task": "t", "eval_id": "e"}})");
        TraceStore store(m_dir.filePath(QStringLiteral("header.sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(path.toStdString(), writer);
        QVERIFY(!outcome.ok());
        QVERIFY2(QString::fromStdString(outcome.error.message).contains(QStringLiteral("no samples")),
            outcome.error.toString().c_str());
        QVERIFY(store.traces().empty());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestInspectAi)
#include "tst_inspectai.moc"
