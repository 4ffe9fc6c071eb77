#include "importcontroller.h"

#include "uilogging.h"

#include <format.h>
#include <importsession.h>

#include <QFileInfo>
#include <QPromise>
#include <QtConcurrent>

namespace Tracelight {

ImportController::ImportController(QString databasePath, QObject* parent)
    : QObject(parent)
    , m_databasePath(std::move(databasePath))
{
    qRegisterMetaType<ImportOutcome>();
    connect(&m_watcher, &QFutureWatcher<ImportOutcome>::progressValueChanged, this,
        [this](int value) { emit progressChanged(m_watcher.progressText(), value); });
    connect(&m_watcher, &QFutureWatcher<ImportOutcome>::resultReadyAt, this, [this](int index) {
        const ImportOutcome outcome = m_watcher.resultAt(index);
        if (outcome.status == ImportOutcome::Status::Ok)
            ++m_succeeded;
        else if (outcome.status == ImportOutcome::Status::Failed)
            ++m_failed;
        else
            m_cancelled = true;
        emit fileFinished(outcome);
    });
    connect(&m_watcher, &QFutureWatcher<ImportOutcome>::finished, this, [this] {
        if (m_cancelled)
            m_queue.clear();
        if (!m_queue.isEmpty()) {
            startNext();
            return;
        }
        emit importFinished(m_succeeded, m_failed, m_cancelled);
    });
}

ImportController::~ImportController()
{
    cancel();
    m_watcher.waitForFinished();
}

void ImportController::importFiles(const QStringList& files)
{
    m_queue << files;
    if (!isRunning()) {
        m_succeeded = 0;
        m_failed = 0;
        m_cancelled = false;
        startNext();
    }
}

void ImportController::cancel()
{
    m_queue.clear();
    if (m_cancel)
        m_cancel->store(true);
}

void ImportController::startNext()
{
    const QStringList files = std::exchange(m_queue, {});
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    emit importStarted(static_cast<int>(files.size()));
    const std::string database = m_databasePath.toStdString();
    auto cancelFlag = m_cancel;
    m_watcher.setFuture(QtConcurrent::run([database, paths = files, cancelFlag](QPromise<ImportOutcome>& promise) {
        promise.setProgressRange(0, 1000);
        ImportSession session(database);
        session.setCancelFlag(cancelFlag.get());
        ImportSession::Callbacks callbacks;
        callbacks.planned = [](const ImportIssue& note) { qCInfo(lcUi, "%s", note.toString().c_str()); };
        callbacks.progress
            = [&promise](const std::string& file, int index, int count, double fraction, std::int64_t spans) {
                  const double overall = (double(index) + fraction) / double(count);
                  promise.setProgressValueAndText(int(overall * 1000),
                      QStringLiteral("Importing %1 — %2 %, %3 spans")
                          .arg(QFileInfo(QString::fromStdString(file)).fileName())
                          .arg(int(fraction * 100))
                          .arg(Format::tokens(spans)));
              };
        callbacks.fileFinished = [&promise](const ImportOutcome& outcome) { promise.addResult(outcome); };
        std::vector<std::string> requested;
        for (const QString& path : paths)
            requested.push_back(path.toStdString());
        // Folders become the files in them that Tracelight reads (sub-agent logs go with their session).
        const std::vector<std::string> planned = session.plan(requested, callbacks);
        try {
            session.importFiles(planned, callbacks);
        } catch (const std::exception& error) {
            // The cache itself could not be opened: every file fails with the reason.
            for (const std::string& file : planned) {
                ImportOutcome outcome;
                outcome.status = ImportOutcome::Status::Failed;
                outcome.file = file;
                outcome.error = { ImportIssue::Severity::Error, outcome.file, {}, error.what() };
                promise.addResult(outcome);
            }
        }
    }));
}

} // namespace Tracelight
