#pragma once

#include <step.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace opentelemetry::proto::trace::v1 {
class Span;
}

namespace Tracelight::OtlpProto {

// What one OTLP/HTTP protobuf body held.
struct DecodedRequest
{
    StepBatch steps;
    // Spans that could not become steps (no valid ids): the rejected_spans of a partial success.
    std::int64_t rejectedSpans = 0;
    // "byte N: message", for the spans rejected and the problems that still allowed the import.
    std::vector<std::string> warnings;
};

// Decodes an ExportTraceServiceRequest (the body of POST /v1/traces with Content-Type application/x-protobuf) into
// steps, with the same conversion as every OTLP import. Throws ImportFailure (where = "byte N") when the body is not a
// valid request; that is a 400 for the collector.
DecodedRequest decodeTraceRequest(std::string_view body);

// Where the decoder reads from: a body in memory, or a file through a ChunkReader.
class ByteSource
{
public:
    virtual ~ByteSource() = default;
    // Absolute offset of the next byte.
    virtual std::int64_t offset() const = 0;
    // Copies up to count bytes to out; fewer only at the end of the data.
    virtual std::size_t read(char* out, std::size_t count) = 0;
    virtual std::uint64_t skip(std::uint64_t count) = 0;
};

// Where the decoder delivers. Offsets are absolute byte offsets of the span in the source.
class DecoderOutput
{
public:
    virtual ~DecoderOutput() = default;
    virtual void step(Step&& step, std::int64_t offset) = 0;
    // A span that cannot become a step (no valid ids).
    virtual void rejected(std::int64_t offset, std::string reason) = 0;
    virtual void warn(std::int64_t offset, std::string message) = 0;
    virtual bool cancelled() const { return false; }
};

// Streams an ExportTraceServiceRequest span by span: the outer messages are walked on the wire and each span, resource
// and scope is parsed alone, so memory holds one span whatever the size of the request. Each step is delivered as soon
// as its span is read, with its resource and scope final.
class RequestDecoder
{
public:
    // noun names the data in error messages ("file", "body").
    RequestDecoder(ByteSource& source, DecoderOutput& output, std::string noun);
    ~RequestDecoder();
    RequestDecoder(const RequestDecoder&) = delete;
    RequestDecoder& operator=(const RequestDecoder&) = delete;

    // Decodes the request that runs from the source's offset to byte end. dataEnd is where the data itself ends (the
    // file size), to tell a truncated file from a bad length. Throws ImportFailure ("byte N") for undecodable data.
    void decode(std::int64_t end, std::int64_t dataEnd);
    std::int64_t spans() const { return m_spans; }

private:
    struct Tag
    {
        int field = 0;
        int wireType = 0;
        std::int64_t offset = 0;
    };

    bool nextTag(std::int64_t end, Tag& tag);
    std::uint64_t varint(std::int64_t end, std::int64_t fieldOffset);
    std::int64_t lengthOf(const Tag& tag, std::int64_t end, const char* what);
    void skipField(const Tag& tag, std::int64_t end);
    void readBytes(std::int64_t length, std::int64_t fieldOffset);
    [[noreturn]] void fail(std::int64_t offset, const std::string& message);
    void resourceSpans(std::int64_t end);
    void scopeSpans(std::int64_t end);
    void span(const Tag& tag, std::int64_t length);

    ByteSource& m_source;
    DecoderOutput& m_output;
    std::string m_noun;
    std::int64_t m_dataEnd = 0;
    std::string m_buffer;
    std::unique_ptr<opentelemetry::proto::trace::v1::Span> m_span;
    std::shared_ptr<const Resource> m_resource;
    std::shared_ptr<const Scope> m_scope;
    std::int64_t m_spans = 0;
};

} // namespace Tracelight::OtlpProto
