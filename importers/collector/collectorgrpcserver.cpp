#include "collectorgrpcserver.h"

#include "collectorwriter.h"
#include "importer.h"
#include "otlphttpresponse.h"
#include "otlpprotodecoder.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>

namespace Tracelight {

using OtlpHttp::Encoding;

struct CollectorGrpcServer::Impl
{
    Impl(CollectorWriter& writer, CollectorServerOptions options)
        : writer(writer)
        , options(std::move(options))
    { }

    // One call of any method: Export is answered, everything else is UNIMPLEMENTED. The reactor lives until gRPC
    // calls OnDone, which is after Finish: a call waiting for the writer keeps it alive, also when the client gives up.
    class Reactor final : public grpc::ServerGenericBidiReactor
    {
    public:
        Reactor(Impl& impl, grpc::GenericCallbackServerContext* context)
            : m_impl(impl)
            , m_client(context->peer())
        {
            ++impl.requests;
            if (context->method() != exportMethod) {
                Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                    "unknown method " + context->method() + " (this collector serves " + exportMethod + ")"));
                return;
            }
            if (!impl.options.token.empty() && !authorized(*context)) {
                Finish(grpc::Status(
                    grpc::StatusCode::UNAUTHENTICATED, "missing or wrong bearer token (authorization metadata)"));
                return;
            }
            StartRead(&m_request);
        }

        void OnReadDone(bool ok) override
        {
            if (!ok) {
                // The client closed its side without a request message.
                Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no ExportTraceServiceRequest was sent"));
                return;
            }
            OtlpProto::DecodedRequest decoded;
            try {
                std::vector<grpc::Slice> slices;
                if (!m_request.Dump(&slices).ok())
                    throw ImportFailure("byte 0", "the message could not be read");
                if (slices.size() == 1) {
                    decoded = OtlpProto::decodeTraceRequest(
                        std::string_view(reinterpret_cast<const char*>(slices[0].begin()), slices[0].size()));
                } else {
                    std::string body;
                    body.reserve(m_request.Length());
                    for (const grpc::Slice& slice : slices)
                        body.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
                    decoded = OtlpProto::decodeTraceRequest(body);
                }
            } catch (const ImportFailure& failure) {
                Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                    "undecodable ExportTraceServiceRequest: " + failure.where() + ": " + failure.what()));
                return;
            } catch (const std::exception& failure) {
                // Out of memory and the like: this call fails, the collector goes on.
                Finish(grpc::Status(
                    grpc::StatusCode::INTERNAL, std::string("the request could not be decoded: ") + failure.what()));
                return;
            }
            m_request.Clear();
            std::string message;
            if (decoded.rejectedSpans > 0 && !decoded.warnings.empty())
                message = decoded.warnings.front();
            if (decoded.steps.empty()) {
                respond(decoded.rejectedSpans, message);
                return;
            }
            // Finished on the writer's thread once committed (or at once when the queue refuses).
            m_impl.writer.submitAsync(std::move(decoded.steps), m_client,
                [this, rejected = decoded.rejectedSpans, message](
                    CollectorWriter::Outcome outcome, const std::string& error) {
                    switch (outcome) {
                    case CollectorWriter::Outcome::Committed:
                        respond(rejected, message);
                        return;
                    case CollectorWriter::Outcome::Overloaded:
                        unavailable("the writer is behind; retry later", 1);
                        return;
                    case CollectorWriter::Outcome::Failed:
                        unavailable("the cache could not commit: " + error, 1);
                        return;
                    case CollectorWriter::Outcome::Stopped:
                        unavailable("the collector is stopping", 5);
                        return;
                    }
                });
        }

        void OnDone() override { delete this; }

    private:
        bool authorized(const grpc::GenericCallbackServerContext& context) const
        {
            const std::string expected = "Bearer " + m_impl.options.token;
            const auto [first, last] = context.client_metadata().equal_range("authorization");
            for (auto it = first; it != last; ++it) {
                if (std::string_view(it->second.data(), it->second.size()) == expected)
                    return true;
            }
            return false;
        }

        void respond(std::int64_t rejectedSpans, const std::string& message)
        {
            const std::string bytes = OtlpHttp::exportResponse(Encoding::Protobuf, rejectedSpans, message);
            grpc::Slice slice(bytes);
            m_response = grpc::ByteBuffer(&slice, 1);
            StartWriteAndFinish(&m_response, grpc::WriteOptions(), grpc::Status::OK);
        }

        void unavailable(const std::string& message, int retrySeconds)
        {
            Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, message,
                OtlpHttp::statusWithRetry(OtlpHttp::Unavailable, message, retrySeconds)));
        }

        Impl& m_impl;
        const std::string m_client;
        grpc::ByteBuffer m_request;
        grpc::ByteBuffer m_response;
    };

    class Service final : public grpc::CallbackGenericService
    {
    public:
        explicit Service(Impl& impl)
            : m_impl(impl)
        { }
        grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override
        {
            return new Reactor(m_impl, context);
        }

    private:
        Impl& m_impl;
    };

    CollectorWriter& writer;
    CollectorServerOptions options;
    Service service { *this };
    std::unique_ptr<grpc::Server> server;
    int port = 0;
    std::atomic<std::int64_t> requests { 0 };
};

CollectorGrpcServer::CollectorGrpcServer(CollectorWriter& writer, CollectorServerOptions options)
    : d(std::make_unique<Impl>(writer, std::move(options)))
{ }

CollectorGrpcServer::~CollectorGrpcServer()
{
    stop();
}

std::string CollectorGrpcServer::start()
{
    if (d->server)
        return {};
    const std::string listen = formatAddress(d->options.host, d->options.port);
    grpc::ServerBuilder builder;
    int selected = 0;
    builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &selected);
    builder.RegisterCallbackGenericService(&d->service);
    // gRPC checks the limit on the message as received and again after gzip decompression (RESOURCE_EXHAUSTED).
    builder.SetMaxReceiveMessageSize(static_cast<int>(std::min<std::size_t>(d->options.maxBodyBytes, INT32_MAX)));
    // One port, one server: without this a second collector could share the port and split the exporters' calls.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    d->server = builder.BuildAndStart();
    if (!d->server || selected == 0) {
        d->server.reset();
        return "cannot listen for OTLP/gRPC on " + listen + " (address in use, or not an address of this machine?)";
    }
    d->port = selected;
    return {};
}

void CollectorGrpcServer::stop()
{
    if (!d->server)
        return;
    // Calls in flight get up to five seconds to be committed and answered; then gRPC cancels what is left.
    d->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    d->server->Wait();
    d->server.reset();
}

int CollectorGrpcServer::port() const
{
    return d->port;
}

std::string CollectorGrpcServer::address() const
{
    return formatAddress(d->options.host, d->port);
}

std::int64_t CollectorGrpcServer::requests() const
{
    return d->requests.load();
}

} // namespace Tracelight
