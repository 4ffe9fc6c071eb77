// Audit reports: the integrity hash, redaction, the writers, `tracelight verify`, PDF and the other exports.
#include "testutils.h"

#include <auditreport.h>
#include <fileimport.h>
#include <integrityhash.h>
#include <redactor.h>
#include <reportintegrity.h>
#include <reportwriter.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Tracelight;

namespace {

// The bundled samples, counted independently of the importer:
//   jq '[.resourceSpans[].scopeSpans[].spans[]] | length' resources/samples/refund-agent.otlp.json  → 32
//   jq -r '[.resourceSpans[].scopeSpans[].spans[].traceId] | unique[]' …/refund-agent.otlp.json
//   jq '[.resourceSpans[].scopeSpans[].spans[]] | length' resources/samples/refund-agent-retry-loop.otlp.json → 41
constexpr int SampleSteps = 32;
const char* const SampleTraceId = "62ea7a6dc2b69860d0195151f6e51f43";
constexpr int RetrySteps = 41;
const char* const RetryTraceId = "b4d0c0de5e7a11f0a1b2c3d4e5f60718";

QString retrySamplePath()
{
    return TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json");
}

void importInto(const QString& db, const QString& file)
{
    TraceStore store(db.toStdString());
    TraceWriter writer(store);
    const ImportOutcome outcome = importFile(file.toStdString(), writer);
    if (!outcome.ok())
        qFatal("import of %s failed: %s", qPrintable(file), outcome.error.toString().c_str());
}

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(TRACELIGHT_BINARY), arguments);
    if (!process.waitForFinished(120000))
        qFatal("tracelight did not finish");
    return { process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
        QString::fromUtf8(process.readAllStandardError()) };
}

QString tool(const QString& program, const QStringList& arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(60000) || process.exitCode() != 0)
        return {};
    return QString::fromUtf8(process.readAllStandardOutput());
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

// One llm span whose texts are hostile: markup, a script, control characters.
QByteArray hostileTrace()
{
    const QByteArray messages
        = QJsonDocument(QJsonArray { QJsonObject { { QStringLiteral("role"), QStringLiteral("user") },
                            { QStringLiteral("parts"),
                                QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("text") },
                                    { QStringLiteral("content"),
                                        QStringLiteral("<script>alert(1)</script> \x01\x1b[31m "
                                                       "</pre><iframe src=x>") } } } } } })
              .toJson(QJsonDocument::Compact);
    const QJsonObject span { { QStringLiteral("traceId"), QStringLiteral("0123456789abcdef0123456789abcdef") },
        { QStringLiteral("spanId"), QStringLiteral("0123456789abcdef") },
        { QStringLiteral("name"), QStringLiteral("<img src=x onerror=alert(2)>") },
        { QStringLiteral("startTimeUnixNano"), QStringLiteral("1700000000000000000") },
        { QStringLiteral("endTimeUnixNano"), QStringLiteral("1700000001000000000") },
        { QStringLiteral("attributes"),
            QJsonArray { QJsonObject { { QStringLiteral("key"), QStringLiteral("gen_ai.operation.name") },
                             { QStringLiteral("value"),
                                 QJsonObject { { QStringLiteral("stringValue"), QStringLiteral("chat") } } } },
                QJsonObject { { QStringLiteral("key"), QStringLiteral("gen_ai.input.messages") },
                    { QStringLiteral("value"),
                        QJsonObject { { QStringLiteral("stringValue"), QString::fromUtf8(messages) } } } } } } };
    const QJsonObject root { { QStringLiteral("resourceSpans"),
        QJsonArray { QJsonObject {
            { QStringLiteral("resource"), QJsonObject { { QStringLiteral("attributes"), QJsonArray() } } },
            { QStringLiteral("scopeSpans"),
                QJsonArray { QJsonObject { { QStringLiteral("spans"), QJsonArray { span } } } } } } } } };
    return QJsonDocument(root).toJson();
}

// SQL that changes one text field of a step in the cache, as someone editing it would: the step is pointed at a new
// block (StepPayload) holding its texts with that field replaced. %1 is the span id.
QString replaceTextSql(int field, const QString& value)
{
    QStringList fields;
    for (int f = 0; f < 10; ++f)
        fields << (f == field ? QStringLiteral("'%1'").arg(value)
                              : QStringLiteral("tl_payload_field(p.data, s.payload_index, %1)").arg(f));
    return QStringLiteral(
        "INSERT INTO payloads(trace, data) SELECT s.trace, tl_payload(%1) FROM steps s "
        "JOIN payloads p ON p.id = s.payload_block WHERE s.span_id = '%2'; "
        "UPDATE steps SET payload_block = last_insert_rowid(), payload_index = 0 WHERE span_id = '%2'")
        .arg(fields.join(QStringLiteral(", ")), QStringLiteral("%1"));
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("sample.sqlite"));
        importInto(m_db, TestUtils::samplePath());
        importInto(m_db, retrySamplePath());
    }

    void hashStableAcrossImports()
    {
        // A second cache, fed from a copy of the file at another path: the copy's location is not part of the hash.
        const QString copy = m_dir.filePath(QStringLiteral("copy.otlp.json"));
        QVERIFY(QFile::copy(TestUtils::samplePath(), copy));
        const QString other = m_dir.filePath(QStringLiteral("other.sqlite"));
        importInto(other, copy);
        TraceStore a(m_db.toStdString(), TraceStore::Mode::ReadOnly);
        TraceStore b(other.toStdString(), TraceStore::Mode::ReadOnly);
        const IntegrityHash ha = IntegrityHash::compute(a, SampleTraceId);
        const IntegrityHash hb = IntegrityHash::compute(b, SampleTraceId);
        QVERIFY(ha.found());
        QCOMPARE(int(ha.steps().size()), SampleSteps);
        QCOMPARE(ha.hash().size(), std::size_t(64));
        QCOMPARE(ha.hash(), hb.hash());
        QVERIFY(ha.steps() == hb.steps());
        QVERIFY(ha.hash() != IntegrityHash::compute(a, RetryTraceId).hash());
        QVERIFY(!IntegrityHash::compute(a, "ffff").found());
    }

    void hashChangesWithSteps_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("difference");
        QTest::newRow("name") << QStringLiteral("UPDATE steps SET name = name || 'x' WHERE span_id = '%1'")
                              << QStringLiteral("changed");
        QTest::newRow("tokens") << QStringLiteral(
            "UPDATE steps SET output_tokens = coalesce(output_tokens, 0) + 1 WHERE span_id = '%1'")
                                << QStringLiteral("changed");
        QTest::newRow("tool result") << replaceTextSql(1, QStringLiteral("approved")) << QStringLiteral("changed");
        QTest::newRow("cost") << QStringLiteral("UPDATE steps SET cost_usd = 0.1000000001 WHERE span_id = '%1'")
                              << QStringLiteral("changed");
        QTest::newRow("removed") << QStringLiteral("DELETE FROM steps WHERE span_id = '%1'")
                                 << QStringLiteral("removed");
    }
    void hashChangesWithSteps()
    {
        QFETCH(QString, sql);
        QFETCH(QString, difference);
        const QString db = m_dir.filePath(QStringLiteral("edit-%1.sqlite")
                                              .arg(QString::fromLatin1(QTest::currentDataTag()))
                                              .replace(QLatin1Char(' '), QLatin1Char('-')));
        importInto(db, TestUtils::samplePath());
        TraceStore store(db.toStdString());
        const IntegrityHash before = IntegrityHash::compute(store, SampleTraceId);
        const std::string victim = before.steps().at(5).spanId;
        store.database().exec(sql.arg(QString::fromStdString(victim)).toUtf8().constData());
        const IntegrityHash after = IntegrityHash::compute(store, SampleTraceId);
        QVERIFY(before.hash() != after.hash());
        const std::vector<std::string> lines = IntegrityHash::differences(before.steps(), after.steps());
        QCOMPARE(lines.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(lines.front()),
            QStringLiteral("step %1 %2").arg(QString::fromStdString(victim), difference));
    }

    void redactor_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("email") << QStringLiteral("mail jane.doe+x@example.co.uk now")
                               << QStringLiteral("mail [EMAIL#1] now");
        QTest::newRow("same value, same placeholder")
            << QStringLiteral("a@b.io, c@d.io, a@b.io") << QStringLiteral("[EMAIL#1], [EMAIL#2], [EMAIL#1]");
        QTest::newRow("phone intl") << QStringLiteral("call +44 20 7946 0958.") << QStringLiteral("call [PHONE#1].");
        QTest::newRow("phone us") << QStringLiteral("call (415) 555-0132 or 415-555-0199")
                                  << QStringLiteral("call [PHONE#1] or [PHONE#2]");
        QTest::newRow("card luhn") << QStringLiteral("card 4111 1111 1111 1111 ok")
                                   << QStringLiteral("card [CARD#1] ok");
        QTest::newRow("card dashes") << QStringLiteral("5555-5555-5555-4444") << QStringLiteral("[CARD#1]");
        // Luhn negatives: the same shapes with the check digit off by one stay as they are.
        QTest::newRow("card not luhn") << QStringLiteral("card 4111 1111 1111 1112 ok")
                                       << QStringLiteral("card 4111 1111 1111 1112 ok");
        QTest::newRow("order id not luhn")
            << QStringLiteral("order 1234567890123") << QStringLiteral("order 1234567890123");
        QTest::newRow("openai key") << QStringLiteral("key=sk-proj-AbCdEf0123456789XyZ_abc")
                                    << QStringLiteral("key=[API_KEY#1]");
        QTest::newRow("bearer") << QStringLiteral("Authorization: Bearer abc.DEF-123_456xyz")
                                << QStringLiteral("Authorization: [API_KEY#1]");
        QTest::newRow("aws") << QStringLiteral("AKIAIOSFODNN7EXAMPLE") << QStringLiteral("[API_KEY#1]");
        QTest::newRow("github") << QStringLiteral("token ghp_abcdefghijklmnopqrstuvwxyz0123456789")
                                << QStringLiteral("token [API_KEY#1]");
        QTest::newRow("jwt") << QStringLiteral(
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
                             << QStringLiteral("jwt [API_KEY#1]");
        QTest::newRow("ipv4") << QStringLiteral("from 192.168.10.254:8080") << QStringLiteral("from [IP#1]:8080");
        QTest::newRow("ipv4 out of range")
            << QStringLiteral("version 1.2.3.456") << QStringLiteral("version 1.2.3.456");
        QTest::newRow("ipv6") << QStringLiteral("from 2001:db8::8a2e:370:7334 and fe80::1")
                              << QStringLiteral("from [IP#1] and [IP#2]");
        QTest::newRow("timestamps untouched") << QStringLiteral("2025-11-17 14:03:22.123, id 1234567")
                                              << QStringLiteral("2025-11-17 14:03:22.123, id 1234567");
        QTest::newRow("user pattern") << QStringLiteral("customer CUST-00042 and CUST-00042")
                                      << QStringLiteral("customer [CUSTOM#1] and [CUSTOM#1]");
    }
    void redactor()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        Redactor redactor({ QStringLiteral("CUST-\\d{5}") });
        QCOMPARE(redactor.redact(input), expected);
    }

    void redactorRecall()
    {
        // Planted items in ordinary text: every one replaced, the text around them unchanged.
        const QString text = QStringLiteral(
            "Refund for Jane (jane@example.com, +1 415 555 0100) paid with 4242 4242 4242 4242 from 10.0.0.7; "
            "escalate to ops@example.org. Order 7741 was late by 3 days.");
        Redactor redactor;
        const QString out = redactor.redact(text);
        QCOMPARE(out,
            QStringLiteral("Refund for Jane ([EMAIL#1], [PHONE#1]) paid with [CARD#1] from [IP#1]; escalate to "
                           "[EMAIL#2]. Order 7741 was late by 3 days."));
        QCOMPARE(redactor.replacements(), 5);
        QVERIFY(Redactor({ QStringLiteral("(") }).errors().size() == 1);
    }

    void redactedReport()
    {
        TraceStore store(m_db.toStdString(), TraceStore::Mode::ReadOnly);
        const auto plain = AuditReport::build(store, SampleTraceId);
        Redactor redactor({ QStringLiteral("Northwind") });
        const auto redacted = AuditReport::build(store, SampleTraceId, &redactor);
        QVERIFY(plain && redacted);
        // The hash is over the unredacted steps: both reports carry the same.
        QCOMPARE(plain->integrity.hash(), redacted->integrity.hash());
        QVERIFY(redacted->redacted);
        QVERIFY(std::find(redacted->redactionRules.begin(), redacted->redactionRules.end(), "pattern:Northwind")
            != redacted->redactionRules.end());
        // The report names its rules; apart from that statement the pattern's matches are gone.
        std::string md = ReportWriter::markdown(*redacted);
        md.replace(md.find("pattern:Northwind"), 17, "");
        QVERIFY(ReportWriter::markdown(*plain).find("Northwind") != std::string::npos);
        QVERIFY(md.find("Northwind") == std::string::npos);
        QVERIFY(md.find("[CUSTOM#1]") != std::string::npos);
    }

    void htmlStaysInert()
    {
        const QString file = m_dir.filePath(QStringLiteral("hostile.otlp.json"));
        TestUtils::writeFile(file, hostileTrace());
        const QString db = m_dir.filePath(QStringLiteral("hostile.sqlite"));
        importInto(db, file);
        TraceStore store(db.toStdString(), TraceStore::Mode::ReadOnly);
        const auto report = AuditReport::build(store, "0123456789abcdef0123456789abcdef");
        QVERIFY(report);
        QCOMPARE(report->steps.size(), std::size_t(1));
        // The hostile text did reach the data set, so the checks below can fail.
        QVERIFY(report->steps.front().prompt.find("<script>alert(1)</script>") != std::string::npos);
        const QString html = QString::fromStdString(ReportWriter::html(*report, QByteArray("png")));
        QVERIFY(!html.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
        QVERIFY(!html.contains(QStringLiteral("<iframe"), Qt::CaseInsensitive));
        QVERIFY(!html.contains(QStringLiteral("<img src=x"), Qt::CaseInsensitive));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;")));
        QVERIFY(html.contains(QStringLiteral("&lt;img src=x onerror=alert(2)&gt;")));
        QVERIFY(html.contains(QStringLiteral("[U+0001][U+001B][31m")));
        QVERIFY(!html.contains(QChar(0x01)) && !html.contains(QChar(0x1b)));
        QCOMPARE(html.count(QStringLiteral("<pre>")), html.count(QStringLiteral("</pre>")));
        const QString md = QString::fromStdString(ReportWriter::markdown(*report));
        QVERIFY(md.contains(QStringLiteral("&lt;img src=x onerror=alert(2)&gt;")));

        // The PDF, read back: the controls are written as what they are.
        const QString pdf = m_dir.filePath(QStringLiteral("hostile.pdf"));
        const Run r = run(
            { QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("0123456789abcdef0123456789abcdef"),
                QStringLiteral("--format"), QStringLiteral("pdf"), QStringLiteral("-o"), pdf });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString text = tool(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") });
        QVERIFY2(text.contains(QStringLiteral("[U+0001][U+001B][31m")), qPrintable(text));
        QVERIFY(!text.contains(QChar(0x1b)));
    }

    void jsonReport()
    {
        TraceStore store(m_db.toStdString(), TraceStore::Mode::ReadOnly);
        const auto report = AuditReport::build(store, SampleTraceId);
        QVERIFY(report);
        const QJsonObject json
            = QJsonDocument::fromJson(QByteArray::fromStdString(ReportWriter::json(*report).dump())).object();
        const QJsonObject context = json.value(QStringLiteral("context")).toObject();
        QCOMPARE(context.value(QStringLiteral("trace_id")).toString(), QString::fromLatin1(SampleTraceId));
        // jq '[.resourceSpans[].resource.attributes[] | select(.key=="service.name").value.stringValue]'
        QCOMPARE(context.value(QStringLiteral("service")).toString(), QStringLiteral("support-agent"));
        QCOMPARE(json.value(QStringLiteral("steps")).toArray().size(), SampleSteps);
        QCOMPARE(json.value(QStringLiteral("totals")).toObject().value(QStringLiteral("steps")).toInt(), SampleSteps);
        const QJsonObject integrity = json.value(QStringLiteral("integrity")).toObject();
        QCOMPARE(integrity.value(QStringLiteral("algorithm")).toString(), QStringLiteral("sha256"));
        QCOMPARE(integrity.value(QStringLiteral("canonical")).toString(), QStringLiteral("tracelight-steps-v1"));
        QCOMPARE(integrity.value(QStringLiteral("hash")).toString().toStdString(), report->integrity.hash());
        QCOMPARE(integrity.value(QStringLiteral("steps")).toArray().size(), SampleSteps);
        QCOMPARE(json.value(QStringLiteral("redaction")).toObject().value(QStringLiteral("applied")).toBool(), false);
        QCOMPARE(json.value(QStringLiteral("report_sha256")).toString().size(), 64);
        // Causal order: the first step is the root, and every parent comes before its children.
        const QJsonArray steps = json.value(QStringLiteral("steps")).toArray();
        QCOMPARE(steps.first().toObject().value(QStringLiteral("parent_id")).toString(), QString());
        QSet<QString> seen;
        for (const QJsonValue& step : steps) {
            const QString parent = step.toObject().value(QStringLiteral("parent_id")).toString();
            QVERIFY2(parent.isEmpty() || seen.contains(parent), qPrintable(parent));
            seen.insert(step.toObject().value(QStringLiteral("span_id")).toString());
        }
    }

    void golden_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("md") << QStringLiteral("md");
        QTest::newRow("json") << QStringLiteral("json");
    }
    void golden()
    {
        QFETCH(QString, format);
        TraceStore store(m_db.toStdString(), TraceStore::Mode::ReadOnly);
        auto report = AuditReport::build(store, SampleTraceId);
        QVERIFY(report);
        // The volatile parts: when the report was made, where the sample sits, when it was imported.
        report->generatedAtMs = 0;
        for (AuditReport::Source& source : report->sources) {
            source.path = QFileInfo(QString::fromStdString(source.path)).fileName().toStdString();
            source.importedAtMs = 0;
        }
        const QByteArray actual = QByteArray::fromStdString(format == QLatin1String("md")
                ? ReportWriter::markdown(*report)
                : ReportWriter::json(*report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
        const QString golden = TestUtils::sourceDir() + QStringLiteral("/tests/golden/refund-agent.report.") + format;
        if (qEnvironmentVariableIsSet("TRACELIGHT_UPDATE_GOLDEN"))
            TestUtils::writeFile(golden, actual);
        QCOMPARE(QString::fromUtf8(actual), QString::fromUtf8(readAll(golden)));
    }

    void verify_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("json") << QStringLiteral("json");
        QTest::newRow("md") << QStringLiteral("md");
        QTest::newRow("html") << QStringLiteral("html");
    }
    void verify()
    {
        QFETCH(QString, format);
        const QString db = m_dir.filePath(QStringLiteral("verify-%1.sqlite").arg(format));
        importInto(db, TestUtils::samplePath());
        const QString report = m_dir.filePath(QStringLiteral("report.") + format);
        Run r = run({ QStringLiteral("report"), QStringLiteral("--db"), db, QString::fromLatin1(SampleTraceId),
            QStringLiteral("--format"), format, QStringLiteral("-o"), report, QStringLiteral("--redact") });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        if (format == QLatin1String("html")) {
            const QByteArray html = readAll(report);
            QVERIFY(html.contains("<img alt=\"Timeline of the trace\" src=\"data:image/png;base64,iVBORw0KGgo"));
            QVERIFY(!html.toLower().contains("<script"));
            QVERIFY(!html.contains("src=\"http"));
        }

        // Untouched: matches the cache and the original file.
        r = run({ QStringLiteral("verify"), report, QStringLiteral("--db"), db });
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(r.out.startsWith(QStringLiteral("match")));
        r = run({ QStringLiteral("verify"), report, QStringLiteral("--trace"), TestUtils::samplePath() });
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        // Another trace's file does not hold this trace.
        r = run({ QStringLiteral("verify"), report, QStringLiteral("--trace"), retrySamplePath() });
        QCOMPARE(r.exitCode, 1);

        // An edited report: one character of a step name changed.
        QByteArray bytes = readAll(report);
        const qsizetype at = bytes.indexOf("lookup_customer");
        QVERIFY(at > 0);
        QByteArray edited = bytes;
        edited[at] = 'L';
        const QString editedPath = m_dir.filePath(QStringLiteral("edited.") + format);
        TestUtils::writeFile(editedPath, edited);
        r = run({ QStringLiteral("verify"), editedPath, QStringLiteral("--db"), db });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("edited")), qPrintable(r.out));

        // A changed step, then a removed one, in the cache.
        std::string changed;
        std::string removed;
        {
            TraceStore store(db.toStdString());
            const IntegrityHash hash = IntegrityHash::compute(store, SampleTraceId);
            changed = hash.steps().at(3).spanId;
            removed = hash.steps().back().spanId;
            store.database().exec(replaceTextSql(6, QStringLiteral("refund approved"))
                                      .arg(QString::fromStdString(changed))
                                      .toUtf8()
                                      .constData());
        }
        r = run({ QStringLiteral("verify"), report, QStringLiteral("--db"), db });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.out.contains(QStringLiteral("step %1 changed").arg(QString::fromStdString(changed))), qPrintable(r.out));
        {
            TraceStore store(db.toStdString());
            store.database().exec(("DELETE FROM steps WHERE span_id = '" + removed + "'").c_str());
        }
        r = run({ QStringLiteral("verify"), report, QStringLiteral("--db"), db });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.out.contains(QStringLiteral("step %1 removed").arg(QString::fromStdString(removed))), qPrintable(r.out));

        r = run({ QStringLiteral("verify") });
        QCOMPARE(r.exitCode, 2);
    }

    void pdf()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        const QString pdf = m_dir.filePath(QStringLiteral("retry.pdf"));
        Run r = run({ QStringLiteral("report"), QStringLiteral("--db"), m_db, QString::fromLatin1(RetryTraceId),
            QStringLiteral("--format"), QStringLiteral("pdf"), QStringLiteral("-o"), pdf });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        TraceStore store(m_db.toStdString(), TraceStore::Mode::ReadOnly);
        const IntegrityHash hash = IntegrityHash::compute(store, RetryTraceId);
        QCOMPARE(int(hash.steps().size()), RetrySteps);
        const QString text = tool(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") });
        QVERIFY(text.contains(QStringLiteral("Audit report")));
        QVERIFY(text.contains(QString::fromLatin1(RetryTraceId)));
        QVERIFY(text.contains(QString::fromStdString(hash.hash())));
        QVERIFY(text.contains(QStringLiteral("Page 2 of")));
        const QRegularExpression pages(QStringLiteral("Pages:\\s+(\\d+)"));
        const int pageCount = pages.match(tool(QStringLiteral("pdfinfo"), { pdf })).captured(1).toInt();
        QVERIFY2(pageCount > 1, qPrintable(QString::number(pageCount)));
        // The decisions appear in causal order: the first step's section before the last one's.
        const auto report = AuditReport::build(store, RetryTraceId);
        const QString first = QString::fromStdString(ReportWriter::stepTitle(report->steps.front()));
        const QString last = QString::fromStdString(ReportWriter::stepTitle(report->steps.back()));
        const qsizetype decisions = text.indexOf(QStringLiteral("Decisions"));
        QVERIFY(decisions > 0);
        QVERIFY(text.indexOf(first, decisions) > 0);
        QVERIFY(text.indexOf(first, decisions) < text.indexOf(last, decisions));

        r = run({ QStringLiteral("verify"), pdf, QStringLiteral("--db"), m_db });
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        r = run({ QStringLiteral("verify"), pdf, QStringLiteral("--trace"), TestUtils::samplePath() });
        QCOMPARE(r.exitCode, 1);
    }

    void chromeExport()
    {
        const QString out = m_dir.filePath(QStringLiteral("trace.chrome.json"));
        Run r = run({ QStringLiteral("export"), QStringLiteral("--db"), m_db, QString::fromLatin1(SampleTraceId),
            QStringLiteral("--format"), QStringLiteral("chrome"), QStringLiteral("-o"), out });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(readAll(out), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        int complete = 0;
        QSet<QString> spans;
        for (const QJsonValue& v : doc.object().value(QStringLiteral("traceEvents")).toArray()) {
            const QJsonObject e = v.toObject();
            if (e.value(QStringLiteral("ph")).toString() != QLatin1String("X"))
                continue;
            ++complete;
            QVERIFY(e.value(QStringLiteral("dur")).toDouble() >= 0);
            QVERIFY(e.value(QStringLiteral("pid")).toInt() > 0);
            QVERIFY(e.value(QStringLiteral("args")).toObject().contains(QStringLiteral("kind")));
            spans.insert(e.value(QStringLiteral("args")).toObject().value(QStringLiteral("span_id")).toString());
        }
        QCOMPARE(complete, SampleSteps);
        QCOMPARE(int(spans.size()), SampleSteps);

        const QString csv = m_dir.filePath(QStringLiteral("steps.csv"));
        r = run({ QStringLiteral("export"), QStringLiteral("--db"), m_db, QString::fromLatin1(SampleTraceId),
            QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("-o"), csv });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // Header plus one line per step (no field of the sample holds a line break).
        QCOMPARE(readAll(csv).count("\r\n"), SampleSteps + 1);

        const QString tools = m_dir.filePath(QStringLiteral("tools.csv"));
        r = run({ QStringLiteral("export"), QStringLiteral("--db"), m_db, QString::fromLatin1(SampleTraceId),
            QStringLiteral("--format"), QStringLiteral("tool-csv"), QStringLiteral("-o"), tools });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // jq '[.resourceSpans[].scopeSpans[].spans[] | select(.name | startswith("execute_tool"))] | length' → 10;
        // a row starts after a CRLF with the trace id (arguments and results may hold line breaks of their own).
        const QByteArray toolCsv = readAll(tools);
        const QByteArray rowStart = QByteArray("\r\n") + QByteArray(SampleTraceId) + QByteArray(",");
        QCOMPARE(toolCsv.count(rowStart), 10);
        QVERIFY(toolCsv.contains("issue_refund"));
        QVERIFY(toolCsv.contains("PaymentGatewayError: card declined"));
    }

private:
    QTemporaryDir m_dir;
    QString m_db;
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
