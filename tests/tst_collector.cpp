// The live OTLP/HTTP collector: CollectorServer + CollectorWriter on 127.0.0.1 with a free port, CollectorWatcher over
// a temporary folder, and `tracelight serve` as a process.
//
// Expected counts come from the sample itself:
//   jq '[.resourceSpans[].scopeSpans[].spans[]] | length' resources/samples/refund-agent.otlp.json          → 32
//   jq '[.resourceSpans[].scopeSpans[].spans[].traceId] | unique | length' resources/samples/refund-agent.otlp.json → 1

#include "otlpprotoconvert.h"
#include "testutils.h"

#include <collectorserver.h>
#include <collectorwatcher.h>
#include <collectorwriter.h>
#include <sqlite.h>
#include <tracestore.h>

#include <httplib.h>
#include <sqlite3.h>

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <zlib.h>

using namespace Tracelight;

namespace {

constexpr int sampleSpans = 32;
constexpr int sampleTraces = 1;

std::string readSample()
{
    QFile file(TestUtils::samplePath());
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the sample");
    return file.readAll().toStdString();
}

// The sample's request with only the spans whose index (in file order) is part modulo parts.
std::string samplePart(int part, int parts)
{
    nlohmann::json document = nlohmann::json::parse(readSample());
    int index = 0;
    for (auto& resourceSpans : document["resourceSpans"]) {
        for (auto& scopeSpans : resourceSpans["scopeSpans"]) {
            nlohmann::json kept = nlohmann::json::array();
            for (auto& span : scopeSpans["spans"]) {
                if (index++ % parts == part)
                    kept.push_back(span);
            }
            scopeSpans["spans"] = std::move(kept);
        }
    }
    return document.dump();
}

std::string toProtobuf(const std::string& json)
{
    std::string error;
    std::string binary = ProtoConvert::jsonToBinary(json, error);
    if (!error.empty())
        qFatal("protobuf conversion: %s", error.c_str());
    return binary;
}

// Sends raw bytes on a new connection and returns what comes back until the server closes or timeoutMs passes.
class RawConnection
{
public:
    explicit RawConnection(int port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            qFatal("cannot connect");
        timeval timeout { 5, 0 };
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    ~RawConnection() { ::close(m_fd); }
    void send(const std::string& bytes)
    {
        QCOMPARE_EQ(::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size()));
    }
    // Reads until text is in what was received, or the peer closes, or the timeout.
    std::string receiveUntil(const std::string& text)
    {
        char buffer[4096];
        while (m_received.find(text) == std::string::npos) {
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            m_received.append(buffer, static_cast<std::size_t>(n));
        }
        return m_received;
    }

    // True when the server closed the connection (before the receive timeout of 5 s).
    bool closedByServer()
    {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n == 0)
                return true;
            if (n < 0)
                return errno == ECONNRESET;
            m_received.append(buffer, static_cast<std::size_t>(n));
        }
    }

private:
    int m_fd = -1;
    std::string m_received;
};

// A gzip stream of `size` zero bytes, made a megabyte at a time (a decompression bomb: about 1/1000 of its size).
std::string gzipZeros(std::size_t size)
{
    z_stream stream {};
    if (deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2");
    const std::string zeros(1 << 20, '\0');
    std::string out;
    char buffer[1 << 16];
    for (std::size_t done = 0; done < size; done += zeros.size()) {
        const bool last = done + zeros.size() >= size;
        stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
        stream.avail_in = static_cast<uInt>(std::min(zeros.size(), size - done));
        do {
            stream.next_out = reinterpret_cast<Bytef*>(buffer);
            stream.avail_out = sizeof buffer;
            deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
            out.append(buffer, sizeof buffer - stream.avail_out);
        } while (stream.avail_out == 0);
    }
    deflateEnd(&stream);
    return out;
}

std::string postHead(std::size_t length, const std::string& extra = {})
{
    return "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + std::to_string(length) + "\r\n" + extra + "\r\n";
}

} // namespace

class TestCollector : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::string m_db;
    std::unique_ptr<CollectorWriter> m_writer;
    std::unique_ptr<CollectorServer> m_server;

    void startServer(CollectorServerOptions options = {})
    {
        m_server.reset();
        options.port = 0;
        m_server = std::make_unique<CollectorServer>(*m_writer, options);
        const std::string error = m_server->start();
        QVERIFY2(error.empty(), error.c_str());
        QVERIFY(m_server->port() > 0);
    }

    std::unique_ptr<httplib::Client> client(bool gzip = false)
    {
        auto c = std::make_unique<httplib::Client>("127.0.0.1", m_server->port());
        c->set_compress(gzip);
        c->set_read_timeout(10);
        return c;
    }

    std::int64_t count(const char* sql)
    {
        TraceStore store(m_db, TraceStore::Mode::ReadOnly);
        auto query = store.database().prepare(sql);
        query.step();
        return query.int64(0);
    }
    std::int64_t cachedSpans() { return count("SELECT count(*) FROM steps"); }
    std::int64_t cachedTraces() { return count("SELECT count(*) FROM traces"); }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = m_dir->filePath(QStringLiteral("cache.sqlite")).toStdString();
        m_writer = std::make_unique<CollectorWriter>(m_db);
        startServer();
    }
    void cleanup()
    {
        m_server.reset();
        m_writer.reset();
        m_dir.reset();
    }

    void postsBothEncodings_data()
    {
        QTest::addColumn<bool>("protobuf");
        QTest::addColumn<bool>("gzip");
        QTest::newRow("json") << false << false;
        QTest::newRow("json gzip") << false << true;
        QTest::newRow("protobuf") << true << false;
        QTest::newRow("protobuf gzip") << true << true;
    }
    void postsBothEncodings()
    {
        QFETCH(bool, protobuf);
        QFETCH(bool, gzip);
        const std::string json = readSample();
        const std::string body = protobuf ? toProtobuf(json) : json;
        const char* type = protobuf ? "application/x-protobuf" : "application/json";
        auto result = client(gzip)->Post("/v1/traces", body, type);
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QCOMPARE(result->get_header_value("Content-Type"), std::string(type));
        // Full success: an ExportTraceServiceResponse with partial_success unset.
        QCOMPARE(result->body, protobuf ? std::string() : std::string("{}"));
        // 200 means committed: the spans are in the cache as soon as the answer arrives.
        QCOMPARE(cachedSpans(), sampleSpans);
        QCOMPARE(cachedTraces(), sampleTraces);
        QCOMPARE(count("SELECT spans FROM traces"), sampleSpans);
        // An exporter's retry of the same request adds nothing.
        result = client(gzip)->Post("/v1/traces", body, type);
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void emptyRequestIsSuccess()
    {
        auto result = client()->Post("/v1/traces", "{}", "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        result = client()->Post("/v1/traces", "", "application/x-protobuf");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QCOMPARE(cachedSpans(), 0);
    }

    void partialSuccess()
    {
        // Two spans, one with a traceId that is not 32 hex digits: rejected, the other stored.
        const std::string body = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
            {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"ok",
             "startTimeUnixNano":"1","endTimeUnixNano":"2"},
            {"traceId":"nothex","spanId":"eee19b7ec3c1b175","name":"bad"}]}]}]})";
        auto result = client()->Post("/v1/traces", body, "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        const nlohmann::json response = nlohmann::json::parse(result->body);
        QCOMPARE(response["partialSuccess"]["rejectedSpans"].get<std::string>(), std::string("1"));
        QVERIFY(!response["partialSuccess"]["errorMessage"].get<std::string>().empty());
        QCOMPARE(cachedSpans(), 1);

        // The same in protobuf: ExportTracePartialSuccess{rejected_spans = 1, error_message}.
        ProtoConvert::Request request;
        auto* span = request.add_resource_spans()->add_scope_spans()->add_spans();
        span->set_trace_id(std::string(16, '\x01'));
        span->set_span_id(std::string(3, '\x02')); // a span id must be 8 bytes
        span->set_name("bad");
        result = client()->Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse decoded;
        QVERIFY(decoded.ParseFromString(result->body));
        QVERIFY(decoded.has_partial_success());
        QCOMPARE(decoded.partial_success().rejected_spans(), 1);
    }

    void badBodies_data()
    {
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("json syntax") << QByteArray("application/json") << QByteArray(R"({"resourceSpans":[{)");
        QTest::newRow("json bare value") << QByteArray("application/json") << QByteArray("42");
        QTest::newRow("protobuf garbage")
            << QByteArray("application/x-protobuf") << QByteArray("\x0a\xff\xff\xff\x0f junk");
    }
    void badBodies()
    {
        QFETCH(QByteArray, type);
        QFETCH(QByteArray, body);
        auto result = client()->Post("/v1/traces", body.toStdString(), type.toStdString());
        QVERIFY(result);
        QCOMPARE(result->status, 400);
        QCOMPARE(result->get_header_value("Content-Type"), type.toStdString());
        // A google.rpc.Status in the request's encoding, with a message.
        if (type == "application/json") {
            const nlohmann::json status = nlohmann::json::parse(result->body);
            QCOMPARE(status["code"].get<int>(), 3);
            QVERIFY(status["message"].get<std::string>().find("undecodable") != std::string::npos);
        } else {
            QVERIFY(result->body.size() > 2);
            QCOMPARE(result->body[0], '\x08'); // field 1 (code), varint
            QCOMPARE(result->body[1], '\x03'); // INVALID_ARGUMENT
            QVERIFY(result->body.find("undecodable") != std::string::npos);
        }
        // The server keeps serving.
        result = client()->Post("/v1/traces", readSample(), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
    }

    void wrongRequests()
    {
        auto result = client()->Post("/v1/traces", readSample(), "text/plain");
        QVERIFY(result);
        QCOMPARE(result->status, 415);
        result = client()->Get("/v1/traces");
        QVERIFY(result);
        QCOMPARE(result->status, 405);
        QCOMPARE(result->get_header_value("Allow"), std::string("POST"));
        result = client()->Post("/v1/metrics", "{}", "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 404);
        QCOMPARE(cachedSpans(), 0);
    }

    void token()
    {
        CollectorServerOptions options;
        options.token = "s3cret";
        startServer(options);
        auto result = client()->Post("/v1/traces", readSample(), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 401);
        result
            = client()->Post("/v1/traces", { { "Authorization", "Bearer wrong" } }, readSample(), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 401);
        QCOMPARE(cachedSpans(), 0);
        result
            = client()->Post("/v1/traces", { { "Authorization", "Bearer s3cret" } }, readSample(), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void bodyLimit()
    {
        CollectorServerOptions options;
        options.maxBodyBytes = 128 * 1024; // the sample is 79,108 bytes (wc -c)
        startServer(options);
        // A valid request padded to 300 KB: over the limit as sent, and (gzip, a few hundred bytes on the wire)
        // over it after decompression.
        const std::string padded = R"({"resourceSpans":[]})" + std::string(300 * 1024, ' ');
        auto result = client()->Post("/v1/traces", padded, "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 413);
        result = client(true)->Post("/v1/traces", padded, "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 413);
        QVERIFY(result->body.find("after decompression") != std::string::npos);
        // Under the limit, fine.
        result = client(true)->Post("/v1/traces", readSample(), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
    }

    void expectContinue()
    {
        CollectorServerOptions options;
        options.token = "t";
        startServer(options);
        const std::string body = readSample();
        const std::string head = "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 "Content-Length: "
            + std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n";
        {
            // Without the token: refused before the body is sent.
            RawConnection connection(m_server->port());
            connection.send(head + "\r\n");
            const std::string answer = connection.receiveUntil("\r\n\r\n");
            QVERIFY2(answer.rfind("HTTP/1.1 401", 0) == 0, answer.c_str());
        }
        RawConnection connection(m_server->port());
        connection.send(head + "Authorization: Bearer t\r\n\r\n");
        const std::string interim = connection.receiveUntil("\r\n\r\n");
        QVERIFY2(interim.rfind("HTTP/1.1 100 Continue", 0) == 0, interim.c_str());
        connection.send(body);
        const std::string answer = connection.receiveUntil("HTTP/1.1 200");
        QVERIFY2(answer.find("HTTP/1.1 200") != std::string::npos, answer.c_str());
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void concurrentExporters()
    {
        // 8 exporters each send the sample's trace as 8 requests of 4 spans (alternating encodings, every other one
        // gzipped), each in its own order: 64 requests, every span 8 times, one trace.
        constexpr int threads = 8;
        constexpr int parts = 8;
        std::vector<std::string> json;
        for (int part = 0; part < parts; ++part)
            json.push_back(samplePart(part, parts));
        std::atomic<int> ok { 0 };
        std::atomic<int> other { 0 };
        std::vector<std::thread> exporters;
        const int port = m_server->port();
        for (int t = 0; t < threads; ++t) {
            exporters.emplace_back([&, t] {
                httplib::Client c("127.0.0.1", port);
                c.set_compress(t % 2 == 1);
                for (int i = 0; i < parts; ++i) {
                    const int part = (i + t) % parts;
                    const bool protobuf = (part + t) % 2 == 0;
                    auto result = c.Post("/v1/traces", protobuf ? toProtobuf(json[part]) : json[part],
                        protobuf ? "application/x-protobuf" : "application/json");
                    (result && result->status == 200 ? ok : other)++;
                }
            });
        }
        for (auto& exporter : exporters)
            exporter.join();
        QCOMPARE(other.load(), 0);
        QCOMPARE(ok.load(), threads * parts);
        QCOMPARE(cachedSpans(), sampleSpans);
        QCOMPARE(cachedTraces(), sampleTraces);
        QCOMPARE(count("SELECT spans FROM traces"), sampleSpans);
    }

    void watchGrowingFiles()
    {
        const QString folder = m_dir->filePath(QStringLiteral("otel"));
        QVERIFY(QDir().mkpath(folder));
        CollectorWatcher watcher(*m_writer, folder.toStdString());
        std::vector<std::string> warnings;
        watcher.setWarningCallback([&](const std::string& warning) { warnings.push_back(warning); });
        QCOMPARE(watcher.scan(), 0);

        // Three requests of the sample's spans (index mod 3 = 0, 1, 2 → 11, 11 and 10 spans) as JSON Lines, the
        // third cut in the middle as a collector would leave it mid-write, and a bad line between.
        std::vector<std::string> lines;
        for (int part = 0; part < 3; ++part)
            lines.push_back(samplePart(part, 3));
        const QString path = folder + QStringLiteral("/traces.jsonl");
        const std::string third = lines[2];
        TestUtils::writeFile(path,
            QByteArray::fromStdString(
                lines[0] + "\n{not json\n" + lines[1] + "\n" + third.substr(0, third.size() / 2)));
        QCOMPARE(watcher.scan(), 22);
        QCOMPARE(cachedSpans(), 22);
        QCOMPARE(warnings.size(), std::size_t(1));
        QVERIFY2(warnings[0].find("traces.jsonl: line 2") != std::string::npos, warnings[0].c_str());
        // Nothing new: nothing read.
        QCOMPARE(watcher.scan(), 0);
        // The line is finished.
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::Append));
            file.write(QByteArray::fromStdString(third.substr(third.size() / 2) + "\n"));
        }
        QCOMPARE(watcher.scan(), 10);
        QCOMPARE(cachedSpans(), sampleSpans);

        // A rotated file in the length-prefixed protobuf form, holding the whole sample again: no duplicates.
        TestUtils::writeFile(folder + QStringLiteral("/traces-2026-11-22T10-00-00.pb"),
            QByteArray::fromStdString(
                ProtoConvert::lengthPrefixed({ toProtobuf(lines[0]), toProtobuf(readSample()) })));
        QCOMPARE(watcher.scan(), 11 + sampleSpans);
        QCOMPARE(cachedSpans(), sampleSpans);
        QCOMPARE(cachedTraces(), sampleTraces);
        QCOMPARE(warnings.size(), std::size_t(1));
    }

    void idleKeepAliveConnectionsDoNotWait()
    {
        // 1,000 exporters that each sent a request, got their 200 and keep the connection open (as the OTel SDKs do),
        // then a new exporter: answered at once. (On a server with a thread per connection it waited until an idle
        // connection timed out: 5 s and more.)
        constexpr int idle = 1000;
        std::vector<std::unique_ptr<RawConnection>> connections;
        for (int i = 0; i < idle; ++i) {
            connections.push_back(std::make_unique<RawConnection>(m_server->port()));
            connections.back()->send(postHead(2) + "{}");
        }
        for (auto& connection : connections) {
            const std::string answer = connection->receiveUntil("\r\n\r\n{}");
            QVERIFY2(answer.rfind("HTTP/1.1 200", 0) == 0, answer.c_str());
        }
        const auto started = std::chrono::steady_clock::now();
        auto result = client()->Post("/v1/traces", readSample(), "application/json");
        const auto waited = std::chrono::steady_clock::now() - started;
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        qInfo("a new exporter beside %d idle connections was answered in %.1f ms", idle,
            std::chrono::duration<double, std::milli>(waited).count());
        // Not a speed test (that is the collector benchmark): far below the idle timeout a queued request waits for.
        QVERIFY(waited < std::chrono::seconds(3));
        QCOMPARE(cachedSpans(), sampleSpans);
        // The idle connections still work.
        // (A second answer follows the first one's body, "{}", on the same connection.)
        connections.front()->send(postHead(2) + "{}");
        QVERIFY(connections.front()->receiveUntil("{}HTTP/1.1 200").find("{}HTTP/1.1 200") != std::string::npos);
    }

    void slowClientsDoNotBlockOthers()
    {
        CollectorServerOptions options;
        options.idleTimeoutSeconds = 1;
        startServer(options);
        // 200 clients send the headers and 10 bytes of a 1,000-byte body, then stall.
        std::vector<std::unique_ptr<RawConnection>> stalled;
        for (int i = 0; i < 200; ++i) {
            stalled.push_back(std::make_unique<RawConnection>(m_server->port()));
            stalled.back()->send(postHead(1000) + "{\"resource");
        }
        const auto started = std::chrono::steady_clock::now();
        auto result = client()->Post("/v1/traces", readSample(), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
        // A stalled client is disconnected once it has been silent for the idle timeout; none of it was stored.
        QVERIFY(stalled.front()->closedByServer());
        QVERIFY(stalled.back()->closedByServer());
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void manyConcurrentConnections()
    {
        // 200 exporters at once, each on its own connection, each sending an eighth of the sample.
        constexpr int exporters = 200;
        std::vector<std::string> parts;
        for (int part = 0; part < 8; ++part)
            parts.push_back(samplePart(part, 8));
        std::atomic<int> ok { 0 };
        std::vector<std::thread> threads;
        const int port = m_server->port();
        for (int i = 0; i < exporters; ++i) {
            threads.emplace_back([&, i] {
                httplib::Client c("127.0.0.1", port);
                c.set_read_timeout(30);
                c.set_compress(i % 3 == 0);
                auto result = c.Post("/v1/traces", parts[static_cast<std::size_t>(i % 8)], "application/json");
                if (result && result->status == 200)
                    ++ok;
            });
        }
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(ok.load(), exporters);
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void connectionsPerClientAreLimited()
    {
        CollectorServerOptions options;
        options.maxConnectionsPerClient = 4;
        startServer(options);
        std::vector<std::unique_ptr<RawConnection>> held;
        for (int i = 0; i < 4; ++i)
            held.push_back(std::make_unique<RawConnection>(m_server->port()));
        RawConnection fifth(m_server->port());
        fifth.send(postHead(2) + "{}");
        QVERIFY(fifth.closedByServer());
        // One of the four goes: there is room again.
        held.pop_back();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        RawConnection next(m_server->port());
        next.send(postHead(2) + "{}");
        QVERIFY(next.receiveUntil("\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0);
    }

    void overlongHeaders()
    {
        RawConnection connection(m_server->port());
        connection.send(postHead(2, "X-Padding: " + std::string(100 * 1024, 'a') + "\r\n") + "{}");
        const std::string answer = connection.receiveUntil("\r\n\r\n");
        QVERIFY2(answer.rfind("HTTP/1.1 431", 0) == 0 || answer.rfind("HTTP/1.1 413", 0) == 0, answer.c_str());
        QVERIFY(connection.closedByServer());
        auto result = client()->Post("/v1/traces", readSample(), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
    }

    void overloadedWriterAnswers503()
    {
        // A writer that takes 10 spans at most while another connection holds the cache's write lock: the first
        // request gets in (nothing else is pending) and waits; a second is refused at once with Retry-After.
        m_server.reset();
        m_writer = std::make_unique<CollectorWriter>(m_db, 10);
        startServer();
        sqlite3* other = nullptr;
        QCOMPARE(sqlite3_open(m_db.c_str(), &other), SQLITE_OK);
        QCOMPARE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        std::thread first([this] {
            auto result = client()->Post("/v1/traces", readSample(), "application/json");
            QVERIFY(result && result->status == 200);
        });
        for (int i = 0; i < 500 && m_writer->pendingSpans() == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        QCOMPARE(m_writer->pendingSpans(), sampleSpans);
        auto refused = client()->Post("/v1/traces", readSample(), "application/json");
        QVERIFY(refused);
        QCOMPARE(refused->status, 503);
        QCOMPARE(refused->get_header_value("Retry-After"), std::string("1"));
        QCOMPARE(nlohmann::json::parse(refused->body)["code"].get<int>(), 14); // UNAVAILABLE
        QCOMPARE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(other);
        first.join();
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void gzipMembers()
    {
        // Two gzip members one after the other are one body (RFC 1952): the sample split in two.
        const std::string body = readSample();
        const auto gzip = [](const std::string& text) {
            z_stream stream {};
            deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
            std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 64, '\0');
            stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
            stream.avail_in = static_cast<uInt>(text.size());
            stream.next_out = reinterpret_cast<Bytef*>(out.data());
            stream.avail_out = static_cast<uInt>(out.size());
            deflate(&stream, Z_FINISH);
            out.resize(stream.total_out);
            deflateEnd(&stream);
            return out;
        };
        const std::size_t half = body.size() / 2;
        httplib::Headers headers { { "Content-Encoding", "gzip" } };
        auto result = client()->Post(
            "/v1/traces", headers, gzip(body.substr(0, half)) + gzip(body.substr(half)), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QCOMPARE(cachedSpans(), sampleSpans);
    }

    void decompressionBomb()
    {
        CollectorServerOptions options;
        options.maxBodyBytes = 1 << 20;
        startServer(options);
        // 200 MB of zeros in about 200 KB of gzip: refused after the first megabyte is inflated, never held.
        const std::string bomb = gzipZeros(200u << 20);
        QVERIFY(bomb.size() < options.maxBodyBytes);
        httplib::Headers headers { { "Content-Encoding", "gzip" } };
        auto result = client()->Post("/v1/traces", headers, bomb, "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 413);
        QVERIFY(result->body.find("after decompression") != std::string::npos);
        // Data that is not gzip at all, and gzip cut short.
        result = client()->Post("/v1/traces", headers, std::string("not gzip at all"), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 400);
        const std::string sample = gzipZeros(1000);
        result = client()->Post("/v1/traces", headers, sample.substr(0, sample.size() / 2), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 400);
        QVERIFY(result->body.find("truncated gzip") != std::string::npos);
        result = client()->Post("/v1/traces", readSample(), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
    }

    void serveCommand()
    {
        m_server.reset();
        m_writer.reset();
        QProcess process;
        process.setProgram(QStringLiteral(TRACELIGHT_BINARY));
        process.setArguments({ QStringLiteral("serve"), QStringLiteral("--db"), QString::fromStdString(m_db),
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") });
        process.start();
        QVERIFY(process.waitForStarted());
        QString log;
        int port = 0;
        const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)/v1/traces"));
        for (int i = 0; i < 100 && port == 0; ++i) {
            process.waitForReadyRead(100);
            log += QString::fromUtf8(process.readAllStandardOutput());
            if (const auto match = listening.match(log); match.hasMatch())
                port = match.captured(1).toInt();
        }
        QVERIFY2(port > 0, qPrintable(log + QString::fromUtf8(process.readAllStandardError())));
        httplib::Client c("127.0.0.1", port);
        auto result = c.Post("/v1/traces", toProtobuf(readSample()), "application/x-protobuf");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        // A few seconds later the run's findings are computed (the sample refunds the wrong customer).
        for (int i = 0; i < 150 && !log.contains(QStringLiteral("findings: 1 runs")); ++i) {
            process.waitForReadyRead(100);
            log += QString::fromUtf8(process.readAllStandardOutput());
        }
        QVERIFY2(log.contains(QStringLiteral("findings: 1 runs")), qPrintable(log));
        {
            TraceStore store(m_db, TraceStore::Mode::ReadOnly);
            const auto summary = store.trace("62ea7a6dc2b69860d0195151f6e51f43");
            QVERIFY(summary);
            QCOMPARE(summary->findingKinds, std::string("ungrounded_argument"));
        }
        process.terminate(); // SIGTERM
        QVERIFY(process.waitForFinished(10000));
        log += QString::fromUtf8(process.readAllStandardOutput());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        // One line for the batch (client, spans, traces, time), and the clean stop.
        QVERIFY2(log.contains(QRegularExpression(QStringLiteral("127\\.0\\.0\\.1:\\d+ spans=32 new=32 traces=1 "
                                                                "requests=1 [\\d.]+ ms"))),
            qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("stopped: 32 spans committed")), qPrintable(log));
        QCOMPARE(cachedSpans(), sampleSpans);
    }
};

QTEST_GUILESS_MAIN(TestCollector)
#include "tst_collector.moc"
