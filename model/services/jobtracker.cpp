#include "jobtracker.h"

namespace Tracelight {

JobContext::JobContext(
    std::string databasePath, CostModelPtr costs, std::shared_ptr<const std::atomic<bool>> cancelled, Poster poster)
    : m_databasePath(std::move(databasePath))
    , m_costs(std::move(costs))
    , m_cancelled(std::move(cancelled))
    , m_poster(std::move(poster))
{ }

JobContext::~JobContext() = default;

TraceStore& JobContext::store() const
{
    if (!m_store) {
        m_store = std::make_unique<TraceStore>(m_databasePath, TraceStore::Mode::ReadOnly);
        if (m_costs)
            m_store->setCostModel(m_costs);
    }
    return *m_store;
}

JobTracker::JobTracker(QObject* owner, std::string databasePath)
    : m_owner(owner)
    , m_databasePath(std::move(databasePath))
{
    Q_ASSERT(owner);
}

JobTracker::~JobTracker()
{
    cancel();
    const std::lock_guard lock(m_gate->mutex);
    m_gate->open = false;
}

void JobTracker::cancel()
{
    ++m_generation;
    if (m_cancelled)
        m_cancelled->store(true, std::memory_order_relaxed);
    m_cancelled.reset();
}

void JobTracker::stop()
{
    if (m_cancelled)
        m_cancelled->store(true, std::memory_order_relaxed);
}

void JobTracker::waitForFinished()
{
    if (m_workerDone.valid())
        m_workerDone.wait();
}

std::shared_ptr<std::atomic<bool>> JobTracker::startGeneration()
{
    cancel();
    m_cancelled = std::make_shared<std::atomic<bool>>(false);
    return m_cancelled;
}

QString JobTracker::messageOf(const std::exception_ptr& error)
{
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return QStringLiteral("unknown error");
    }
}

} // namespace Tracelight
