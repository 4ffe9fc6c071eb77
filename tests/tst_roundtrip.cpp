#include "otlpprotoconvert.h"
#include "testutils.h"

#include <fileimport.h>
#include <importer.h>
#include <otlpjsonwriter.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QDir>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

using namespace Tracelight;
using nlohmann::json;

// Every field of StepDetail, StepRecord and Step is compared below (all but the row id, where the copy came from, and
// the Step fields readDetail copies from the record). A new field changes these sizes: compare it in differences(),
// then update them.
static_assert(sizeof(StepRecord) == 312, "StepRecord changed: compare the new field in tst_roundtrip");
static_assert(sizeof(Step) == 976, "Step changed: compare the new field in tst_roundtrip");
static_assert(sizeof(StepDetail) == 1352, "StepDetail changed: compare the new field in tst_roundtrip");

Q_DECLARE_METATYPE(std::vector<Tracelight::Step>)

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QStringList differences(const StepDetail& a, const StepDetail& b)
{
    QStringList fields;
#define CHECK(field)                                                                                                   \
    if (!(a.field == b.field))                                                                                         \
        fields << QStringLiteral(#field);
    CHECK(record.spanId)
    CHECK(record.parentId)
    CHECK(record.name)
    CHECK(record.kind)
    CHECK(record.status)
    CHECK(record.startNs)
    CHECK(record.endNs)
    CHECK(record.statusMessage)
    CHECK(record.operation)
    CHECK(record.model)
    CHECK(record.provider)
    CHECK(record.toolName)
    CHECK(record.agentName)
    CHECK(record.service)
    CHECK(record.tokens.input)
    CHECK(record.tokens.output)
    CHECK(record.tokens.cacheRead)
    CHECK(record.tokens.reasoning)
    CHECK(record.costUsd)
    CHECK(record.tokens.cacheWrite)
    CHECK(record.costSource)
    CHECK(step.traceId)
    CHECK(step.otelKind)
    CHECK(step.toolCallId)
    CHECK(step.toolArguments)
    CHECK(step.toolResult)
    CHECK(step.sessionId)
    CHECK(step.userId)
    CHECK(step.agentVersion)
    CHECK(step.systemInstructions)
    CHECK(step.inputMessages)
    CHECK(step.outputMessages)
    CHECK(step.inputText)
    CHECK(step.outputText)
    CHECK(step.attributesJson)
    CHECK(step.eventsJson)
    CHECK(step.linksJson)
    CHECK(step.traceState)
    CHECK(step.flags)
    CHECK(step.resource->attributesJson)
    CHECK(step.resource->serviceVersion)
    CHECK(step.scope->name)
    CHECK(step.scope->version)
    CHECK(step.scope->attributesJson)
#undef CHECK
    return fields;
}

QStringList differences(const TraceSummary& a, const TraceSummary& b)
{
    QStringList fields;
#define CHECK(field)                                                                                                   \
    if (!(a.field == b.field))                                                                                         \
        fields << QStringLiteral(#field);
    CHECK(traceId)
    CHECK(name)
    CHECK(service)
    CHECK(version)
    CHECK(agent)
    CHECK(sessionId)
    CHECK(userId)
    CHECK(startNs)
    CHECK(endNs)
    CHECK(spans)
    CHECK(llmCalls)
    CHECK(toolCalls)
    CHECK(tokens.input)
    CHECK(tokens.output)
    CHECK(tokens.cacheRead)
    CHECK(tokens.reasoning)
    CHECK(costUsd)
    CHECK(errors)
    CHECK(tokens.cacheWrite)
    CHECK(costSource)
    CHECK(unknownCostCalls)
    CHECK(unpricedModels)
#undef CHECK
    return fields;
}

std::map<std::string, StepDetail> detailsOf(TraceStore& store, const std::string& traceId)
{
    std::map<std::string, StepDetail> details;
    store.forEachStepDetail(traceId, [&](StepDetail&& d) { details.emplace(d.record.spanId, std::move(d)); });
    return details;
}

// The OTLP JSON export of one trace, as `tracelight export` writes it.
struct Exported
{
    std::string text;
    std::int64_t spans = 0;
    std::int64_t extendedSpans = 0;
    std::vector<std::string> warnings;
};

Exported exportTrace(TraceStore& store, const std::string& traceId)
{
    Exported result;
    OtlpJsonWriter writer([&](std::string_view text) { result.text += text; });
    store.forEachStepDetail(traceId, [&](StepDetail&& step) { writer.add(step); });
    writer.finish();
    result.spans = writer.spans();
    result.extendedSpans = writer.extendedSpans();
    result.warnings = writer.warnings();
    return result;
}

// The spans of an OTLP JSON request, in the order written.
std::vector<json> spansOf(const json& request)
{
    std::vector<json> spans;
    for (const json& rs : request["resourceSpans"]) {
        for (const json& ss : rs["scopeSpans"]) {
            for (const json& span : ss["spans"])
                spans.push_back(span);
        }
    }
    return spans;
}

std::string attribute(const json& span, const std::string& key)
{
    for (const json& entry : span.value("attributes", json::array())) {
        if (entry["key"] == key) {
            const json& value = entry["value"];
            return value.contains("stringValue") ? value["stringValue"].get<std::string>()
                                                 : value.begin().value().dump();
        }
    }
    return "<absent>";
}

} // namespace

class TestRoundTrip : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The sample as protobuf too, so that steps read from protobuf make the trip as well.
        std::string error;
        const auto binaries = ProtoConvert::fileToBinaries(TestUtils::samplePath().toStdString(), error);
        QVERIFY2(error.empty(), error.c_str());
        m_protoSample = m_dir.filePath(QStringLiteral("refund-agent.pb"));
        TestUtils::writeFile(m_protoSample, QByteArray::fromStdString(binaries.front()));
    }

    void importedFile_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("bundled sample") << TestUtils::samplePath();
        QTest::newRow("bundled sample as protobuf") << m_protoSample;
        if (!TestUtils::haveCorpus())
            return;
        // Every file of the corpus that some importer recognizes, found at run time: formats added later join in.
        QStringList files;
        QDirIterator it(TestUtils::corpusDir(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        files.sort();
        const QDir corpus(TestUtils::corpusDir());
        QStringList unrecognized;
        for (const QString& path : files) {
            if (path.endsWith(QLatin1String("/SOURCES.md")))
                continue;
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const std::string head = file.read(1 << 20).toStdString();
            int best = 0;
            for (const auto& importer : importers())
                best = std::max(best, importer->probe(head));
            if (best > 0)
                QTest::newRow(qPrintable(corpus.relativeFilePath(path))) << path;
            else
                unrecognized << corpus.relativeFilePath(path);
        }
        qInfo("%lld corpus files no importer recognizes, so not round-tripped:\n  %s",
            static_cast<long long>(unrecognized.size()), qPrintable(unrecognized.join(QStringLiteral("\n  "))));
    }

    // Import → export → import into a second cache: every field of every step comes back identical.
    void importedFile()
    {
        QFETCH(QString, file);
        QTemporaryDir dir;
        TraceStore first(dir.filePath(QStringLiteral("first.sqlite")).toStdString());
        {
            TraceWriter writer(first);
            const ImportOutcome outcome = importFile(file.toStdString(), writer);
            if (!outcome.ok()) {
                // Recognized by a probe but refused by its importer: nothing to carry. Said out loud, and the cache
                // must be untouched.
                qInfo("recognized but not importable, so not round-tripped: %s", outcome.error.toString().c_str());
                QVERIFY(first.traces().empty());
                return;
            }
        }
        roundTrip(first, dir);
    }

    void otherFormat_data()
    {
        QTest::addColumn<std::vector<Step>>("steps");
        // "key=value" attributes of the export (what other OTLP tools will read); "<absent>" for a key it must not have
        QTest::addColumn<QStringList>("exported");

        auto resource = std::make_shared<Resource>();
        resource->serviceName = "refund-bot"; // a service name with no resource attributes behind it
        resource->serviceVersion = "2.0";
        auto scope = std::make_shared<Scope>();
        scope->name = "langsmith";

        Step llm;
        llm.traceId = "0f5b1c8e-3a4d-4b6e-9f21-7c3d2e1a0b9c"; // LangSmith ids are UUIDs
        llm.spanId = "a1b2c3d4-0000-4000-8000-000000000001";
        llm.parentId = "a1b2c3d4-0000-4000-8000-000000000000"; // not in the trace
        llm.name = "ChatOpenAI";
        llm.kind = StepKind::Llm;
        llm.operation = "llm"; // the source's own run type
        llm.model = "gpt-4o-mini";
        llm.provider = "openai";
        llm.startNs = 1'700'000'000'000'000'000;
        llm.endNs = 1'700'000'001'500'000'000;
        llm.status = StepStatus::Ok;
        llm.tokens.input = 120;
        llm.tokens.output = 30;
        llm.tokens.cacheRead = 0;
        llm.tokens.reasoning = 5;
        llm.costUsd = 0.00123;
        llm.sessionId = "thread-1";
        llm.userId = "u-42";
        // Messages as the importers store them (nlohmann's dump: keys sorted).
        llm.systemInstructions = R"([{"parts":[{"content":"Be brief.","type":"text"}],"role":"system"}])";
        llm.inputMessages = R"([{"parts":[{"content":"Refund order 7?","type":"text"}],"role":"user"}])";
        llm.outputMessages = R"([{"parts":[{"content":"Done.","type":"text"}],"role":"assistant"}])";
        llm.inputText = "Refund order 7?"; // no system text in it, unlike what the GenAI mapping would make
        llm.outputText = "Done.";
        llm.attributesJson = R"([{"key":"langsmith.run_type","value":{"stringValue":"llm"}}])";
        llm.eventsJson = R"([{"name":"new_token","time":"2023-11-14T22:13:20Z"}])";
        llm.resource = resource;
        llm.scope = scope;
        QTest::newRow("LangSmith-like llm run")
            << std::vector<Step> { llm }
            << QStringList { QStringLiteral("gen_ai.request.model=gpt-4o-mini"),
                   QStringLiteral("gen_ai.operation.name=chat"), QStringLiteral("gen_ai.usage.input_tokens=\"120\""),
                   QStringLiteral("user.id=u-42"), QStringLiteral("langsmith.run_type=llm") };

        Step guardrail;
        guardrail.traceId = "trace_5d41402abc4b2a76";
        guardrail.spanId = "span_moderation";
        guardrail.name = "moderation";
        guardrail.kind = StepKind::Guardrail; // no convention has a word for it
        guardrail.startNs = 5;
        guardrail.status = StepStatus::Error;
        guardrail.statusMessage = "blocked: self-harm";
        QTest::newRow("open guardrail without resource or scope") << std::vector<Step> { guardrail } << QStringList {};

        Step agent;
        agent.traceId = "trace_tree";
        agent.spanId = "agent-1";
        agent.name = "triage";
        agent.kind = StepKind::Agent;
        agent.agentName = "triage";
        agent.agentVersion = "3";
        agent.startNs = 100;
        agent.endNs = 900;
        agent.resource = resource;
        Step tool;
        tool.traceId = "trace_tree";
        tool.spanId = "tool-1";
        tool.parentId = "agent-1";
        tool.name = "search";
        tool.kind = StepKind::Tool;
        tool.toolName = "search";
        tool.toolCallId = "call_1";
        tool.toolArguments = R"({"q":"refund policy"})";
        tool.toolResult = "30 days";
        tool.tokens.cacheWrite = 0; // recorded as 0, not absent
        tool.costUsd = 0.0;
        tool.startNs = 200;
        tool.endNs = 300;
        // The source carries the key with another value: the normalized field wins on the way back.
        tool.attributesJson = R"([{"key":"gen_ai.tool.name","value":{"stringValue":"web.search"}}])";
        tool.resource = resource;
        Step handoff;
        handoff.traceId = "trace_tree";
        handoff.spanId = "ABCDEF0123456789"; // hex, but not lowercase
        handoff.parentId = "agent-1";
        handoff.name = "transfer_to_refunds";
        handoff.kind = StepKind::Handoff;
        handoff.otelKind = 1;
        handoff.flags = 257;
        handoff.traceState = "vendor=x";
        handoff.startNs = 400;
        handoff.endNs = 400;
        handoff.attributesJson = R"({"not":"a KeyValue list"})";
        handoff.eventsJson = "not JSON at all";
        handoff.linksJson = R"([{"traceId":"trace_tree","spanId":"tool-1"}])";
        auto otherScope = std::make_shared<Scope>();
        otherScope->name = "handoffs";
        otherScope->version = "1";
        otherScope->attributesJson = R"([{"key":"lib","value":{"stringValue":"swarm"}}])";
        handoff.scope = otherScope;
        Step event;
        event.traceId = "trace_tree";
        event.spanId = "mark";
        event.parentId = "agent-1";
        event.name = "checkpoint";
        event.kind = StepKind::Other; // zero duration: the OTLP importer would call it an event
        event.startNs = 500;
        event.endNs = 500;
        QTest::newRow("a tree of agent, tool, handoff and zero-length step")
            << std::vector<Step> { agent, tool, handoff, event }
            << QStringList { QStringLiteral("gen_ai.operation.name=invoke_agent"),
                   QStringLiteral("gen_ai.agent.name=triage"), QStringLiteral("gen_ai.tool.name=web.search") };
    }

    // Steps of formats other than OTLP make the trip too: what the conventions carry goes as standard attributes,
    // the rest in tracelight.* attributes.
    void otherFormat()
    {
        QFETCH(std::vector<Step>, steps);
        QFETCH(QStringList, exported);
        QTemporaryDir dir;
        TraceStore first(dir.filePath(QStringLiteral("first.sqlite")).toStdString());
        {
            TraceWriter writer(first);
            writer.beginFile("synthetic.json", "langsmith", 0);
            writer.addSteps(StepBatch(steps));
            writer.commitFile("0000");
        }
        const std::string traceId = steps.front().traceId;
        const Exported out = exportTrace(first, traceId);
        QVERIFY(out.extendedSpans > 0);
        const std::vector<json> spans = spansOf(json::parse(out.text));
        QCOMPARE(spans.size(), steps.size());
        // OTLP ids, and parent links that still hold between them for other tools.
        std::set<std::string> ids;
        for (const json& span : spans) {
            QCOMPARE(span["traceId"].get<std::string>().size(), std::size_t(32));
            QCOMPARE(span["spanId"].get<std::string>().size(), std::size_t(16));
            ids.insert(span["spanId"].get<std::string>());
        }
        const auto linkedSteps = std::count_if(steps.begin(), steps.end(), [&](const Step& step) {
            return std::any_of(
                steps.begin(), steps.end(), [&](const Step& other) { return other.spanId == step.parentId; });
        });
        const auto linkedSpans = std::count_if(spans.begin(), spans.end(),
            [&](const json& span) { return span.contains("parentSpanId") && ids.count(span["parentSpanId"]) == 1; });
        QCOMPARE(linkedSpans, linkedSteps);
        for (const QString& expected : exported) {
            const QStringList parts = expected.split(QLatin1Char('='));
            const bool found = std::any_of(spans.begin(), spans.end(),
                [&](const json& span) { return qs(attribute(span, parts[0].toStdString())) == parts[1]; });
            QVERIFY2(found, qPrintable(expected));
        }
        roundTrip(first, dir);
    }

private:
    void roundTrip(TraceStore& first, QTemporaryDir& dir)
    {
        TraceStore second(dir.filePath(QStringLiteral("second.sqlite")).toStdString());
        const std::vector<TraceSummary> traces = first.traces();
        QVERIFY(!traces.empty());
        bool allFromOtlp = true;
        for (const TraceSummary& trace : traces) {
            for (const auto& [id, detail] : detailsOf(first, trace.traceId))
                allFromOtlp = allFromOtlp && detail.sourceFormat.rfind("otlp-", 0) == 0;
            const Exported out = exportTrace(first, trace.traceId);
            QVERIFY2(out.warnings.empty(), out.warnings.empty() ? "" : out.warnings.front().c_str());
            QCOMPARE(out.spans, trace.spans);
            // A valid ExportTraceServiceRequest by protobuf's own reading.
            std::string error;
            ProtoConvert::jsonToBinary(out.text, error);
            QVERIFY2(error.empty(), error.c_str());
            const QString file = dir.filePath(QStringLiteral("export-%1.json").arg(qs(trace.traceId).left(40)));
            TestUtils::writeFile(file, QByteArray::fromStdString(out.text));
            TraceWriter writer(second);
            const ImportOutcome outcome = importFile(file.toStdString(), writer);
            QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
            QCOMPARE(qs(outcome.format), QStringLiteral("otlp-json"));
            // What came from OTLP goes back as it came, with no tracelight.* attribute.
            if (allFromOtlp)
                QCOMPARE(out.extendedSpans, 0);
        }
        QCOMPARE(second.traces().size(), traces.size());
        for (const TraceSummary& trace : traces) {
            const std::optional<TraceSummary> back = second.trace(trace.traceId);
            QVERIFY2(back, trace.traceId.c_str());
            const QStringList summary = differences(trace, *back);
            QVERIFY2(summary.isEmpty(),
                qPrintable(QStringLiteral("trace %1: ").arg(qs(trace.traceId)) + summary.join(QStringLiteral(", "))));
            const auto before = detailsOf(first, trace.traceId);
            const auto after = detailsOf(second, trace.traceId);
            QCOMPARE(after.size(), before.size());
            for (const auto& [spanId, detail] : before) {
                const auto it = after.find(spanId);
                QVERIFY2(it != after.end(), spanId.c_str());
                const QStringList differing = differences(detail, it->second);
                QVERIFY2(differing.isEmpty(),
                    qPrintable(QStringLiteral("span %1: ").arg(qs(spanId)) + differing.join(QStringLiteral(", "))));
            }
        }
    }

    QTemporaryDir m_dir;
    QString m_protoSample;
};

QTEST_GUILESS_MAIN(TestRoundTrip)
#include "tst_roundtrip.moc"
