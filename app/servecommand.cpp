#include "servecommand.h"

#include <collectorgrpcserver.h>
#include <collectorserver.h>
#include <collectorwatcher.h>
#include <collectorwriter.h>
#include <importsession.h>
#include <tracestore.h>

#include <QCommandLineParser>
#include <QDateTime>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <pthread.h>

namespace Tracelight::Cli {

namespace {

void logLine(const std::string& text)
{
    const std::string time
        = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")).toStdString();
    std::fprintf(stdout, "%s %s\n", time.c_str(), text.c_str());
    std::fflush(stdout);
}

} // namespace

int serveCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Receive OTLP/HTTP traces (POST /v1/traces, protobuf or JSON, gzip) and OTLP/gRPC traces "
        "(TraceService/Export,\n"
        "gzip) into the cache until Ctrl+C or SIGTERM. A span is acknowledged (200, OK) only once committed.\n"
        "One log line per committed batch."));
    parser.addHelpOption();
    const QCommandLineOption dbOption(QStringList { QStringLiteral("db") },
        QStringLiteral("The cache file (default: $TRACELIGHT_DB, else the user's data folder)."), QStringLiteral("DB"));
    const QCommandLineOption listenOption(QStringList { QStringLiteral("listen") },
        QStringLiteral("Address to listen on (default 127.0.0.1:4318; port 0 picks a free one)."),
        QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:4318"));
    const QCommandLineOption grpcListenOption(QStringList { QStringLiteral("grpc-listen") },
        QStringLiteral("Address of the OTLP/gRPC receiver (default 127.0.0.1:4317, skipped with a warning when that "
                       "port is taken; port 0 picks a free one; \"off\" serves HTTP only)."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption tokenOption(QStringList { QStringLiteral("token") },
        QStringLiteral("Require \"Authorization: Bearer TOKEN\" (HTTP header or gRPC metadata; else 401 or "
                       "UNAUTHENTICATED)."),
        QStringLiteral("TOKEN"));
    const QCommandLineOption watchOption(QStringList { QStringLiteral("watch") },
        QStringLiteral("Also follow an OpenTelemetry Collector file exporter output folder."), QStringLiteral("DIR"));
    const QCommandLineOption maxBodyOption(QStringList { QStringLiteral("max-body-mib") },
        QStringLiteral("Body size limit in MiB, also after decompression (default 64)."), QStringLiteral("MIB"),
        QStringLiteral("64"));
    for (const auto& option : { dbOption, listenOption, grpcListenOption, tokenOption, watchOption, maxBodyOption })
        parser.addOption(option);
    QStringList commandArguments = arguments;
    commandArguments.removeAt(1);
    if (!parser.parse(commandArguments)) {
        std::cerr << "tracelight serve: " << parser.errorText().toStdString() << '\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::cout << parser.helpText().toStdString();
        return 0;
    }
    CollectorServerOptions options;
    if (!parseListenAddress(parser.value(listenOption).toStdString(), options.host, options.port)) {
        std::cerr << "tracelight serve: --listen wants HOST:PORT, got \"" << parser.value(listenOption).toStdString()
                  << "\"\n";
        return 2;
    }
    options.token = parser.value(tokenOption).toStdString();
    bool ok = false;
    const int mib = parser.value(maxBodyOption).toInt(&ok);
    if (!ok || mib <= 0) {
        std::cerr << "tracelight serve: --max-body-mib wants a positive number\n";
        return 2;
    }
    options.maxBodyBytes = static_cast<std::size_t>(mib) << 20;
    // gRPC on 4317 unless told otherwise; only an address the user gave is an error when it cannot be taken.
    const bool grpcAsked = parser.isSet(grpcListenOption);
    const std::string grpcListen = grpcAsked ? parser.value(grpcListenOption).toStdString() : "127.0.0.1:4317";
    CollectorServerOptions grpcOptions = options;
    const bool grpcOn = grpcListen != "off";
    if (grpcOn && !parseListenAddress(grpcListen, grpcOptions.host, grpcOptions.port)) {
        std::cerr << "tracelight serve: --grpc-listen wants HOST:PORT or off, got \"" << grpcListen << "\"\n";
        return 2;
    }

    // SIGINT and SIGTERM are taken by sigwait() below: block them before any thread starts so none gets them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    const std::string database
        = parser.isSet(dbOption) ? parser.value(dbOption).toStdString() : TraceStore::defaultPath();
    CollectorWriter writer(database);
    writer.setBatchCallback([](const CollectorBatch& batch) {
        char text[160];
        std::snprintf(text, sizeof text, "spans=%lld new=%lld traces=%lld requests=%lld %.1f ms",
            static_cast<long long>(batch.spans), static_cast<long long>(batch.newSpans),
            static_cast<long long>(batch.traces), static_cast<long long>(batch.requests), batch.milliseconds);
        logLine(batch.clients + " " + text);
    });
    CollectorServer server(writer, options);
    if (const std::string error = server.start(); !error.empty()) {
        std::cerr << "tracelight serve: " << error << '\n';
        return 1;
    }
    std::unique_ptr<CollectorGrpcServer> grpcServer;
    std::string grpcWarning;
    if (grpcOn) {
        grpcServer = std::make_unique<CollectorGrpcServer>(writer, grpcOptions);
        if (const std::string error = grpcServer->start(); !error.empty()) {
            if (grpcAsked) {
                std::cerr << "tracelight serve: " << error << '\n';
                return 1;
            }
            grpcWarning = "warning: " + error + "; OTLP/HTTP only";
            grpcServer.reset();
        }
    }
    std::unique_ptr<CollectorWatcher> watcher;
    if (parser.isSet(watchOption)) {
        watcher = std::make_unique<CollectorWatcher>(writer, parser.value(watchOption).toStdString());
        watcher->setWarningCallback([](const std::string& message) { logLine("warning: " + message); });
        watcher->start();
    }
    logLine("listening on http://" + server.address() + "/v1/traces, cache " + database
        + (watcher ? ", watching " + parser.value(watchOption).toStdString() : std::string()));
    if (grpcServer)
        logLine("listening for OTLP/gRPC on " + grpcServer->address());
    else if (!grpcWarning.empty())
        logLine(grpcWarning);

    // Until a signal: every few seconds after batches were committed, the findings of the runs that grew (and the
    // search index, should a batch have left it behind) catch up, so that `check` and the window see them.
    int received = 0;
    std::int64_t caughtUpTo = 0;
    for (;;) {
        const timespec wait { 5, 0 };
        received = sigtimedwait(&stopSignals, nullptr, &wait);
        if (received == SIGINT || received == SIGTERM)
            break;
        const std::int64_t committed = writer.committedBatches();
        if (committed == caughtUpTo)
            continue;
        caughtUpTo = committed;
        ImportSession session(database);
        ImportSession::Callbacks callbacks;
        std::int64_t pending = -1;
        callbacks.findings = [&pending](const FindingsState& state) {
            if (pending < 0)
                pending = state.total - state.current;
            if (state.complete() && pending > 0)
                logLine("findings: " + std::to_string(pending) + " runs");
        };
        callbacks.findingsFailed = [](const std::string& error) { logLine("warning: findings: " + error); };
        callbacks.indexingFailed = [](const std::string& error) { logLine("warning: search index: " + error); };
        session.catchUp(callbacks);
    }
    logLine(std::string("stopping (") + (received == SIGINT ? "SIGINT" : "SIGTERM") + ")");
    // Stop taking requests (in-flight ones finish and are answered), then commit what is queued.
    server.stop();
    if (grpcServer)
        grpcServer->stop();
    if (watcher)
        watcher->stop();
    writer.stop();
    logLine("stopped: " + std::to_string(writer.committedSpans()) + " spans committed in "
        + std::to_string(writer.committedBatches()) + " batches");
    return 0;
}

} // namespace Tracelight::Cli
