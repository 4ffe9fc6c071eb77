#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

namespace Tracelight {

// The one hand-off between producer threads and a consumer thread (the import pipeline's writer, the collector's
// writer): a queue bounded by the weight of what waits and what the consumer still works on (batches, spans).
// Weight taken by the consumer counts until it calls release(), so "idle" means written, not merely dequeued.
template <typename T> class WorkQueue
{
public:
    enum class Push
    {
        Queued,
        Full, // tryPush only: no room now
        Closed,
    };

    explicit WorkQueue(std::int64_t capacity)
        : m_capacity(capacity)
    { }

    // Waits for room, then queues. An item heavier than the capacity gets in when nothing else is pending.
    Push push(T item, std::int64_t weight = 1)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_closed || hasRoom(weight); });
        return queue(lock, std::move(item), weight);
    }

    // Queues only if there is room now. The item is moved from only when it is queued: on a refusal it stays the
    // caller's.
    Push tryPush(T&& item, std::int64_t weight = 1)
    {
        std::unique_lock lock(m_mutex);
        if (!m_closed && !hasRoom(weight))
            return Push::Full;
        return queue(lock, std::move(item), weight);
    }

    // Consumer: waits for work and takes items in order, at least one, while their weight stays within maxWeight.
    // Returns nothing once the queue is closed and empty. The taken weight counts until release().
    std::vector<T> take(std::int64_t maxWeight = 1)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_closed || !m_items.empty(); });
        std::vector<T> taken;
        std::int64_t weight = 0;
        while (!m_items.empty() && (taken.empty() || weight + m_items.front().second <= maxWeight)) {
            weight += m_items.front().second;
            taken.push_back(std::move(m_items.front().first));
            m_items.pop_front();
        }
        m_queuedWeight -= weight;
        m_takenWeight += weight;
        lock.unlock();
        m_changed.notify_all();
        return taken;
    }

    // Consumer: what it took weighing `weight` is done.
    void release(std::int64_t weight)
    {
        {
            const std::lock_guard lock(m_mutex);
            m_takenWeight -= weight;
        }
        m_changed.notify_all();
    }

    // Drops what waits (not what the consumer took).
    void clear()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_items.clear();
            m_queuedWeight = 0;
        }
        m_changed.notify_all();
    }

    // Waits until nothing waits and the consumer has released everything it took.
    void waitIdle()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_items.empty() && m_takenWeight == 0; });
    }

    // Refuses new items; the consumer still takes what waits, then gets nothing.
    void close()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_changed.notify_all();
    }

    std::int64_t pendingWeight() const
    {
        const std::lock_guard lock(m_mutex);
        return m_queuedWeight + m_takenWeight;
    }

private:
    bool hasRoom(std::int64_t weight) const
    {
        const std::int64_t pending = m_queuedWeight + m_takenWeight;
        return pending == 0 || pending + weight <= m_capacity;
    }

    Push queue(std::unique_lock<std::mutex>& lock, T&& item, std::int64_t weight)
    {
        if (m_closed)
            return Push::Closed;
        m_items.emplace_back(std::move(item), weight);
        m_queuedWeight += weight;
        lock.unlock();
        m_changed.notify_all();
        return Push::Queued;
    }

    const std::int64_t m_capacity;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::pair<T, std::int64_t>> m_items;
    std::int64_t m_queuedWeight = 0;
    std::int64_t m_takenWeight = 0;
    bool m_closed = false;
};

} // namespace Tracelight
