#include "importsession.h"

#include <fileimport.h>
#include <findingsindex.h>
#include <sessiondiscovery.h>
#include <tracestore.h>
#include <tracewriter.h>

namespace Tracelight {

ImportSession::ImportSession(std::string databasePath)
    : m_databasePath(std::move(databasePath))
{ }

std::vector<std::string> ImportSession::plan(const std::vector<std::string>& paths, const Callbacks& callbacks) const
{
    ImportPlan plan = planImport(paths, m_cancel);
    if (callbacks.planned) {
        for (const ImportIssue& note : plan.notes)
            callbacks.planned(note);
    }
    return std::move(plan.files);
}

std::vector<ImportOutcome> ImportSession::importFiles(const std::vector<std::string>& files, const Callbacks& callbacks)
{
    TraceStore store(m_databasePath);
    // Another import, a window or `serve` may be writing: wait for it (for as long as a big file takes), unless
    // cancelled, rather than fail with "database is locked".
    store.database().setBusyWait(m_cancel, 30 * 60 * 1000);
    TraceWriter writer(store);
    writer.setSearchIndexDeferred(true);
    ImportContext context;
    context.cancel = m_cancel;
    context.forcedFormat = m_forcedFormat;
    std::vector<ImportOutcome> outcomes;
    const int count = static_cast<int>(files.size());
    for (int i = 0; i < count; ++i) {
        if (callbacks.progress) {
            context.progress = [&, i](double fraction, std::int64_t spans) {
                callbacks.progress(files[i], i, count, fraction, spans);
            };
        }
        outcomes.push_back(importFile(files[i], writer, context));
        if (callbacks.fileFinished)
            callbacks.fileFinished(outcomes.back());
        if (context.cancelled())
            return outcomes;
    }
    catchUp(store, callbacks);
    return outcomes;
}

void ImportSession::catchUp(const Callbacks& callbacks)
{
    TraceStore store(m_databasePath);
    catchUp(store, callbacks);
}

void ImportSession::catchUp(TraceStore& store, const Callbacks& callbacks)
{
    try {
        SearchIndex::catchUp(store.database(), m_cancel, callbacks.indexing);
    } catch (const std::exception& error) {
        if (callbacks.indexingFailed)
            callbacks.indexingFailed(error.what());
    }
    try {
        const FindingThresholds thresholds
            = m_thresholds ? *m_thresholds : FindingThresholds::withUserFile(FindingThresholds::userFilePath());
        store.setCostModel(m_costModel ? m_costModel
                                       : std::make_shared<const CostModel>(std::make_shared<const PriceTable>(
                                           PriceTable::withUserFile(PriceTable::userFilePath()))));
        FindingsIndex::catchUp(store, thresholds, m_cancel, callbacks.findings);
    } catch (const std::exception& error) {
        if (callbacks.findingsFailed)
            callbacks.findingsFailed(error.what());
    }
}

std::vector<ImportOutcome> ImportSession::run(const std::vector<std::string>& paths, const Callbacks& callbacks)
{
    return importFiles(plan(paths, callbacks), callbacks);
}

} // namespace Tracelight
