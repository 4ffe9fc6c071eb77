// Chrome Trace Event files (trace-formats-2026.md section 2): every corpus file, with the steps each should give
// counted here from the file with Qt's JSON parser (never from the importer): a root for the file, a lane per
// (process, thread) and per async id, and a step per complete (X) event, begin (B), instant and async begin.

#include "testutils.h"

#include <fileimport.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace Tracelight;

namespace {

// The events of a file, read as Chrome reads a truncated array: whitespace and one trailing comma trimmed, "]" added.
QJsonArray eventsOf(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QByteArray text = file.readAll().trimmed();
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError && text.startsWith('[')) {
        if (text.endsWith(','))
            text.chop(1);
        document = QJsonDocument::fromJson(text + ']');
    }
    return document.isArray() ? document.array() : document.object().value(QStringLiteral("traceEvents")).toArray();
}

int expectedSteps(const QJsonArray& events)
{
    QSet<QString> lanes;
    QSet<QString> asyncLanes;
    int slices = 0;
    // Async begins and ends of one id and name, in time order: an end closes an open begin, else it is a slice of
    // its own; every begin is a slice.
    std::map<QString, std::vector<std::pair<double, bool>>> asyncEvents; // (ts, is a begin)
    for (const QJsonValue value : events) {
        const QJsonObject e = value.toObject();
        const QString ph = e.value(QStringLiteral("ph")).toString();
        const QString pid = e.value(QStringLiteral("pid")).toVariant().toString();
        const QString tid = e.value(QStringLiteral("tid")).toVariant().toString();
        if (ph == QLatin1String("X") || ph == QLatin1String("B") || ph == QLatin1String("i")
            || ph == QLatin1String("I")) {
            lanes << pid + QLatin1Char('/') + tid;
            ++slices;
        } else if (ph == QLatin1String("E")) {
            lanes << pid + QLatin1Char('/') + tid;
        } else if (ph == QLatin1String("b") || ph == QLatin1String("S") || ph == QLatin1String("n")
            || ph == QLatin1String("e") || ph == QLatin1String("F")) {
            // The id is "id", else the one value of "id2" ({"local": …} or {"global": …}).
            const QJsonObject id2 = e.value(QStringLiteral("id2")).toObject();
            const QString id = e.contains(QStringLiteral("id")) ? e.value(QStringLiteral("id")).toVariant().toString()
                : id2.isEmpty()                                 ? QString()
                                                                : id2.begin().value().toVariant().toString();
            const QString key
                = pid + QLatin1Char('/') + e.value(QStringLiteral("cat")).toString() + QLatin1Char('/') + id;
            asyncLanes << key;
            if (ph == QLatin1String("n"))
                ++slices;
            else
                asyncEvents[key + QLatin1Char('/') + e.value(QStringLiteral("name")).toString()].push_back(
                    { e.value(QStringLiteral("ts")).toVariant().toDouble(),
                        ph == QLatin1String("b") || ph == QLatin1String("S") });
        }
    }
    for (auto& [key, list] : asyncEvents) {
        std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        int open = 0;
        for (const auto& [ts, begin] : list) {
            if (begin) {
                ++open;
                ++slices;
            } else if (open > 0) {
                --open;
            } else {
                ++slices;
            }
        }
    }
    return slices == 0 ? 0 : 1 + int(lanes.size() + asyncLanes.size()) + slices;
}

} // namespace

class TestChromeTrace : public QObject
{
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void corpusFiles_data()
    {
        QTest::addColumn<QString>("file");
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");
        const QDir dir(TestUtils::corpusDir() + QStringLiteral("/chrome-trace"));
        for (const QString& name : dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }

    void corpusFiles()
    {
        QFETCH(QString, file);
        const QJsonArray events = eventsOf(file);
        QVERIFY(!events.isEmpty());
        const int expected = expectedSteps(events);
        TraceStore store(m_dir.filePath(QFileInfo(file).baseName() + QStringLiteral(".sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(file.toStdString(), writer);
        if (expected == 0) {
            // DevTools metadata with CPU samples only: nothing that is a step, said so.
            QVERIFY(!outcome.ok());
            QVERIFY2(QString::fromStdString(outcome.error.message).contains(QStringLiteral("no trace events")),
                outcome.error.toString().c_str());
            QVERIFY(store.traces().empty());
            return;
        }
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(outcome.format, std::string("chrome-trace"));
        QCOMPARE(int(store.traces().size()), 1);
        const std::vector<StepRecord> steps = store.steps(store.traces().front().traceId);
        QCOMPARE(int(steps.size()), expected);
        // One root; every other step's parent is in the trace.
        QSet<QString> ids;
        for (const StepRecord& s : steps)
            ids << QString::fromStdString(s.spanId);
        int roots = 0;
        for (const StepRecord& s : steps) {
            if (s.parentId.empty())
                ++roots;
            else
                QVERIFY2(ids.contains(QString::fromStdString(s.parentId)), s.spanId.c_str());
        }
        QCOMPARE(roots, 1);
        QCOMPARE(importFile(file.toStdString(), writer).newSpans, 0); // the same file again adds nothing
    }

    void slicesNestByTime()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");
        // speedscope-simple.json: B alpha 0, B beta 1, X gamma 2+5 (args detail), X epsilon 7 (no dur), E beta 13,
        // E alpha 14, all on pid 0 / tid 0.
        TraceStore store(m_dir.filePath(QStringLiteral("simple.sqlite")).toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(
            QString(TestUtils::corpusDir() + QStringLiteral("/chrome-trace/speedscope-simple.json")).toStdString(),
            writer)
                    .ok());
        const std::string traceId = store.traces().front().traceId;
        std::map<std::string, StepRecord> byName;
        for (const StepRecord& s : store.steps(traceId))
            byName[s.name] = s;
        QCOMPARE(byName.size(), std::size_t(6));
        const StepRecord& lane = byName.at("pid 0 / tid 0");
        QCOMPARE(byName.at("alpha").parentId, lane.spanId);
        QCOMPARE(byName.at("beta").parentId, byName.at("alpha").spanId);
        QCOMPARE(byName.at("gamma").parentId, byName.at("beta").spanId);
        // epsilon starts where gamma ends: it follows gamma inside beta.
        QCOMPARE(byName.at("epsilon").parentId, byName.at("beta").spanId);
        QCOMPARE(byName.at("alpha").startNs, 0);
        QCOMPARE(byName.at("alpha").endNs, 14'000);
        QCOMPARE(byName.at("beta").endNs - byName.at("beta").startNs, 12'000);
        QCOMPARE(byName.at("gamma").endNs - byName.at("gamma").startNs, 5'000);
        const auto gamma = store.stepDetail(traceId, byName.at("gamma").spanId);
        QVERIFY2(QString::fromStdString(gamma->step.attributesJson).contains(QStringLiteral("foobar")),
            gamma->step.attributesJson.c_str());
    }

    void lanesAreNamedByMetadata()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");
        // speedscope-multiprocess.json: process_name p0 / thread_name p0t0 (M events), X alpha on it.
        TraceStore store(m_dir.filePath(QStringLiteral("multi.sqlite")).toStdString());
        TraceWriter writer(store);
        QVERIFY(
            importFile(QString(TestUtils::corpusDir() + QStringLiteral("/chrome-trace/speedscope-multiprocess.json"))
                           .toStdString(),
                writer)
                .ok());
        QSet<QString> names;
        QString alphaService;
        for (const StepRecord& s : store.steps(store.traces().front().traceId)) {
            names << QString::fromStdString(s.name);
            if (s.name == "alpha")
                alphaService = QString::fromStdString(s.service.str());
        }
        QVERIFY2(names.contains(QStringLiteral("p0 / p0t0")), qPrintable(QStringList(names.values()).join(u',')));
        QCOMPARE(alphaService, QStringLiteral("p0"));
    }

    void truncatedArrayWithAgentSteps()
    {
        // The spec's example, cut after the tool event as Chrome allows: "run" is never closed, so it ends at the
        // lane's last time (1450 µs) and holds the llm and tool events; the categories and gen_ai args say what they
        // are.
        const QByteArray text = R"([{"ph":"M","name":"thread_name","pid":1,"tid":7,"args":{"name":"agent"}},
 {"ph":"B","name":"run","cat":"agent","pid":1,"tid":7,"ts":1000},
 {"ph":"X","name":"llm","cat":"llm","pid":1,"tid":7,"ts":1010,"dur":400,"args":{"gen_ai.usage.input_tokens":52,"gen_ai.request.model":"gpt-4o"}},
 {"ph":"X","name":"tool","cat":"tool","pid":1,"tid":7,"ts":1420,"dur":30},
 {"ph":"X","name":"cut","pid":1,"tid":7,"ts":14)";
        const QString path = m_dir.filePath(QStringLiteral("cut.json"));
        TestUtils::writeFile(path, text);
        TraceStore store(m_dir.filePath(QStringLiteral("cut.sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(path.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        bool truncated = false;
        bool unclosed = false;
        for (const ImportIssue& warning : outcome.warnings) {
            truncated = truncated || QString::fromStdString(warning.message).contains(QStringLiteral("truncated"));
            unclosed = unclosed || QString::fromStdString(warning.message).contains(QStringLiteral("never closed"));
        }
        QVERIFY(truncated);
        QVERIFY(unclosed);
        std::map<std::string, StepRecord> byName;
        for (const StepRecord& s : store.steps(store.traces().front().traceId))
            byName[s.name] = s;
        QCOMPARE(byName.size(), std::size_t(5)); // root, lane "pid 1 / agent", run, llm, tool
        QCOMPARE(byName.at("run").kind, StepKind::Agent);
        QCOMPARE(byName.at("run").endNs, 1'450'000);
        QCOMPARE(byName.at("llm").kind, StepKind::Llm);
        QCOMPARE(byName.at("llm").tokens.input, 52);
        QCOMPARE(byName.at("llm").model.str(), std::string("gpt-4o"));
        QCOMPARE(byName.at("llm").parentId, byName.at("run").spanId);
        QCOMPARE(byName.at("tool").kind, StepKind::Tool);
        QCOMPARE(byName.at("tool").parentId, byName.at("run").spanId);
        QVERIFY(byName.count("pid 1 / agent"));
    }

    void flowsBecomeLinks()
    {
        // A flow from slice "send" on thread 1 to slice "receive" on thread 2: the receiving step links the sender.
        const QByteArray text = R"([{"ph":"X","name":"send","pid":1,"tid":1,"ts":0,"dur":10},
 {"ph":"X","name":"receive","pid":1,"tid":2,"ts":20,"dur":10},
 {"ph":"s","name":"msg","cat":"ipc","id":5,"pid":1,"tid":1,"ts":5},
 {"ph":"f","name":"msg","cat":"ipc","id":5,"pid":1,"tid":2,"ts":25,"bp":"e"}])";
        const QString path = m_dir.filePath(QStringLiteral("flow.json"));
        TestUtils::writeFile(path, text);
        TraceStore store(m_dir.filePath(QStringLiteral("flow.sqlite")).toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(path.toStdString(), writer).ok());
        const std::string traceId = store.traces().front().traceId;
        std::map<std::string, StepRecord> byName;
        for (const StepRecord& s : store.steps(traceId))
            byName[s.name] = s;
        const auto receive = store.stepDetail(traceId, byName.at("receive").spanId);
        const QJsonArray links = QJsonDocument::fromJson(QByteArray::fromStdString(receive->step.linksJson)).array();
        QCOMPARE(links.size(), 1);
        QCOMPARE(links[0][QStringLiteral("spanId")].toString(), QString::fromStdString(byName.at("send").spanId));
        QVERIFY(QJsonDocument::fromJson(
            QByteArray::fromStdString(store.stepDetail(traceId, byName.at("send").spanId)->step.linksJson))
                    .array()
                    .isEmpty());
    }

    void wallClockFromMetadata()
    {
        const QByteArray text = R"({"metadata":{"source":"DevTools","startTime":"2025-10-20T21:55:40.761Z"},
 "traceEvents":[{"ph":"X","name":"a","pid":1,"tid":1,"ts":433087536369,"dur":88},{"ph":"X","name":"b","pid":1,"tid":1,"ts":433087536469,"dur":10}]})";
        const QString path = m_dir.filePath(QStringLiteral("wall.json"));
        TestUtils::writeFile(path, text);
        TraceStore store(m_dir.filePath(QStringLiteral("wall.sqlite")).toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(path.toStdString(), writer).ok());
        const TraceSummary trace = store.traces().front();
        QCOMPARE(QString::fromStdString(trace.name), QStringLiteral("DevTools"));
        const qint64 wall
            = QDateTime::fromString(QStringLiteral("2025-10-20T21:55:40.761Z"), Qt::ISODateWithMs).toMSecsSinceEpoch();
        std::map<std::string, StepRecord> byName;
        for (const StepRecord& s : store.steps(trace.traceId))
            byName[s.name] = s;
        QCOMPARE(byName.at("a").startNs, wall * 1'000'000);
        QCOMPARE(byName.at("b").startNs - byName.at("a").startNs, 100'000);
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("object cut short")
            << QByteArray(R"({"traceEvents":[{"ph":"X","name":"a","pid":1,"tid":1,"ts":1,"dur":2},)")
            << QStringLiteral("line");
        QTest::newRow("no steps") << QByteArray(R"([{"ph":"C","name":"heap","pid":1,"ts":1,"args":{"v":3}}])")
                                  << QStringLiteral("no trace events");
    }

    void badInput()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        const QString path = m_dir.filePath(QStringLiteral("bad.json"));
        TestUtils::writeFile(path, content);
        TraceStore store(m_dir.filePath(QStringLiteral("bad.sqlite")).toStdString());
        TraceWriter writer(store);
        ImportContext context;
        context.forcedFormat = "chrome-trace";
        const ImportOutcome outcome = importFile(path.toStdString(), writer, context);
        QVERIFY(!outcome.ok());
        QVERIFY2(QString::fromStdString(outcome.error.toString()).contains(message), outcome.error.toString().c_str());
        QVERIFY(store.traces().empty());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestChromeTrace)
#include "tst_chrometrace.moc"
