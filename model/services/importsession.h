#pragma once

#include <costmodel.h>
#include <findingsindex.h>
#include <importcontext.h>
#include <importissue.h>
#include <searchindex.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace Tracelight {

class TraceStore;

// One import of files and folders into a cache, the same for `tracelight import` and the window: the paths are
// planned into files (folders walked, sub-agent logs going with their session), then each file is imported in a
// transaction of its own through one writer, so a failed or cancelled file leaves the cache as it was. Runs on the
// calling thread (the window calls it from a worker).
class ImportSession
{
public:
    struct Callbacks
    {
        std::function<void(const ImportIssue& note)> planned; // a path left out of the plan, and why
        // progress of file `index` of `count`: fraction of it read, spans so far
        std::function<void(const std::string& file, int index, int count, double fraction, std::int64_t spans)>
            progress;
        std::function<void(const ImportOutcome& outcome)> fileFinished;
        // The search index catching up once the files are in (they are browsable from their commit on).
        std::function<void(const SearchIndexState& state)> indexing;
        // The index could not be brought up to date (the files are in all the same; a later import or search
        // completes it).
        std::function<void(const std::string& error)> indexingFailed;
        // Then the findings of the runs the files changed (and of any run still pending), and their baselines.
        std::function<void(const FindingsState& state)> findings;
        std::function<void(const std::string& error)> findingsFailed;
    };

    explicit ImportSession(std::string databasePath);

    void setForcedFormat(std::string format) { m_forcedFormat = std::move(format); }
    void setCancelFlag(const std::atomic<bool>* cancel) { m_cancel = cancel; }
    // The settings findings are computed under and the prices that count their waste (default: the user's
    // findings.json and the built-in prices).
    void setFindingSettings(FindingThresholds thresholds, CostModelPtr costModel)
    {
        m_thresholds = thresholds;
        m_costModel = std::move(costModel);
    }

    // The files the paths name, as run() imports them.
    std::vector<std::string> plan(const std::vector<std::string>& paths, const Callbacks& callbacks = {}) const;
    // Imports the files, then brings the search index up to date with them; stops after the file during which the
    // cancel flag was raised (a cancelled index is completed by the next import or SearchIndex::catchUp()). Throws
    // when the cache cannot be opened.
    std::vector<ImportOutcome> importFiles(const std::vector<std::string>& files, const Callbacks& callbacks = {});
    // Brings the search index and the findings up to date with the cache (what importFiles() does after its files):
    // for a cache just upgraded, an import cancelled while it indexed, settings that changed.
    void catchUp(const Callbacks& callbacks = {});
    // plan() then importFiles().
    std::vector<ImportOutcome> run(const std::vector<std::string>& paths, const Callbacks& callbacks = {});

private:
    void catchUp(TraceStore& store, const Callbacks& callbacks);

    std::string m_databasePath;
    std::string m_forcedFormat;
    const std::atomic<bool>* m_cancel = nullptr;
    std::optional<FindingThresholds> m_thresholds;
    CostModelPtr m_costModel;
};

} // namespace Tracelight
