#pragma once

#include <tracestore.h>

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QtConcurrent>

#include <atomic>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>

namespace Tracelight {

// What a job sees on its worker thread: whether it is still wanted, and a read-only connection to the cache that
// it opens there, on first use (one SQLite connection per thread, house style point 4).
class JobContext
{
public:
    // post(fn) runs fn on the owner's thread while the job is the tracker's newest (see JobContext::post).
    using Poster = std::function<void(std::function<void()>)>;
    JobContext(std::string databasePath, CostModelPtr costs, std::shared_ptr<const std::atomic<bool>> cancelled,
        Poster poster = {});
    ~JobContext();
    JobContext(const JobContext&) = delete;
    JobContext& operator=(const JobContext&) = delete;

    // True once a newer job has started or the tracker was cancelled: stop early, the result will be dropped.
    bool isCancelled() const { return m_cancelled->load(std::memory_order_relaxed); }
    const std::atomic<bool>* cancelFlag() const { return m_cancelled.get(); }
    // The cache, read-only, prices applied with the tracker's cost model. Throws when it cannot be opened.
    TraceStore& store() const;
    const std::string& databasePath() const { return m_databasePath; }
    // The progress channel: fn runs on the owner's thread, in the order posted and before the job's `done`, unless a
    // newer job started or the tracker was cancelled in between (then it is dropped, as the result is).
    void post(std::function<void()> fn) const
    {
        if (m_poster)
            m_poster(std::move(fn));
    }

private:
    std::string m_databasePath;
    CostModelPtr m_costs;
    std::shared_ptr<const std::atomic<bool>> m_cancelled;
    Poster m_poster;
    mutable std::unique_ptr<TraceStore> m_store;
};

// The one way the window runs work off the GUI thread (house style point 3; hotspot's jobtracker): run() starts a
// new generation and cancels the job before it, runs the work on Qt's thread pool, and hands its result to `done`
// (or the error to `failed`: every job has a failure path) on the owner's thread, but only if no newer job started
// in between. A tracker runs one kind of job for one owner; an owner with independent jobs has one tracker each.
class JobTracker
{
public:
    explicit JobTracker(QObject* owner, std::string databasePath = {});
    ~JobTracker();
    JobTracker(const JobTracker&) = delete;
    JobTracker& operator=(const JobTracker&) = delete;

    void setDatabasePath(std::string path) { m_databasePath = std::move(path); }
    const std::string& databasePath() const { return m_databasePath; }
    void setCostModel(CostModelPtr costs) { m_costs = std::move(costs); }

    // work(const JobContext&) -> R runs on a worker; done(R) (or done() for void) and failed(QString message) run on
    // the owner's thread, for the newest job only.
    template <typename Work, typename Done, typename Failed> void run(Work work, Done done, Failed failed);

    // Cancels the running job: its context says so, and its result or failure is dropped.
    void cancel();
    // Asks the running job to stop early, but still delivers what it posts and its result (an import that rolls
    // back its current file and says so).
    void stop();
    // Blocks until the worker of the newest job has returned (its `done` still runs later, on the owner's thread).
    // For shutdown, where work must not be lost: never while the user waits.
    void waitForFinished();
    bool isRunning() const { return m_running > 0; }
    quint64 generation() const { return m_generation; }

private:
    std::shared_ptr<std::atomic<bool>> startGeneration();
    void finished() { --m_running; }
    static QString messageOf(const std::exception_ptr& error);

    QPointer<QObject> m_owner;
    std::string m_databasePath;
    CostModelPtr m_costs;
    quint64 m_generation = 0;
    int m_running = 0;
    std::shared_ptr<std::atomic<bool>> m_cancelled;
    // Set when the newest job's worker returns. Not a QFuture copy: that would keep the job's result alive.
    std::shared_future<void> m_workerDone;
    struct Gate
    {
        std::mutex mutex;
        bool open = true;
    };
    std::shared_ptr<Gate> m_gate = std::make_shared<Gate>();
};

template <typename Work, typename Done, typename Failed> void JobTracker::run(Work work, Done done, Failed failed)
{
    using Result = std::invoke_result_t<Work&, const JobContext&>;
    auto cancelled = startGeneration();
    const quint64 generation = m_generation;
    ++m_running;
    // The outcome travels as a value: an exception thrown by the work is caught on the worker and delivered to
    // `failed`, so no continuation is ever skipped and m_running stays true to what runs.
    struct Outcome
    {
        std::conditional_t<std::is_void_v<Result>, bool, std::optional<Result>> value {};
        std::exception_ptr error;
    };
    auto workerDone = std::make_shared<std::promise<void>>();
    m_workerDone = workerDone->get_future().share();
    // Everything the worker hands back (posts, then its outcome) is queued to the owner through one gate, so it
    // arrives in order, and only while the tracker (a member of the owner) lives: its destructor closes the gate
    // under the lock, and ~QObject drops what is still queued.
    auto deliver = [owner = m_owner.data(), gate = m_gate](std::function<void()> fn) {
        const std::lock_guard lock(gate->mutex);
        if (gate->open)
            QMetaObject::invokeMethod(owner, std::move(fn), Qt::QueuedConnection);
    };
    JobContext::Poster poster = [this, deliver, generation](std::function<void()> fn) {
        deliver([this, generation, fn = std::move(fn)] {
            if (generation == m_generation)
                fn();
        });
    };
    static_cast<void>(QtConcurrent::run(
        [this, path = m_databasePath, costs = m_costs, cancelled, workerDone, deliver, poster = std::move(poster),
            generation, work = std::move(work), done = std::move(done), failed = std::move(failed)]() mutable {
            auto outcome = std::make_shared<Outcome>();
            try {
                const JobContext context(path, costs, cancelled, poster);
                if constexpr (std::is_void_v<Result>) {
                    work(context);
                    outcome->value = true;
                } else {
                    outcome->value.emplace(work(context));
                }
            } catch (...) {
                outcome->error = std::current_exception();
            }
            deliver([this, generation, outcome, done = std::move(done), failed = std::move(failed)]() mutable {
                finished();
                if (generation != m_generation)
                    return; // a newer job is on its way, or this one was cancelled
                if (outcome->error) {
                    failed(messageOf(outcome->error));
                } else if constexpr (std::is_void_v<Result>) {
                    done();
                } else {
                    done(std::move(*outcome->value));
                }
            });
            workerDone->set_value(); // last: the outcome is queued, so waitForFinished() loses nothing
        }));
}

} // namespace Tracelight
