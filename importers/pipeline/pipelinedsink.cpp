#include "pipelinedsink.h"

#include <utility>

namespace Tracelight {

PipelinedSink::PipelinedSink(StepSink& target, std::size_t maxQueued)
    : m_target(target)
    , m_maxQueued(maxQueued)
    , m_writer([this] { run(); })
{ }

PipelinedSink::~PipelinedSink()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_discard = true;
        m_queue.clear();
    }
    m_changed.notify_all();
    m_writer.join();
}

void PipelinedSink::run()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_changed.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopping
        StepBatch batch = std::move(m_queue.front());
        m_queue.pop_front();
        m_busy = true;
        const bool skip = m_discard || m_failure;
        lock.unlock();
        m_changed.notify_all(); // room in the queue
        std::exception_ptr failure;
        if (!skip) {
            try {
                m_target.addSteps(std::move(batch));
            } catch (...) {
                failure = std::current_exception();
            }
        }
        lock.lock();
        if (failure && !m_failure)
            m_failure = failure;
        m_busy = false;
        m_changed.notify_all();
    }
}

void PipelinedSink::drain(bool rethrow)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_queue.empty() && !m_busy; });
    if (rethrow && m_failure)
        std::rethrow_exception(std::exchange(m_failure, nullptr));
}

void PipelinedSink::beginFile(const std::string& path, const std::string& format, std::int64_t size)
{
    drain(false);
    {
        std::lock_guard lock(m_mutex);
        m_failure = nullptr;
        m_discard = false;
    }
    m_target.beginFile(path, format, size);
}

void PipelinedSink::addSteps(StepBatch&& batch)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_queue.size() < m_maxQueued || m_failure; });
    if (m_failure)
        std::rethrow_exception(std::exchange(m_failure, nullptr));
    m_queue.push_back(std::move(batch));
    lock.unlock();
    m_changed.notify_all();
}

FileImportStats PipelinedSink::commitFile(const std::string& sha256)
{
    drain(true);
    return m_target.commitFile(sha256);
}

void PipelinedSink::rollbackFile()
{
    {
        std::lock_guard lock(m_mutex);
        m_discard = true; // batches still queued are not worth writing
        m_queue.clear();
    }
    m_changed.notify_all();
    drain(false);
    {
        std::lock_guard lock(m_mutex);
        m_failure = nullptr;
    }
    m_target.rollbackFile();
}

} // namespace Tracelight
