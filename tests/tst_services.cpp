// The services the window and the command line share: the job helper every asynchronous query of the window goes
// through, the import session, and preparing a cache off the GUI thread.
#include "testutils.h"

#include <cacheopener.h>
#include <importsession.h>
#include <jobtracker.h>
#include <sqlite.h>
#include <tracestore.h>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace Tracelight;

class TestServices : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void deliversTheResultOnTheOwnersThread()
    {
        QObject owner;
        JobTracker tracker(&owner);
        Qt::HANDLE workerThread = nullptr;
        Qt::HANDLE doneThread = nullptr;
        int result = 0;
        tracker.run(
            [&workerThread](const JobContext&) {
                workerThread = QThread::currentThreadId();
                return 42;
            },
            [&](int value) {
                doneThread = QThread::currentThreadId();
                result = value;
            },
            [](const QString& error) { QFAIL(qPrintable(error)); });
        QVERIFY(tracker.isRunning());
        QTRY_COMPARE(result, 42);
        QVERIFY(!tracker.isRunning());
        QCOMPARE(doneThread, QThread::currentThreadId());
        QVERIFY(workerThread != QThread::currentThreadId());
    }

    void aNewerJobCancelsAndSupersedesTheOlder()
    {
        QObject owner;
        JobTracker tracker(&owner);
        std::atomic<bool> firstSawCancel = false;
        std::atomic<bool> firstStarted = false;
        QStringList delivered;
        tracker.run(
            [&](const JobContext& job) {
                firstStarted = true;
                // Runs until the next run() cancels it, as a long query checking its context would.
                for (int i = 0; i < 500 && !job.isCancelled(); ++i)
                    QThread::msleep(10);
                firstSawCancel = job.isCancelled();
                return QStringLiteral("first");
            },
            [&](const QString& value) { delivered << value; }, [&](const QString& error) { delivered << error; });
        QTRY_VERIFY(firstStarted.load());
        tracker.run([](const JobContext&) { return QStringLiteral("second"); },
            [&](const QString& value) { delivered << value; }, [&](const QString& error) { delivered << error; });
        QTRY_VERIFY(!tracker.isRunning());
        QVERIFY(firstSawCancel.load());
        QCOMPARE(delivered, QStringList { QStringLiteral("second") }); // the first job's result was dropped
    }

    void cancelDropsTheResult()
    {
        QObject owner;
        JobTracker tracker(&owner);
        bool called = false;
        tracker.run(
            [](const JobContext& job) {
                while (!job.isCancelled())
                    QThread::msleep(5);
                return 1;
            },
            [&](int) { called = true; }, [&](const QString&) { called = true; });
        tracker.cancel();
        QTRY_VERIFY(!tracker.isRunning());
        QVERIFY(!called);
    }

    void everyFailureReachesTheFailurePath()
    {
        QObject owner;
        JobTracker tracker(&owner);
        QString failure;
        tracker.run([](const JobContext&) -> int { throw std::runtime_error("the disk is on fire"); },
            [](int) { QFAIL("no result expected"); }, [&](const QString& error) { failure = error; });
        QTRY_COMPARE(failure, QStringLiteral("the disk is on fire"));

        failure.clear();
        tracker.run([](const JobContext&) { throw 7; }, [] { QFAIL("no result expected"); },
            [&](const QString& error) { failure = error; });
        QTRY_COMPARE(failure, QStringLiteral("unknown error"));

        // A cache that cannot be opened is a failure too, with SQLite's reason.
        failure.clear();
        tracker.setDatabasePath(m_dir.filePath(QStringLiteral("missing/nowhere.sqlite")).toStdString());
        tracker.run([](const JobContext& job) { return job.store().traces().size(); },
            [](std::size_t) { QFAIL("no result expected"); }, [&](const QString& error) { failure = error; });
        QTRY_VERIFY(!failure.isEmpty());
    }

    void noResultAfterTheOwnerIsGone()
    {
        bool called = false;
        std::atomic<bool> release = false;
        {
            QObject owner;
            JobTracker tracker(&owner);
            tracker.run(
                [&release](const JobContext&) {
                    while (!release)
                        QThread::msleep(5);
                    return 1;
                },
                [&](int) { called = true; }, [&](const QString&) { called = true; });
        }
        release = true;
        QTest::qWait(200);
        QVERIFY(!called);
    }

    // The progress channel: what a job posts arrives on the owner's thread, in order, before its result.
    void postedProgressArrivesInOrderBeforeTheResult()
    {
        QObject owner;
        JobTracker tracker(&owner);
        QList<int> seen;
        bool wrongThread = false;
        int result = 0;
        tracker.run(
            [&](const JobContext& job) {
                for (int i = 0; i < 200; ++i) {
                    job.post([&, i] {
                        wrongThread |= QThread::currentThread() != owner.thread();
                        seen << i;
                    });
                }
                return 200;
            },
            [&](int value) {
                result = value;
                seen << -1; // the result's place in the order
            },
            [](const QString& error) { QFAIL(qPrintable(error)); });
        QTRY_COMPARE(result, 200);
        QCOMPARE(seen.size(), 201);
        for (int i = 0; i < 200; ++i)
            QCOMPARE(seen[i], i);
        QCOMPARE(seen.back(), -1);
        QVERIFY(!wrongThread);
    }

    // stop() ends a job early without dropping it: an import that rolls back its file still says so.
    void stopEndsTheJobButDeliversItsOutcome()
    {
        QObject owner;
        JobTracker tracker(&owner);
        QStringList delivered;
        std::atomic<bool> started = false;
        tracker.run(
            [&](const JobContext& job) {
                started = true;
                while (!job.isCancelled())
                    QThread::msleep(2);
                job.post([&] { delivered << QStringLiteral("rolled back"); });
                return QStringLiteral("stopped");
            },
            [&](const QString& value) { delivered << value; }, [&](const QString& error) { delivered << error; });
        QTRY_VERIFY(started.load());
        tracker.stop();
        QTRY_VERIFY(!tracker.isRunning());
        QCOMPARE(delivered, (QStringList { QStringLiteral("rolled back"), QStringLiteral("stopped") }));
    }

    // A cancelled job's posts are dropped like its result; posts after the owner is gone reach nothing.
    void postsOfACancelledJobAreDropped()
    {
        int posts = 0;
        std::atomic<bool> release = false;
        std::atomic<bool> finished = false;
        {
            QObject owner;
            JobTracker tracker(&owner);
            tracker.run(
                [&](const JobContext& job) {
                    job.post([&] { ++posts; }); // before cancel(): queued, then dropped by the generation check
                    while (!release)
                        QThread::msleep(2);
                    for (int i = 0; i < 100; ++i)
                        job.post([&] { ++posts; }); // after the owner is gone: never posted
                    finished = true;
                },
                [] {}, [](const QString&) {});
            tracker.cancel();
            QTest::qWait(20);
        }
        release = true;
        QTRY_VERIFY(finished.load());
        QTest::qWait(50);
        QCOMPARE(posts, 0);
    }

    void waitForFinishedWaitsForTheWorker()
    {
        QObject owner;
        JobTracker tracker(&owner);
        std::atomic<bool> finished = false;
        tracker.run(
            [&finished](const JobContext&) {
                QThread::msleep(200);
                finished = true;
            },
            [] {}, [](const QString&) {});
        tracker.waitForFinished();
        QVERIFY(finished.load());
        QTRY_VERIFY(!tracker.isRunning());
    }

    // Whatever the file at the cache's place holds, opening it says what it found and never throws: a new cache, a
    // cache, garbage, a cache cut short, one of a newer schema. A broken one is moved aside whole (with its -wal).
    void openCacheSaysWhatItFound()
    {
        const auto path = [this](const char* name) { return m_dir.filePath(QString::fromLatin1(name)).toStdString(); };
        CacheState state = openCache(path("fresh.sqlite"));
        QCOMPARE(int(state.status), int(CacheState::Status::Ready));
        QVERIFY(state.created);
        state = openCache(path("fresh.sqlite"));
        QCOMPARE(int(state.status), int(CacheState::Status::Ready));
        QVERIFY(!state.created);

        TestUtils::writeFile(QString::fromStdString(path("garbage.sqlite")), QByteArray(8192, 'x'));
        state = openCache(path("garbage.sqlite"));
        QCOMPARE(int(state.status), int(CacheState::Status::Broken));
        QVERIFY2(state.message.find("not a Tracelight cache") != std::string::npos, state.message.c_str());

        // A real cache with the sample in it, cut to half its size.
        const std::string cut = path("cut.sqlite");
        {
            ImportSession session(cut);
            const auto outcomes = session.run({ TestUtils::samplePath().toStdString() });
            QCOMPARE(outcomes.size(), std::size_t(1));
            QVERIFY(outcomes.front().ok());
        }
        QFile::remove(QString::fromStdString(cut + "-wal"));
        QFile::remove(QString::fromStdString(cut + "-shm"));
        const qint64 size = QFileInfo(QString::fromStdString(cut)).size();
        QVERIFY(size > 8192);
        QVERIFY(QFile::resize(QString::fromStdString(cut), size / 2));
        state = openCache(cut);
        // (SQLite finds damaged pages itself, or the header counts more pages than the file has.)
        QCOMPARE(int(state.status), int(CacheState::Status::Broken));
        QVERIFY2(
            state.message.find("cut short") != std::string::npos || state.message.find("damaged") != std::string::npos,
            state.message.c_str());

        // A schema from the future.
        const std::string newer = path("newer.sqlite");
        QVERIFY(prepareCache(newer));
        {
            Sql::Database db(newer, Sql::Database::Mode::ReadWrite);
            db.exec("PRAGMA user_version = 999");
        }
        state = openCache(newer);
        QCOMPARE(int(state.status), int(CacheState::Status::Newer));
        QVERIFY2(state.message.find("newer") != std::string::npos, state.message.c_str());

        // Moved aside with its companions; a new cache starts in its place.
        const std::string garbage = path("garbage.sqlite");
        TestUtils::writeFile(QString::fromStdString(garbage + "-wal"), QByteArray("wal"));
        const std::string kept = moveCacheAside(garbage);
        QVERIFY2(kept.rfind(garbage + ".broken-", 0) == 0, kept.c_str());
        QVERIFY(QFile::exists(QString::fromStdString(kept)));
        QVERIFY(QFile::exists(QString::fromStdString(kept + "-wal")));
        QVERIFY(!QFile::exists(QString::fromStdString(garbage)));
        QCOMPARE(QFileInfo(QString::fromStdString(kept)).size(), qint64(8192));
        state = openCache(garbage);
        QCOMPARE(int(state.status), int(CacheState::Status::Ready));
        QVERIFY(state.created);
    }

    // Two writers on one cache: an import that finds another connection writing for longer than SQLite's usual
    // 10 s waits its turn and succeeds (it used to fail with "database is locked"); a cancelled one stops waiting.
    void anImportWaitsForAnotherWriter()
    {
        const std::string db = m_dir.filePath(QStringLiteral("shared.sqlite")).toStdString();
        QVERIFY(prepareCache(db));
        Sql::Database other(db, Sql::Database::Mode::ReadWrite);
        other.exec("BEGIN IMMEDIATE");
        std::thread holder([&other] {
            std::this_thread::sleep_for(std::chrono::seconds(11));
            other.exec("ROLLBACK");
        });
        QElapsedTimer clock;
        clock.start();
        ImportSession session(db);
        const auto outcomes = session.run({ TestUtils::samplePath().toStdString() });
        holder.join();
        QCOMPARE(outcomes.size(), std::size_t(1));
        QVERIFY2(outcomes.front().ok(), outcomes.front().error.message.c_str());
        QVERIFY(clock.elapsed() >= 10000);
        TraceStore store(db, TraceStore::Mode::ReadOnly);
        QVERIFY(store.trace("62ea7a6dc2b69860d0195151f6e51f43"));

        // Cancelled while it waits: it gives up within moments, the cache as before.
        other.exec("BEGIN IMMEDIATE");
        std::atomic<bool> cancel { false };
        ImportSession cancelled(db);
        cancelled.setCancelFlag(&cancel);
        std::thread canceller([&cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            cancel = true;
        });
        clock.restart();
        const QString loop
            = TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json");
        const auto gaveUp = cancelled.run({ loop.toStdString() });
        canceller.join();
        other.exec("ROLLBACK");
        QVERIFY(clock.elapsed() < 9000);
        QCOMPARE(gaveUp.size(), std::size_t(1));
        QVERIFY(!gaveUp.front().ok());
        QVERIFY(!store.trace("b4d0c0de5e7a11f0a1b2c3d4e5f60718"));
    }

    void jobsReadTheCacheReadOnly()
    {
        const std::string db = m_dir.filePath(QStringLiteral("jobs.sqlite")).toStdString();
        QVERIFY(prepareCache(db));
        QVERIFY(!prepareCache(db)); // it exists now
        QObject owner;
        JobTracker tracker(&owner, db);
        QString failure;
        tracker.run([](const JobContext& job) { job.store().database().exec("CREATE TABLE written (x)"); },
            [] { QFAIL("a job's connection must not write"); }, [&](const QString& error) { failure = error; });
        QTRY_VERIFY2(failure.contains(QStringLiteral("readonly")), qPrintable(failure));
    }

    void importSessionImportsWhatThePlanHolds()
    {
        const std::string db = m_dir.filePath(QStringLiteral("import.sqlite")).toStdString();
        // A folder with the sample, the retry-loop sample and a file no importer reads.
        QTemporaryDir folder;
        QVERIFY(QFile::copy(TestUtils::samplePath(), folder.filePath(QStringLiteral("a.json"))));
        QVERIFY(
            QFile::copy(TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json"),
                folder.filePath(QStringLiteral("b.json"))));
        TestUtils::writeFile(folder.filePath(QStringLiteral("notes.txt")), "not a trace");

        ImportSession session(db);
        QStringList notes;
        QStringList finished;
        int progressCalls = 0;
        ImportSession::Callbacks callbacks;
        callbacks.planned = [&](const ImportIssue& note) { notes << QString::fromStdString(note.file); };
        callbacks.progress = [&](const std::string&, int index, int count, double fraction, std::int64_t) {
            QVERIFY(index >= 0 && index < count && count == 2);
            QVERIFY(fraction >= 0 && fraction <= 1);
            ++progressCalls;
        };
        callbacks.fileFinished = [&](const ImportOutcome& outcome) {
            QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
            finished << QFileInfo(QString::fromStdString(outcome.file)).fileName();
        };
        const std::vector<ImportOutcome> outcomes = session.run({ folder.path().toStdString() }, callbacks);
        QCOMPARE(outcomes.size(), std::size_t(2));
        QCOMPARE(finished, (QStringList { QStringLiteral("a.json"), QStringLiteral("b.json") }));
        QCOMPARE(notes.size(), 1);
        QVERIFY(notes.front().endsWith(QStringLiteral("notes.txt")));
        QVERIFY(progressCalls > 0);

        // The spans in the cache are those of the two files, counted by Qt's JSON parser.
        const int expected = TestUtils::countOtlp(TestUtils::samplePath()).uniqueSpans
            + TestUtils::countOtlp(
                TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json"))
                  .uniqueSpans;
        std::int64_t spans = 0;
        TraceStore store(db, TraceStore::Mode::ReadOnly);
        for (const TraceSummary& trace : store.traces())
            spans += trace.spans;
        QCOMPARE(spans, std::int64_t(expected));
    }

    void aCancelledImportSessionStopsAndAddsNothing()
    {
        const std::string db = m_dir.filePath(QStringLiteral("cancelled.sqlite")).toStdString();
        std::atomic<bool> cancel = true;
        ImportSession session(db);
        session.setCancelFlag(&cancel);
        const std::vector<ImportOutcome> outcomes
            = session.importFiles({ TestUtils::samplePath().toStdString(), TestUtils::samplePath().toStdString() });
        QCOMPARE(outcomes.size(), std::size_t(1)); // stopped after the first file
        QCOMPARE(outcomes.front().status, ImportOutcome::Status::Cancelled);
        TraceStore store(db, TraceStore::Mode::ReadOnly);
        QVERIFY(store.traces().empty());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestServices)
#include "tst_services.moc"
