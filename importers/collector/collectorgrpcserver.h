#pragma once

#include "collectorserver.h"

#include <cstdint>
#include <memory>
#include <string>

namespace Tracelight {

class CollectorWriter;

// OTLP/gRPC receiver: opentelemetry.proto.collector.trace.v1.TraceService/Export on its own port (4317 by default),
// beside the OTLP/HTTP CollectorServer on 4318 and feeding the same CollectorWriter. Built on Debian's gRPC C++
// (libgrpc++-dev) through its callback API with a generic service: the request arrives as bytes and goes through the
// same decoder as an OTLP/HTTP protobuf body, so no generated stub or second parser is involved, and no thread waits
// for a commit (the writer finishes the call when it has committed). Answers as the OTLP specification says:
// OK with partial_success for rejected spans, INVALID_ARGUMENT for an undecodable request, UNAUTHENTICATED without the
// token ("authorization: Bearer TOKEN" metadata), UNAVAILABLE with a google.rpc.RetryInfo when the writer is behind,
// RESOURCE_EXHAUSTED (by gRPC) above the size limit, also after gzip decompression.
class CollectorGrpcServer
{
public:
    // options.port 4317 by default; threads is not used (gRPC keeps its own small pool).
    CollectorGrpcServer(CollectorWriter& writer, CollectorServerOptions options);
    ~CollectorGrpcServer();
    CollectorGrpcServer(const CollectorGrpcServer&) = delete;
    CollectorGrpcServer& operator=(const CollectorGrpcServer&) = delete;

    // Binds and serves. Returns an error message, empty on success.
    std::string start();
    // Stops taking calls; calls in flight are answered (after their commit) first.
    void stop();
    int port() const;
    // "127.0.0.1:4317"
    std::string address() const;
    std::int64_t requests() const;

    // The fully qualified method the OTLP exporters call.
    static constexpr const char* exportMethod = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace Tracelight
