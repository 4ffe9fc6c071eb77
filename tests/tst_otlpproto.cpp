#include "otlpprotoconvert.h"
#include "testutils.h"

#include <fileimport.h>
#include <importer.h>
#include <otlpprotodecoder.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QDir>
#include <QDirIterator>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Tracelight;
using nlohmann::json;
namespace otlp = opentelemetry::proto;

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

std::string readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll().toStdString();
}

// OTLP JSON raw values in one canonical form, so that what the JSON importer stored verbatim from a hand-written file
// compares with what the protobuf path renders: snake_case keys as camelCase, numbers and numeric strings alike, ids as
// lowercase hex, fields at their default value left out (as protobuf leaves them out).
json canonical(const json& value, const std::string& key = {})
{
    if (value.is_object()) {
        json out = json::object();
        for (auto it = value.begin(); it != value.end(); ++it) {
            std::string name;
            for (std::size_t i = 0; i < it.key().size(); ++i) {
                if (it.key()[i] == '_' && i + 1 < it.key().size())
                    name += static_cast<char>(std::toupper(static_cast<unsigned char>(it.key()[++i])));
                else
                    name += it.key()[i];
            }
            json v = canonical(it.value(), name);
            const bool isDefault = v.is_null() || v == "" || v == "0" || v == false || (v.is_array() && v.empty())
                || (v.is_object() && v.empty() && name != "value");
            if (!isDefault)
                out[name] = std::move(v);
        }
        return out;
    }
    if (value.is_array()) {
        json out = json::array();
        for (const json& element : value)
            out.push_back(canonical(element));
        return out;
    }
    if (value.is_number()) {
        const double d = value.get<double>();
        return d == std::floor(d) && std::abs(d) < 9e18 ? std::to_string(static_cast<std::int64_t>(d)) : value.dump();
    }
    if (value.is_string() && (key == "traceId" || key == "spanId" || key == "parentSpanId")) {
        QByteArray id = QByteArray::fromStdString(value.get<std::string>());
        if (id.size() != 32 && id.size() != 16)
            id = QByteArray::fromBase64(id).toHex();
        return id.toLower().toStdString();
    }
    return value;
}

bool sameJson(const std::string& a, const std::string& b, bool exact)
{
    return exact ? a == b : canonical(json::parse(a)) == canonical(json::parse(b));
}

// Every field of two steps; the raw JSON fields exactly, or as the same OTLP data when not exact.
QStringList differences(const Step& a, const Step& b, bool exact)
{
    QStringList fields;
    auto check = [&](const char* name, bool same) {
        if (!same)
            fields << QLatin1String(name);
    };
    check("traceId", a.traceId == b.traceId);
    check("spanId", a.spanId == b.spanId);
    check("parentId", a.parentId == b.parentId);
    check("name", a.name == b.name);
    check("kind", a.kind == b.kind);
    check("otelKind", a.otelKind == b.otelKind);
    check("startNs", a.startNs == b.startNs);
    check("endNs", a.endNs == b.endNs);
    check("status", a.status == b.status);
    check("statusMessage", a.statusMessage == b.statusMessage);
    check("operation", a.operation == b.operation);
    check("model", a.model == b.model);
    check("provider", a.provider == b.provider);
    check("inputTokens", a.tokens.input == b.tokens.input);
    check("outputTokens", a.tokens.output == b.tokens.output);
    check("cacheReadTokens", a.tokens.cacheRead == b.tokens.cacheRead);
    check("cacheWriteTokens", a.tokens.cacheWrite == b.tokens.cacheWrite);
    check("reasoningTokens", a.tokens.reasoning == b.tokens.reasoning);
    check("costUsd", a.costUsd == b.costUsd);
    check("toolName", a.toolName == b.toolName);
    check("toolCallId", a.toolCallId == b.toolCallId);
    check("toolArguments", a.toolArguments == b.toolArguments);
    check("toolResult", a.toolResult == b.toolResult);
    check("agentName", a.agentName == b.agentName);
    check("agentVersion", a.agentVersion == b.agentVersion);
    check("sessionId", a.sessionId == b.sessionId);
    check("userId", a.userId == b.userId);
    check("systemInstructions", a.systemInstructions == b.systemInstructions);
    check("inputMessages", a.inputMessages == b.inputMessages);
    check("outputMessages", a.outputMessages == b.outputMessages);
    check("inputText", a.inputText == b.inputText);
    check("outputText", a.outputText == b.outputText);
    check("attributesJson", sameJson(a.attributesJson, b.attributesJson, exact));
    check("eventsJson", sameJson(a.eventsJson, b.eventsJson, exact));
    check("linksJson", sameJson(a.linksJson, b.linksJson, exact));
    check("traceState", a.traceState == b.traceState);
    check("flags", a.flags == b.flags);
    check("resource", bool(a.resource) == bool(b.resource));
    if (a.resource && b.resource) {
        check("resource.attributesJson", sameJson(a.resource->attributesJson, b.resource->attributesJson, exact));
        check("resource.serviceName", a.resource->serviceName == b.resource->serviceName);
        check("resource.serviceVersion", a.resource->serviceVersion == b.resource->serviceVersion);
    }
    check("scope", bool(a.scope) == bool(b.scope));
    if (a.scope && b.scope) {
        check("scope.name", a.scope->name == b.scope->name);
        check("scope.version", a.scope->version == b.scope->version);
        check("scope.attributesJson", sameJson(a.scope->attributesJson, b.scope->attributesJson, exact));
    }
    return fields;
}

std::vector<Step> importSteps(const QString& file, ImportOutcome* outcome = nullptr)
{
    TestUtils::MemorySink sink;
    const ImportOutcome result = importFile(file.toStdString(), sink);
    if (outcome)
        *outcome = result;
    return std::move(sink.steps);
}

std::vector<std::string> binariesOf(const QString& file)
{
    std::string error;
    std::vector<std::string> binaries = ProtoConvert::fileToBinaries(file.toStdString(), error);
    if (!error.empty())
        qFatal("protobuf refused %s: %s", qPrintable(file), error.c_str());
    return binaries;
}

// One request per span, each with the span's resource and scope: many records from one file.
std::vector<std::string> perSpan(const std::string& binary)
{
    ProtoConvert::Request request;
    request.ParseFromString(binary);
    std::vector<std::string> records;
    for (const auto& rs : request.resource_spans()) {
        for (const auto& ss : rs.scope_spans()) {
            for (const auto& span : ss.spans()) {
                ProtoConvert::Request one;
                auto* r = one.add_resource_spans();
                *r->mutable_resource() = rs.resource();
                auto* s = r->add_scope_spans();
                *s->mutable_scope() = ss.scope();
                *s->add_spans() = span;
                records.push_back(one.SerializeAsString());
            }
        }
    }
    return records;
}

QByteArray bytes(const std::string& text)
{
    return QByteArray::fromStdString(text);
}

// A request with one span whose name and attribute are given; the fields in the order protobuf writes them.
std::string requestWithSpan(const std::string& name, const std::string& attributeValue)
{
    ProtoConvert::Request request;
    auto* rs = request.add_resource_spans();
    auto* attribute = rs->mutable_resource()->add_attributes();
    attribute->set_key("service.name");
    attribute->mutable_value()->set_string_value("huge");
    auto* span = rs->add_scope_spans()->add_spans();
    span->set_trace_id(std::string("\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef", 16));
    span->set_span_id(std::string("\x00\x00\x00\x00\x00\x00\x00\x01", 8));
    span->set_name(name);
    span->set_start_time_unix_nano(1000);
    span->set_end_time_unix_nano(2000);
    auto* big = span->add_attributes();
    big->set_key("big");
    big->mutable_value()->set_string_value(attributeValue);
    return request.SerializeAsString();
}

} // namespace

class TestOtlpProto : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void sameStepsAsJson_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("exact");
        // The sample writes every value in canonical OTLP JSON (64-bit integers as strings, no field at its default
        // value), so even the raw JSON kept from it must be byte-identical.
        QTest::newRow("bundled sample") << TestUtils::samplePath() << true;
        if (!TestUtils::haveCorpus())
            return;
        for (const QString& folder : { QStringLiteral("otlp-json"), QStringLiteral("otlp-collector-file") }) {
            const QDir dir(TestUtils::corpusDir() + QLatin1Char('/') + folder);
            for (const QString& name : dir.entryList(QDir::Files))
                QTest::newRow(qPrintable(name)) << dir.filePath(name) << false;
        }
    }

    // The same spans, converted to protobuf by protobuf itself, import as the same steps as from JSON: whole
    // requests, and the collector's length-prefixed records.
    void sameStepsAsJson()
    {
        QFETCH(QString, file);
        QFETCH(bool, exact);
        ImportOutcome jsonOutcome;
        const std::vector<Step> fromJson = importSteps(file, &jsonOutcome);
        QVERIFY2(jsonOutcome.ok(), jsonOutcome.error.toString().c_str());
        QCOMPARE(int(fromJson.size()), TestUtils::countOtlp(file).spans);
        const std::vector<std::string> binaries = binariesOf(file);
        QVERIFY(!binaries.empty());

        std::vector<std::pair<QString, std::string>> layouts { { QStringLiteral("records"),
            ProtoConvert::lengthPrefixed(binaries) } };
        if (binaries.size() == 1)
            layouts.emplace_back(QStringLiteral("request"), binaries.front());
        for (const auto& [layout, content] : layouts) {
            const QString protoFile
                = m_dir.filePath(QFileInfo(file).fileName() + QLatin1Char('.') + layout + QStringLiteral(".pb"));
            TestUtils::writeFile(protoFile, bytes(content));
            ImportOutcome outcome;
            const std::vector<Step> fromProto = importSteps(protoFile, &outcome);
            QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
            QCOMPARE(qs(outcome.format), QStringLiteral("otlp-proto"));
            QCOMPARE(fromProto.size(), fromJson.size());
            QCOMPARE(outcome.warnings.size(), jsonOutcome.warnings.size());
            for (std::size_t i = 0; i < fromJson.size(); ++i) {
                const QStringList differing = differences(fromJson[i], fromProto[i], exact);
                QVERIFY2(differing.isEmpty(),
                    qPrintable(layout + QStringLiteral(" span ") + qs(fromJson[i].spanId) + QStringLiteral(": ")
                        + differing.join(QStringLiteral(", "))));
            }
        }
    }

    void collectorFileWithManyRecords()
    {
        // Each span of the sample in its own record: 32 records (jq '[.resourceSpans[].scopeSpans[].spans[]] |
        // length').
        const std::vector<std::string> records = perSpan(binariesOf(TestUtils::samplePath()).front());
        QCOMPARE(int(records.size()), 32);
        const QString file = m_dir.filePath(QStringLiteral("per-span.pb"));
        TestUtils::writeFile(file, bytes(ProtoConvert::lengthPrefixed(records)));
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(file.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(outcome.spans, 32);
        QCOMPARE(outcome.traces, 1);
        QVERIFY(outcome.warnings.empty());
        // The trace's figures, from jq over the JSON sample: 10 llm spans, 12881 input tokens summed over them:
        //   jq '[.resourceSpans[].scopeSpans[].spans[] | select(any(.attributes[]; .key=="gen_ai.operation.name"
        //     and .value.stringValue=="chat")) | (.attributes[] | select(.key=="gen_ai.usage.input_tokens")
        //     | .value.intValue | tonumber)] | [length, add]' refund-agent.otlp.json   →  [10, 12881]
        const TraceSummary trace = store.traces().front();
        QCOMPARE(trace.llmCalls, 10);
        QCOMPARE(trace.tokens.input, 12881);
        QCOMPARE(qs(trace.service), QStringLiteral("support-agent"));

        if (!TestUtils::haveCorpus())
            return;
        // 41 of the 97 lines hold spans, 547 in all:
        //   jq -c 'select(.resourceSpans) | [.resourceSpans[].scopeSpans[].spans[]] | length'
        //     otel-demo-mixed-signals.jsonl | awk '{n++; s+=$1} END {print n, s}'   →  41 547
        const std::vector<std::string> demo
            = binariesOf(TestUtils::corpusDir() + QStringLiteral("/otlp-collector-file/otel-demo-mixed-signals.jsonl"));
        QCOMPARE(int(demo.size()), 41);
        const QString demoFile = m_dir.filePath(QStringLiteral("demo.pb"));
        TestUtils::writeFile(demoFile, bytes(ProtoConvert::lengthPrefixed(demo)));
        TestUtils::MemorySink sink;
        const ImportOutcome demoOutcome = importFile(demoFile.toStdString(), sink);
        QVERIFY2(demoOutcome.ok(), demoOutcome.error.toString().c_str());
        QCOMPARE(int(sink.steps.size()), 547);
    }

    void streamsInBatches()
    {
        ProtoConvert::Request request;
        auto* spans = request.add_resource_spans()->add_scope_spans();
        for (std::uint64_t i = 1; i <= 4500; ++i) {
            auto* span = spans->add_spans();
            span->set_trace_id(std::string(15, '\x01') + '\x02');
            std::string id(8, '\0');
            for (int b = 0; b < 8; ++b)
                id[std::size_t(7 - b)] = static_cast<char>((i >> (8 * b)) & 0xff);
            span->set_span_id(id);
            span->set_start_time_unix_nano(i);
        }
        const QString file = m_dir.filePath(QStringLiteral("many.pb"));
        TestUtils::writeFile(file, bytes(request.SerializeAsString()));
        TestUtils::MemorySink sink;
        QVERIFY(importFile(file.toStdString(), sink).ok());
        QCOMPARE(int(sink.steps.size()), 4500);
        QCOMPARE(qs(sink.steps.back().spanId), QStringLiteral("0000000000001194")); // 4500 in hex
        QVERIFY2(sink.batches >= 4, "steps must reach the sink in batches, not all at the end");
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("where");

        const std::string raw = binariesOf(TestUtils::samplePath()).front();
        const std::vector<std::string> records = perSpan(raw);
        // Offsets of the records: each is a 4-byte length and the request.
        std::vector<qsizetype> recordOffsets { 0 };
        for (const std::string& record : records)
            recordOffsets.push_back(recordOffsets.back() + 4 + qsizetype(record.size()));
        const QByteArray all = bytes(ProtoConvert::lengthPrefixed(records));
        auto at = [](qsizetype offset) { return QStringLiteral("byte %1").arg(offset); };

        // The sample is one resourceSpans (jq '.resourceSpans | length' → 1), the field at byte 0.
        QTest::newRow("truncated request") << bytes(raw).left(qsizetype(raw.size()) * 6 / 10) << ""
                                           << "the file ends in the middle of resource_spans" << at(0);
        QTest::newRow("truncated record") << all.left(recordOffsets[31] + 40) << ""
                                          << "record 32 says it holds" << at(recordOffsets[31]);
        QTest::newRow("length prefix past the end")
            << QByteArray(all.left(recordOffsets[2]) + QByteArray("\x00\x10\x00\x00", 4) + all.mid(4, 10)) << ""
            << "record 3 says it holds 1048576 bytes, but the file ends 10 bytes later" << at(recordOffsets[2]);
        QTest::newRow("garbage after a record") << QByteArray(all.left(recordOffsets[1]) + QByteArray(8, '\xff')) << ""
                                                << "record 2 says it holds 4294967295 bytes" << at(recordOffsets[1]);
        QByteArray garbage(4096, '\0');
        QRandomGenerator generator(7);
        for (char& c : garbage)
            c = char(generator.bounded(256));
        garbage[0] = '\x7f';
        QTest::newRow("garbage") << garbage << ""
                                 << "binary data, not a trace format" << at(0);
        QTest::newRow("garbage read as otlp-proto") << garbage << "otlp-proto"
                                                    << "record 1 says it holds" << at(0);
        // resource_spans { scope_spans { span { a start-group tag } } }: the span's first byte is at 6.
        QTest::newRow("a span protobuf cannot parse") << QByteArray("\x0a\x05\x12\x03\x12\x01\x0b", 7) << "otlp-proto"
                                                      << "a span cannot be decoded: field 1 has wire type 3" << at(6);
        // resource_spans of 3 bytes holding scope_spans of 5: the inner field at byte 2 overruns its message.
        QTest::newRow("a field longer than its message")
            << QByteArray("\x0a\x03\x12\x05\x00\x0a\x00\x0a\x00\x0a\x00", 11) << "otlp-proto"
            << "scope_spans of 5 bytes runs past the end of the message that holds it" << at(2);
        QTest::newRow("no spans") << QByteArray("\x00\x00\x00\x00", 4) << "otlp-proto"
                                  << "no OTLP trace data: the file holds no spans"
                                  << "";
    }

    // A clear error naming the file and the byte, and the cache exactly as before.
    void badInput()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, format);
        QFETCH(QString, message);
        QFETCH(QString, where);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("input.pb"));
        TestUtils::writeFile(file, content);
        TraceStore store(dir.filePath(QStringLiteral("cache.sqlite")).toStdString());
        TraceWriter writer(store);
        ImportContext context;
        context.forcedFormat = format.toStdString();
        const ImportOutcome outcome = importFile(file.toStdString(), writer, context);
        QCOMPARE(outcome.status, ImportOutcome::Status::Failed);
        const QString text = qs(outcome.error.toString());
        QVERIFY2(text.startsWith(file), qPrintable(text));
        QVERIFY2(qs(outcome.error.message).contains(message), qPrintable(text));
        QCOMPARE(qs(outcome.error.where), where);
        QVERIFY(store.traces().empty());
        QVERIFY(store.sources().empty());
    }

    void hugeAttribute()
    {
        // 20 MB in one attribute value: imported whole, in both layouts.
        const std::string value(20 * 1000 * 1000, 'x');
        const std::string request = requestWithSpan("huge", value);
        for (const std::string& content : { request, ProtoConvert::lengthPrefixed({ request }) }) {
            const QString file = m_dir.filePath(QStringLiteral("huge.pb"));
            TestUtils::writeFile(file, bytes(content));
            ImportOutcome outcome;
            const std::vector<Step> steps = importSteps(file, &outcome);
            QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
            QCOMPARE(int(steps.size()), 1);
            const json attributes = json::parse(steps[0].attributesJson);
            QCOMPARE(attributes[0]["key"].get<std::string>(), std::string("big"));
            QCOMPARE(attributes[0]["value"]["stringValue"].get_ref<const std::string&>().size(), value.size());
            QCOMPARE(qs(steps[0].resource->serviceName), QStringLiteral("huge"));
        }
    }

    void invalidUtf8IsRepaired()
    {
        // Some SDKs write strings that are not UTF-8; proto3 parsers refuse them. The span is kept with U+FFFD in place
        // of the bad bytes (trace-formats.md section 9), and a warning names the file, the byte and the field.
        // Serialize with placeholders of the same length, then put the bad bytes in.
        std::string request = requestWithSpan("nameXXname", "valueYYvalue");
        const auto patch = [&](const std::string& from, const std::string& to) {
            const auto at = request.find(from);
            QVERIFY(at != std::string::npos);
            request.replace(at, from.size(), to);
        };
        patch("nameXXname", std::string("name\xff\xfename"));
        patch("valueYYvalue", std::string("value\xc3(value"));
        // The span's own bytes start right after its tag (1 byte) and length (1 byte): find them in the request.
        const QString file = m_dir.filePath(QStringLiteral("utf8.pb"));
        TestUtils::writeFile(file, bytes(request));
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(file.toStdString(), writer);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(outcome.spans, 1);
        QCOMPARE(int(outcome.warnings.size()), 1);
        const QString warning = qs(outcome.warnings.front().toString());
        const auto spanStart = request.find(std::string("\x0a\x10\x01\x23", 4)) - 2; // trace_id opens the span
        QVERIFY2(warning.startsWith(file + QStringLiteral(": byte %1: ").arg(spanStart)), qPrintable(warning));
        QVERIFY2(warning.contains(QStringLiteral("opentelemetry.proto.trace.v1.Span.name")), qPrintable(warning));
        QVERIFY2(warning.contains(QStringLiteral("opentelemetry.proto.common.v1.AnyValue.string_value")),
            qPrintable(warning));
        const auto step = store.stepDetail("0123456789abcdef0123456789abcdef", "0000000000000001");
        QVERIFY(step);
        QCOMPARE(qs(step->record.name), QStringLiteral("name\uFFFD\uFFFDname"));
        QVERIFY(qs(step->step.attributesJson).contains(QStringLiteral("value\uFFFD(value")));
    }

    void resourceAfterItsSpans()
    {
        // Legal protobuf that no encoder writes: the resource (field 1) after the scope_spans (field 2). Spans stream
        // as they come, so the ones before the resource keep none, and a warning says so.
        auto field = [](char tag, const std::string& content) {
            std::string out(1, tag);
            for (std::size_t n = content.size();; n >>= 7) {
                out += static_cast<char>(n >= 0x80 ? (n & 0x7f) | 0x80 : n);
                if (n < 0x80)
                    break;
            }
            return out + content;
        };
        ProtoConvert::Request request;
        auto* rs = request.add_resource_spans();
        auto* attribute = rs->mutable_resource()->add_attributes();
        attribute->set_key("service.name");
        attribute->mutable_value()->set_string_value("late");
        auto* span = rs->add_scope_spans()->add_spans();
        span->set_trace_id(std::string(16, '\x07'));
        span->set_span_id(std::string(8, '\x07'));
        const std::string scopeSpans = rs->scope_spans(0).SerializeAsString();
        const std::string resource = rs->resource().SerializeAsString();
        const std::string body = field('\x0a', field('\x12', scopeSpans) + field('\x0a', resource));
        const OtlpProto::DecodedRequest decoded = OtlpProto::decodeTraceRequest(body);
        QCOMPARE(int(decoded.steps.size()), 1);
        QVERIFY(decoded.steps[0].resource->serviceName.empty());
        QCOMPARE(int(decoded.warnings.size()), 1);
        QVERIFY2(qs(decoded.warnings[0]).contains(QStringLiteral("a resource after the spans it belongs to")),
            decoded.warnings[0].c_str());
    }

    void decodeBody()
    {
        // The entry point of the coming OTLP/HTTP collector: a body in memory.
        const std::string body = binariesOf(TestUtils::samplePath()).front();
        const OtlpProto::DecodedRequest decoded = OtlpProto::decodeTraceRequest(body);
        QCOMPARE(int(decoded.steps.size()), 32);
        QCOMPARE(decoded.rejectedSpans, 0);
        QVERIFY(decoded.warnings.empty());
        const std::vector<Step> fromJson = importSteps(TestUtils::samplePath());
        for (std::size_t i = 0; i < fromJson.size(); ++i)
            QVERIFY2(differences(fromJson[i], decoded.steps[i], true).isEmpty(), fromJson[i].spanId.c_str());
        // An empty body is an empty, valid request.
        QVERIFY(OtlpProto::decodeTraceRequest({}).steps.empty());
        // A span without ids is rejected (partial success), not the whole body.
        ProtoConvert::Request request;
        request.add_resource_spans()->add_scope_spans()->add_spans()->set_name("no ids");
        const OtlpProto::DecodedRequest partial = OtlpProto::decodeTraceRequest(request.SerializeAsString());
        QCOMPARE(partial.rejectedSpans, 1);
        QVERIFY(partial.steps.empty());
        // A cut body is a 400: the error names the byte.
        try {
            OtlpProto::decodeTraceRequest(std::string_view(body).substr(0, body.size() / 2));
            QFAIL("a cut body must not decode");
        } catch (const ImportFailure& failure) {
            QCOMPARE(qs(failure.where()), QStringLiteral("byte 0"));
            QVERIFY(qs(failure.what()).contains(QStringLiteral("the body ends in the middle of resource_spans")));
        }
    }

    void detectionKeepsFormatsApart_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("bundled sample") << TestUtils::samplePath();
        if (!TestUtils::haveCorpus())
            return;
        QDirIterator it(TestUtils::corpusDir(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QTest::newRow(qPrintable(QDir(TestUtils::corpusDir()).relativeFilePath(path))) << path;
        }
    }

    // No text file is taken for protobuf, and the protobuf form of an OTLP JSON file is taken for nothing else.
    void detectionKeepsFormatsApart()
    {
        QFETCH(QString, file);
        const std::string text = readAll(file).substr(0, 1 << 20);
        Importer* proto = importerByName("otlp-proto");
        QCOMPARE(proto->probe(text), 0);
        if (!QFileInfo(file).fileName().contains(QLatin1String("otlp"))
            && !QFileInfo(file).path().endsWith(QLatin1String("/otlp-json"))
            && !QFileInfo(file).path().endsWith(QLatin1String("/otlp-collector-file")))
            return;
        std::string error;
        const std::vector<std::string> binaries = ProtoConvert::fileToBinaries(file.toStdString(), error);
        QVERIFY2(error.empty(), error.c_str());
        QVERIFY(!binaries.empty());
        for (const std::string& binary : { binaries.front(), ProtoConvert::lengthPrefixed(binaries) }) {
            const std::string head = binary.substr(0, 1 << 20);
            QCOMPARE(proto->probe(head), 95);
            for (const auto& importer : importers()) {
                if (importer.get() != proto)
                    QVERIFY2(importer->probe(head) < 95, importer->name().data());
            }
        }
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestOtlpProto)
#include "tst_otlpproto.moc"
