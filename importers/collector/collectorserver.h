#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace Tracelight {

class CollectorWriter;

struct CollectorServerOptions
{
    std::string host = "127.0.0.1"; // loopback only unless the user asks for another address
    int port = 4318; // 0: any free port (tests)
    std::string token; // when set, requests need "Authorization: Bearer TOKEN"
    std::size_t maxBodyBytes = 64u << 20; // also after decompression
    int threads = 16;
};

// OTLP/HTTP receiver: POST /v1/traces in protobuf or JSON, gzip bodies, answered as trace-formats.md section 1 says.
// Bodies are decoded on the HTTP worker threads and committed by the CollectorWriter; a 200 is sent only after the
// commit. Built on cpp-httplib (keep-alive, Expect: 100-continue, a thread pool); the body limit is enforced here while
// the body streams in, so an oversized or decompression-bomb body is refused without being held.
class CollectorServer
{
public:
    CollectorServer(CollectorWriter& writer, CollectorServerOptions options);
    ~CollectorServer();
    CollectorServer(const CollectorServer&) = delete;
    CollectorServer& operator=(const CollectorServer&) = delete;

    // Binds and serves on threads of its own. Returns an error message, empty on success.
    std::string start();
    void stop();
    int port() const;
    // "127.0.0.1:4318"
    std::string address() const;
    std::int64_t requests() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// "HOST:PORT", ":PORT" or "PORT" → host and port; false when it cannot be read.
bool parseListenAddress(const std::string& text, std::string& host, int& port);

} // namespace Tracelight
