#pragma once

#include <step.h>
#include <workqueue.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace Tracelight {

class TraceStore;
class TraceWriter;

// What one committed transaction of the collector held: the log line of `tracelight serve`.
struct CollectorBatch
{
    std::int64_t timeMs = 0; // wall clock at the commit
    std::string clients; // who sent the requests, unique, comma-separated
    std::int64_t requests = 0;
    std::int64_t spans = 0;
    std::int64_t newSpans = 0; // spans the cache did not have (the rest were duplicates or updates)
    std::int64_t traces = 0;
    double milliseconds = 0; // writing and committing
};

// The collector's one writer: requests decoded on any number of threads hand their steps to submit(), which returns
// once they are committed. A thread of its own groups whatever is queued into one transaction (TraceWriter's upsert
// by trace and span id, so retried spans and traces spread over many requests end as one trace), so many small
// requests cost one commit. When more than maxQueuedSpans wait, submit() refuses at once: the caller answers 503.
class CollectorWriter
{
public:
    enum class Outcome
    {
        Committed,
        Overloaded,
        Failed, // the transaction failed (message in error)
        Stopped,
    };

    // Opens the cache (throws StoreError when it cannot).
    CollectorWriter(const std::string& databasePath, std::int64_t maxQueuedSpans = 500000);
    ~CollectorWriter();
    CollectorWriter(const CollectorWriter&) = delete;
    CollectorWriter& operator=(const CollectorWriter&) = delete;

    // Called on the writer thread after each commit.
    void setBatchCallback(std::function<void(const CollectorBatch&)> callback);
    // Blocks until the steps are committed (or refused). Thread-safe.
    Outcome submit(StepBatch&& steps, const std::string& client, std::string* error = nullptr);
    // Does not wait: done gets the outcome, at once when the queue refuses (Overloaded, Stopped), else on the writer
    // thread after the commit (Committed, Failed). For servers that must not hold a thread per request (gRPC's
    // reactors, the event-driven HTTP layer). Thread-safe; done must not block.
    using Done = std::function<void(Outcome, const std::string& error)>;
    void submitAsync(StepBatch&& steps, const std::string& client, Done done);
    // Commits what is queued, then stops; later submits return Stopped.
    void stop();

    std::int64_t committedSpans() const { return m_committedSpans.load(); }
    // Spans accepted and not yet committed (queued, or in the transaction being written).
    std::int64_t pendingSpans() const { return m_queue.pendingWeight(); }
    // Starts noting the traces each commit changes (off by default: `serve` never asks, and the set would grow
    // with every trace it receives).
    void trackChangedTraces() { m_trackChanges = true; }
    // The traces that commits changed since the last call, so a live view refreshes those and no others.
    std::vector<std::string> takeChangedTraces();
    std::int64_t committedBatches() const { return m_committedBatches.load(); }

private:
    struct Item
    {
        StepBatch steps;
        std::string client;
        Done done;
    };

    void run();
    void commit(std::vector<std::unique_ptr<Item>>& items);

    std::unique_ptr<TraceStore> m_store;
    std::unique_ptr<TraceWriter> m_writer;
    WorkQueue<std::unique_ptr<Item>> m_queue; // weighed in spans, which count until committed
    std::function<void(const CollectorBatch&)> m_onBatch;
    std::mutex m_mutex; // guards m_onBatch and m_changedTraces
    std::set<std::string> m_changedTraces;
    std::atomic<bool> m_trackChanges { false };
    std::atomic<std::int64_t> m_committedSpans { 0 };
    std::atomic<std::int64_t> m_committedBatches { 0 };
    std::thread m_thread;
};

} // namespace Tracelight
