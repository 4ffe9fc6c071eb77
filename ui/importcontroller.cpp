#include "importcontroller.h"

#include "uilogging.h"

#include <format.h>
#include <importsession.h>
#include <searchindex.h>
#include <tracestore.h>

#include <QFileInfo>

#include <utility>

namespace Tracelight {

ImportController::ImportController(QString databasePath, QObject* parent)
    : QObject(parent)
    , m_job(this, databasePath.toStdString())
{
    qRegisterMetaType<ImportOutcome>();
}

ImportController::~ImportController()
{
    // An import is a write: let the current file roll back or commit before the cache goes away.
    m_job.stop();
    m_job.waitForFinished();
}

void ImportController::importFiles(const QStringList& files)
{
    m_queue << files;
    if (m_indexing) {
        m_job.stop(); // onIndexingFinished() starts the queue
        return;
    }
    if (!isRunning()) {
        m_succeeded = 0;
        m_failed = 0;
        m_cancelled = false;
        startNext();
    }
}

void ImportController::catchUpSearchIndex()
{
    if (isRunning())
        return;
    m_indexing = true;
    m_indexingShown = false;
    m_job.run(
        [this](const JobContext& job) {
            ImportSession session(job.databasePath());
            session.setCancelFlag(job.cancelFlag());
            ImportSession::Callbacks callbacks;
            addCatchUpCallbacks(callbacks, job);
            session.catchUp(callbacks);
        },
        [this] { onIndexingFinished(); },
        [this](const QString& error) {
            qCWarning(lcUi, "catching up: %s", qPrintable(error));
            onIndexingFinished();
        });
}

void ImportController::addCatchUpCallbacks(ImportSession::Callbacks& callbacks, const JobContext& job)
{
    // Progress is shown only when there is something to do.
    const auto show = [this, &job](const QString& message, double fraction) {
        job.post([this, message, permille = int(fraction * 1000)] {
            if (m_indexing && !std::exchange(m_indexingShown, true))
                emit indexingStarted();
            emit progressChanged(message, permille);
        });
    };
    callbacks.indexingFailed = [](const std::string& error) { qCWarning(lcUi, "search index: %s", error.c_str()); };
    callbacks.indexing = [this, show](const SearchIndexState& state) {
        if (!state.complete())
            show(tr("Indexing for search — %1 of %2 steps")
                     .arg(Format::tokens(state.indexed), Format::tokens(state.total)),
                state.fraction());
    };
    callbacks.findingsFailed = [](const std::string& error) { qCWarning(lcUi, "findings: %s", error.c_str()); };
    callbacks.findings = [this, show, &job, pending = std::int64_t(-1)](const FindingsState& state) mutable {
        if (pending < 0)
            pending = state.total - state.current;
        if (pending == 0)
            return;
        if (state.complete()) {
            job.post([this] { emit findingsUpdated(); });
            return;
        }
        show(tr("Looking for loops and other findings — %1 of %2 runs")
                 .arg(Format::tokens(state.current), Format::tokens(state.total)),
            state.total > 0 ? double(state.current) / double(state.total) : 1.0);
    };
}

void ImportController::onIndexingFinished()
{
    m_indexing = false;
    if (std::exchange(m_indexingShown, false))
        emit indexingFinished();
    if (!m_queue.isEmpty()) {
        m_succeeded = 0;
        m_failed = 0;
        m_cancelled = false;
        startNext();
    }
}

void ImportController::cancel()
{
    m_queue.clear();
    m_job.stop();
}

void ImportController::onFileFinished(const ImportOutcome& outcome)
{
    if (outcome.status == ImportOutcome::Status::Ok)
        ++m_succeeded;
    else if (outcome.status == ImportOutcome::Status::Failed)
        ++m_failed;
    else
        m_cancelled = true;
    emit fileFinished(outcome);
}

void ImportController::onBatchFinished()
{
    // cancel() dropped the queue; what is queued now was asked for after it.
    if (!m_queue.isEmpty()) {
        startNext();
        return;
    }
    emit importFinished(m_succeeded, m_failed, m_cancelled);
}

void ImportController::startNext()
{
    const QStringList files = std::exchange(m_queue, {});
    emit importStarted(static_cast<int>(files.size()));
    m_job.run(
        [this, paths = files](const JobContext& job) {
            // On the worker: `this` is only used inside what is posted back to the GUI thread.
            ImportSession session(job.databasePath());
            session.setCancelFlag(job.cancelFlag());
            ImportSession::Callbacks callbacks;
            callbacks.planned = [](const ImportIssue& note) { qCInfo(lcUi, "%s", note.toString().c_str()); };
            callbacks.progress = [this, &job](const std::string& file, int index, int count, double fraction,
                                     std::int64_t spans) {
                const double overall = (double(index) + fraction) / double(count);
                const QString message = QStringLiteral("Importing %1 — %2 %, %3 spans")
                                            .arg(QFileInfo(QString::fromStdString(file)).fileName())
                                            .arg(int(fraction * 100))
                                            .arg(Format::tokens(spans));
                job.post([this, message, permille = int(overall * 1000)] { emit progressChanged(message, permille); });
            };
            callbacks.fileFinished = [this, &job](const ImportOutcome& outcome) {
                job.post([this, outcome] { onFileFinished(outcome); });
            };
            // The runs are browsable already; the search index and the findings catch up with them.
            addCatchUpCallbacks(callbacks, job);
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
                    callbacks.fileFinished(outcome);
                }
            }
        },
        [this] { onBatchFinished(); },
        [this](const QString& error) {
            qCWarning(lcUi, "import failed: %s", qPrintable(error));
            ++m_failed;
            onBatchFinished();
        });
}

} // namespace Tracelight
