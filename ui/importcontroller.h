#pragma once

#include <importissue.h>

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

namespace Tracelight {

// Runs imports on a worker thread (its own cache connection, one transaction per file) and reports progress
// and outcomes on the GUI thread. Files asked for while an import runs are queued behind it.
class ImportController final : public QObject
{
    Q_OBJECT
public:
    explicit ImportController(QString databasePath, QObject* parent = nullptr);
    ~ImportController() override;

    void importFiles(const QStringList& files);
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }

signals:
    void importStarted(int fileCount);
    // A human message ("Importing run-42.json — 37 %, 12,400 spans") and progress over all files in ‰.
    void progressChanged(const QString& message, int permille);
    void fileFinished(const Tracelight::ImportOutcome& outcome);
    void importFinished(int succeeded, int failed, bool cancelled);

private:
    void startNext();

    QString m_databasePath;
    QFutureWatcher<ImportOutcome> m_watcher;
    QStringList m_queue;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    int m_succeeded = 0;
    int m_failed = 0;
    bool m_cancelled = false;
};

} // namespace Tracelight

Q_DECLARE_METATYPE(Tracelight::ImportOutcome)
