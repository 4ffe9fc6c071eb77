#pragma once

#include <jobtracker.h>

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace Tracelight {

class CollectorGrpcServer;
class CollectorServer;
class CollectorWriter;

// The window's in-process OTLP collector: OTLP/HTTP and OTLP/gRPC (the same CollectorServer, CollectorGrpcServer and
// CollectorWriter as `tracelight serve`).
// The writer and HTTP threads never touch the GUI: a timer on the GUI thread polls the committed span count every
// 500 ms and reports a change with the traces it touched, so the list refreshes those traces at most twice a second
// however fast spans arrive. Stopping commits what is queued on a worker, never on the GUI thread.
class LiveCollector final : public QObject
{
    Q_OBJECT
public:
    explicit LiveCollector(QString databasePath, QObject* parent = nullptr);
    ~LiveCollector() override;

    // listen and grpcListen are "HOST:PORT"; grpcListen empty serves HTTP only. Returns an error message, empty on
    // success. gRPC that cannot listen does not stop HTTP: grpcError() says why.
    QString start(const QString& listen, const QString& grpcListen = {});
    // Stops listening at once; in-flight requests are answered and the queue committed on a worker, then stopped().
    void stop();
    bool isRunning() const { return m_server != nullptr; }
    QString address() const { return m_address; }
    // The gRPC receiver's address, empty when it does not run.
    QString grpcAddress() const { return m_grpcAddress; }
    QString grpcError() const { return m_grpcError; }
    qint64 spans() const;

signals:
    // Spans were committed since the last report; perSecond over the last interval.
    void spansCommitted(qint64 total, double perSecond);
    // The traces that spans were committed to since the last report.
    void tracesChanged(const QStringList& traceIds);
    void runningChanged(bool running);
    // Everything the stopped collector had accepted is committed.
    void stopped();

private:
    void poll();

    QString m_databasePath;
    QString m_address;
    QString m_grpcAddress;
    QString m_grpcError;
    std::unique_ptr<CollectorWriter> m_writer;
    std::unique_ptr<CollectorServer> m_server;
    std::unique_ptr<CollectorGrpcServer> m_grpcServer;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastSpans = 0;
    double m_lastRate = 0;
    JobTracker m_stopJob { this }; // the last stop's flush, waited for before a restart and at exit
};

} // namespace Tracelight
