#include "collectorserver.h"

#include "collectorwriter.h"
#include "importer.h"
#include "otlphttpresponse.h"
#include "otlpjsonimporter.h"
#include "otlpprotodecoder.h"

#include <workqueue.h>

#include <microhttpd.h>
#include <zlib.h>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <netdb.h>
#include <optional>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace Tracelight {

using OtlpHttp::Encoding;

namespace {

constexpr const char* tracesPath = "/v1/traces";

std::string header(MHD_Connection* connection, const char* name)
{
    const char* value = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
    return value ? std::string(value) : std::string();
}

std::optional<Encoding> encodingOf(MHD_Connection* connection)
{
    std::string type = header(connection, MHD_HTTP_HEADER_CONTENT_TYPE);
    type = type.substr(0, type.find(';'));
    type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }), type.end());
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    if (type == "application/x-protobuf")
        return Encoding::Protobuf;
    if (type == "application/json")
        return Encoding::Json;
    return std::nullopt;
}

std::string clientOf(MHD_Connection* connection)
{
    const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return "?";
    char host[INET6_ADDRSTRLEN] = {};
    std::string client;
    int port = 0;
    if (info->client_addr->sa_family == AF_INET6) {
        const auto* address = reinterpret_cast<const sockaddr_in6*>(info->client_addr);
        inet_ntop(AF_INET6, &address->sin6_addr, host, sizeof host);
        port = ntohs(address->sin6_port);
        client.append(1, '[').append(host).append(1, ']');
    } else {
        const auto* address = reinterpret_cast<const sockaddr_in*>(info->client_addr);
        inet_ntop(AF_INET, &address->sin_addr, host, sizeof host);
        port = ntohs(address->sin_port);
        client.append(host);
    }
    client.append(1, ':').append(std::to_string(port));
    return client;
}

// What is sent back for one request.
struct Answer
{
    int status = 0;
    std::string body;
    const char* type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    bool close = false; // the body was not read to its end: the connection cannot carry another request
};

Answer statusAnswer(int httpStatus, Encoding encoding, int grpcCode, const std::string& message)
{
    Answer answer;
    answer.status = httpStatus;
    answer.body = OtlpHttp::status(encoding, grpcCode, message);
    answer.type = OtlpHttp::contentType(encoding);
    return answer;
}

// One request's state, from its headers to the notification that its answer went out.
struct Request
{
    ~Request()
    {
        if (inflating)
            inflateEnd(&inflater);
    }

    Encoding encoding = Encoding::Json;
    std::string client;
    std::string body;
    std::uint64_t received = 0; // bytes as sent (before decompression)
    bool gzip = false;
    bool inflating = false;
    bool inflated = false; // the gzip stream reached its end
    z_stream inflater {};
    std::optional<Answer> failed; // decided while reading: answered once the body has arrived (or at once)
    bool queued = false;
    bool suspended = false;
    std::atomic<bool> ready { false }; // answer set by a worker or the writer
    Answer answer;
};

// Raises the soft limit of open files to the hard one: each connection is a file. Returns the limit.
rlim_t raiseFileLimit()
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 1024;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

} // namespace

struct CollectorServer::Impl
{
    Impl(CollectorWriter& writer, CollectorServerOptions options)
        : writer(writer)
        , options(std::move(options))
    { }

    CollectorWriter& writer;
    CollectorServerOptions options;
    MHD_Daemon* daemon = nullptr;
    MHD_socket listenSocket = MHD_INVALID_SOCKET;
    int port = 0;
    std::atomic<std::int64_t> requests { 0 };

    // Complete bodies waiting to be decoded, and the threads that decode them.
    std::unique_ptr<WorkQueue<std::function<void()>>> work;
    std::vector<std::thread> workers;

    // Suspended connections: each must be resumed before MHD_stop_daemon. Once stopping, no request is suspended
    // any more (a keep-alive connection can still bring one after the listening socket is closed): it gets a 503.
    std::mutex inFlightMutex;
    std::condition_variable inFlightChanged;
    int inFlight = 0;
    bool stopping = false;

    static MHD_Result access(void* self, MHD_Connection* connection, const char* url, const char* method,
        const char* /*version*/, const char* upload, std::size_t* uploadSize, void** state)
    {
        return static_cast<Impl*>(self)->handle(connection, url, method, upload, uploadSize, state);
    }

    static void completed(
        void* /*self*/, MHD_Connection* /*connection*/, void** state, MHD_RequestTerminationCode /*code*/)
    {
        delete static_cast<Request*>(*state);
        *state = nullptr;
    }

    // The checks that need no body: answered before the body is read, also to an Expect: 100-continue.
    std::optional<Answer> precheck(MHD_Connection* connection, const std::string& url, const std::string& method)
    {
        const Encoding fallback = encodingOf(connection).value_or(Encoding::Json);
        if (url != tracesPath)
            return statusAnswer(404, fallback, OtlpHttp::InvalidArgument, "no such path: " + url + " (use /v1/traces)");
        if (method != "POST") {
            Answer answer
                = statusAnswer(405, fallback, OtlpHttp::InvalidArgument, "only POST is allowed on /v1/traces");
            answer.headers.emplace_back("Allow", "POST");
            return answer;
        }
        if (!options.token.empty() && header(connection, MHD_HTTP_HEADER_AUTHORIZATION) != "Bearer " + options.token)
            return statusAnswer(401, fallback, OtlpHttp::Unauthenticated, "missing or wrong bearer token");
        if (!encodingOf(connection)) {
            return statusAnswer(415, fallback, OtlpHttp::InvalidArgument,
                "unsupported content type \"" + header(connection, MHD_HTTP_HEADER_CONTENT_TYPE)
                    + "\": use application/x-protobuf or application/json");
        }
        const std::string encoding = header(connection, MHD_HTTP_HEADER_CONTENT_ENCODING);
        if (!encoding.empty() && encoding != "gzip" && encoding != "identity") {
            return statusAnswer(415, fallback, OtlpHttp::InvalidArgument,
                "unsupported content encoding \"" + encoding + "\": use gzip or none");
        }
        const std::string length = header(connection, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (!length.empty() && std::strtoull(length.c_str(), nullptr, 10) > options.maxBodyBytes)
            return tooLarge(fallback, "");
        return std::nullopt;
    }

    Answer tooLarge(Encoding encoding, const char* when)
    {
        return statusAnswer(413, encoding, OtlpHttp::InvalidArgument,
            "the body is larger than the limit of " + std::to_string(options.maxBodyBytes) + " bytes" + when);
    }

    MHD_Result queue(MHD_Connection* connection, Request& request, const Answer& answer)
    {
        MHD_Response* response = MHD_create_response_from_buffer(
            answer.body.size(), const_cast<char*>(answer.body.data()), MHD_RESPMEM_MUST_COPY);
        if (!response)
            return MHD_NO;
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, answer.type);
        for (const auto& [name, value] : answer.headers)
            MHD_add_response_header(response, name.c_str(), value.c_str());
        if (answer.close)
            MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
        const MHD_Result result = MHD_queue_response(connection, static_cast<unsigned>(answer.status), response);
        MHD_destroy_response(response);
        request.queued = true;
        return result;
    }

    // Adds body bytes as they arrive, decompressing gzip; past the limit the rest is read and dropped (a client that
    // sends more than twice the limit is disconnected).
    bool append(Request& request, const char* data, std::size_t size)
    {
        request.received += size;
        if (request.failed)
            return request.received <= 2 * options.maxBodyBytes + (1u << 20);
        if (request.received > options.maxBodyBytes) {
            request.failed = tooLarge(request.encoding, "");
            return true;
        }
        if (!request.gzip) {
            request.body.append(data, size);
            return true;
        }
        request.inflater.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
        request.inflater.avail_in = static_cast<uInt>(size);
        char buffer[64 * 1024];
        while (request.inflater.avail_in > 0) {
            if (request.inflated) {
                // Another gzip member follows (RFC 1952 allows several, one after the other).
                inflateReset(&request.inflater);
                request.inflated = false;
            }
            request.inflater.next_out = reinterpret_cast<Bytef*>(buffer);
            request.inflater.avail_out = sizeof buffer;
            const int status = inflate(&request.inflater, Z_NO_FLUSH);
            if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
                request.failed = statusAnswer(400, request.encoding, OtlpHttp::InvalidArgument,
                    "the body could not be read (bad gzip data at byte " + std::to_string(request.inflater.total_in)
                        + ")");
                return true;
            }
            const std::size_t produced = sizeof buffer - request.inflater.avail_out;
            if (request.body.size() + produced > options.maxBodyBytes) {
                request.failed = tooLarge(request.encoding, " (after decompression)");
                return true;
            }
            request.body.append(buffer, produced);
            if (status == Z_STREAM_END)
                request.inflated = true;
            else if (status == Z_BUF_ERROR)
                break;
        }
        return true;
    }

    MHD_Result handle(MHD_Connection* connection, const char* url, const char* method, const char* upload,
        std::size_t* uploadSize, void** state)
    {
        auto* request = static_cast<Request*>(*state);
        if (!request) {
            // The headers have arrived; the body (if any) has not been read.
            ++requests;
            request = new Request;
            *state = request;
            request->encoding = encodingOf(connection).value_or(Encoding::Json);
            request->client = clientOf(connection);
            if (std::optional<Answer> refused = precheck(connection, url, method)) {
                refused->close = true;
                return queue(connection, *request, *refused);
            }
            request->gzip = header(connection, MHD_HTTP_HEADER_CONTENT_ENCODING) == "gzip";
            if (request->gzip) {
                if (inflateInit2(&request->inflater, 15 + 16) != Z_OK)
                    return MHD_NO;
                request->inflating = true;
            }
            return MHD_YES; // MHD answers an Expect: 100-continue now
        }
        if (request->queued) {
            *uploadSize = 0; // an answer went out before the body: drop what still comes
            return MHD_YES;
        }
        if (*uploadSize > 0) {
            const bool keep = append(*request, upload, *uploadSize);
            *uploadSize = 0;
            return keep ? MHD_YES : MHD_NO;
        }
        // The whole body has arrived, or a worker resumed the connection with its answer.
        if (request->ready.load(std::memory_order_acquire))
            return queue(connection, *request, request->answer);
        if (request->gzip && !request->failed && !request->inflated) {
            request->failed = statusAnswer(
                400, request->encoding, OtlpHttp::InvalidArgument, "the body could not be read (truncated gzip data)");
        }
        if (request->failed) {
            request->failed->close = true;
            return queue(connection, *request, *request->failed);
        }
        // Decoded and committed off the event loop; the connection waits, suspended, without a thread.
        {
            const std::lock_guard lock(inFlightMutex);
            if (stopping) {
                Answer answer
                    = statusAnswer(503, request->encoding, OtlpHttp::Unavailable, "the collector is stopping");
                answer.headers.emplace_back("Retry-After", "5");
                answer.close = true;
                return queue(connection, *request, answer);
            }
            ++inFlight;
        }
        MHD_suspend_connection(connection);
        work->push([this, connection, request] { decode(connection, request); });
        return MHD_YES;
    }

    // On a worker: decodes the body and hands the steps to the writer; the answer comes after the commit.
    void decode(MHD_Connection* connection, Request* request)
    {
        OtlpProto::DecodedRequest decoded;
        try {
            decoded = request->encoding == Encoding::Protobuf ? OtlpProto::decodeTraceRequest(request->body)
                                                              : OtlpJson::decodeTraceRequest(request->body);
        } catch (const ImportFailure& failure) {
            finish(connection, request,
                statusAnswer(400, request->encoding, OtlpHttp::InvalidArgument,
                    "undecodable ExportTraceServiceRequest: " + failure.where() + ": " + failure.what()));
            return;
        } catch (const std::exception& failure) {
            // Out of memory and the like: this request fails, the collector goes on.
            finish(connection, request,
                statusAnswer(500, request->encoding, OtlpHttp::Internal,
                    std::string("the request could not be decoded: ") + failure.what()));
            return;
        }
        request->body = {};
        std::string message;
        if (decoded.rejectedSpans > 0 && !decoded.warnings.empty())
            message = decoded.warnings.front();
        const std::int64_t rejected = decoded.rejectedSpans;
        if (decoded.steps.empty()) {
            finish(connection, request, success(request->encoding, rejected, message));
            return;
        }
        writer.submitAsync(std::move(decoded.steps), request->client,
            [this, connection, request, rejected, message](CollectorWriter::Outcome outcome, const std::string& error) {
                const Encoding encoding = request->encoding;
                Answer answer;
                switch (outcome) {
                case CollectorWriter::Outcome::Committed:
                    finish(connection, request, success(encoding, rejected, message));
                    return;
                case CollectorWriter::Outcome::Overloaded:
                    answer = statusAnswer(503, encoding, OtlpHttp::Unavailable, "the writer is behind; retry later");
                    answer.headers.emplace_back("Retry-After", "1");
                    break;
                case CollectorWriter::Outcome::Failed:
                    answer = statusAnswer(503, encoding, OtlpHttp::Unavailable, "the cache could not commit: " + error);
                    answer.headers.emplace_back("Retry-After", "1");
                    break;
                case CollectorWriter::Outcome::Stopped:
                    answer = statusAnswer(503, encoding, OtlpHttp::Unavailable, "the collector is stopping");
                    answer.headers.emplace_back("Retry-After", "5");
                    break;
                }
                finish(connection, request, std::move(answer));
            });
    }

    static Answer success(Encoding encoding, std::int64_t rejected, const std::string& message)
    {
        Answer answer;
        answer.status = 200;
        answer.body = OtlpHttp::exportResponse(encoding, rejected, message);
        answer.type = OtlpHttp::contentType(encoding);
        return answer;
    }

    // Any thread: hands the answer to the event loop. The request belongs to the loop again after the resume.
    void finish(MHD_Connection* connection, Request* request, Answer answer)
    {
        request->answer = std::move(answer);
        request->ready.store(true, std::memory_order_release);
        MHD_resume_connection(connection);
        // Notified under the lock: once stop() sees none in flight it may destroy this object.
        const std::lock_guard lock(inFlightMutex);
        --inFlight;
        inFlightChanged.notify_all();
    }
};

CollectorServer::CollectorServer(CollectorWriter& writer, CollectorServerOptions options)
    : d(std::make_unique<Impl>(writer, std::move(options)))
{ }

CollectorServer::~CollectorServer()
{
    stop();
}

std::string CollectorServer::start()
{
    if (d->daemon)
        return {};
    const std::string& host = d->options.host;
    const std::string where = formatAddress(host, d->options.port);
    addrinfo hints {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(d->options.port).c_str(), &hints, &found) != 0 || !found)
        return "cannot listen on " + where + ": not an address of this machine";
    sockaddr_storage address {};
    std::memcpy(&address, found->ai_addr, std::min<std::size_t>(found->ai_addrlen, sizeof address));
    const bool ipv6 = found->ai_family == AF_INET6;
    freeaddrinfo(found);

    // Each connection is an open file: take what the system allows, keep some for the cache and the rest.
    const rlim_t files = raiseFileLimit();
    const auto usable = static_cast<unsigned>(std::max<rlim_t>(64, std::min<rlim_t>(files, 1u << 20) - 64));
    const unsigned maxConnections = std::min(d->options.maxConnections, usable);
    const unsigned perClient = std::min(d->options.maxConnectionsPerClient, maxConnections);

    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME;
    if (ipv6)
        flags |= MHD_USE_IPv6;
    d->daemon = MHD_start_daemon(flags, static_cast<std::uint16_t>(d->options.port), nullptr, nullptr, &Impl::access,
        d.get(), MHD_OPTION_SOCK_ADDR, reinterpret_cast<const sockaddr*>(&address), MHD_OPTION_CONNECTION_LIMIT,
        maxConnections, MHD_OPTION_PER_IP_CONNECTION_LIMIT, perClient, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        d->options.maxHeaderBytes, MHD_OPTION_CONNECTION_TIMEOUT, d->options.idleTimeoutSeconds,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_NOTIFY_COMPLETED, &Impl::completed, d.get(), MHD_OPTION_END);
    if (!d->daemon)
        return "cannot listen on " + where + " (address in use, or not an address of this machine?)";
    const MHD_DaemonInfo* info = MHD_get_daemon_info(d->daemon, MHD_DAEMON_INFO_BIND_PORT);
    d->port = info ? info->port : d->options.port;
    d->stopping = false;
    d->work = std::make_unique<WorkQueue<std::function<void()>>>(1 << 20);
    const int threads = std::max(1, d->options.threads);
    for (int i = 0; i < threads; ++i) {
        d->workers.emplace_back([work = d->work.get()] {
            for (;;) {
                std::vector<std::function<void()>> jobs = work->take(1);
                if (jobs.empty())
                    return;
                for (auto& job : jobs)
                    job();
                work->release(static_cast<std::int64_t>(jobs.size()));
            }
        });
    }
    return {};
}

void CollectorServer::stop()
{
    if (!d->daemon)
        return;
    // No new connections and no new request suspended; requests in flight are decoded, committed and answered;
    // then everything closes.
    {
        const std::lock_guard lock(d->inFlightMutex);
        d->stopping = true;
    }
    d->listenSocket = MHD_quiesce_daemon(d->daemon);
    {
        std::unique_lock lock(d->inFlightMutex);
        d->inFlightChanged.wait(lock, [this] { return d->inFlight == 0; });
    }
    // Let the loop send the answers just resumed before the connections close.
    for (int i = 0; i < 50; ++i) {
        const MHD_DaemonInfo* info = MHD_get_daemon_info(d->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    MHD_stop_daemon(d->daemon);
    d->daemon = nullptr;
    if (d->listenSocket != MHD_INVALID_SOCKET)
        ::close(d->listenSocket);
    d->listenSocket = MHD_INVALID_SOCKET;
    d->work->close();
    for (std::thread& worker : d->workers)
        worker.join();
    d->workers.clear();
    d->work.reset();
}

int CollectorServer::port() const
{
    return d->port;
}

std::string CollectorServer::address() const
{
    return formatAddress(d->options.host, d->port);
}

std::string formatAddress(const std::string& host, int port)
{
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::int64_t CollectorServer::requests() const
{
    return d->requests.load();
}

bool parseListenAddress(const std::string& text, std::string& host, int& port)
{
    std::string portText = text;
    const std::size_t colon = text.rfind(':');
    if (colon != std::string::npos) {
        std::string hostPart = text.substr(0, colon);
        if (hostPart.size() >= 2 && hostPart.front() == '[' && hostPart.back() == ']')
            hostPart = hostPart.substr(1, hostPart.size() - 2);
        if (!hostPart.empty())
            host = hostPart;
        portText = text.substr(colon + 1);
    }
    if (portText.empty() || portText.size() > 5
        || !std::all_of(portText.begin(), portText.end(), [](unsigned char c) { return std::isdigit(c); }))
        return false;
    port = std::stoi(portText);
    return port <= 65535;
}

} // namespace Tracelight
