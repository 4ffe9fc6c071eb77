#pragma once

#include <stepsink.h>
#include <workqueue.h>

#include <exception>
#include <mutex>
#include <thread>

namespace Tracelight {

// Overlaps parsing with writing: batches go through a short bounded queue to a writer thread that feeds the
// real sink, so the parser and SQLite each keep a core busy. The wrapped sink is used by one thread at a time:
// beginFile/commitFile/rollbackFile run on the caller once the writer has drained the queue. An exception
// thrown by the sink on the writer thread is rethrown to the caller at its next call.
class PipelinedSink final : public StepSink
{
public:
    explicit PipelinedSink(StepSink& target, std::size_t maxQueued = 3);
    ~PipelinedSink() override;
    PipelinedSink(const PipelinedSink&) = delete;
    PipelinedSink& operator=(const PipelinedSink&) = delete;

    void beginFile(const std::string& path, const std::string& format, std::int64_t size) override;
    void addSteps(StepBatch&& batch) override;
    FileImportStats commitFile(const std::string& sha256) override;
    void rollbackFile() override;

private:
    void run();
    // Waits until the writer has written everything queued (or failed); rethrows its failure.
    void drain(bool rethrow);

    StepSink& m_target;
    WorkQueue<StepBatch> m_queue;
    std::mutex m_mutex; // guards the two below
    bool m_discard = false;
    std::exception_ptr m_failure;
    std::thread m_writer;
};

} // namespace Tracelight
