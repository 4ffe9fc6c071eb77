#pragma once

// OTLP JSON → OTLP protobuf with protobuf's own JSON parser (google::protobuf::util::JsonStringToMessage): a path that
// shares nothing with Tracelight's importers, for the protobuf tests and the benchmark. Std, nlohmann and protobuf
// only.

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace ProtoConvert {

using Request = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

inline std::string base64OfHex(const std::string& hex)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t n = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
        if (i + 1 < bytes.size())
            n |= std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
        if (i + 2 < bytes.size())
            n |= static_cast<unsigned char>(bytes[i + 2]);
        out += alphabet[n >> 18];
        out += alphabet[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? alphabet[n & 63] : '=';
    }
    return out;
}

// OTLP JSON writes ids in hex where the proto3 JSON mapping has base64: the one difference to undo first.
inline void idsToBase64(nlohmann::json& object)
{
    for (const char* key : { "traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id" }) {
        auto it = object.find(key);
        if (it == object.end() || !it->is_string())
            continue;
        const std::string text = it->get<std::string>();
        const bool hex = (text.size() == 32 || text.size() == 16)
            && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
        if (hex)
            *it = base64OfHex(text);
    }
}

inline nlohmann::json* member(nlohmann::json& object, const char* camel, const char* snake)
{
    if (!object.is_object())
        return nullptr;
    if (auto it = object.find(camel); it != object.end())
        return &*it;
    if (auto it = object.find(snake); it != object.end())
        return &*it;
    return nullptr;
}

// One OTLP JSON request (or its {"result": …} wrapper) → the binary ExportTraceServiceRequest. Empty, with error set,
// when protobuf refuses it; empty without error when the document holds no resourceSpans (metrics, logs).
inline std::string jsonToBinary(const std::string& text, std::string& error)
{
    nlohmann::json document = nlohmann::json::parse(text);
    if (document.is_object() && document.contains("result"))
        document = document["result"];
    nlohmann::json* resourceSpans = member(document, "resourceSpans", "resource_spans");
    if (!resourceSpans)
        return {};
    for (nlohmann::json& rs : *resourceSpans) {
        nlohmann::json* scopeSpans = member(rs, "scopeSpans", "scope_spans");
        if (!scopeSpans || !scopeSpans->is_array())
            continue;
        for (nlohmann::json& ss : *scopeSpans) {
            nlohmann::json* spans = member(ss, "spans", "spans");
            if (!spans || !spans->is_array())
                continue;
            for (nlohmann::json& span : *spans) {
                idsToBase64(span);
                if (nlohmann::json* links = member(span, "links", "links")) {
                    for (nlohmann::json& link : *links)
                        idsToBase64(link);
                }
            }
        }
    }
    Request request;
    const auto status = google::protobuf::util::JsonStringToMessage(document.dump(), &request);
    if (!status.ok()) {
        error = status.ToString();
        return {};
    }
    return request.SerializeAsString();
}

// An OTLP JSON file (one request, or JSON Lines of requests) → one binary request per request that holds spans.
inline std::vector<std::string> fileToBinaries(const std::string& path, std::string& error)
{
    std::ifstream in(path, std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> documents;
    if (nlohmann::json::accept(all)) {
        documents.push_back(all);
    } else {
        std::size_t start = 0;
        while (start < all.size()) {
            std::size_t end = all.find('\n', start);
            if (end == std::string::npos)
                end = all.size();
            if (all.find_first_not_of(" \t\r", start) < end)
                documents.push_back(all.substr(start, end - start));
            start = end + 1;
        }
    }
    std::vector<std::string> binaries;
    for (const std::string& document : documents) {
        std::string binary = jsonToBinary(document, error);
        if (!error.empty())
            return {};
        if (!binary.empty())
            binaries.push_back(std::move(binary));
    }
    return binaries;
}

// The Collector file exporter's proto layout: each record a 4-byte big-endian length, then the request.
inline std::string lengthPrefixed(const std::vector<std::string>& records)
{
    std::string out;
    for (const std::string& record : records) {
        const auto n = static_cast<std::uint32_t>(record.size());
        out += static_cast<char>(n >> 24);
        out += static_cast<char>((n >> 16) & 0xff);
        out += static_cast<char>((n >> 8) & 0xff);
        out += static_cast<char>(n & 0xff);
        out += record;
    }
    return out;
}

} // namespace ProtoConvert
