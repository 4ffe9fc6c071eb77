// The OTLP/gRPC receiver: CollectorGrpcServer + CollectorWriter on 127.0.0.1 with a free port, called through gRPC
// C++'s own generic client (the wire protocol, HTTP/2 framing and gzip are gRPC's, not ours), and `tracelight serve`
// as a process (also killed with SIGKILL while exporters send).
//
// Expected counts come from the sample itself:
//   jq '[.resourceSpans[].scopeSpans[].spans[]] | length' resources/samples/refund-agent.otlp.json          → 32
//   jq '[.resourceSpans[].scopeSpans[].spans[].traceId] | unique | length' resources/samples/refund-agent.otlp.json → 1
// Status details are read with protobuf's own UnknownFieldSet and well-known Any/Duration classes.

#include "otlpprotoconvert.h"
#include "testutils.h"

#include <collectorgrpcserver.h>
#include <collectorwriter.h>
#include <sqlite.h>
#include <tracestore.h>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <future>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace Tracelight;

namespace {

constexpr int sampleSpans = 32;
constexpr int sampleTraces = 1;

std::string sampleProtobuf()
{
    QFile file(TestUtils::samplePath());
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the sample");
    std::string error;
    std::string binary = ProtoConvert::jsonToBinary(file.readAll().toStdString(), error);
    if (!error.empty())
        qFatal("protobuf conversion: %s", error.c_str());
    return binary;
}

struct Reply
{
    grpc::Status status;
    std::string body;
};

std::shared_ptr<grpc::Channel> channelTo(int port, bool ownConnection = false)
{
    grpc::ChannelArguments arguments;
    // Each channel its own TCP connection (gRPC shares subchannels between channels to one address by default).
    if (ownConnection)
        arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials(), arguments);
}

// One unary call of method with bytes; waits for the answer.
Reply call(grpc::Channel& channel, const std::string& bytes, bool gzip = false, const std::string& token = {},
    const std::string& method = CollectorGrpcServer::exportMethod)
{
    grpc::GenericStub stub(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (gzip)
        context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    if (!token.empty())
        context.AddMetadata("authorization", "Bearer " + token);
    grpc::Slice slice(bytes);
    const grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
        [&done](grpc::Status status) { done.set_value(std::move(status)); });
    Reply reply;
    reply.status = done.get_future().get();
    std::vector<grpc::Slice> slices;
    if (reply.status.ok() && response.Dump(&slices).ok()) {
        for (const grpc::Slice& part : slices)
            reply.body.append(reinterpret_cast<const char*>(part.begin()), part.size());
    }
    return reply;
}

// The retry delay in seconds of a google.rpc.Status's google.rpc.RetryInfo detail, -1 when there is none.
std::int64_t retryDelay(const std::string& statusDetails)
{
    google::protobuf::UnknownFieldSet status;
    if (!status.ParseFromString(statusDetails))
        return -1;
    for (int i = 0; i < status.field_count(); ++i) {
        const auto& field = status.field(i);
        if (field.number() != 3 || field.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED)
            continue;
        google::protobuf::Any any;
        if (!any.ParseFromString(field.length_delimited())
            || any.type_url() != "type.googleapis.com/google.rpc.RetryInfo")
            continue;
        google::protobuf::UnknownFieldSet retryInfo;
        if (!retryInfo.ParseFromString(any.value()) || retryInfo.field_count() != 1 || retryInfo.field(0).number() != 1)
            return -1;
        google::protobuf::Duration delay;
        if (!delay.ParseFromString(retryInfo.field(0).length_delimited()))
            return -1;
        return delay.seconds();
    }
    return -1;
}

// A request of one trace of `spans` spans (a root and its children), the trace id made from n.
std::string traceRequest(std::uint64_t n, int spans)
{
    ProtoConvert::Request request;
    auto* resource = request.add_resource_spans();
    auto* attribute = resource->mutable_resource()->add_attributes();
    attribute->set_key("service.name");
    attribute->mutable_value()->set_string_value("durability");
    auto* scope = resource->add_scope_spans();
    std::string traceId(16, '\0');
    for (int i = 0; i < 8; ++i)
        traceId[static_cast<std::size_t>(15 - i)] = static_cast<char>((n >> (8 * i)) & 0xff);
    traceId[0] = '\x7e';
    const std::uint64_t start = 1'700'000'000'000'000'000ull + n * 1'000'000'000ull;
    for (int i = 0; i < spans; ++i) {
        auto* span = scope->add_spans();
        span->set_trace_id(traceId);
        std::string spanId(8, '\0');
        spanId[0] = '\x5a';
        spanId[6] = static_cast<char>((i >> 8) & 0xff);
        spanId[7] = static_cast<char>(i & 0xff);
        span->set_span_id(spanId);
        if (i > 0) {
            std::string parent(8, '\0');
            parent[0] = '\x5a';
            span->set_parent_span_id(parent);
        }
        span->set_name(i == 0 ? "invoke_agent durable" : "execute_tool step");
        span->set_start_time_unix_nano(start + static_cast<std::uint64_t>(i) * 1000);
        span->set_end_time_unix_nano(start + static_cast<std::uint64_t>(i) * 1000 + 500);
    }
    return request.SerializeAsString();
}

// A port nobody listens on now (bound and released).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        qFatal("no free port");
    ::close(fd);
    return ntohs(address.sin_port);
}

std::string traceHex(std::uint64_t n)
{
    char hex[33];
    std::snprintf(hex, sizeof hex, "7e00000000000000%016llx", static_cast<unsigned long long>(n));
    return std::string(hex, 32);
}

} // namespace

class TestGrpcCollector : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::string m_db;
    std::unique_ptr<CollectorWriter> m_writer;
    std::unique_ptr<CollectorGrpcServer> m_server;
    std::shared_ptr<grpc::Channel> m_channel;

    void startServer(CollectorServerOptions options = {}, std::int64_t maxQueuedSpans = 500000)
    {
        m_channel.reset();
        m_server.reset();
        m_writer.reset();
        m_writer = std::make_unique<CollectorWriter>(m_db, maxQueuedSpans);
        options.port = 0;
        m_server = std::make_unique<CollectorGrpcServer>(*m_writer, options);
        const std::string error = m_server->start();
        QVERIFY2(error.empty(), error.c_str());
        QVERIFY(m_server->port() > 0);
        m_channel = channelTo(m_server->port());
    }

    std::int64_t count(const char* sql)
    {
        TraceStore store(m_db, TraceStore::Mode::ReadOnly);
        auto query = store.database().prepare(sql);
        query.step();
        return query.int64(0);
    }
    std::int64_t cachedSpans() { return count("SELECT count(*) FROM steps"); }

    // 4 gRPC and 4 HTTP exporters send traces of 40 spans (ids from next) to a collector process until it is killed
    // with SIGKILL at a random moment; then the cache is sound, every acknowledged trace is there whole and no trace
    // is there in part.
    void exportThenKill(
        QProcess& process, int grpcPort, int httpPort, std::uint64_t& next, QRandomGenerator& random, const char* who)
    {
        constexpr int spansPerTrace = 40;
        std::mutex mutex;
        std::vector<std::uint64_t> acknowledged;
        std::atomic<bool> killed { false };
        std::atomic<std::uint64_t> counter { next };
        std::vector<std::thread> exporters;
        for (int e = 0; e < 8; ++e) {
            exporters.emplace_back([&, e] {
                const auto channel = channelTo(grpcPort, true);
                httplib::Client http("127.0.0.1", httpPort);
                http.set_read_timeout(5);
                while (!killed) {
                    const std::uint64_t n = counter++;
                    const std::string body = traceRequest(n, spansPerTrace);
                    bool ok = false;
                    if (e % 2 == 0) {
                        ok = call(*channel, body).status.ok();
                    } else {
                        auto result = http.Post("/v1/traces", body, "application/x-protobuf");
                        ok = result && result->status == 200;
                    }
                    if (ok) {
                        const std::lock_guard lock(mutex);
                        acknowledged.push_back(n);
                    }
                }
            });
        }
        QTest::qWait(300 + int(random.bounded(1200)));
        ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
        QVERIFY(process.waitForFinished(10000));
        killed = true;
        for (auto& exporter : exporters)
            exporter.join();
        next = counter;
        QVERIFY2(!acknowledged.empty(), who);

        TraceStore store(m_db, TraceStore::Mode::ReadOnly);
        auto check = store.database().prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.text(0), std::string("ok"));
        for (const std::uint64_t n : acknowledged) {
            const auto trace = store.trace(traceHex(n));
            QVERIFY2(trace, traceHex(n).c_str());
            QCOMPARE(trace->spans, std::int64_t(spansPerTrace));
        }
        auto partial = store.database().prepare(
            "SELECT count(*) FROM (SELECT trace FROM steps GROUP BY trace HAVING count(*) <> 40)");
        QVERIFY(partial.step());
        QCOMPARE(partial.int64(0), 0);
        qInfo("%s: %zu traces acknowledged before SIGKILL, all of them in the cache", who, acknowledged.size());
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = m_dir->filePath(QStringLiteral("cache.sqlite")).toStdString();
        startServer();
    }
    void cleanup()
    {
        m_channel.reset();
        m_server.reset();
        m_writer.reset();
        m_dir.reset();
    }

    void exportsTheSample_data()
    {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("identity") << false;
        QTest::newRow("gzip") << true;
    }
    void exportsTheSample()
    {
        QFETCH(bool, gzip);
        Reply reply = call(*m_channel, sampleProtobuf(), gzip);
        QVERIFY2(reply.status.ok(), reply.status.error_message().c_str());
        // Full success: an ExportTraceServiceResponse without partial_success.
        opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse response;
        QVERIFY(response.ParseFromString(reply.body));
        QVERIFY(!response.has_partial_success());
        // OK means committed: the spans are in the cache when the answer arrives.
        QCOMPARE(cachedSpans(), sampleSpans);
        QCOMPARE(count("SELECT count(*) FROM traces"), sampleTraces);
        // A retry adds nothing.
        reply = call(*m_channel, sampleProtobuf(), gzip);
        QVERIFY(reply.status.ok());
        QCOMPARE(cachedSpans(), sampleSpans);
        QCOMPARE(m_server->requests(), 2);
    }

    void emptyRequestIsSuccess()
    {
        const Reply reply = call(*m_channel, std::string());
        QVERIFY2(reply.status.ok(), reply.status.error_message().c_str());
        QCOMPARE(cachedSpans(), 0);
    }

    void partialSuccess()
    {
        ProtoConvert::Request request;
        auto* spans = request.add_resource_spans()->add_scope_spans();
        auto* good = spans->add_spans();
        good->set_trace_id(std::string(16, '\x01'));
        good->set_span_id(std::string(8, '\x02'));
        good->set_name("ok");
        auto* bad = spans->add_spans();
        bad->set_trace_id(std::string(16, '\x01'));
        bad->set_span_id(std::string(3, '\x02')); // a span id must be 8 bytes
        bad->set_name("bad");
        const Reply reply = call(*m_channel, request.SerializeAsString());
        QVERIFY2(reply.status.ok(), reply.status.error_message().c_str());
        opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse response;
        QVERIFY(response.ParseFromString(reply.body));
        QVERIFY(response.has_partial_success());
        QCOMPARE(response.partial_success().rejected_spans(), 1);
        QVERIFY(!response.partial_success().error_message().empty());
        QCOMPARE(cachedSpans(), 1);
    }

    void invalidArgument()
    {
        const Reply reply = call(*m_channel, std::string("\x0a\xff\xff\xff\x0f junk", 10));
        QCOMPARE(reply.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(reply.status.error_message().find("undecodable ExportTraceServiceRequest: byte ") != std::string::npos,
            reply.status.error_message().c_str());
        QCOMPARE(cachedSpans(), 0);
        // The server keeps serving, on the same connection.
        QVERIFY(call(*m_channel, sampleProtobuf()).status.ok());
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void unknownMethod()
    {
        const Reply reply = call(
            *m_channel, sampleProtobuf(), false, {}, "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
        QCOMPARE(reply.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
        QCOMPARE(cachedSpans(), 0);
    }

    void token()
    {
        CollectorServerOptions options;
        options.token = "s3cret";
        startServer(options);
        Reply reply = call(*m_channel, sampleProtobuf());
        QCOMPARE(reply.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
        reply = call(*m_channel, sampleProtobuf(), false, "wrong");
        QCOMPARE(reply.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
        QCOMPARE(cachedSpans(), 0);
        reply = call(*m_channel, sampleProtobuf(), false, "s3cret");
        QVERIFY2(reply.status.ok(), reply.status.error_message().c_str());
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void sizeLimit()
    {
        CollectorServerOptions options;
        options.maxBodyBytes = 128 * 1024;
        startServer(options);
        // A valid request with a 300 KB attribute: over the limit as sent, and under gzip (a few hundred bytes on
        // the wire) over it after decompression.
        ProtoConvert::Request request;
        auto* span = request.add_resource_spans()->add_scope_spans()->add_spans();
        span->set_trace_id(std::string(16, '\x01'));
        span->set_span_id(std::string(8, '\x02'));
        span->set_name("big");
        auto* attribute = span->add_attributes();
        attribute->set_key("padding");
        attribute->mutable_value()->set_string_value(std::string(300 * 1024, 'a'));
        const std::string big = request.SerializeAsString();
        QCOMPARE(call(*m_channel, big).status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
        QCOMPARE(call(*m_channel, big, true).status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
        QCOMPARE(cachedSpans(), 0);
        // Under the limit, fine.
        QVERIFY(call(*m_channel, sampleProtobuf(), true).status.ok());
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void unavailableWithRetryInfo()
    {
        // A writer that takes 10 spans at most while another holds the cache's write lock: the first request gets in
        // (nothing else is pending) and waits for the lock; a second is refused at once.
        startServer({}, 10);
        sqlite3* other = nullptr;
        QCOMPARE(sqlite3_open(m_db.c_str(), &other), SQLITE_OK);
        QCOMPARE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        auto first = std::async(std::launch::async, [this] { return call(*m_channel, sampleProtobuf()); });
        for (int i = 0; i < 500 && m_writer->pendingSpans() == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        QCOMPARE(m_writer->pendingSpans(), sampleSpans);
        const Reply refused = call(*m_channel, sampleProtobuf());
        QCOMPARE(refused.status.error_code(), grpc::StatusCode::UNAVAILABLE);
        QVERIFY(refused.status.error_message().find("behind") != std::string::npos);
        QCOMPARE(retryDelay(refused.status.error_details()), 1);
        QCOMPARE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(other);
        const Reply accepted = first.get();
        QVERIFY2(accepted.status.ok(), accepted.status.error_message().c_str());
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void manyConnections()
    {
        // 200 exporters, each on a connection of its own, all calling at once: every one answered OK, every span of
        // the sample stored once.
        constexpr int exporters = 200;
        const std::string bytes = sampleProtobuf();
        std::vector<std::shared_ptr<grpc::Channel>> channels;
        for (int i = 0; i < exporters; ++i)
            channels.push_back(channelTo(m_server->port(), true));
        std::atomic<int> ok { 0 };
        std::vector<std::future<void>> calls;
        for (int i = 0; i < exporters; ++i) {
            calls.push_back(std::async(std::launch::async, [&, i] {
                if (call(*channels[i], bytes, i % 2 == 1).status.ok())
                    ++ok;
            }));
        }
        for (auto& done : calls)
            done.get();
        QCOMPARE(ok.load(), exporters);
        QCOMPARE(cachedSpans(), sampleSpans);
        QCOMPARE(count("SELECT spans FROM traces"), sampleSpans);
    }

    void garbageConnectionsDoNotStopIt()
    {
        // Not HTTP/2 at all, a preface followed by a truncated frame, and a connection that says nothing: each is
        // dropped or left waiting, and an exporter is still answered.
        const auto raw = [this](const std::string& bytes) {
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in address {};
            address.sin_family = AF_INET;
            address.sin_port = htons(static_cast<std::uint16_t>(m_server->port()));
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
                qFatal("cannot connect");
            if (!bytes.empty() && ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) < 0)
                qFatal("cannot send");
            return fd;
        };
        std::vector<int> sockets;
        sockets.push_back(raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        // The client preface, then a HEADERS frame header announcing 4 KB of which 3 bytes follow.
        sockets.push_back(raw(std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24)
            + std::string("\x00\x10\x00\x01\x04\x00\x00\x00\x01xyz", 12)));
        sockets.push_back(raw({}));
        const Reply reply = call(*m_channel, sampleProtobuf());
        QVERIFY2(reply.status.ok(), reply.status.error_message().c_str());
        QCOMPARE(cachedSpans(), sampleSpans);
        for (const int fd : sockets)
            ::close(fd);
    }

    void killedServeKeepsEveryAcknowledgedSpan()
    {
        // Five times: `tracelight serve` takes traces from 4 gRPC and 4 HTTP exporters (each request one trace of 40
        // spans) and is killed with SIGKILL at a random moment. Then the cache is sound, every trace that got an OK
        // or a 200 is there whole, and no trace is there in part.
        m_channel.reset();
        m_server.reset();
        m_writer.reset();
        std::uint64_t next = 1;
        QRandomGenerator random(20261207);
        for (int round = 0; round < 5; ++round) {
            QProcess process;
            process.setProgram(QStringLiteral(TRACELIGHT_BINARY));
            process.setArguments({ QStringLiteral("serve"), QStringLiteral("--db"), QString::fromStdString(m_db),
                QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--grpc-listen"),
                QStringLiteral("127.0.0.1:0") });
            process.start();
            QVERIFY(process.waitForStarted());
            QString log;
            int grpcPort = 0;
            int httpPort = 0;
            const QRegularExpression grpcLine(QStringLiteral("listening for OTLP/gRPC on 127\\.0\\.0\\.1:(\\d+)"));
            const QRegularExpression httpLine(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)/"));
            for (int i = 0; i < 100 && (grpcPort == 0 || httpPort == 0); ++i) {
                process.waitForReadyRead(100);
                log += QString::fromUtf8(process.readAllStandardOutput());
                if (const auto match = grpcLine.match(log); match.hasMatch())
                    grpcPort = match.captured(1).toInt();
                if (const auto match = httpLine.match(log); match.hasMatch())
                    httpPort = match.captured(1).toInt();
            }
            QVERIFY2(grpcPort > 0 && httpPort > 0, qPrintable(log));
            exportThenKill(process, grpcPort, httpPort, next, random, "serve");
            if (QTest::currentTestFailed())
                return;
        }
    }

    void killedWindowKeepsEveryAcknowledgedSpan()
    {
        // The same with the window's Live Collector (started with the window, on ports chosen here), three times.
        m_channel.reset();
        m_server.reset();
        m_writer.reset();
        std::uint64_t next = 1'000'000;
        QRandomGenerator random(20261208);
        for (int round = 0; round < 3; ++round) {
            const int grpcPort = freePort();
            const int httpPort = freePort();
            QTemporaryDir config;
            QVERIFY(QDir().mkpath(config.filePath(QStringLiteral("Tracelight"))));
            TestUtils::writeFile(config.filePath(QStringLiteral("Tracelight/tracelight.conf")),
                QStringLiteral("[live]\nstartWithApp=true\nlisten=127.0.0.1:%1\ngrpcListen=127.0.0.1:%2\n")
                    .arg(httpPort)
                    .arg(grpcPort)
                    .toUtf8());
            QProcess process;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
            environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
            process.setProcessEnvironment(environment);
            process.setProgram(QStringLiteral(TRACELIGHT_BINARY));
            process.setArguments({ QStringLiteral("--db"), QString::fromStdString(m_db) });
            process.start();
            QVERIFY(process.waitForStarted());
            // Up when an empty export is answered.
            const auto channel = channelTo(grpcPort);
            bool up = false;
            for (int i = 0; i < 100 && !up; ++i) {
                up = call(*channel, std::string()).status.ok();
                if (!up)
                    QTest::qWait(100);
            }
            QVERIFY2(up, process.readAllStandardError().constData());
            exportThenKill(process, grpcPort, httpPort, next, random, "window");
            if (QTest::currentTestFailed())
                return;
        }
    }

    void serveCommand()
    {
        m_channel.reset();
        m_server.reset();
        m_writer.reset();
        QProcess process;
        process.setProgram(QStringLiteral(TRACELIGHT_BINARY));
        process.setArguments({ QStringLiteral("serve"), QStringLiteral("--db"), QString::fromStdString(m_db),
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--grpc-listen"),
            QStringLiteral("127.0.0.1:0"), QStringLiteral("--token"), QStringLiteral("t0ken") });
        process.start();
        QVERIFY(process.waitForStarted());
        QString log;
        int port = 0;
        const QRegularExpression listening(QStringLiteral("listening for OTLP/gRPC on 127\\.0\\.0\\.1:(\\d+)"));
        for (int i = 0; i < 100 && port == 0; ++i) {
            process.waitForReadyRead(100);
            log += QString::fromUtf8(process.readAllStandardOutput());
            if (const auto match = listening.match(log); match.hasMatch())
                port = match.captured(1).toInt();
        }
        QVERIFY2(port > 0, qPrintable(log + QString::fromUtf8(process.readAllStandardError())));
        const auto channel = channelTo(port);
        QCOMPARE(call(*channel, sampleProtobuf(), true).status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
        const Reply reply = call(*channel, sampleProtobuf(), true, "t0ken");
        QVERIFY2(reply.status.ok(), reply.status.error_message().c_str());
        process.terminate();
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 0);
        log += QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(log.contains(QStringLiteral("stopped: 32 spans committed")), qPrintable(log));
        QCOMPARE(cachedSpans(), sampleSpans);

        // An address it cannot read, or one it cannot take, is an error; "off" serves HTTP only.
        process.setArguments(
            { QStringLiteral("serve"), QStringLiteral("--db"), QString::fromStdString(m_db), QStringLiteral("--listen"),
                QStringLiteral("127.0.0.1:0"), QStringLiteral("--grpc-listen"), QStringLiteral("nowhere") });
        process.start();
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("--grpc-listen wants HOST:PORT"));
        CollectorWriter writer(m_db);
        CollectorGrpcServer taken(writer, [] {
            CollectorServerOptions options;
            options.port = 0;
            return options;
        }());
        QVERIFY(taken.start().empty());
        process.setArguments({ QStringLiteral("serve"), QStringLiteral("--db"), QString::fromStdString(m_db),
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--grpc-listen"),
            QString::fromStdString(taken.address()) });
        process.start();
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 1);
        const QByteArray error = process.readAllStandardError();
        const QByteArray expected = QByteArray("cannot listen for OTLP/gRPC on ") + taken.address().c_str();
        QVERIFY2(error.contains(expected), error.constData());
    }
};

QTEST_GUILESS_MAIN(TestGrpcCollector)
#include "tst_grpccollector.moc"
