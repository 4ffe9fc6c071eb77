#include "testutils.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

using nlohmann::json;

namespace {

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// The user's own prices.json must not change the figures the tests expect.
QString configHome()
{
    static QTemporaryDir dir;
    return dir.path();
}

Result run(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY")); // the command line must never need one
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome());
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
        for (const char* command : { "import", "list", "show", "export", "stats" })
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
        QVERIFY(std::abs(t["duration_ms"].get<double>() - 39412.969108) < 1e-3);
        // Priced with the shipped table: gpt-4o and gpt-4o-mini are in it.
        QVERIFY(t["cost_usd"].is_number());
        QCOMPARE(t["cost_source"].get<std::string>(), std::string("computed"));
        QCOMPARE(t["unknown_cost_calls"].get<int>(), 0);
        QCOMPARE(t["cache_write_tokens"].get<int>(), 0);
    }

    // --prices replaces the user's price file. The sample's cost at these prices is worked out by hand in
    // tst_cost::sampleCost: $0.0100775 for gpt-4o, $0.0012075 for gpt-4o-mini.
    void listJsonWithPrices_data()
    {
        QTest::addColumn<QByteArray>("prices");
        QTest::addColumn<double>("cost"); // -1: null
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("unknownCalls");
        QTest::newRow("both models priced") << QByteArray(R"({"models": [
            { "models": ["gpt-4o"], "input": 2.5, "cache_read": 1.25, "output": 10 },
            { "models": ["gpt-4o-mini"], "input": 0.15, "cache_read": 0.075, "output": 0.6 }]})")
                                            << 0.011285 << "computed" << 0;
        // A free gpt-4o-mini overrides the shipped price: only gpt-4o's $0.0100775 remains.
        QTest::newRow("override to free") << QByteArray(R"({"models": [
            { "models": ["gpt-4o"], "input": 2.5, "cache_read": 1.25, "output": 10 },
            { "models": ["gpt-4o-mini"], "input": 0, "output": 0 }]})")
                                          << 0.0100775 << "computed" << 0;
    }

    void listJsonWithPrices()
    {
        QFETCH(QByteArray, prices);
        QFETCH(double, cost);
        QFETCH(QString, source);
        QFETCH(int, unknownCalls);
        const QString file = m_dir.filePath(QStringLiteral("prices.json"));
        TestUtils::writeFile(file, prices);
        const Result result = run({ QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--json"),
            QStringLiteral("--prices"), file });
        QCOMPARE(result.exitCode, 0);
        const json traces = json::parse(result.out.toStdString());
        const auto t = std::find_if(traces.begin(), traces.end(),
            [](const json& t) { return t["trace_id"] == "62ea7a6dc2b69860d0195151f6e51f43"; });
        QVERIFY(t != traces.end());
        QVERIFY2(std::abs((*t)["cost_usd"].get<double>() - cost) < 1e-12, (*t)["cost_usd"].dump().c_str());
        QCOMPARE(QString::fromStdString((*t)["cost_source"].get<std::string>()), source);
        QCOMPARE((*t)["unknown_cost_calls"].get<int>(), unknownCalls);
    }

    void badPriceFileIsNamed()
    {
        const QString file = m_dir.filePath(QStringLiteral("bad-prices.json"));
        TestUtils::writeFile(file, R"({"models": [{"models": "gpt-4o", "input": "cheap", "output": 1}]})");
        const Result result
            = run({ QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--prices"), file });
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(QByteArray(file.toUtf8() + ": models[0]: \"input\" must be a number")),
            result.err.constData());
        const Result missing = run({ QStringLiteral("stats"), QStringLiteral("--db"), m_db, QStringLiteral("--prices"),
            m_dir.filePath(QStringLiteral("none.json")) });
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("none.json: no such price file"));
    }

    // The sample's figures, from its attributes by hand (see tst_stats::sampleRun for the derivation).
    void statsJson()
    {
        const QString prices = m_dir.filePath(QStringLiteral("stats-prices.json"));
        TestUtils::writeFile(prices, R"({"models": [
            { "models": ["gpt-4o"], "input": 2.5, "cache_read": 1.25, "output": 10 },
            { "models": ["gpt-4o-mini"], "input": 0.15, "cache_read": 0.075, "output": 0.6 }]})");
        const Result result = run({ QStringLiteral("stats"), QStringLiteral("--db"), m_db, QStringLiteral("--json"),
            QStringLiteral("--service"), QStringLiteral("support-agent"), QStringLiteral("--by"),
            QStringLiteral("tool"), QStringLiteral("--prices"), prices });
        QCOMPARE(result.exitCode, 0);
        const json s = json::parse(result.out.toStdString());
        for (const char* field : { "runs", "runs_with_errors", "error_rate", "steps", "llm_calls", "tool_calls",
                 "tool_errors", "tool_success_rate", "input_tokens", "output_tokens", "cache_read_tokens",
                 "cache_write_tokens", "reasoning_tokens", "cost_usd", "cost_source", "median_run_cost_usd",
                 "unknown_cost_calls", "unpriced_models", "latency_ms", "escalation_rate", "handoff_rate", "retrievals",
                 "first_start_ns", "last_start_ns", "filter", "by", "groups" })
            QVERIFY2(s.contains(field), field);
        QCOMPARE(s["runs"].get<int>(), 1);
        QCOMPARE(s["runs_with_errors"].get<int>(), 1);
        QCOMPARE(s["llm_calls"].get<int>(), 10);
        QCOMPARE(s["tool_errors"].get<int>(), 1);
        QCOMPARE(s["input_tokens"].get<int>(), 12881);
        QCOMPARE(s["cache_read_tokens"].get<int>(), 7808);
        QVERIFY(std::abs(s["cost_usd"].get<double>() - 0.011285) < 1e-12);
        QVERIFY(std::abs(s["latency_ms"]["p50"].get<double>() - 39412.969108) < 1e-3);
        QCOMPARE(s["handoff_rate"].get<double>(), 1.0);
        QCOMPARE(s["filter"]["service"].get<std::string>(), std::string("support-agent"));
        QCOMPARE(s["by"].get<std::string>(), std::string("tool"));
        QCOMPARE(int(s["groups"].size()), 9);
        const json& first = s["groups"][0];
        QCOMPARE(first["key"].get<std::string>(), std::string("issue_refund"));
        QCOMPARE(first["calls"].get<int>(), 2);
        QCOMPARE(first["errors"].get<int>(), 1);
        QVERIFY(first["cost_usd"].is_null()); // tools are not costed
    }

    void statsText()
    {
        const Result all = run({ QStringLiteral("stats"), QStringLiteral("--db"), m_db, QStringLiteral("--by"),
            QStringLiteral("model"), QStringLiteral("--since"), QStringLiteral("2025-10-14"), QStringLiteral("--until"),
            QStringLiteral("2025-10-15T00:00:00Z") });
        QCOMPARE(all.exitCode, 0);
        QVERIFY2(all.out.startsWith("Runs         1 (1 with errors, 100.0 %)"), all.out.constData());
        QVERIFY(all.out.contains("gpt-4o-mini-2024-07-18"));
        const Result none = run({ QStringLiteral("stats"), QStringLiteral("--db"), m_db, QStringLiteral("--model"),
            QStringLiteral("nope") });
        QCOMPARE(none.exitCode, 0);
        QVERIFY(none.out.contains("No runs match"));
        QCOMPARE(run({ QStringLiteral("stats"), QStringLiteral("--db"), m_db, QStringLiteral("--by"),
                         QStringLiteral("colour") })
                     .exitCode,
            2);
        const Result badTime = run({ QStringLiteral("stats"), QStringLiteral("--db"), m_db, QStringLiteral("--since"),
            QStringLiteral("last tuesday") });
        QCOMPARE(badTime.exitCode, 2);
        QVERIFY(badTime.err.contains("--since takes a date"));
        QCOMPARE(run({ QStringLiteral("stats"), QStringLiteral("--help") }).exitCode, 0);
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
        // Each llm step has its cost; tools and agents have none.
        double costs = 0;
        for (const json& step : steps) {
            if (step["kind"] == "llm") {
                QCOMPARE(step["cost_source"].get<std::string>(), std::string("computed"));
                costs += step["cost_usd"].get<double>();
            } else {
                QVERIFY(step["cost_usd"].is_null());
                QVERIFY(step["cost_source"].is_null());
            }
        }
        QVERIFY(costs > 0);
        // A prefix is enough; an unknown id fails.
        QCOMPARE(run({ QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("62ea7a") }).exitCode, 0);
        const Result missing = run({ QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("ffff") });
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("no trace"));
    }

    void exportWritesOtlpJson()
    {
        const QString out = m_dir.filePath(QStringLiteral("export.json"));
        const Result result = run({ QStringLiteral("export"), QStringLiteral("--db"), m_db, QStringLiteral("62ea7a"),
            QStringLiteral("--format"), QStringLiteral("otlp-json"), QStringLiteral("-o"), out });
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains("32 spans of trace 62ea7a6dc2b69860d0195151f6e51f43"), result.out.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const json exported = json::parse(file.readAll().toStdString());

        // The sample's spans by id, read straight from the file.
        QFile sampleFile(TestUtils::samplePath());
        QVERIFY(sampleFile.open(QIODevice::ReadOnly));
        const json sample = json::parse(sampleFile.readAll().toStdString());
        std::map<std::string, json> original;
        for (const json& rs : sample["resourceSpans"])
            for (const json& ss : rs["scopeSpans"])
                for (const json& span : ss["spans"])
                    original[span["spanId"].get<std::string>()] = span;
        QCOMPARE(int(exported["resourceSpans"].size()), 1);
        QVERIFY(exported["resourceSpans"][0]["resource"] == sample["resourceSpans"][0]["resource"]);
        QVERIFY(exported["resourceSpans"][0]["scopeSpans"][0]["scope"]
            == sample["resourceSpans"][0]["scopeSpans"][0]["scope"]);
        int spans = 0;
        for (const json& span : exported["resourceSpans"][0]["scopeSpans"][0]["spans"]) {
            ++spans;
            const json& source = original.at(span["spanId"].get<std::string>());
            // Everything another OTLP tool reads is the original span's, attributes verbatim. (An empty status and
            // no status are the same: unset.)
            for (const char* key : { "traceId", "parentSpanId", "name", "kind", "flags", "startTimeUnixNano",
                     "endTimeUnixNano", "attributes", "events" })
                QVERIFY2(span.value(key, json()) == source.value(key, json()), key);
            QVERIFY(span.value("status", json::object()) == source.value("status", json::object()));
        }
        QCOMPARE(spans, 32);

        // Standard output gets the same request.
        const Result toStdout
            = run({ QStringLiteral("export"), QStringLiteral("--db"), m_db, QStringLiteral("62ea7a6dc2b69860") });
        QCOMPARE(toStdout.exitCode, 0);
        QVERIFY(json::parse(toStdout.out.toStdString()) == exported);

        // Imported into another cache, the trace shows the same.
        const QString other = m_dir.filePath(QStringLiteral("other.sqlite"));
        QCOMPARE(run({ QStringLiteral("import"), QStringLiteral("--db"), other, out }).exitCode, 0);
        auto show = [](const QString& db) {
            return run({ QStringLiteral("show"), QStringLiteral("--db"), db, QStringLiteral("62ea7a"),
                QStringLiteral("--json") });
        };
        const Result before = show(m_db);
        const Result after = show(other);
        QCOMPARE(after.exitCode, 0);
        QVERIFY(after.out.contains("\"span_id\": \"dcd2a8ceac3508ff\""));
        QCOMPARE(after.out, before.out);
    }

    void exportErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no trace id") << QStringList {} << 2 << "give exactly one TRACE_ID";
        QTest::newRow("unknown trace") << QStringList { QStringLiteral("ffff") } << 1 << "no trace \"ffff\"";
        QTest::newRow("unknown format") << QStringList { QStringLiteral("62ea7a"), QStringLiteral("--format"),
            QStringLiteral("zipkin") } << 2
                                        << "unknown format \"zipkin\"; known formats: otlp-json";
        QTest::newRow("unwritable file") << QStringList { QStringLiteral("62ea7a"), QStringLiteral("-o"),
            QStringLiteral("/nonexistent/folder/trace.json") }
                                         << 1 << "cannot write /nonexistent/folder/trace.json";
    }

    void exportErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Result result = run(QStringList { QStringLiteral("export"), QStringLiteral("--db"), m_db } + arguments);
        QCOMPARE(result.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(result.err).contains(message), result.err.constData());
        QVERIFY(result.out.isEmpty());
    }

    void searchJson()
    {
        const Result result = run({ QStringLiteral("search"), QStringLiteral("--db"), m_db, QStringLiteral("declined"),
            QStringLiteral("--json") });
        QCOMPARE(result.exitCode, 0);
        const json hits = json::parse(result.out.toStdString());
        // Seven steps of the sample mention "declined" in their messages or tool arguments, six of them first in the
        // run (see tst_inspector).
        QCOMPARE(int(hits.size()), 6);
        for (const json& hit : hits) {
            for (const char* field :
                { "trace_id", "trace_name", "span_id", "step_name", "kind", "field", "snippet", "highlights", "rank" })
                QVERIFY2(hit.contains(field), field);
            // The highlights are code point ranges of the matched word in the snippet.
            const QString snippet = QString::fromStdString(hit["snippet"].get<std::string>());
            QVERIFY(!hit["highlights"].empty());
            for (const json& range : hit["highlights"]) {
                const auto begin = range[0].get<qsizetype>();
                const auto end = range[1].get<qsizetype>();
                QCOMPARE(QStringView(snippet).toUcs4().mid(begin, end - begin), QStringLiteral("declined").toUcs4());
            }
        }
        QCOMPARE(run({ QStringLiteral("search"), QStringLiteral("--db"), m_db }).exitCode, 2);
        QCOMPARE(run({ QStringLiteral("search"), QStringLiteral("--db"), m_db, QStringLiteral("x"),
                         QStringLiteral("--trace"), QStringLiteral("ffff") })
                     .exitCode,
            1);
    }

    void renderWithoutDisplay()
    {
        const QString png = m_dir.filePath(QStringLiteral("flame.png"));
        const Result result = run({ QStringLiteral("render"), QStringLiteral("--db"), m_db, QStringLiteral("62ea7a"),
            QStringLiteral("--view"), QStringLiteral("flame"), QStringLiteral("-o"), png });
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(QImage(png).width(), 1600);
        QCOMPARE(run({ QStringLiteral("render"), QStringLiteral("--db"), m_db, QStringLiteral("62ea7a"),
                         QStringLiteral("--view"), QStringLiteral("pie"), QStringLiteral("-o"), png })
                     .exitCode,
            2);
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

    // Annotations: set, edit, list/show fields, errors, re-import, a report that still verifies, export, merge
    // from another cache and from an export, delete.
    void annotations()
    {
        const QString trace = QStringLiteral("62ea7a6dc2b69860d0195151f6e51f43");
        const QString db = m_dir.filePath(QStringLiteral("annotations.sqlite"));
        const QString other = m_dir.filePath(QStringLiteral("annotations-other.sqlite"));
        const QString empty = m_dir.filePath(QStringLiteral("annotations-empty.sqlite"));
        for (const QString& cache : { db, other })
            QCOMPARE(
                run({ QStringLiteral("import"), QStringLiteral("--db"), cache, TestUtils::samplePath() }).exitCode, 0);
        const auto cli = [](QStringList arguments, const QString& cache) {
            arguments << QStringLiteral("--db") << cache;
            return run(arguments);
        };
        const QString report = m_dir.filePath(QStringLiteral("before.json"));
        QCOMPARE(cli({ QStringLiteral("report"), trace, QStringLiteral("--format"), QStringLiteral("json"),
                         QStringLiteral("-o"), report },
                     db)
                     .exitCode,
            0);
        const json steps
            = json::parse(cli({ QStringLiteral("show"), trace, QStringLiteral("--json") }, db).out.toStdString());
        std::string toolSpan;
        for (const json& s : steps["steps"])
            if (s["kind"] == "tool" && toolSpan.empty())
                toolSpan = s["span_id"].get<std::string>();
        QVERIFY(!toolSpan.empty());

        Result r = cli(
            { QStringLiteral("annotate"), trace.left(8), QStringLiteral("--label"), QStringLiteral("wrong"),
                QStringLiteral("--rating"), QStringLiteral("2"), QStringLiteral("--note"),
                QStringLiteral("refunded the wrong customer"), QStringLiteral("--author"), QStringLiteral("alice") },
            db);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("annotated"));
        QCOMPARE(cli({ QStringLiteral("annotate"), trace, QString::fromStdString(toolSpan.substr(0, 10)),
                         QStringLiteral("--label"), QStringLiteral("root cause"), QStringLiteral("--author"),
                         QStringLiteral("alice") },
                     db)
                     .exitCode,
            0);
        QCOMPARE(cli({ QStringLiteral("annotate"), trace, QStringLiteral("--label"), QStringLiteral("correct"),
                         QStringLiteral("--author"), QStringLiteral("bob") },
                     db)
                     .exitCode,
            0);
        // An edit keeps what it does not set.
        QCOMPARE(cli({ QStringLiteral("annotate"), trace, QStringLiteral("--note"), QStringLiteral("on purpose?"),
                         QStringLiteral("--author"), QStringLiteral("alice") },
                     db)
                     .exitCode,
            0);
        // Bad input: exit 2 for usage, 1 for what is not there.
        QCOMPARE(
            cli({ QStringLiteral("annotate"), trace, QStringLiteral("--rating"), QStringLiteral("7") }, db).exitCode,
            2);
        QCOMPARE(cli({ QStringLiteral("annotate"), trace }, db).exitCode, 2);
        QCOMPARE(
            cli({ QStringLiteral("annotate"), QStringLiteral("ffff"), QStringLiteral("--label"), QStringLiteral("x") },
                db)
                .exitCode,
            1);
        QCOMPARE(cli({ QStringLiteral("annotate"), trace, QStringLiteral("nope"), QStringLiteral("--label"),
                         QStringLiteral("x") },
                     db)
                     .exitCode,
            1);

        const auto listed = [&](const QString& cache) {
            const json rows
                = json::parse(cli({ QStringLiteral("list"), QStringLiteral("--json") }, cache).out.toStdString());
            for (const json& row : rows)
                if (row["trace_id"] == trace.toStdString())
                    return row;
            return json();
        };
        json row = listed(db);
        QCOMPARE(row["annotations"].get<int>(), 3);
        QVERIFY2(row["annotation_labels"] == json({ "correct", "root cause", "wrong" }), row.dump().c_str());
        const json shown
            = json::parse(cli({ QStringLiteral("show"), trace, QStringLiteral("--json") }, db).out.toStdString());
        QCOMPARE(shown["annotations"].size(), std::size_t(3));
        json alices;
        for (const json& a : shown["annotations"])
            if (a["author"] == "alice" && a["span_id"].is_null())
                alices = a;
        QCOMPARE(alices["label"].get<std::string>(), std::string("wrong"));
        QCOMPARE(alices["rating"].get<int>(), 2);
        QCOMPARE(alices["note"].get<std::string>(), std::string("on purpose?"));

        // Re-importing the file keeps them, and a report made before still verifies: the data did not change.
        QCOMPARE(run({ QStringLiteral("import"), QStringLiteral("--db"), db, TestUtils::samplePath() }).exitCode, 0);
        QCOMPARE(listed(db)["annotations"].get<int>(), 3);
        r = cli({ QStringLiteral("verify"), report }, db);
        QVERIFY2(r.exitCode == 0, r.out.constData());

        // Export: JSON Lines, one an annotation.
        const QString exported = m_dir.filePath(QStringLiteral("annotations.jsonl"));
        QCOMPARE(cli({ QStringLiteral("annotations"), QStringLiteral("export"), QStringLiteral("-o"), exported }, db)
                     .exitCode,
            0);
        QFile file(exported);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (const QByteArray& line : lines) {
            const json a = json::parse(line.toStdString());
            for (const char* field : { "trace_id", "span_id", "label", "rating", "note", "created", "author" })
                QVERIFY2(a.contains(field), field);
            QCOMPARE(a["trace_id"].get<std::string>(), trace.toStdString());
        }

        // Merge: the other cache has a newer annotation of bob's; alice's two come in, bob's newer one stays.
        QTest::qWait(5);
        QCOMPARE(cli({ QStringLiteral("annotate"), trace, QStringLiteral("--label"), QStringLiteral("wrong"),
                         QStringLiteral("--author"), QStringLiteral("bob") },
                     other)
                     .exitCode,
            0);
        r = cli({ QStringLiteral("annotations"), QStringLiteral("import"), db }, other);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("2 added, 0 updated, 1 unchanged"), r.out.constData());
        row = listed(other);
        QCOMPARE(row["annotations"].get<int>(), 3);
        QVERIFY2(row["annotation_labels"] == json({ "root cause", "wrong" }), row.dump().c_str());
        // From an export into a cache without the run: kept for when it is imported.
        r = cli({ QStringLiteral("annotations"), QStringLiteral("import"), exported }, empty);
        QVERIFY2(r.out.contains("3 added") && r.out.contains("not in this cache"), r.out.constData());
        QCOMPARE(run({ QStringLiteral("import"), QStringLiteral("--db"), empty, TestUtils::samplePath() }).exitCode, 0);
        QCOMPARE(listed(empty)["annotations"].get<int>(), 3);
        // A line that is not an annotation names its line.
        const QString bad = m_dir.filePath(QStringLiteral("bad.jsonl"));
        TestUtils::writeFile(bad, QByteArray(lines.front() + "\n{\"trace_id\":\"t\",\"rating\":9}\n"));
        r = cli({ QStringLiteral("annotations"), QStringLiteral("import"), bad }, empty);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("line 2") && r.err.contains("rating"), r.err.constData());

        // Delete.
        QCOMPARE(cli({ QStringLiteral("annotate"), trace, QString::fromStdString(toolSpan), QStringLiteral("--delete"),
                         QStringLiteral("--author"), QStringLiteral("alice") },
                     db)
                     .exitCode,
            0);
        QCOMPARE(listed(db)["annotations"].get<int>(), 2);
        QCOMPARE(cli({ QStringLiteral("annotate"), trace, QString::fromStdString(toolSpan), QStringLiteral("--delete"),
                         QStringLiteral("--author"), QStringLiteral("alice") },
                     db)
                     .exitCode,
            1);
    }

    // The agent graph of the sample, worked out by hand from resources/samples/refund-agent.otlp.json: the triage
    // agent (3 gpt-4o calls, 1 gpt-4o-mini, lookup_customer, get_order, search_kb with its embedding and retrieval,
    // transfer_to_refunds) hands off to the refunds agent (6 gpt-4o-mini calls, check_refund_eligibility,
    // issue_refund twice, once declined, get_payment_methods, send_confirmation_email, update_ticket).
    void graphOfTheSample()
    {
        const QString db = m_dir.filePath(QStringLiteral("graph.sqlite"));
        QCOMPARE(run({ QStringLiteral("import"), QStringLiteral("--db"), db, TestUtils::samplePath() }).exitCode, 0);
        const Result r = run({ QStringLiteral("graph"), QStringLiteral("--db"), db, QStringLiteral("62ea7a6d"),
            QStringLiteral("--json") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const json graph = json::parse(r.out.toStdString());
        QCOMPARE(graph["runs"].get<int>(), 1);
        std::map<std::string, json> nodes;
        for (const json& n : graph["nodes"])
            nodes[n["id"].get<std::string>()] = n;
        std::map<std::string, json> edges;
        for (const json& e : graph["edges"])
            edges[e["from"].get<std::string>() + " " + e["kind"].get<std::string>() + " " + e["to"].get<std::string>()]
                = e;
        const auto edge = [&](const char* key) {
            const auto it = edges.find(key);
            if (it == edges.end())
                qFatal("no edge %s in %s", key, r.out.constData());
            return it->second;
        };
        QCOMPARE(edge("run call agent:triage")["count"].get<int>(), 1);
        QCOMPARE(edge("agent:triage handoff agent:refunds")["count"].get<int>(), 1);
        QCOMPARE(edge("agent:triage call model:gpt-4o-2024-08-06")["count"].get<int>(), 3);
        QCOMPARE(edge("agent:triage call model:gpt-4o-mini-2024-07-18")["count"].get<int>(), 1);
        QCOMPARE(edge("agent:triage call model:text-embedding-3-small")["count"].get<int>(), 1);
        QCOMPARE(edge("agent:triage call retriever:retrieval kb-support")["count"].get<int>(), 1);
        QCOMPARE(edge("agent:triage call tool:transfer_to_refunds")["count"].get<int>(), 1);
        QCOMPARE(edge("agent:refunds call model:gpt-4o-mini-2024-07-18")["count"].get<int>(), 6);
        const json refund = edge("agent:refunds call tool:issue_refund");
        QCOMPARE(refund["count"].get<int>(), 2);
        QCOMPARE(refund["errors"].get<int>(), 1);
        // 887 ms and 712 ms (the spans' own times): p50 is their mean, p95 near the longer.
        QVERIFY(std::abs(refund["p50_ns"].get<double>() - (886.9e6 + 711.6e6) / 2) < 2e6);
        QVERIFY(refund["p95_ns"].get<std::int64_t>() > 860000000);
        QCOMPARE(int(edges.size()), 1 + 1 + 3 + 4 + 1 + 6); // run, handoff, triage's models and tools, refunds'
        QCOMPARE(nodes["tool:issue_refund"]["calls"].get<int>(), 2);
        QCOMPARE(nodes["tool:issue_refund"]["errors"].get<int>(), 1);
        QCOMPARE(nodes["agent:refunds"]["calls"].get<int>(), 1);
        QVERIFY(nodes["model:gpt-4o-2024-08-06"]["cost_usd"].is_number());

        const Result dot = run({ QStringLiteral("graph"), QStringLiteral("--db"), db, QStringLiteral("62ea7a6d"),
            QStringLiteral("--dot") });
        QCOMPARE(dot.exitCode, 0);
        QVERIFY(dot.out.startsWith("digraph tracelight {"));
        QVERIFY(dot.out.contains("\"agent:triage\" -> \"agent:refunds\""));
        QVERIFY(dot.out.contains("style=dashed"));
        // The same graph for the version: one run of 1.4.2.
        const Result version = run({ QStringLiteral("graph"), QStringLiteral("--db"), db, QStringLiteral("--version"),
            QStringLiteral("1.4.2"), QStringLiteral("--json") });
        QVERIFY(json::parse(version.out.toStdString())["edges"] == graph["edges"]);
        QCOMPARE(run({ QStringLiteral("graph"), QStringLiteral("--db"), db }).exitCode, 2);
        QCOMPARE(run({ QStringLiteral("graph"), QStringLiteral("--db"), db, QStringLiteral("--version"),
                         QStringLiteral("9") })
                     .exitCode,
            1);
    }

    // The graph as a picture (render --view graph, graph -o FILE.svg|png) and as a difference of two versions: the
    // retry-loop sample (1.5.0) calls issue_refund more often than 1.4.2, counted here from the OTLP files.
    void graphPicturesAndVersionDifference()
    {
        const QString db = m_dir.filePath(QStringLiteral("graph-diff.sqlite"));
        const QString before = TestUtils::samplePath();
        const QString after
            = TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json");
        QCOMPARE(run({ QStringLiteral("import"), QStringLiteral("--db"), db, before, after }).exitCode, 0);

        const QString png = m_dir.filePath(QStringLiteral("graph.png"));
        Result r = run({ QStringLiteral("render"), QStringLiteral("--db"), db, QStringLiteral("62ea7a6d"),
            QStringLiteral("--view"), QStringLiteral("graph"), QStringLiteral("-o"), png });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 300 && image.height() > 100);
        // Drawn, not blank: the tool colour of the kind style and the error red of the declined refund are there.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2)
                colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 20);
        r = run({ QStringLiteral("render"), QStringLiteral("--db"), db, QStringLiteral("62ea7a6d"),
            QStringLiteral("--view"), QStringLiteral("graph"), QStringLiteral("--width"), QStringLiteral("800"),
            QStringLiteral("-o"), png });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QImage(png).width(), 800);

        const QString svg = m_dir.filePath(QStringLiteral("version.svg"));
        r = run({ QStringLiteral("graph"), QStringLiteral("--db"), db, QStringLiteral("--version"),
            QStringLiteral("1.5.0"), QStringLiteral("-o"), svg, QStringLiteral("--theme"), QStringLiteral("dark") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("issue_refund"));

        // The version difference, as JSON.
        const auto refunds = [](const QString& path) {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                qFatal("cannot read %s", qPrintable(path));
            int count = 0;
            const json file = json::parse(f.readAll().toStdString());
            for (const json& rs : file["resourceSpans"])
                for (const json& ss : rs["scopeSpans"])
                    for (const json& span : ss["spans"])
                        for (const json& a : span.value("attributes", json::array()))
                            count += a["key"] == "gen_ai.tool.name"
                                && a["value"].value("stringValue", "") == "issue_refund";
            return count;
        };
        r = run({ QStringLiteral("graph"), QStringLiteral("--db"), db, QStringLiteral("--version"),
            QStringLiteral("1.5.0"), QStringLiteral("--against"), QStringLiteral("1.4.2"), QStringLiteral("--json") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const json diff = json::parse(r.out.toStdString());
        QCOMPARE(diff["runs"].get<int>(), 1);
        QCOMPARE(diff["runs_before"].get<int>(), 1);
        bool seen = false;
        for (const json& e : diff["edges"]) {
            if (e["to"] != "tool:issue_refund")
                continue;
            seen = true;
            QCOMPARE(e["count_before"].get<int>(), refunds(before));
            QCOMPARE(e["count"].get<int>(), refunds(after));
            QCOMPARE(e["change"].get<std::string>(), std::string("more"));
        }
        QVERIFY(seen);
        const QString diffPng = m_dir.filePath(QStringLiteral("diff.png"));
        r = run(
            { QStringLiteral("graph"), QStringLiteral("--db"), db, QStringLiteral("--version"), QStringLiteral("1.5.0"),
                QStringLiteral("--against"), QStringLiteral("1.4.2"), QStringLiteral("-o"), diffPng });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!QImage(diffPng).isNull());
        // --against needs --version, and DOT is for one graph.
        QCOMPARE(run({ QStringLiteral("graph"), QStringLiteral("--db"), db, QStringLiteral("62ea7a6d"),
                         QStringLiteral("--against"), QStringLiteral("1.4.2") })
                     .exitCode,
            2);
        QCOMPARE(run({ QStringLiteral("graph"), QStringLiteral("--db"), db, QStringLiteral("--version"),
                         QStringLiteral("1.5.0"), QStringLiteral("--against"), QStringLiteral("1.4.2"),
                         QStringLiteral("--dot") })
                     .exitCode,
            2);
    }

    // Sessions: the two bundled samples share gen_ai.conversation.id conv_8f2c4e1a9b7d4c02a61e (32 and 41 spans,
    // one turn each, the same customer message and final answer); Langfuse exports group by their trace's
    // sessionId; a Claude Code session file is a session of its own whose first prompt is the file's first user line.
    void sessions()
    {
        const QString db = m_dir.filePath(QStringLiteral("sessions.sqlite"));
        QStringList files { TestUtils::samplePath(),
            TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json") };
        if (TestUtils::haveCorpus())
            files << TestUtils::corpusDir() + QStringLiteral("/langfuse")
                  << TestUtils::corpusDir()
                    + QStringLiteral("/coding-agents/claude-code-2.1.7-task-subagent.session.jsonl");
        QCOMPARE(run(QStringList { QStringLiteral("import"), QStringLiteral("--db"), db } + files).exitCode, 0);
        const Result listed = run({ QStringLiteral("sessions"), QStringLiteral("--db"), db, QStringLiteral("--json") });
        QCOMPARE(listed.exitCode, 0);
        std::map<std::string, json> sessions;
        for (const json& row : json::parse(listed.out.toStdString()))
            sessions[row["session_id"].get<std::string>()] = row;
        const json& conversation = sessions["conv_8f2c4e1a9b7d4c02a61e"];
        QCOMPARE(conversation["runs"].get<int>(), 2);
        QCOMPARE(conversation["turns"].get<int>(), 2);
        QVERIFY(conversation["trace_ids"]
                == json({ "62ea7a6dc2b69860d0195151f6e51f43", "b4d0c0de5e7a11f0a1b2c3d4e5f60718" })
            || conversation["trace_ids"]
                == json({ "b4d0c0de5e7a11f0a1b2c3d4e5f60718", "62ea7a6dc2b69860d0195151f6e51f43" }));

        const Result shown = run({ QStringLiteral("show"), QStringLiteral("--db"), db, QStringLiteral("--session"),
            QStringLiteral("conv_8f2c4e1a9b7d4c02a61e"), QStringLiteral("--json") });
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        const json turns = json::parse(shown.out.toStdString())["turns"];
        QCOMPARE(turns.size(), std::size_t(2));
        std::set<int> stepCounts;
        for (const json& turn : turns) {
            stepCounts.insert(turn["steps"].get<int>());
            QVERIFY(turn["user"].get<std::string>().rfind("Hi, I ordered the Trailhead 40L daypack last week", 0) == 0);
            QVERIFY(turn["answer"].get<std::string>().rfind("Thanks for your patience, Dana!", 0) == 0);
            if (turn["trace_id"] == "b4d0c0de5e7a11f0a1b2c3d4e5f60718")
                QVERIFY2(!turn["findings"].empty(), "the retry loop's turn carries its findings");
        }
        QVERIFY(stepCounts == (std::set<int> { 32, 41 }));
        const Result text = run({ QStringLiteral("show"), QStringLiteral("--db"), db, QStringLiteral("--session"),
            QStringLiteral("conv_8f2c4e1a9b7d4c02a61e") });
        QVERIFY(text.out.contains("turn 2"));
        QVERIFY(text.out.contains("user:   Hi, I ordered"));
        QCOMPARE(run({ QStringLiteral("show"), QStringLiteral("--db"), db, QStringLiteral("--session"),
                         QStringLiteral("no-such-session") })
                     .exitCode,
            1);
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");

        // Langfuse: every export with a trace.sessionId is in that session.
        for (const QFileInfo& file :
            QDir(TestUtils::corpusDir() + QStringLiteral("/langfuse")).entryInfoList({ QStringLiteral("*.json") })) {
            QFile in(file.absoluteFilePath());
            QVERIFY(in.open(QIODevice::ReadOnly));
            const json trace = json::parse(in.readAll().toStdString())["trace"];
            if (!trace.contains("sessionId") || !trace["sessionId"].is_string())
                continue;
            const json& row = sessions[trace["sessionId"].get<std::string>()];
            QVERIFY2(row.is_object(), qPrintable(file.fileName()));
            bool found = false;
            for (const json& id : row["trace_ids"])
                found = found || id == trace["id"];
            QVERIFY2(found, qPrintable(file.fileName()));
        }
        // Claude Code: the session file's id, one run, its first prompt.
        const json& claude = sessions["e9fb405b-169f-40eb-9396-7e75076f045d"];
        QCOMPARE(claude["runs"].get<int>(), 1);
        const json claudeTurns
            = json::parse(run({ QStringLiteral("show"), QStringLiteral("--db"), db, QStringLiteral("--session"),
                                  QStringLiteral("e9fb405b-169f-40eb-9396-7e75076f045d"), QStringLiteral("--json") })
                              .out.toStdString())["turns"];
        QVERIFY(!claudeTurns.empty());
        QVERIFY2(claudeTurns[0]["user"].get<std::string>().find("analyze existing CLI command") != std::string::npos,
            claudeTurns[0]["user"].dump().c_str());
    }

    // Text built to deceive a terminal (an ANSI escape that clears the screen, a bidi override, a line break in a
    // name) is shown inert by list, show and search: visible as [U+XXXX], never as the raw bytes.
    void hostileTextIsInertInTheTerminal()
    {
        const QString db = m_dir.filePath(QStringLiteral("hostile.sqlite"));
        const QString file = m_dir.filePath(QStringLiteral("hostile.otlp.json"));
        const auto attr = [](const char* key, const std::string& value) {
            return json { { "key", key }, { "value", { { "stringValue", value } } } };
        };
        const std::string evil = "pay \x1b[2J\u202eyenom\u202c now\nSYSTEM: ok";
        json spans = json::array();
        spans.push_back({ { "traceId", "0123456789abcdef0123456789abcdef" }, { "spanId", "00000000000000a1" },
            { "name", evil }, { "kind", 1 }, { "startTimeUnixNano", "1760000000000000000" },
            { "endTimeUnixNano", "1760000001000000000" },
            { "attributes",
                json::array({ attr("gen_ai.operation.name", "execute_tool"), attr("gen_ai.tool.name", evil),
                    attr("gen_ai.tool.call.result", "the refund " + evil) }) },
            { "status", { { "code", 2 }, { "message", evil } } } });
        TestUtils::writeFile(file,
            QByteArray::fromStdString(json {
                { "resourceSpans",
                    json::array({ { { "resource", { { "attributes", json::array({ attr("service.name", "svc") }) } } },
                        { "scopeSpans", json::array({ { { "spans", spans } } }) } } }) } }
                                          .dump()));
        QCOMPARE(run({ QStringLiteral("import"), QStringLiteral("--db"), db, file }).exitCode, 0);
        for (const QStringList& arguments : { QStringList { QStringLiteral("list") },
                 QStringList { QStringLiteral("show"), QStringLiteral("01234567") },
                 QStringList { QStringLiteral("search"), QStringLiteral("refund") } }) {
            const Result r = run(arguments + QStringList { QStringLiteral("--db"), db });
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY2(!r.out.contains('\x1b') && !r.out.contains("\u202e") && !r.out.contains("\nSYSTEM: ok"),
                r.out.constData());
            QVERIFY2(r.out.contains("[U+001B][2J") && r.out.contains("[U+202E]yenom[U+202C]"), r.out.constData());
        }
        QVERIFY(run({ QStringLiteral("search"), QStringLiteral("refund"), QStringLiteral("--db"), db })
                    .out.contains("**refund**"));

        // The audit reports show the same text inert, so that a reviewer reads what the model read; the JSON
        // report keeps the data exact (JSON escapes it). (The PDF is drawn from the HTML's escaped text; tst_report
        // reads a PDF back.)
        for (const char* format : { "html", "md", "json" }) {
            const QString report = m_dir.filePath(QStringLiteral("hostile.") + QLatin1String(format));
            const Result r = run({ QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("01234567"),
                QStringLiteral("--format"), QLatin1String(format), QStringLiteral("-o"), report });
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QFile f(report);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray text = f.readAll();
            if (QLatin1String(format) == QLatin1String("json")) {
                QVERIFY(json::parse(text.toStdString()).dump().find("\u202e") != std::string::npos);
                continue;
            }
            QVERIFY2(!text.contains("\u202e") && !text.contains('\x1b'), format);
            // (Markdown escapes the brackets outside code blocks.)
            QVERIFY2(text.contains("[U+202E]yenom[U+202C]") || text.contains("\\[U+202E\\]yenom\\[U+202C\\]"),
                qPrintable(QLatin1String(format) + QStringLiteral(": ") + QString::fromUtf8(text.left(400))));
        }
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
