#include "otlphttpresponse.h"

#include <nlohmann/json.hpp>

namespace Tracelight::OtlpHttp {

namespace {

void varint(std::string& out, std::uint64_t value)
{
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

// A length-delimited field (wire type 2).
void bytesField(std::string& out, int field, const std::string& bytes)
{
    varint(out, (static_cast<std::uint64_t>(field) << 3) | 2);
    varint(out, bytes.size());
    out += bytes;
}

// A varint field (wire type 0); negative values take ten bytes, as protobuf encodes them.
void varintField(std::string& out, int field, std::int64_t value)
{
    varint(out, static_cast<std::uint64_t>(field) << 3);
    varint(out, static_cast<std::uint64_t>(value));
}

} // namespace

const char* contentType(Encoding encoding)
{
    return encoding == Encoding::Protobuf ? "application/x-protobuf" : "application/json";
}

std::string exportResponse(Encoding encoding, std::int64_t rejectedSpans, const std::string& errorMessage)
{
    const bool partial = rejectedSpans > 0 || !errorMessage.empty();
    if (encoding == Encoding::Json) {
        nlohmann::json response = nlohmann::json::object();
        if (partial) {
            nlohmann::json success = nlohmann::json::object();
            // proto3 JSON writes int64 as a string.
            if (rejectedSpans != 0)
                success["rejectedSpans"] = std::to_string(rejectedSpans);
            if (!errorMessage.empty())
                success["errorMessage"] = errorMessage;
            response["partialSuccess"] = std::move(success);
        }
        return response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    std::string out;
    if (partial) {
        std::string success;
        if (rejectedSpans != 0)
            varintField(success, 1, rejectedSpans);
        if (!errorMessage.empty())
            bytesField(success, 2, errorMessage);
        bytesField(out, 1, success);
    }
    return out;
}

std::string status(Encoding encoding, int grpcCode, const std::string& message)
{
    if (encoding == Encoding::Json) {
        const nlohmann::json body = { { "code", grpcCode }, { "message", message } };
        return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    std::string out;
    if (grpcCode != 0)
        varintField(out, 1, grpcCode);
    if (!message.empty())
        bytesField(out, 2, message);
    return out;
}

std::string statusWithRetry(int grpcCode, const std::string& message, int retrySeconds)
{
    std::string duration; // google.protobuf.Duration {seconds = 1}
    if (retrySeconds != 0)
        varintField(duration, 1, retrySeconds);
    std::string retryInfo; // google.rpc.RetryInfo {retry_delay = 1}
    bytesField(retryInfo, 1, duration);
    std::string any; // google.protobuf.Any {type_url = 1, value = 2}
    bytesField(any, 1, "type.googleapis.com/google.rpc.RetryInfo");
    bytesField(any, 2, retryInfo);
    std::string out = status(Encoding::Protobuf, grpcCode, message);
    bytesField(out, 3, any); // google.rpc.Status.details
    return out;
}

} // namespace Tracelight::OtlpHttp
