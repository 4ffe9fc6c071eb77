#include "collectorserver.h"

#include "collectorwriter.h"
#include "importer.h"
#include "otlphttpresponse.h"
#include "otlpjsonimporter.h"
#include "otlpprotodecoder.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <optional>
#include <thread>

namespace Tracelight {

using OtlpHttp::Encoding;

namespace {

std::optional<Encoding> encodingOf(const httplib::Request& request)
{
    std::string type = request.get_header_value("Content-Type");
    type = type.substr(0, type.find(';'));
    type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }), type.end());
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    if (type == "application/x-protobuf")
        return Encoding::Protobuf;
    if (type == "application/json")
        return Encoding::Json;
    return std::nullopt;
}

void answer(httplib::Response& response, int httpStatus, Encoding encoding, int grpcCode, const std::string& message)
{
    response.status = httpStatus;
    response.set_content(OtlpHttp::status(encoding, grpcCode, message), OtlpHttp::contentType(encoding));
}

std::string clientOf(const httplib::Request& request)
{
    return request.remote_addr + ":" + std::to_string(request.remote_port);
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
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::atomic<std::int64_t> requests { 0 };

    // The checks that need no body: answered before a body is read, also to an Expect: 100-continue.
    bool precheck(const httplib::Request& request, httplib::Response& response)
    {
        const Encoding fallback = encodingOf(request).value_or(Encoding::Json);
        if (!options.token.empty() && request.get_header_value("Authorization") != "Bearer " + options.token) {
            answer(response, 401, fallback, OtlpHttp::Unauthenticated, "missing or wrong bearer token");
            return false;
        }
        if (!encodingOf(request)) {
            answer(response, 415, fallback, OtlpHttp::InvalidArgument,
                "unsupported content type \"" + request.get_header_value("Content-Type")
                    + "\": use application/x-protobuf or application/json");
            return false;
        }
        const std::string encoding = request.get_header_value("Content-Encoding");
        if (!encoding.empty() && encoding != "gzip" && encoding != "identity") {
            answer(response, 415, fallback, OtlpHttp::InvalidArgument,
                "unsupported content encoding \"" + encoding + "\": use gzip or none");
            return false;
        }
        if (request.has_header("Content-Length")
            && request.get_header_value<std::uint64_t>("Content-Length") > options.maxBodyBytes) {
            answer(response, 413, fallback, OtlpHttp::InvalidArgument,
                "the body is larger than the limit of " + std::to_string(options.maxBodyBytes) + " bytes");
            return false;
        }
        return true;
    }

    void traces(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader)
    {
        ++requests;
        if (!precheck(request, response)) {
            // The body was not read: the connection cannot carry another request.
            response.set_header("Connection", "close");
            return;
        }
        const Encoding encoding = *encodingOf(request);
        std::string body;
        bool tooLarge = false;
        // cpp-httplib hands over the body already decompressed, chunk by chunk: the limit holds after decompression.
        const bool read = reader([&](const char* data, std::size_t length) {
            if (body.size() + length > options.maxBodyBytes) {
                tooLarge = true;
                return false;
            }
            body.append(data, length);
            return true;
        });
        if (tooLarge) {
            response.set_header("Connection", "close");
            answer(response, 413, encoding, OtlpHttp::InvalidArgument,
                "the body is larger than the limit of " + std::to_string(options.maxBodyBytes)
                    + " bytes (after decompression)");
            return;
        }
        if (!read) {
            response.set_header("Connection", "close");
            answer(response, 400, encoding, OtlpHttp::InvalidArgument,
                "the body could not be read (truncated, or bad gzip data)");
            return;
        }
        OtlpProto::DecodedRequest decoded;
        try {
            decoded = encoding == Encoding::Protobuf ? OtlpProto::decodeTraceRequest(body)
                                                     : OtlpJson::decodeTraceRequest(body);
        } catch (const ImportFailure& failure) {
            answer(response, 400, encoding, OtlpHttp::InvalidArgument,
                "undecodable ExportTraceServiceRequest: " + failure.where() + ": " + failure.what());
            return;
        }
        body = {};
        if (!decoded.steps.empty()) {
            std::string error;
            switch (writer.submit(std::move(decoded.steps), clientOf(request), &error)) {
            case CollectorWriter::Outcome::Committed:
                break;
            case CollectorWriter::Outcome::Overloaded:
                response.set_header("Retry-After", "1");
                answer(response, 503, encoding, OtlpHttp::Unavailable, "the writer is behind; retry later");
                return;
            case CollectorWriter::Outcome::Failed:
                response.set_header("Retry-After", "1");
                answer(response, 503, encoding, OtlpHttp::Unavailable, "the cache could not commit: " + error);
                return;
            case CollectorWriter::Outcome::Stopped:
                response.set_header("Retry-After", "5");
                answer(response, 503, encoding, OtlpHttp::Unavailable, "the collector is stopping");
                return;
            }
        }
        std::string message;
        if (decoded.rejectedSpans > 0 && !decoded.warnings.empty())
            message = decoded.warnings.front();
        response.status = 200;
        response.set_content(
            OtlpHttp::exportResponse(encoding, decoded.rejectedSpans, message), OtlpHttp::contentType(encoding));
    }
};

CollectorServer::CollectorServer(CollectorWriter& writer, CollectorServerOptions options)
    : d(std::make_unique<Impl>(writer, std::move(options)))
{
    Impl* impl = d.get();
    const int threads = std::max(1, impl->options.threads);
    impl->server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    impl->server.set_payload_max_length(impl->options.maxBodyBytes);
    impl->server.set_keep_alive_max_count(1000);
    impl->server.set_read_timeout(10);
    impl->server.Post("/v1/traces",
        [impl](const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader) {
            impl->traces(request, response, reader);
        });
    const auto notAllowed = [](const httplib::Request& request, httplib::Response& response) {
        response.set_header("Allow", "POST");
        answer(response, 405, encodingOf(request).value_or(Encoding::Json), OtlpHttp::InvalidArgument,
            "only POST is allowed on /v1/traces");
    };
    impl->server.Get("/v1/traces", notAllowed);
    impl->server.Put("/v1/traces", notAllowed);
    impl->server.Patch("/v1/traces", notAllowed);
    impl->server.Delete("/v1/traces", notAllowed);
    impl->server.Options("/v1/traces", notAllowed);
    impl->server.set_expect_100_continue_handler([impl](const httplib::Request& request, httplib::Response& response) {
        if (request.method == "POST" && request.path == "/v1/traces" && !impl->precheck(request, response)) {
            response.set_header("Connection", "close");
            return response.status;
        }
        return 100;
    });
    impl->server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty())
            return;
        const std::string message = response.status == 404 ? "no such path: " + request.path + " (use /v1/traces)"
                                                           : "the request could not be handled";
        answer(response, response.status, encodingOf(request).value_or(Encoding::Json), OtlpHttp::InvalidArgument,
            message);
    });
}

CollectorServer::~CollectorServer()
{
    stop();
}

std::string CollectorServer::start()
{
    if (d->options.port == 0) {
        d->port = d->server.bind_to_any_port(d->options.host);
        if (d->port <= 0)
            return "cannot listen on " + d->options.host + ": no free port";
    } else {
        if (!d->server.bind_to_port(d->options.host, d->options.port))
            return "cannot listen on " + d->options.host + ":" + std::to_string(d->options.port)
                + " (address in use, or not an address of this machine?)";
        d->port = d->options.port;
    }
    d->thread = std::thread([impl = d.get()] { impl->server.listen_after_bind(); });
    // httplib's stop() does nothing until the accept loop runs: wait for it, so a stop right after start works.
    while (!d->server.is_running())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {};
}

void CollectorServer::stop()
{
    if (!d->thread.joinable())
        return;
    d->server.stop();
    d->thread.join();
}

int CollectorServer::port() const
{
    return d->port;
}

std::string CollectorServer::address() const
{
    const std::string& host = d->options.host;
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(d->port);
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
