#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#ifdef __linux__
#include <sched.h>
#endif

namespace Tracelight {

// Runs a function over items on worker threads and hands the results back on the submitting thread, in the order
// the items were submitted: the CPU-heavy middle of a pipeline whose two ends are sequential (a parser that reads a
// file in order, a writer that must see its steps in order). At most maxPending results wait, so memory stays
// bounded however far the workers fall behind. With no workers the function runs inline, at submit().
//
// An exception thrown by the function reaches the submitting thread when that item's turn comes.
template <typename In, typename Out> class OrderedPool
{
public:
    OrderedPool(int workers, std::function<Out(In&)> fn, std::size_t maxPending)
        : m_fn(std::move(fn))
        , m_maxPending(std::max<std::size_t>(1, maxPending))
    {
        try {
            for (int i = 0; i < workers; ++i)
                m_workers.emplace_back([this] { work(); });
        } catch (...) {
            stop(); // no thread left joinable behind a constructor that throws
            throw;
        }
    }

    ~OrderedPool() { stop(); }

    OrderedPool(const OrderedPool&) = delete;
    OrderedPool& operator=(const OrderedPool&) = delete;

    // Queues an item; first hands done() the oldest results while maxPending of them are outstanding.
    template <typename Done> void submit(In item, Done&& done)
    {
        if (m_workers.empty()) {
            done(m_fn(item));
            return;
        }
        while (m_pending.size() >= m_maxPending)
            takeOldest(done);
        std::packaged_task<Out()> task([this, item = std::move(item)]() mutable { return m_fn(item); });
        m_pending.push_back(task.get_future());
        {
            const std::lock_guard lock(m_mutex);
            m_tasks.push_back(std::move(task));
        }
        m_wake.notify_one();
    }

    // Hands done() every outstanding result, in order.
    template <typename Done> void drain(Done&& done)
    {
        while (!m_pending.empty())
            takeOldest(done);
    }

    // The cores this process may run on (its CPU affinity, as taskset sets it), at least 1.
    static int availableCores()
    {
#ifdef __linux__
        cpu_set_t set;
        if (sched_getaffinity(0, sizeof(set), &set) == 0)
            return std::max(1, CPU_COUNT(&set));
#endif
        return std::max(1u, std::thread::hardware_concurrency());
    }

private:
    void stop()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_stopping = true;
            m_tasks.clear(); // their futures are abandoned with m_pending
        }
        m_wake.notify_all();
        for (std::thread& worker : m_workers)
            worker.join();
        m_workers.clear();
    }

    template <typename Done> void takeOldest(Done& done)
    {
        std::future<Out> oldest = std::move(m_pending.front());
        m_pending.pop_front();
        done(oldest.get());
    }

    void work()
    {
        for (;;) {
            std::packaged_task<Out()> task;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_stopping || !m_tasks.empty(); });
                if (m_stopping)
                    return;
                task = std::move(m_tasks.front());
                m_tasks.pop_front();
            }
            task();
        }
    }

    std::function<Out(In&)> m_fn;
    std::size_t m_maxPending;
    std::deque<std::future<Out>> m_pending; // the submitting thread's only
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::packaged_task<Out()>> m_tasks;
    bool m_stopping = false;
    std::vector<std::thread> m_workers;
};

} // namespace Tracelight
