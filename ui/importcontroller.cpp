#include "importcontroller.h"

#include <fileimport.h>
#include <format.h>
#include <sessiondiscovery.h>
#include <tracestore.h>
#include <tracewriter.h>

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
        // Folders become the files in them that Tracelight reads (sub-agent logs go with their session).
        std::vector<std::string> requested;
        for (const QString& path : paths)
            requested.push_back(path.toStdString());
        const ImportPlan plan = planImport(requested, cancelFlag.get());
        for (const ImportIssue& note : plan.notes)
            qInfo("%s", note.toString().c_str());
        QStringList files;
        for (const std::string& file : plan.files)
            files << QString::fromStdString(file);
        try {
            TraceStore store(database);
            TraceWriter writer(store);
            ImportContext context;
            context.cancel = cancelFlag.get();
            for (qsizetype i = 0; i < files.size(); ++i) {
                const QString name = QFileInfo(files[i]).fileName();
                context.progress = [&, i](double fraction, std::int64_t spans) {
                    const double overall = (double(i) + fraction) / double(files.size());
                    promise.setProgressValueAndText(int(overall * 1000),
                        QStringLiteral("Importing %1 — %2 %, %3 spans")
                            .arg(name)
                            .arg(int(fraction * 100))
                            .arg(Format::tokens(spans)));
                };
                promise.addResult(importFile(files[i].toStdString(), writer, context));
                if (cancelFlag->load())
                    break;
            }
        } catch (const std::exception& error) {
            // The cache itself could not be opened: every file fails with the reason.
            for (const QString& file : files) {
                ImportOutcome outcome;
                outcome.status = ImportOutcome::Status::Failed;
                outcome.file = file.toStdString();
                outcome.error = { ImportIssue::Severity::Error, outcome.file, {}, error.what() };
                promise.addResult(outcome);
            }
        }
    }));
}

} // namespace Tracelight
