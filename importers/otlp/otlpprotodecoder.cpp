#include "otlpprotodecoder.h"

#include "importer.h"
#include "otlpprotojson.h"
#include "otlpspan.h"

#include "opentelemetry/proto/trace/v1/trace.pb.h"

#include <algorithm>
#include <cstring>

namespace Tracelight::OtlpProto {

namespace proto = opentelemetry::proto;

namespace {

class MemorySource final : public ByteSource
{
public:
    explicit MemorySource(std::string_view bytes)
        : m_bytes(bytes)
    { }
    std::int64_t offset() const override { return static_cast<std::int64_t>(m_pos); }
    std::size_t read(char* out, std::size_t count) override
    {
        const std::size_t n = std::min(count, m_bytes.size() - m_pos);
        std::memcpy(out, m_bytes.data() + m_pos, n);
        m_pos += n;
        return n;
    }
    std::uint64_t skip(std::uint64_t count) override
    {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(count, m_bytes.size() - m_pos));
        m_pos += n;
        return n;
    }

private:
    std::string_view m_bytes;
    std::size_t m_pos = 0;
};

class CollectingOutput final : public DecoderOutput
{
public:
    void step(Step&& step, std::int64_t) override { result.steps.push_back(std::move(step)); }
    void rejected(std::int64_t offset, std::string reason) override
    {
        ++result.rejectedSpans;
        warn(offset, std::move(reason));
    }
    void warn(std::int64_t offset, std::string message) override
    {
        result.warnings.push_back("byte " + std::to_string(offset) + ": " + message);
    }

    DecodedRequest result;
};

std::string joinUnique(std::vector<std::string> names)
{
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::string text;
    for (const std::string& name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

} // namespace

DecodedRequest decodeTraceRequest(std::string_view body)
{
    MemorySource source(body);
    CollectingOutput output;
    RequestDecoder decoder(source, output, "body");
    const auto size = static_cast<std::int64_t>(body.size());
    decoder.decode(size, size);
    return std::move(output.result);
}

RequestDecoder::RequestDecoder(ByteSource& source, DecoderOutput& output, std::string noun)
    : m_source(source)
    , m_output(output)
    , m_noun(std::move(noun))
    , m_span(std::make_unique<proto::trace::v1::Span>())
{ }

RequestDecoder::~RequestDecoder() = default;

void RequestDecoder::fail(std::int64_t offset, const std::string& message)
{
    throw ImportFailure("byte " + std::to_string(offset), message);
}

std::uint64_t RequestDecoder::varint(std::int64_t end, std::int64_t fieldOffset)
{
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        char c = 0;
        if (m_source.offset() >= end || m_source.read(&c, 1) != 1) {
            fail(fieldOffset,
                end >= m_dataEnd ? "the " + m_noun + " ends in the middle of a field (truncated?)"
                                 : "a field runs past the end of the message that holds it");
        }
        const auto byte = static_cast<unsigned char>(c);
        value |= std::uint64_t(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return value;
    }
    fail(fieldOffset, "malformed protobuf: an integer longer than 10 bytes");
}

bool RequestDecoder::nextTag(std::int64_t end, Tag& tag)
{
    if (m_source.offset() >= end)
        return false;
    tag.offset = m_source.offset();
    const std::uint64_t value = varint(end, tag.offset);
    tag.field = static_cast<int>(std::min<std::uint64_t>(value >> 3, INT32_MAX));
    tag.wireType = static_cast<int>(value & 7);
    if (tag.field == 0)
        fail(tag.offset, "malformed protobuf: field number 0 (not OTLP protobuf data?)");
    return true;
}

std::int64_t RequestDecoder::lengthOf(const Tag& tag, std::int64_t end, const char* what)
{
    if (tag.wireType != 2) {
        fail(tag.offset,
            "malformed OTLP protobuf: " + std::string(what) + " (field " + std::to_string(tag.field)
                + ") has wire type " + std::to_string(tag.wireType) + " instead of a length-delimited message");
    }
    const std::uint64_t length = varint(end, tag.offset);
    const std::int64_t start = m_source.offset();
    if (length > static_cast<std::uint64_t>(end - start)) {
        if (length > static_cast<std::uint64_t>(m_dataEnd - start)) {
            fail(tag.offset,
                "the " + m_noun + " ends in the middle of " + what + " (it needs " + std::to_string(length) + " bytes, "
                    + std::to_string(m_dataEnd - start) + " are left): truncated?");
        }
        fail(tag.offset,
            "malformed OTLP protobuf: " + std::string(what) + " of " + std::to_string(length)
                + " bytes runs past the end of the message that holds it (byte " + std::to_string(end) + ")");
    }
    return static_cast<std::int64_t>(length);
}

void RequestDecoder::skipField(const Tag& tag, std::int64_t end)
{
    std::int64_t size = 0;
    switch (tag.wireType) {
    case 0:
        varint(end, tag.offset);
        return;
    case 1:
        size = 8;
        break;
    case 5:
        size = 4;
        break;
    case 2:
        size = lengthOf(tag, end, "a field");
        break;
    default:
        fail(tag.offset,
            "malformed protobuf: field " + std::to_string(tag.field) + " has wire type " + std::to_string(tag.wireType)
                + ", which OTLP never uses (not OTLP protobuf data?)");
    }
    if (size > end - m_source.offset()
        || m_source.skip(static_cast<std::uint64_t>(size)) != static_cast<std::uint64_t>(size))
        fail(tag.offset, "the " + m_noun + " ends in the middle of a field (truncated?)");
}

void RequestDecoder::readBytes(std::int64_t length, std::int64_t fieldOffset)
{
    m_buffer.resize(static_cast<std::size_t>(length));
    if (m_source.read(m_buffer.data(), m_buffer.size()) != m_buffer.size())
        fail(fieldOffset, "the " + m_noun + " ends in the middle of a field (truncated?)");
}

void RequestDecoder::decode(std::int64_t end, std::int64_t dataEnd)
{
    m_dataEnd = dataEnd;
    Tag tag;
    while (nextTag(end, tag)) {
        if (m_output.cancelled())
            return;
        if (tag.field == 1) {
            const std::int64_t length = lengthOf(tag, end, "resource_spans");
            resourceSpans(m_source.offset() + length);
        } else {
            skipField(tag, end);
        }
    }
}

// Protobuf writes fields in field-number order: a resource (field 1) before its scope_spans (2), a scope (1) before its
// spans (2). Spans are converted as they come, with the resource and scope seen so far, so nothing waits in memory; a
// resource or scope that comes after spans in the wire (legal, but no encoder does it) applies to the spans after it.
void RequestDecoder::resourceSpans(std::int64_t end)
{
    m_resource = std::make_shared<Resource>();
    bool spansSeen = false;
    Tag tag;
    while (nextTag(end, tag)) {
        if (tag.field == 1) {
            const std::int64_t length = lengthOf(tag, end, "a resource");
            const std::int64_t start = m_source.offset();
            readBytes(length, tag.offset);
            proto::resource::v1::Resource message;
            std::vector<std::string> repaired;
            std::string error;
            std::size_t errorOffset = 0;
            if (!parseLenient(message, m_buffer, repaired, error, errorOffset))
                fail(start + static_cast<std::int64_t>(errorOffset), "a resource cannot be decoded: " + error);
            if (!repaired.empty())
                m_output.warn(tag.offset, "invalid UTF-8 in " + joinUnique(repaired) + " replaced by U+FFFD");
            if (spansSeen)
                m_output.warn(
                    tag.offset, "a resource after the spans it belongs to; the spans before it are kept without it");
            // Steps already delivered hold the old resource: never change it under them.
            m_resource = std::make_shared<Resource>(Otlp::resourceFrom(toJson(message)));
        } else if (tag.field == 2) {
            const std::int64_t length = lengthOf(tag, end, "scope_spans");
            scopeSpans(m_source.offset() + length);
            spansSeen = true;
        } else {
            skipField(tag, end);
        }
    }
}

void RequestDecoder::scopeSpans(std::int64_t end)
{
    m_scope = std::make_shared<Scope>();
    bool spansSeen = false;
    Tag tag;
    while (nextTag(end, tag)) {
        if (m_output.cancelled())
            return;
        if (tag.field == 1) {
            const std::int64_t length = lengthOf(tag, end, "a scope");
            const std::int64_t start = m_source.offset();
            readBytes(length, tag.offset);
            proto::common::v1::InstrumentationScope message;
            std::vector<std::string> repaired;
            std::string error;
            std::size_t errorOffset = 0;
            if (!parseLenient(message, m_buffer, repaired, error, errorOffset))
                fail(start + static_cast<std::int64_t>(errorOffset), "a scope cannot be decoded: " + error);
            if (!repaired.empty())
                m_output.warn(tag.offset, "invalid UTF-8 in " + joinUnique(repaired) + " replaced by U+FFFD");
            if (spansSeen)
                m_output.warn(
                    tag.offset, "a scope after the spans it belongs to; the spans before it are kept without it");
            m_scope = std::make_shared<Scope>(Otlp::scopeFrom(toJson(message)));
        } else if (tag.field == 2) {
            span(tag, lengthOf(tag, end, "a span"));
            spansSeen = true;
        } else {
            skipField(tag, end);
        }
    }
}

void RequestDecoder::span(const Tag& tag, std::int64_t length)
{
    const std::int64_t start = m_source.offset();
    readBytes(length, tag.offset);
    std::vector<std::string> repaired;
    std::string error;
    std::size_t errorOffset = 0;
    if (!parseLenient(*m_span, m_buffer, repaired, error, errorOffset))
        fail(start + static_cast<std::int64_t>(errorOffset), "a span cannot be decoded: " + error);
    if (!repaired.empty())
        m_output.warn(tag.offset, "invalid UTF-8 in " + joinUnique(repaired) + " replaced by U+FFFD");
    Step step;
    std::string reason;
    std::vector<std::string> warnings;
    if (!Otlp::stepFrom(toJson(*m_span), step, reason, warnings)) {
        m_output.rejected(tag.offset, std::move(reason));
        return;
    }
    for (std::string& warning : warnings)
        m_output.warn(tag.offset, std::move(warning));
    step.resource = m_resource;
    step.scope = m_scope;
    ++m_spans;
    m_output.step(std::move(step), tag.offset);
}

} // namespace Tracelight::OtlpProto
