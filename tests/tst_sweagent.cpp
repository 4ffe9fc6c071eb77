// SWE-agent trajectories (trace-formats-2026.md section 4): every corpus .traj, with what each should give worked
// out here from the file with Qt's JSON parser (never from the importer): a turn per trajectory step (or per model
// message of a history-only file), a tool step per action with its observation, the run's exit status, cost and
// tokens.

#include "testutils.h"

#include <fileimport.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace Tracelight;

namespace {

struct ExpectedTool
{
    QString name;
    QString arguments;
    QString result;
};

struct ExpectedRun
{
    int turns = 0;
    std::vector<ExpectedTool> tools;
    QString exitStatus;
    double cost = 0;
    qint64 tokensSent = 0;
};

QString text(const QJsonValue& value)
{
    return value.isString() ? value.toString() : QString();
}

ExpectedRun expectedRun(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    ExpectedRun run;
    const QJsonArray trajectory = root.value(QStringLiteral("trajectory")).toArray();
    const QJsonArray history = root.value(QStringLiteral("history")).toArray();
    // The model's own turns in the history, with the function each called and what came back.
    std::vector<std::pair<QJsonObject, QString>> turns;
    for (int i = 0; i < history.size(); ++i) {
        const QJsonObject m = history[i].toObject();
        if (m.value(QStringLiteral("role")).toString() != QLatin1String("assistant")
            || m.value(QStringLiteral("is_demo")).toBool())
            continue;
        QString observation;
        for (int j = i + 1; j < history.size(); ++j) {
            if (history[j].toObject().value(QStringLiteral("role")).toString() != QLatin1String("assistant")) {
                observation = text(history[j].toObject().value(QStringLiteral("content")));
                break;
            }
        }
        turns.emplace_back(m, observation);
    }
    const bool fromTrajectory = !trajectory.isEmpty();
    run.turns = fromTrajectory ? int(trajectory.size()) : int(turns.size());
    for (int i = 0; i < run.turns; ++i) {
        const QJsonObject step = fromTrajectory ? trajectory[i].toObject() : QJsonObject();
        const QJsonObject message = std::size_t(i) < turns.size() && turns.size() == std::size_t(run.turns)
            ? turns[std::size_t(i)].first
            : QJsonObject();
        ExpectedTool tool;
        tool.arguments = fromTrajectory ? text(step.value(QStringLiteral("action")))
                                        : text(message.value(QStringLiteral("action")));
        tool.result = fromTrajectory ? text(step.value(QStringLiteral("observation"))) : turns[std::size_t(i)].second;
        if (tool.arguments.isEmpty() && tool.result.isEmpty())
            continue;
        const QJsonArray calls = message.value(QStringLiteral("tool_calls")).toArray();
        tool.name = !calls.isEmpty()
            ? calls[0].toObject().value(QStringLiteral("function")).toObject().value(QStringLiteral("name")).toString()
            : tool.arguments.trimmed().section(QRegularExpression(QStringLiteral("\\s")), 0, 0);
        run.tools.push_back(tool);
    }
    const QJsonObject info = root.value(QStringLiteral("info")).toObject();
    run.exitStatus = info.value(QStringLiteral("exit_status")).toString();
    const QJsonObject stats = info.value(QStringLiteral("model_stats")).toObject();
    run.cost = stats.value(QStringLiteral("instance_cost")).toDouble();
    run.tokensSent = stats.value(QStringLiteral("tokens_sent")).toInteger();
    return run;
}

} // namespace

class TestSweAgent : public QObject
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
        for (const QString& name : dir.entryList({ QStringLiteral("*.traj") }, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }

    void corpusFiles()
    {
        QFETCH(QString, file);
        const ExpectedRun expected = expectedRun(file);
        QVERIFY(expected.turns > 0);
        TraceStore store(m_dir.filePath(QFileInfo(file).completeBaseName() + QStringLiteral(".sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(file.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(outcome.format, std::string("swe-agent"));
        QCOMPARE(int(store.traces().size()), 1);
        const TraceSummary trace = store.traces().front();
        QCOMPARE(QString::fromStdString(trace.name), QFileInfo(file).completeBaseName());
        QCOMPARE(trace.llmCalls, expected.turns);
        QCOMPARE(trace.toolCalls, qint64(expected.tools.size()));
        QCOMPARE(trace.spans, 1 + expected.turns + qint64(expected.tools.size()));

        // Tools in order (steps are laid end to end, so start order is the trajectory's).
        std::vector<StepRecord> tools;
        const StepRecord* root = nullptr;
        const std::vector<StepRecord> steps = store.steps(trace.traceId);
        for (const StepRecord& s : steps) {
            if (s.kind == StepKind::Tool)
                tools.push_back(s);
            if (s.parentId.empty())
                root = &s;
        }
        QVERIFY(root);
        QCOMPARE(tools.size(), expected.tools.size());
        for (std::size_t i = 0; i < tools.size(); ++i) {
            QCOMPARE(QString::fromStdString(tools[i].toolName.str()), expected.tools[i].name);
            const auto detail = store.stepDetail(trace.traceId, tools[i].spanId);
            QCOMPARE(QString::fromStdString(detail->step.toolArguments), expected.tools[i].arguments);
            QCOMPARE(QString::fromStdString(detail->step.toolResult), expected.tools[i].result);
        }
        QCOMPARE(root->status,
            expected.exitStatus == QLatin1String("submitted") ? StepStatus::Ok
                : expected.exitStatus.isEmpty()               ? StepStatus::Unset
                                                              : StepStatus::Error);
        if (expected.cost > 0)
            QCOMPARE(root->costUsd.value_or(0), expected.cost);
        if (expected.tokensSent > 0)
            QCOMPARE(root->tokens.input.value_or(0), expected.tokensSent);
        QCOMPARE(importFile(file.toStdString(), writer).newSpans, 0);
    }

    void turnsCarryTheirConversation()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");
        // swe-agent-function-calling-simple.traj (history only): the first model turn was sent the system prompt
        // and the issue; its tool call is find_file.
        const QString path = TestUtils::corpusDir() + QStringLiteral("/other/swe-agent-function-calling-simple.traj");
        TraceStore store(m_dir.filePath(QStringLiteral("simple.sqlite")).toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(path.toStdString(), writer).ok());
        const TraceSummary trace = store.traces().front();
        const std::vector<StepRecord> steps = store.steps(trace.traceId);
        const auto first
            = std::find_if(steps.begin(), steps.end(), [](const StepRecord& s) { return s.kind == StepKind::Llm; });
        QVERIFY(first != steps.end());
        const auto detail = store.stepDetail(trace.traceId, first->spanId);
        const QJsonArray input = QJsonDocument::fromJson(QByteArray::fromStdString(detail->step.inputMessages)).array();
        QCOMPARE(input.size(), 2);
        QCOMPARE(input[0][QStringLiteral("role")].toString(), QStringLiteral("system"));
        QVERIFY(QString::fromStdString(detail->step.inputText).contains(QStringLiteral("missing_colon.py")));
    }

    void miniSweAgent()
    {
        // mini-swe-agent v2 (trace-formats-2026.md section 4): timestamps, costs, actions and return codes in extra.
        const QByteArray text = R"({"info": {"model_stats": {"instance_cost": 0.02, "api_calls": 2},
  "config": {"model": {"model_name": "gpt-5-mini"}}, "mini_version": "1.17.5", "exit_status": "Submitted", "submission": "diff --git"},
 "messages": [
  {"role": "system", "content": "You are a helpful assistant that can interact with a computer."},
  {"role": "user", "content": "Fix the failing test in t.py", "extra": {"timestamp": 1760000000.0}},
  {"role": "assistant", "content": "Look first.", "extra": {"actions": [{"command": "ls -la"}], "cost": 0.01, "timestamp": 1760000002.0}},
  {"role": "user", "content": "t.py README", "extra": {"returncode": 0, "timestamp": 1760000003.5}},
  {"role": "assistant", "content": "Run it.", "extra": {"actions": [{"command": "python t.py"}], "cost": 0.01, "timestamp": 1760000005.0}},
  {"role": "user", "content": "Traceback: boom", "extra": {"returncode": 1, "timestamp": 1760000006.0}},
  {"role": "exit", "content": "Submitted", "extra": {"exit_status": "Submitted"}}],
 "trajectory_format": "mini-swe-agent-1.1"})";
        const QString path = m_dir.filePath(QStringLiteral("task-42.traj.json"));
        TestUtils::writeFile(path, text);
        TraceStore store(m_dir.filePath(QStringLiteral("mini.sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(path.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(outcome.format, std::string("swe-agent"));
        const TraceSummary trace = store.traces().front();
        QCOMPARE(QString::fromStdString(trace.name), QStringLiteral("task-42"));
        QCOMPARE(trace.llmCalls, 2);
        QCOMPARE(trace.toolCalls, 2);
        QCOMPARE(trace.costUsd.value_or(0), 0.02);
        std::vector<StepRecord> tools;
        for (const StepRecord& s : store.steps(trace.traceId)) {
            if (s.kind == StepKind::Tool)
                tools.push_back(s);
            if (s.parentId.empty())
                QCOMPARE(s.status, StepStatus::Ok);
        }
        QCOMPARE(tools.size(), std::size_t(2));
        QCOMPARE(tools[0].toolName.str(), std::string("ls"));
        QCOMPARE(tools[0].status, StepStatus::Ok);
        QCOMPARE(tools[0].endNs - tools[0].startNs, 1'500'000'000);
        QCOMPARE(tools[1].toolName.str(), std::string("python"));
        QCOMPARE(tools[1].status, StepStatus::Error);
        QCOMPARE(tools[1].statusMessage, std::string("1"));
        QCOMPARE(store.stepDetail(trace.traceId, tools[1].spanId)->step.toolResult, std::string("Traceback: boom"));
    }

    void notATrajectory()
    {
        const QString path = m_dir.filePath(QStringLiteral("bad.traj"));
        TestUtils::writeFile(path, R"({"trajectory": 3, "history": {}, "observation": 1})");
        TraceStore store(m_dir.filePath(QStringLiteral("bad.sqlite")).toStdString());
        TraceWriter writer(store);
        ImportContext context;
        context.forcedFormat = "swe-agent";
        const ImportOutcome outcome = importFile(path.toStdString(), writer, context);
        QVERIFY(!outcome.ok());
        QVERIFY2(QString::fromStdString(outcome.error.message).contains(QStringLiteral("trajectory")),
            outcome.error.toString().c_str());
        QVERIFY(store.traces().empty());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestSweAgent)
#include "tst_sweagent.moc"
