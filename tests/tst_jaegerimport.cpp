// Jaeger JSON (trace-formats-2026.md section 1): every corpus file of the three forms, with what each span should
// become worked out here by a reader of our own over Qt's JSON parser (never from the importer): ids (hex padded to
// 128 bits, base64 decoded), names, durations, parents (the first CHILD_OF), services and errors.

#include "testutils.h"

#include <fileimport.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace Tracelight;

namespace {

struct Expected
{
    QString name;
    qint64 durationNs = 0;
    QString parent;
    QString service;
    bool error = false;
};
using ExpectedSpans = std::map<std::pair<QString, QString>, Expected>; // (trace id, span id)

QString hexId(const QString& id, int bytes)
{
    const bool hex
        = !id.isEmpty() && QByteArray::fromHex(id.toLatin1()).toHex() == id.toLower().toLatin1() && id.size() % 2 == 0;
    const QString text = hex ? id.toLower() : QString::fromLatin1(QByteArray::fromBase64(id.toLatin1()).toHex());
    return text.rightJustified(bytes * 2, QLatin1Char('0'));
}

qint64 microsOrText(const QJsonValue& value)
{
    return value.isString() ? value.toString().toLongLong() : qint64(value.toDouble());
}

void addSpan(ExpectedSpans& out, const QJsonObject& span, const QJsonObject& processes)
{
    const bool formC = span.contains(QStringLiteral("traceId"));
    const QString trace
        = hexId(span.value(formC ? QStringLiteral("traceId") : QStringLiteral("traceID")).toString(), 16);
    const QString id = hexId(span.value(formC ? QStringLiteral("spanId") : QStringLiteral("spanID")).toString(), 8);
    Expected e;
    e.name = span.value(QStringLiteral("operationName")).toString();
    const QJsonValue duration = span.value(QStringLiteral("duration"));
    e.durationNs = duration.isString() && duration.toString().endsWith(QLatin1String("ns"))
        ? duration.toString().chopped(2).toLongLong()
        : microsOrText(duration) * 1000;
    for (const QJsonValue ref : span.value(QStringLiteral("references")).toArray()) {
        const QJsonObject r = ref.toObject();
        const QString type = r.value(QStringLiteral("refType")).toString(QStringLiteral("CHILD_OF"));
        const QString refSpan
            = hexId(r.value(formC ? QStringLiteral("spanId") : QStringLiteral("spanID")).toString(), 8);
        if (type == QLatin1String("CHILD_OF") && e.parent.isEmpty() && refSpan != id)
            e.parent = refSpan;
    }
    QJsonObject process = span.value(QStringLiteral("process")).toObject();
    if (process.isEmpty())
        process = processes.value(span.value(QStringLiteral("processID")).toString()).toObject();
    e.service = process.value(QStringLiteral("serviceName")).toString();
    for (const QJsonValue tag : span.value(QStringLiteral("tags")).toArray()) {
        const QJsonObject t = tag.toObject();
        const QString key = t.value(QStringLiteral("key")).toString();
        const QJsonValue value = t.value(QStringLiteral("value"));
        if ((key == QLatin1String("error") && (value.toBool() || value.toString() == QLatin1String("true")))
            || (key == QLatin1String("otel.status_code") && value.toString() == QLatin1String("ERROR")))
            e.error = true;
    }
    out[{ trace, id }] = e; // a repeated span is one step
}

ExpectedSpans expectedSpans(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
    ExpectedSpans out;
    const auto addTrace = [&](const QJsonObject& trace) {
        for (const QJsonValue span : trace.value(QStringLiteral("spans")).toArray())
            addSpan(out, span.toObject(), trace.value(QStringLiteral("processes")).toObject());
    };
    if (document.isArray()) {
        for (const QJsonValue item : document.array())
            addSpan(out, item.toObject(), {});
    } else if (document.object().value(QStringLiteral("data")).isArray()) {
        for (const QJsonValue trace : document.object().value(QStringLiteral("data")).toArray())
            addTrace(trace.toObject());
    } else {
        addTrace(document.object());
    }
    return out;
}

} // namespace

class TestJaegerImport : public QObject
{
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void corpusFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("traces");
        QTest::addColumn<int>("steps");
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");
        // The trace and span counts, as jq counts them:
        //   jq '[.data[].spans[] | [.traceID, .spanID]] | unique | length', '[.data[].traceID] | unique | length'
        //   jq '[.[] | [.traceID, .spanID]] | unique | length'          (the span array)
        //   jq '[.spans[] | [.traceId, .spanId]] | unique | length'      (the internal model)
        QTest::newRow("query API, one trace (a span repeated)")
            << QStringLiteral("other/jaeger-ui-api-trace.json") << 1 << 1;
        QTest::newRow("query API, nested reference copies")
            << QStringLiteral("other/jaeger-ui-multi-trace-nested-refs.json") << 1 << 4;
        QTest::newRow("span array, inline processes")
            << QStringLiteral("other/jaeger-anonymizer-span-array.json") << 1 << 2;
        QTest::newRow("internal model, base64 ids")
            << QStringLiteral("other/jaeger-model-protojson-base64-ids.json") << 1 << 2;
    }

    void corpusFiles()
    {
        QFETCH(QString, file);
        QFETCH(int, traces);
        QFETCH(int, steps);
        const QString path = TestUtils::corpusDir() + QLatin1Char('/') + file;
        TraceStore store(m_dir.filePath(QStringLiteral("%1.sqlite").arg(QFileInfo(file).baseName())).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(path.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(outcome.format, std::string("jaeger-json"));

        const ExpectedSpans expected = expectedSpans(path);
        QCOMPARE(int(expected.size()), steps);
        QCOMPARE(int(store.traces().size()), traces);
        int seen = 0;
        for (const TraceSummary& trace : store.traces()) {
            for (const StepRecord& step : store.steps(trace.traceId)) {
                const auto it
                    = expected.find({ QString::fromStdString(trace.traceId), QString::fromStdString(step.spanId) });
                QVERIFY2(it != expected.end(), step.spanId.c_str());
                const Expected& e = it->second;
                QCOMPARE(QString::fromStdString(step.name), e.name);
                QCOMPARE(step.endNs - step.startNs, e.durationNs);
                QCOMPARE(QString::fromStdString(step.parentId), e.parent);
                QCOMPARE(QString::fromStdString(step.service.str()), e.service);
                QCOMPARE(step.status == StepStatus::Error, e.error);
                ++seen;
            }
        }
        QCOMPARE(seen, steps);
        // Importing the file again adds nothing.
        QCOMPARE(importFile(path.toStdString(), writer).newSpans, 0);
    }

    void internalModelKeepsTypedTags()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");
        // The first span of the internal-model file (jq '.spans[0]'): span.kind server, peer.port 53931 (INT64),
        // started 2017-01-26T16:46:31.639875-05:00, two logs.
        const QString path = TestUtils::corpusDir() + QStringLiteral("/other/jaeger-model-protojson-base64-ids.json");
        TraceStore store(m_dir.filePath(QStringLiteral("model.sqlite")).toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(path.toStdString(), writer).ok());
        const QString traceId = hexId(QStringLiteral("AAAAAAAAAABSlpqJVVcaPw=="), 16);
        const auto detail
            = store.stepDetail(traceId.toStdString(), hexId(QStringLiteral("AAAAAABkfZg="), 8).toStdString());
        QVERIFY(detail);
        QCOMPARE(detail->step.otelKind, 2); // server
        const QDateTime start = QDateTime::fromString(QStringLiteral("2017-01-26T16:46:31-05:00"), Qt::ISODate);
        QCOMPARE(detail->step.startNs / 1'000'000'000, start.toSecsSinceEpoch());
        QCOMPARE(detail->step.startNs % 1'000'000'000, 639'875'000);
        const QJsonArray attributes
            = QJsonDocument::fromJson(QByteArray::fromStdString(detail->step.attributesJson)).array();
        bool port = false;
        for (const QJsonValue kv : attributes) {
            if (kv[QStringLiteral("key")] == QLatin1String("peer.port"))
                port = kv[QStringLiteral("value")][QStringLiteral("intValue")] == QLatin1String("53931");
        }
        QVERIFY2(port, detail->step.attributesJson.c_str());
        QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(detail->step.eventsJson)).array().size(), 2);
    }

    void genAiTagsBecomeAnLlmStepWithAnError()
    {
        // The spec's example: a GenAI chat span as Jaeger v2 stores it (attributes as tags, error tag, span.kind).
        const QByteArray file
            = R"({"data":[{"traceID":"5b8efff798038103d269b633813fc60c","processes":{"p1":{"serviceName":"support-bot","tags":[{"key":"service.version","type":"string","value":"1.4.0"}]}},"warnings":null,
 "spans":[{"traceID":"5b8efff798038103d269b633813fc60c","spanID":"eee19b7ec3c1b174","operationName":"chat gpt-4o-mini",
  "references":[{"refType":"CHILD_OF","traceID":"5b8efff798038103d269b633813fc60c","spanID":"eee19b7ec3c1b173"}],
  "startTime":1760000000123456,"duration":842000,"processID":"p1","logs":[{"timestamp":1760000000200000,"fields":[{"key":"event","type":"string","value":"retry"},{"key":"attempt","type":"int64","value":"2"}]}],"warnings":null,
  "tags":[{"key":"gen_ai.operation.name","type":"string","value":"chat"},{"key":"gen_ai.request.model","type":"string","value":"gpt-4o-mini"},{"key":"gen_ai.usage.input_tokens","type":"int64","value":412},
          {"key":"gen_ai.usage.output_tokens","type":"int64","value":"37"},{"key":"span.kind","type":"string","value":"client"},{"key":"error","type":"bool","value":true},{"key":"otel.status_description","type":"string","value":"rate limited"}]}]}]})";
        const QString path = m_dir.filePath(QStringLiteral("genai.json"));
        TestUtils::writeFile(path, file);
        TraceStore store(m_dir.filePath(QStringLiteral("genai.sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(path.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        const auto detail = store.stepDetail("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174");
        QVERIFY(detail);
        QCOMPARE(detail->record.kind, StepKind::Llm);
        QCOMPARE(detail->record.model.str(), std::string("gpt-4o-mini"));
        QCOMPARE(detail->record.tokens.input, 412);
        QCOMPARE(detail->record.tokens.output, 37);
        QCOMPARE(detail->record.status, StepStatus::Error);
        QCOMPARE(detail->record.statusMessage, std::string("rate limited"));
        QCOMPARE(detail->record.service.str(), std::string("support-bot"));
        QCOMPARE(detail->step.resource->serviceVersion, std::string("1.4.0"));
        QCOMPARE(detail->record.endNs - detail->record.startNs, 842'000'000);
        const QJsonArray events = QJsonDocument::fromJson(QByteArray::fromStdString(detail->step.eventsJson)).array();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0][QStringLiteral("name")].toString(), QStringLiteral("retry"));
        QCOMPARE(events[0][QStringLiteral("timeUnixNano")].toString(), QStringLiteral("1760000000200000000"));
    }

    void badInputNamesThePlace_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");
        QTest::newRow("truncated") << QByteArray(
            R"({"data":[{"traceID":"5b8efff798038103d269b633813fc60c","spans":[{"spanID":"eee19b7ec3c1b174","operationName":"x",)")
                                   << QStringLiteral("line 1") << QString();
        QTest::newRow("no valid span") << QByteArray(
            R"([{"traceID":"zz","spanID":"eee19b7ec3c1b174","operationName":"x"}])")
                                       << QString() << QStringLiteral("no Jaeger spans");
    }

    void badInputNamesThePlace()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, where);
        QFETCH(QString, message);
        const QString path = m_dir.filePath(QStringLiteral("bad.json"));
        TestUtils::writeFile(path, content);
        TraceStore store(m_dir.filePath(QStringLiteral("bad.sqlite")).toStdString());
        TraceWriter writer(store);
        ImportContext context;
        context.forcedFormat = "jaeger-json";
        const ImportOutcome outcome = importFile(path.toStdString(), writer, context);
        QVERIFY(!outcome.ok());
        QVERIFY2(QString::fromStdString(outcome.error.where).contains(where), outcome.error.toString().c_str());
        QVERIFY2(QString::fromStdString(outcome.error.message).contains(message), outcome.error.toString().c_str());
        QVERIFY(store.traces().empty());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestJaegerImport)
#include "tst_jaegerimport.moc"
