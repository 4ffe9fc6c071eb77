#pragma once

#include <cstdint>
#include <string>

namespace Tracelight::OtlpHttp {

// The two encodings of OTLP/HTTP; a response uses the request's (trace-formats.md section 1).
enum class Encoding
{
    Protobuf,
    Json,
};

// application/x-protobuf or application/json.
const char* contentType(Encoding encoding);

// An ExportTraceServiceResponse: empty (partial_success unset) when nothing was rejected and there is no message.
std::string exportResponse(Encoding encoding, std::int64_t rejectedSpans, const std::string& errorMessage);

// A google.rpc.Status {code, message}, the body of every 4xx/5xx answer.
std::string status(Encoding encoding, int grpcCode, const std::string& message);

// google.rpc.Code values the collector uses.
enum GrpcCode
{
    InvalidArgument = 3,
    ResourceExhausted = 8,
    Unavailable = 14,
    Unauthenticated = 16,
};

} // namespace Tracelight::OtlpHttp
