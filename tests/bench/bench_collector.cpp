// The collector benchmark (issue 18): sustained spans/s from 64 concurrent exporters over OTLP/gRPC and over
// OTLP/HTTP protobuf against `tracelight serve`, with p50/p99 response latency and a count of what reached the cache;
// then the window with its Live Collector on, taking the same load, with the GUI thread's longest stall.
//
//   ctest --test-dir build/dev -R bench_collector -V
//   bench_collector TRACELIGHT_BINARY WORK_DIR [--seconds N] [--exporters N] [--spans N]
//
// Each exporter sends, one request after the other over its own connection, requests of N spans (default 100, one
// trace each, an agent and its LLM and tool steps with 300-character prompts), as an SDK's batch processor would.

#include <livecollector.h>
#include <mainwindow.h>
#include <sqlite.h>
#include <tracelistmodel.h>
#include <tracestore.h>

#include <opentelemetry/proto/collector/trace/v1/trace_service.pb.h>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

using namespace Tracelight;
using Request = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

namespace {

struct Options
{
    QString binary;
    QString work;
    int seconds = 10;
    int exporters = 64;
    int spans = 100;
};

void addString(opentelemetry::proto::trace::v1::Span* span, const char* key, const std::string& value)
{
    auto* attribute = span->add_attributes();
    attribute->set_key(key);
    attribute->mutable_value()->set_string_value(value);
}

void addInt(opentelemetry::proto::trace::v1::Span* span, const char* key, std::int64_t value)
{
    auto* attribute = span->add_attributes();
    attribute->set_key(key);
    attribute->mutable_value()->set_int_value(value);
}

// Request n: one trace of `spans` spans, trace `trace` (n itself, or a trace that many requests grow). Span ids are
// unique to the request but the root's, which every request of a trace shares.
std::string makeRequest(std::uint64_t n, int spans, std::uint64_t trace)
{
    Request request;
    auto* resource = request.add_resource_spans();
    auto* service = resource->mutable_resource()->add_attributes();
    service->set_key("service.name");
    service->mutable_value()->set_string_value("bench-agent");
    auto* scope = resource->add_scope_spans();
    std::string traceId(16, '\0');
    for (int i = 0; i < 8; ++i)
        traceId[static_cast<std::size_t>(15 - i)] = static_cast<char>((trace >> (8 * i)) & 0xff);
    traceId[0] = '\x42';
    const std::uint64_t start = 1'765'000'000'000'000'000ull + n * 1'000'000'000ull;
    const std::string prompt(300, 'p');
    for (int i = 0; i < spans; ++i) {
        auto* span = scope->add_spans();
        span->set_trace_id(traceId);
        std::string spanId(8, '\x11');
        if (i > 0) {
            for (int b = 0; b < 4; ++b)
                spanId[static_cast<std::size_t>(1 + b)] = static_cast<char>((n >> (8 * b)) & 0xff);
            spanId[6] = static_cast<char>((i >> 8) & 0xff);
            spanId[7] = static_cast<char>(i & 0xff);
        }
        span->set_span_id(spanId);
        span->set_start_time_unix_nano(start + static_cast<std::uint64_t>(i) * 1'000'000);
        span->set_end_time_unix_nano(start + static_cast<std::uint64_t>(i) * 1'000'000 + 800'000);
        if (i == 0) {
            span->set_name("invoke_agent bench");
            addString(span, "gen_ai.operation.name", "invoke_agent");
            addString(span, "gen_ai.agent.name", "bench");
            continue;
        }
        span->set_parent_span_id(std::string(8, '\x11'));
        if (i % 2 == 1) {
            span->set_name("chat gpt-4o-mini");
            addString(span, "gen_ai.operation.name", "chat");
            addString(span, "gen_ai.request.model", "gpt-4o-mini");
            addInt(span, "gen_ai.usage.input_tokens", 120 + i);
            addInt(span, "gen_ai.usage.output_tokens", 30);
            addString(span, "gen_ai.input.messages",
                R"([{"role":"user","parts":[{"type":"text","content":")" + prompt + std::to_string(i) + R"("}]}])");
        } else {
            span->set_name("execute_tool lookup");
            addString(span, "gen_ai.operation.name", "execute_tool");
            addString(span, "gen_ai.tool.name", "lookup");
            addString(span, "gen_ai.tool.call.arguments", R"({"id":")" + std::to_string(i) + R"("})");
        }
    }
    return request.SerializeAsString();
}

struct Result
{
    std::int64_t acknowledgedSpans = 0;
    std::int64_t refused = 0; // requests answered with an error (503/UNAVAILABLE…): an SDK would retry them
    std::int64_t growingRequests = 0; // acknowledged requests to the growing trace (they share its root span)
    std::vector<double> latenciesMs;
    double seconds = 0;
};

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(p * double(values.size())))];
}

// 64 exporters for `seconds` against the gRPC port (grpc = true) or the HTTP one. With growing, every tenth request
// adds its spans to trace 1 (a long run that keeps growing while it is open).
Result load(const Options& options, int port, bool grpc, std::atomic<std::uint64_t>& counter, bool growing = false)
{
    std::mutex mutex;
    Result total;
    std::atomic<bool> stop { false };
    std::vector<std::thread> threads;
    const auto started = std::chrono::steady_clock::now();
    for (int e = 0; e < options.exporters; ++e) {
        threads.emplace_back([&] {
            Result mine;
            grpc::ChannelArguments arguments;
            arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
            const auto channel = grpc::CreateCustomChannel(
                "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials(), arguments);
            grpc::GenericStub stub(channel);
            httplib::Client http("127.0.0.1", port);
            http.set_read_timeout(30);
            while (!stop) {
                const std::uint64_t n = counter++;
                const bool toGrowing = growing && n % 10 == 0;
                const std::string body = makeRequest(n, options.spans, toGrowing ? 1 : n);
                const auto sent = std::chrono::steady_clock::now();
                bool ok = false;
                if (grpc) {
                    grpc::ClientContext context;
                    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
                    grpc::Slice slice(body);
                    const grpc::ByteBuffer request(&slice, 1);
                    grpc::ByteBuffer response;
                    std::promise<grpc::Status> done;
                    stub.UnaryCall(&context, "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
                        grpc::StubOptions(), &request, &response,
                        [&done](grpc::Status status) { done.set_value(std::move(status)); });
                    ok = done.get_future().get().ok();
                } else {
                    auto result = http.Post("/v1/traces", body, "application/x-protobuf");
                    ok = result && result->status == 200;
                }
                mine.latenciesMs.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent).count());
                if (ok) {
                    mine.acknowledgedSpans += options.spans;
                    mine.growingRequests += toGrowing ? 1 : 0;
                } else
                    ++mine.refused;
            }
            const std::lock_guard lock(mutex);
            total.acknowledgedSpans += mine.acknowledgedSpans;
            total.refused += mine.refused;
            total.growingRequests += mine.growingRequests;
            total.latenciesMs.insert(total.latenciesMs.end(), mine.latenciesMs.begin(), mine.latenciesMs.end());
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(options.seconds));
    stop = true;
    for (auto& thread : threads)
        thread.join();
    total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return total;
}

std::int64_t cachedSpans(const QString& db)
{
    TraceStore store(db.toStdString(), TraceStore::Mode::ReadOnly);
    auto query = store.database().prepare("SELECT count(*) FROM steps");
    query.step();
    return query.int64(0);
}

void print(const char* what, const Result& result, std::int64_t cached)
{
    // Distinct spans acknowledged: the requests to the growing trace repeat its root.
    const std::int64_t expected = result.acknowledgedSpans - std::max<std::int64_t>(0, result.growingRequests - 1);
    std::printf("%-28s %10.0f spans/s  p50 %7.1f ms  p99 %7.1f ms  requests %7zu  refused %5lld  acknowledged %9lld  "
                "in cache %9lld  lost %lld\n",
        what, double(result.acknowledgedSpans) / result.seconds, percentile(result.latenciesMs, 0.5),
        percentile(result.latenciesMs, 0.99), result.latenciesMs.size(), static_cast<long long>(result.refused),
        static_cast<long long>(expected), static_cast<long long>(cached),
        static_cast<long long>(std::max<std::int64_t>(0, expected - cached)));
    std::fflush(stdout);
}

// `tracelight serve` on free ports into a fresh cache; one protocol's load; SIGTERM; the cache counted.
bool benchServe(const Options& options, bool grpc)
{
    const QString db
        = options.work + (grpc ? QStringLiteral("/serve-grpc.sqlite") : QStringLiteral("/serve-http.sqlite"));
    for (const QString& suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") })
        QFile::remove(db + suffix);
    // Its log goes to a file: a pipe nobody reads while the load runs would fill and stop the writer's log line.
    const QString logPath = db + QStringLiteral(".log");
    QFile::remove(logPath);
    QProcess serve;
    serve.setProgram(options.binary);
    serve.setArguments({ QStringLiteral("serve"), QStringLiteral("--db"), db, QStringLiteral("--listen"),
        QStringLiteral("127.0.0.1:0"), QStringLiteral("--grpc-listen"), QStringLiteral("127.0.0.1:0") });
    serve.setProcessChannelMode(QProcess::MergedChannels);
    serve.setStandardOutputFile(logPath);
    serve.start();
    if (!serve.waitForStarted())
        return false;
    const auto readLog = [&logPath] {
        QFile file(logPath);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    };
    QString log;
    const QRegularExpression line(grpc ? QStringLiteral("listening for OTLP/gRPC on 127\\.0\\.0\\.1:(\\d+)")
                                       : QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)/"));
    int port = 0;
    for (int i = 0; i < 100 && port == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        log = readLog();
        if (const auto match = line.match(log); match.hasMatch())
            port = match.captured(1).toInt();
    }
    if (port == 0) {
        std::fprintf(stderr, "serve did not start:\n%s\n", qPrintable(log));
        return false;
    }
    std::atomic<std::uint64_t> counter { 1 };
    const Result result = load(options, port, grpc, counter);
    serve.terminate();
    serve.waitForFinished(60000);
    log = readLog();
    print(grpc ? "serve, OTLP/gRPC" : "serve, OTLP/HTTP protobuf", result, cachedSpans(db));
    // The writer's side, from serve's log: transactions, and how long the longest took.
    const QRegularExpression batch(QStringLiteral("spans=(\\d+) new=\\d+ traces=\\d+ requests=(\\d+) ([\\d.]+) ms"));
    int batches = 0;
    double longest = 0;
    double total = 0;
    for (auto it = batch.globalMatch(log); it.hasNext();) {
        const auto match = it.next();
        ++batches;
        const double ms = match.captured(3).toDouble();
        longest = std::max(longest, ms);
        total += ms;
    }
    std::printf("%-28s %d transactions, %.1f ms on average, longest %.0f ms\n", "  its writer", batches,
        batches ? total / batches : 0.0, longest);
    if (qEnvironmentVariableIsSet("BENCH_SERVE_LOG"))
        std::printf("%s\n", qPrintable(log));
    return true;
}

// The window with Live on and the growing run open, under the gRPC load: the GUI thread's longest stall, measured
// by a 5 ms timer (a stall is how late it fires).
bool benchWindow(const Options& options)
{
    const QString db = options.work + QStringLiteral("/window.sqlite");
    for (const QString& suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") })
        QFile::remove(db + suffix);
    QSettings().setValue(QStringLiteral("live/listen"), QStringLiteral("127.0.0.1:0"));
    QSettings().setValue(QStringLiteral("live/grpcListen"), QStringLiteral("127.0.0.1:0"));
    MainWindow window(db);
    window.resize(1280, 800);
    window.show();
    window.setLive(true);
    LiveCollector* live = window.liveCollector();
    if (!live || live->grpcAddress().isEmpty())
        return false;
    const int port = live->grpcAddress().section(QLatin1Char(':'), -1).toInt();
    // Keep the first run open so that it is read again as it grows (every request adds to trace 1 too).
    double worstMs = 0;
    std::vector<double> gaps;
    QElapsedTimer clock;
    clock.start();
    QTimer tick;
    tick.setInterval(5);
    qint64 last = clock.elapsed();
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        const double late = double(now - last - 5);
        gaps.push_back(std::max(0.0, late));
        worstMs = std::max(worstMs, late);
        last = now;
    });
    tick.start();
    std::atomic<std::uint64_t> counter { 1 };
    counter = 2; // trace 1 is the growing one
    auto running = std::async(std::launch::async, [&] { return load(options, port, true, counter, true); });
    bool selected = false;
    while (running.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!selected && window.traceListModel()->rowCount() > 0) {
            window.selectTrace(QStringLiteral("42000000000000000000000000000001"));
            selected = true;
        }
    }
    const Result result = running.get();
    tick.stop();
    window.setLive(false);
    QElapsedTimer drain;
    drain.start();
    while (drain.elapsed() < 3000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    print("window Live, OTLP/gRPC", result, cachedSpans(db));
    std::printf("%-28s longest GUI stall %.0f ms, p99 of 5 ms ticks late by %.1f ms (%zu ticks)\n", "window Live",
        worstMs, percentile(gaps, 0.99), gaps.size());
    QSettings().remove(QStringLiteral("live/listen"));
    QSettings().remove(QStringLiteral("live/grpcListen"));
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("TracelightBench"));
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() < 3) {
        std::fprintf(stderr,
            "usage: bench_collector TRACELIGHT_BINARY WORK_DIR [--seconds N] [--exporters N] "
            "[--spans N]\n");
        return 2;
    }
    Options options;
    options.binary = arguments[1];
    options.work = arguments[2];
    for (int i = 3; i + 1 < arguments.size(); i += 2) {
        const int value = arguments[i + 1].toInt();
        if (arguments[i] == QLatin1String("--seconds"))
            options.seconds = value;
        else if (arguments[i] == QLatin1String("--exporters"))
            options.exporters = value;
        else if (arguments[i] == QLatin1String("--spans"))
            options.spans = value;
    }
    QDir().mkpath(options.work);
    std::printf("%d exporters, requests of %d spans, %d s each, %u cores\n", options.exporters, options.spans,
        options.seconds, std::thread::hardware_concurrency());
    if (!benchServe(options, true) || !benchServe(options, false) || !benchWindow(options))
        return 1;
    return 0;
}
