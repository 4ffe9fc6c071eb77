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

// A google.rpc.Status {code, message, details: [google.rpc.RetryInfo {retry_delay: seconds}]} in protobuf: the
// grpc-status-details-bin of an UNAVAILABLE answer, telling an OTLP/gRPC exporter when to retry.
std::string statusWithRetry(int grpcCode, const std::string& message, int retrySeconds);

// google.rpc.Code values the collector uses.
enum GrpcCode
{
    Ok = 0,
    InvalidArgument = 3,
    ResourceExhausted = 8,
    Unavailable = 14,
    Unimplemented = 12,
    Internal = 13,
    Unauthenticated = 16,
};

} // namespace Tracelight::OtlpHttp
