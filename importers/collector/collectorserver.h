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
    int threads = 2; // HTTP: threads decoding bodies (no thread waits for a connection or a commit)
    // HTTP: open connections in all, and from one client address (exporters on this machine all come from
    // 127.0.0.1, so the two are alike there); both also bounded by the process's file limit.
    unsigned maxConnections = 8192;
    unsigned maxConnectionsPerClient = 4096;
    std::size_t maxHeaderBytes = 64u << 10; // HTTP: the request line and headers together (else 431)
    unsigned idleTimeoutSeconds = 15; // HTTP: a connection that sends nothing this long is closed
};

// OTLP/HTTP receiver: POST /v1/traces in protobuf or JSON, gzip bodies, answered as trace-formats.md section 1 says.
// Built on Debian's GNU libmicrohttpd with one epoll event loop: idle keep-alive connections and slow clients cost a
// socket and a little memory each, never a thread, so thousands of exporters are held while others are answered at
// once. The loop only reads: a complete body is suspended and decoded on a worker, its steps go to the
// CollectorWriter, and the connection is resumed with a 200 only after the commit. Checks that need no body (token,
// content type and encoding, declared length) are answered before the body is read, also to Expect: 100-continue;
// the body limit holds while the body streams in and again after gzip decompression, so an oversized body or a
// decompression bomb is refused without being held.
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

// host and port as an address: "127.0.0.1:4318", "[::1]:4318".
std::string formatAddress(const std::string& host, int port);

// "HOST:PORT", ":PORT" or "PORT" → host and port; false when it cannot be read.
bool parseListenAddress(const std::string& text, std::string& host, int& port);

} // namespace Tracelight
