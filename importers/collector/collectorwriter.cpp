#include "collectorwriter.h"

#include <tracestore.h>
#include <tracewriter.h>

#include <QDateTime>

#include <algorithm>
#include <chrono>
#include <future>
#include <vector>

namespace Tracelight {

namespace {
// One transaction takes at most this many spans, so a flood still commits (and acknowledges) in steps.
constexpr std::int64_t maxSpansPerCommit = 50000;
} // namespace

CollectorWriter::CollectorWriter(const std::string& databasePath, std::int64_t maxQueuedSpans)
    : m_store(std::make_unique<TraceStore>(databasePath))
    , m_writer(std::make_unique<TraceWriter>(*m_store))
    , m_queue(maxQueuedSpans)
{
    // The store was opened here; from now on only the writer thread uses the connection.
    m_thread = std::thread([this] { run(); });
}

CollectorWriter::~CollectorWriter()
{
    stop();
}

void CollectorWriter::setBatchCallback(std::function<void(const CollectorBatch&)> callback)
{
    std::lock_guard lock(m_mutex);
    m_onBatch = std::move(callback);
}

CollectorWriter::Outcome CollectorWriter::submit(StepBatch&& steps, const std::string& client, std::string* error)
{
    std::promise<std::pair<Outcome, std::string>> promise;
    std::future<std::pair<Outcome, std::string>> done = promise.get_future();
    submitAsync(std::move(steps), client, [&promise](Outcome outcome, const std::string& message) {
        promise.set_value({ outcome, message });
    });
    auto [outcome, message] = done.get();
    if (error)
        *error = std::move(message);
    return outcome;
}

void CollectorWriter::submitAsync(StepBatch&& steps, const std::string& client, Done done)
{
    auto item = std::make_unique<Item>();
    const auto count = static_cast<std::int64_t>(steps.size());
    item->steps = std::move(steps);
    item->client = client;
    item->done = std::move(done);
    // tryPush moves the item only when it queues it: on a refusal it is still ours.
    switch (m_queue.tryPush(std::move(item), count)) {
    case WorkQueue<std::unique_ptr<Item>>::Push::Closed:
        item->done(Outcome::Stopped, {});
        return;
    case WorkQueue<std::unique_ptr<Item>>::Push::Full:
        item->done(Outcome::Overloaded, {});
        return;
    case WorkQueue<std::unique_ptr<Item>>::Push::Queued:
        return;
    }
}

void CollectorWriter::stop()
{
    m_queue.close();
    if (m_thread.joinable())
        m_thread.join();
}

void CollectorWriter::run()
{
    while (true) {
        std::vector<std::unique_ptr<Item>> items = m_queue.take(maxSpansPerCommit);
        if (items.empty())
            return; // stopped, and everything queued is committed
        commit(items);
    }
}

std::vector<std::string> CollectorWriter::takeChangedTraces()
{
    std::lock_guard lock(m_mutex);
    std::vector<std::string> changed(m_changedTraces.begin(), m_changedTraces.end());
    m_changedTraces.clear();
    return changed;
}

void CollectorWriter::commit(std::vector<std::unique_ptr<Item>>& items)
{
    const auto started = std::chrono::steady_clock::now();
    CollectorBatch batch;
    std::int64_t spans = 0;
    std::vector<std::string> clients;
    std::set<std::string> traces;
    const bool track = m_trackChanges.load();
    for (const auto& item : items) {
        spans += static_cast<std::int64_t>(item->steps.size());
        clients.push_back(item->client);
        if (track) {
            for (const Step& step : item->steps)
                traces.insert(step.traceId);
        }
    }
    std::string error;
    try {
        m_writer->beginFile("otlp-http", "otlp-http", 0);
        for (auto& item : items)
            m_writer->addSteps(std::move(item->steps));
        const FileImportStats stats = m_writer->commitFile({});
        batch.newSpans = stats.newSpans;
        batch.traces = stats.traces;
    } catch (const std::exception& failure) {
        error = failure.what();
        m_writer->rollbackFile();
    }
    std::function<void(const CollectorBatch&)> onBatch;
    {
        std::lock_guard lock(m_mutex);
        onBatch = m_onBatch;
        if (error.empty() && track)
            m_changedTraces.merge(traces);
    }
    if (error.empty()) {
        m_committedSpans += spans;
        ++m_committedBatches;
    }
    m_queue.release(spans);
    for (auto& item : items)
        item->done(error.empty() ? Outcome::Committed : Outcome::Failed, error);
    if (!error.empty() || !onBatch)
        return;
    std::sort(clients.begin(), clients.end());
    clients.erase(std::unique(clients.begin(), clients.end()), clients.end());
    for (const std::string& client : clients)
        batch.clients += (batch.clients.empty() ? "" : ",") + client;
    batch.timeMs = QDateTime::currentMSecsSinceEpoch();
    batch.requests = static_cast<std::int64_t>(items.size());
    batch.spans = spans;
    batch.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    onBatch(batch);
}

} // namespace Tracelight
