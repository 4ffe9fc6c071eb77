#include "livecollector.h"

#include "uilogging.h"

#include <collectorgrpcserver.h>
#include <collectorserver.h>
#include <collectorwriter.h>

#include <algorithm>

namespace Tracelight {

LiveCollector::LiveCollector(QString databasePath, QObject* parent)
    : QObject(parent)
    , m_databasePath(std::move(databasePath))
{
    m_timer.setInterval(500);
    connect(&m_timer, &QTimer::timeout, this, &LiveCollector::poll);
}

LiveCollector::~LiveCollector()
{
    stop();
    // Every span that got a 200 is committed before the process goes.
    m_stopJob.waitForFinished();
}

QString LiveCollector::start(const QString& listen, const QString& grpcListen)
{
    if (isRunning())
        return {};
    m_stopJob.waitForFinished(); // the previous writer still flushing holds the cache and the port
    CollectorServerOptions options;
    if (!parseListenAddress(listen.toStdString(), options.host, options.port))
        return tr("“%1” is not an address (HOST:PORT)").arg(listen);
    CollectorServerOptions grpcOptions = options;
    if (!grpcListen.isEmpty() && !parseListenAddress(grpcListen.toStdString(), grpcOptions.host, grpcOptions.port))
        return tr("“%1” is not an address (HOST:PORT)").arg(grpcListen);
    try {
        m_writer = std::make_unique<CollectorWriter>(m_databasePath.toStdString());
        m_writer->trackChangedTraces();
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
    auto server = std::make_unique<CollectorServer>(*m_writer, options);
    if (const std::string error = server->start(); !error.empty()) {
        m_writer.reset();
        return QString::fromStdString(error);
    }
    m_server = std::move(server);
    m_address = QString::fromStdString(m_server->address());
    m_grpcAddress.clear();
    m_grpcError.clear();
    if (!grpcListen.isEmpty()) {
        auto grpc = std::make_unique<CollectorGrpcServer>(*m_writer, grpcOptions);
        if (const std::string error = grpc->start(); error.empty()) {
            m_grpcServer = std::move(grpc);
            m_grpcAddress = QString::fromStdString(m_grpcServer->address());
        } else {
            m_grpcError = QString::fromStdString(error);
        }
    }
    m_lastSpans = 0;
    m_lastRate = 0;
    m_clock.start();
    m_timer.start();
    emit runningChanged(true);
    return {};
}

void LiveCollector::stop()
{
    if (!isRunning())
        return;
    m_timer.stop();
    // The server before the writer it feeds. Both may wait (in-flight requests, a queue of up to 500,000 spans).
    std::shared_ptr<CollectorServer> server = std::move(m_server);
    std::shared_ptr<CollectorGrpcServer> grpcServer = std::move(m_grpcServer);
    std::shared_ptr<CollectorWriter> writer = std::move(m_writer);
    m_grpcAddress.clear();
    m_stopJob.run(
        [server, grpcServer, writer](const JobContext&) mutable {
            server.reset();
            grpcServer.reset();
            writer.reset();
        },
        [this] { emit stopped(); },
        [this](const QString& error) {
            qCWarning(lcUi, "stopping the live collector: %s", qPrintable(error));
            emit stopped();
        });
    emit runningChanged(false);
}

qint64 LiveCollector::spans() const
{
    return m_writer ? m_writer->committedSpans() : 0;
}

void LiveCollector::poll()
{
    const qint64 total = spans();
    const double seconds = std::max<qint64>(1, m_clock.restart()) / 1000.0;
    const double perSecond = static_cast<double>(total - m_lastSpans) / seconds;
    // Report a change, and once more when spans stop coming so the rate shown drops to zero.
    if (total == m_lastSpans && m_lastRate == 0)
        return;
    m_lastSpans = total;
    m_lastRate = perSecond;
    emit spansCommitted(total, perSecond);
    QStringList changed;
    for (const std::string& id : m_writer->takeChangedTraces())
        changed << QString::fromStdString(id);
    if (!changed.isEmpty())
        emit tracesChanged(changed);
}

} // namespace Tracelight
