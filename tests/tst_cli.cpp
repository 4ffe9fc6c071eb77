#include "testutils.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result run(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY")); // the command line must never need one
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("minimal"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(TRACELIGHT_BINARY), arguments);
    if (!process.waitForFinished(60000))
        qFatal("tracelight did not finish");
    return { process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError() };
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("cli.sqlite"));
    }

    void versionAndHelp()
    {
        const Result version = run({ QStringLiteral("--version") });
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("tracelight "));
        const Result help = run({ QStringLiteral("--help") });
        QCOMPARE(help.exitCode, 0);
        for (const char* command : { "import", "list", "show" })
            QVERIFY(help.out.contains(command));
        QCOMPARE(run({ QStringLiteral("import"), QStringLiteral("--help") }).exitCode, 0);
        QCOMPARE(run({ QStringLiteral("import") }).exitCode, 2);
    }

    void importPrintsOneLinePerFile()
    {
        QStringList files { TestUtils::samplePath() };
        if (TestUtils::haveCorpus())
            files << TestUtils::corpusDir() + QStringLiteral("/otlp-json/otel-proto-example-trace.json");
        const Result result = run(QStringList { QStringLiteral("import"), QStringLiteral("--db"), m_db } + files);
        QCOMPARE(result.exitCode, 0);
        const QList<QByteArray> lines = result.out.trimmed().split('\n');
        QCOMPARE(lines.size(), files.size());
        QVERIFY2(lines.front().contains("1 traces, 32 spans (32 new)"), lines.front().constData());
        QVERIFY(lines.front().endsWith(" s"));
    }

    void listJson()
    {
        const Result result = run({ QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--json") });
        QCOMPARE(result.exitCode, 0);
        const json traces = json::parse(result.out.toStdString());
        QVERIFY(traces.is_array());
        const auto sample = std::find_if(traces.begin(), traces.end(),
            [](const json& t) { return t["trace_id"] == "62ea7a6dc2b69860d0195151f6e51f43"; });
        QVERIFY(sample != traces.end());
        for (const char* field : { "trace_id", "name", "service", "version", "start_ns", "duration_ms", "spans",
                 "llm_calls", "tool_calls", "input_tokens", "output_tokens", "cost_usd", "errors" })
            QVERIFY2(sample->contains(field), field);
        const json& t = *sample;
        QCOMPARE(t["name"].get<std::string>(), std::string("invoke_agent triage"));
        QCOMPARE(t["service"].get<std::string>(), std::string("support-agent"));
        QCOMPARE(t["version"].get<std::string>(), std::string("1.4.2"));
        QCOMPARE(t["start_ns"].get<std::int64_t>(), Q_INT64_C(1760433123217483911)); // exact, not rounded
        QCOMPARE(t["spans"].get<int>(), 32);
        QCOMPARE(t["llm_calls"].get<int>(), 10);
        QCOMPARE(t["tool_calls"].get<int>(), 10);
        QCOMPARE(t["input_tokens"].get<int>(), 12881);
        QCOMPARE(t["output_tokens"].get<int>(), 776);
        QCOMPARE(t["errors"].get<int>(), 2);
        QVERIFY(t["cost_usd"].is_null());
        QVERIFY(std::abs(t["duration_ms"].get<double>() - 39412.969108) < 1e-3);
    }

    void showJson()
    {
        const Result result = run({ QStringLiteral("show"), QStringLiteral("--db"), m_db,
            QStringLiteral("62ea7a6dc2b69860d0195151f6e51f43"), QStringLiteral("--json") });
        QCOMPARE(result.exitCode, 0);
        const json trace = json::parse(result.out.toStdString());
        QCOMPARE(trace["trace_id"].get<std::string>(), std::string("62ea7a6dc2b69860d0195151f6e51f43"));
        const json& steps = trace["steps"];
        QCOMPARE(int(steps.size()), 32);
        std::int64_t previous = 0;
        int roots = 0;
        for (const json& step : steps) {
            for (const char* field : { "span_id", "parent_id", "kind", "name", "start_ns", "end_ns", "status", "model",
                     "input_tokens", "output_tokens", "cost_usd", "tool_name", "agent_name" })
                QVERIFY2(step.contains(field), field);
            QVERIFY(step["start_ns"].get<std::int64_t>() >= previous); // start order
            previous = step["start_ns"].get<std::int64_t>();
            roots += step["parent_id"].is_null();
        }
        QCOMPARE(roots, 1);
        QCOMPARE(steps[0]["span_id"].get<std::string>(), std::string("89f56a5310a1e470"));
        QCOMPARE(steps[0]["kind"].get<std::string>(), std::string("agent"));
        const auto failing = std::find_if(
            steps.begin(), steps.end(), [](const json& s) { return s["span_id"] == "dcd2a8ceac3508ff"; });
        QCOMPARE((*failing)["status"].get<std::string>(), std::string("error"));
        QCOMPARE((*failing)["kind"].get<std::string>(), std::string("tool"));
        QCOMPARE((*failing)["tool_name"].get<std::string>(), std::string("issue_refund"));
        // A prefix is enough; an unknown id fails.
        QCOMPARE(run({ QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("62ea7a") }).exitCode, 0);
        const Result missing = run({ QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("ffff") });
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("no trace"));
    }

    void failedImportNamesFileAndPlace()
    {
        const QString bad = m_dir.filePath(QStringLiteral("broken.json"));
        TestUtils::writeFile(bad, "{\"resourceSpans\": [\n{\"scopeSpans\": [ ]\n");
        const Result before = run({ QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--json") });
        const Result result
            = run({ QStringLiteral("import"), QStringLiteral("--db"), m_db, bad, TestUtils::samplePath() });
        QCOMPARE(result.exitCode, 1); // one file failed
        QVERIFY2(result.err.contains(QByteArray(bad.toUtf8() + ": line 3")), result.err.constData());
        QVERIFY(result.out.contains("(already imported)")); // the other file still ran
        const Result after = run({ QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--json") });
        QCOMPARE(after.out, before.out);
    }

    void dbFromEnvironment()
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("TRACELIGHT_DB"), m_db);
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(TRACELIGHT_BINARY), { QStringLiteral("list") });
        QVERIFY(process.waitForFinished(60000));
        QVERIFY(process.readAllStandardOutput().contains("62ea7a6dc2b69860d0195151f6e51f43"));
    }

private:
    QTemporaryDir m_dir;
    QString m_db;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
