#pragma once

#include <importissue.h>
#include <importsession.h>
#include <jobtracker.h>

#include <QObject>
#include <QStringList>

namespace Tracelight {

// Runs imports through the window's one job helper (JobTracker; ImportSession on the worker, its own cache
// connection, one transaction per file) and reports progress and outcomes on the GUI thread. Files asked for while
// an import runs are queued behind it.
class ImportController final : public QObject
{
    Q_OBJECT
public:
    explicit ImportController(QString databasePath, QObject* parent = nullptr);
    ~ImportController() override;

    void importFiles(const QStringList& files);
    // Builds the part of the search index that is missing (a cache just upgraded, an import cancelled while it
    // indexed), then the findings that are (new settings, a cache from before findings). Does nothing while an import
    // runs: an import completes the index itself. An import asked for meanwhile stops it and starts at once.
    void catchUpSearchIndex();
    // Stops the import: the file being read rolls back and is reported as cancelled, the queue is dropped. Stops a
    // catch-up of the index too (what it indexed stays).
    void cancel();
    bool isRunning() const { return m_job.isRunning(); }

signals:
    void importStarted(int fileCount);
    // A human message ("Importing run-42.json — 37 %, 12,400 spans") and progress over all files in ‰.
    void progressChanged(const QString& message, int permille);
    void fileFinished(const Tracelight::ImportOutcome& outcome);
    void importFinished(int succeeded, int failed, bool cancelled);
    void indexingStarted();
    void indexingFinished();
    // The findings of some runs were computed (after an import, or a catch-up): the list can show them.
    void findingsUpdated();

private:
    void startNext();
    // Progress of the search index and the findings catching up, posted to the GUI thread.
    void addCatchUpCallbacks(ImportSession::Callbacks& callbacks, const JobContext& job);
    void onFileFinished(const ImportOutcome& outcome);
    void onBatchFinished();
    void onIndexingFinished();

    JobTracker m_job;
    QStringList m_queue;
    int m_succeeded = 0;
    int m_failed = 0;
    bool m_cancelled = false;
    bool m_indexing = false;
    bool m_indexingShown = false;
};

} // namespace Tracelight

Q_DECLARE_METATYPE(Tracelight::ImportOutcome)
