#include "otlpprotoimporter.h"

#include "otlpprotodecoder.h"
#include "spanlinks.h"

#include <algorithm>
#include <climits>

namespace Tracelight {

namespace {

// ------------------------------------------------------------------------------------------------------- detection

// Messages whose shape the probe checks on the wire.
enum class Shape
{
    Request,
    ResourceSpans,
    ScopeSpans,
    Resource,
    Scope,
    Span,
};

enum class VarintStatus
{
    Ok,
    Short, // the bytes end inside it
    Bad,
};

VarintStatus readVarint(std::string_view bytes, std::size_t& pos, std::uint64_t& value)
{
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= bytes.size())
            return VarintStatus::Short;
        const auto byte = static_cast<unsigned char>(bytes[pos++]);
        value |= std::uint64_t(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return VarintStatus::Ok;
    }
    return VarintStatus::Bad;
}

// The wire type OTLP uses for a field of a message, -1 for a field the message does not have.
int expectedWireType(Shape shape, std::uint64_t field)
{
    switch (shape) {
    case Shape::Request:
        return field == 1 ? 2 : -1;
    case Shape::ResourceSpans:
    case Shape::ScopeSpans:
        return field >= 1 && field <= 3 ? 2 : -1;
    case Shape::Resource:
        return field == 2 ? 0 : field == 1 || field == 3 ? 2 : -1;
    case Shape::Scope:
        return field == 4 ? 0 : field >= 1 && field <= 3 ? 2 : -1;
    case Shape::Span:
        switch (field) {
        case 6:
        case 10:
        case 12:
        case 14:
            return 0;
        case 7:
        case 8:
            return 1;
        case 16:
            return 5;
        default:
            return field >= 1 && field <= 15 ? 2 : -1;
        }
    }
    return -1;
}

std::optional<Shape> childShape(Shape shape, std::uint64_t field)
{
    if (shape == Shape::Request && field == 1)
        return Shape::ResourceSpans;
    if (shape == Shape::ResourceSpans && field <= 2)
        return field == 1 ? Shape::Resource : Shape::ScopeSpans;
    if (shape == Shape::ScopeSpans && field <= 2)
        return field == 1 ? Shape::Scope : Shape::Span;
    return std::nullopt;
}

// Whether bytes can be the encoding of a message of the shape, as far as they go: when cut is set they may end in
// the middle of it. Counts the resource_spans it meets.
bool plausible(std::string_view bytes, bool cut, Shape shape, int& resourceSpans)
{
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        std::uint64_t tag = 0;
        if (const VarintStatus status = readVarint(bytes, pos, tag); status != VarintStatus::Ok)
            return status == VarintStatus::Short && cut;
        const std::uint64_t field = tag >> 3;
        const int wireType = static_cast<int>(tag & 7);
        const int expected = expectedWireType(shape, field);
        if (field == 0 || (expected >= 0 && wireType != expected) || (expected < 0 && shape == Shape::Request))
            return false;
        std::uint64_t size = 0;
        switch (wireType) {
        case 0: {
            if (const VarintStatus status = readVarint(bytes, pos, size); status != VarintStatus::Ok)
                return status == VarintStatus::Short && cut;
            continue;
        }
        case 1:
            size = 8;
            break;
        case 5:
            size = 4;
            break;
        case 2:
            if (const VarintStatus status = readVarint(bytes, pos, size); status != VarintStatus::Ok)
                return status == VarintStatus::Short && cut;
            break;
        default:
            return false;
        }
        const bool childCut = size > bytes.size() - pos;
        if (childCut && !cut)
            return false;
        if (wireType == 2 && expected == 2) {
            if (const auto child = childShape(shape, field)) {
                if (*child == Shape::ResourceSpans)
                    ++resourceSpans;
                if (!plausible(bytes.substr(pos, static_cast<std::size_t>(size)), childCut, *child, resourceSpans))
                    return false;
            }
        }
        if (childCut)
            return true;
        pos += static_cast<std::size_t>(size);
    }
    return true;
}

std::uint32_t bigEndian32(const char* p)
{
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return std::uint32_t(u[0]) << 24 | std::uint32_t(u[1]) << 16 | std::uint32_t(u[2]) << 8 | u[3];
}

// Text never holds control characters other than white space; OTLP protobuf always does (tags such as 0x12, lengths,
// raw ids and timestamps).
bool hasControlBytes(std::string_view head)
{
    return std::any_of(head.begin(), head.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 && u != '\t' && u != '\n' && u != '\r';
    });
}

// The head may end anywhere, even in a file that is whole: a truncated file is still recognized, so that its import
// can say where it is cut.
bool plausibleRequest(std::string_view head)
{
    int resourceSpans = 0;
    return !head.empty() && head[0] == '\x0a' && hasControlBytes(head)
        && plausible(head, true, Shape::Request, resourceSpans) && resourceSpans > 0;
}

bool plausibleRecords(std::string_view head)
{
    int resourceSpans = 0;
    std::size_t pos = 0;
    while (pos + 4 <= head.size()) {
        const std::uint32_t length = bigEndian32(head.data() + pos);
        pos += 4;
        const bool recordCut = length > head.size() - pos;
        if (!plausible(head.substr(pos, length), recordCut, Shape::Request, resourceSpans))
            return false;
        if (recordCut)
            break;
        pos += length;
    }
    return resourceSpans > 0 && hasControlBytes(head);
}

// ---------------------------------------------------------------------------------------------------------- reading

class ChunkSource final : public OtlpProto::ByteSource
{
public:
    explicit ChunkSource(ChunkReader& reader)
        : m_reader(reader)
    { }
    std::int64_t offset() const override { return m_reader.offset(); }
    std::size_t read(char* out, std::size_t count) override { return m_reader.read(out, count); }
    std::uint64_t skip(std::uint64_t count) override { return m_reader.skip(count); }

private:
    ChunkReader& m_reader;
};

class JobOutput final : public OtlpProto::DecoderOutput
{
public:
    explicit JobOutput(ImportJob& job)
        : m_job(job)
    { }
    void step(Step&& step, std::int64_t offset) override
    {
        m_index.addChecked(m_job, step, where(offset));
        m_job.addStep(std::move(step));
    }
    void rejected(std::int64_t offset, std::string reason) override
    {
        ++m_rejected;
        m_job.warn(where(offset), std::move(reason));
    }
    void warn(std::int64_t offset, std::string message) override { m_job.warn(where(offset), std::move(message)); }
    bool cancelled() const override { return m_job.context().cancelled(); }

    std::int64_t rejectedSpans() const { return m_rejected; }
    const SpanLinks& index() const { return m_index; }

private:
    static std::string where(std::int64_t offset) { return "byte " + std::to_string(offset); }

    ImportJob& m_job;
    SpanLinks m_index;
    std::int64_t m_rejected = 0;
};

} // namespace

OtlpProtoImporter::Layout OtlpProtoImporter::layoutOf(std::string_view head)
{
    if (plausibleRequest(head))
        return Layout::Request;
    if (plausibleRecords(head))
        return Layout::Records;
    return Layout::None;
}

int OtlpProtoImporter::probe(std::string_view head) const
{
    // Above OTLP JSON's 90: a binary head that walks as OTLP protobuf all the way is no JSON text.
    return layoutOf(head) == Layout::None ? 0 : 95;
}

void OtlpProtoImporter::read(ImportJob& job)
{
    ChunkReader& reader = job.reader();
    Layout layout = layoutOf(reader.buffered());
    if (layout == Layout::None) // forced with --format: decode it anyway, the errors will say where it goes wrong
        layout = !reader.atEnd() && reader.peek() == '\x0a' ? Layout::Request : Layout::Records;
    const std::int64_t size = reader.size() > 0 ? reader.size() : INT64_MAX;
    ChunkSource source(reader);
    JobOutput output(job);
    OtlpProto::RequestDecoder decoder(source, output, "file");
    if (layout == Layout::Request) {
        decoder.decode(size, size);
    } else {
        std::int64_t records = 0;
        while (!reader.atEnd() && !job.context().cancelled()) {
            const std::int64_t recordStart = reader.offset();
            ++records;
            char prefix[4];
            if (reader.read(prefix, 4) != 4) {
                throw ImportFailure("byte " + std::to_string(recordStart),
                    "the file ends inside the 4-byte length of record " + std::to_string(records) + " (truncated?)");
            }
            const std::int64_t length = bigEndian32(prefix);
            if (length > size - reader.offset()) {
                throw ImportFailure("byte " + std::to_string(recordStart),
                    "record " + std::to_string(records) + " says it holds " + std::to_string(length)
                        + " bytes, but the file ends " + std::to_string(size - reader.offset())
                        + " bytes later (truncated?)");
            }
            decoder.decode(reader.offset() + length, size);
        }
    }
    if (job.context().cancelled())
        return;
    job.flush();
    if (job.spans() == 0) {
        throw ImportFailure({},
            output.rejectedSpans() > 0 ? "no span of the file has valid ids"
                                       : "no OTLP trace data: the file holds no spans");
    }
    output.index().warnCycles(job);
}

} // namespace Tracelight
