#include "pipelinedsink.h"

#include <utility>

namespace Tracelight {

// The batch being written counts against the queue's capacity until it is written.
PipelinedSink::PipelinedSink(StepSink& target, std::size_t maxQueued)
    : m_target(target)
    , m_queue(static_cast<std::int64_t>(maxQueued) + 1)
    , m_writer([this] { run(); })
{ }

PipelinedSink::~PipelinedSink()
{
    {
        const std::lock_guard lock(m_mutex);
        m_discard = true;
    }
    m_queue.clear();
    m_queue.close();
    m_writer.join();
}

void PipelinedSink::run()
{
    while (true) {
        std::vector<StepBatch> batches = m_queue.take();
        if (batches.empty())
            return; // closed
        bool skip = false;
        {
            const std::lock_guard lock(m_mutex);
            skip = m_discard || m_failure;
        }
        if (!skip) {
            try {
                m_target.addSteps(std::move(batches.front()));
            } catch (...) {
                const std::lock_guard lock(m_mutex);
                if (!m_failure)
                    m_failure = std::current_exception();
            }
        }
        m_queue.release(1);
    }
}

void PipelinedSink::drain(bool rethrow)
{
    m_queue.waitIdle();
    const std::lock_guard lock(m_mutex);
    if (rethrow && m_failure)
        std::rethrow_exception(std::exchange(m_failure, nullptr));
}

void PipelinedSink::beginFile(const std::string& path, const std::string& format, std::int64_t size)
{
    drain(false);
    {
        const std::lock_guard lock(m_mutex);
        m_failure = nullptr;
        m_discard = false;
    }
    m_target.beginFile(path, format, size);
}

void PipelinedSink::addSteps(StepBatch&& batch)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_failure)
            std::rethrow_exception(std::exchange(m_failure, nullptr));
    }
    // While the writer has failed it skips what it takes, so a full queue empties and this returns.
    m_queue.push(std::move(batch));
}

FileImportStats PipelinedSink::commitFile(const std::string& sha256)
{
    drain(true);
    return m_target.commitFile(sha256);
}

void PipelinedSink::rollbackFile()
{
    {
        const std::lock_guard lock(m_mutex);
        m_discard = true; // batches still queued are not worth writing
    }
    m_queue.clear();
    drain(false);
    {
        const std::lock_guard lock(m_mutex);
        m_failure = nullptr;
    }
    m_target.rollbackFile();
}

} // namespace Tracelight
