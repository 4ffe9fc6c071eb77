// WorkQueue (model/core/workqueue.h): the hand-off of the import pipeline and the collector's writer.
#include <workqueue.h>

#include <QTest>

#include <atomic>
#include <thread>

using namespace Tracelight;

class TestWorkQueue : public QObject
{
    Q_OBJECT
private slots:
    void takesInOrderWithinTheWeight()
    {
        WorkQueue<int> queue(100);
        for (int i = 1; i <= 5; ++i)
            QCOMPARE(queue.push(i, 10), WorkQueue<int>::Push::Queued);
        QCOMPARE(queue.take(25), (std::vector<int> { 1, 2 }));
        QCOMPARE(queue.take(5), (std::vector<int> { 3 })); // at least one, even when heavier
        QCOMPARE(queue.pendingWeight(), std::int64_t(50));
        queue.release(30);
        QCOMPARE(queue.pendingWeight(), std::int64_t(20));
    }

    void takenWeightCountsUntilReleased()
    {
        WorkQueue<int> queue(20);
        QCOMPARE(queue.tryPush(1, 15), WorkQueue<int>::Push::Queued);
        QCOMPARE(queue.tryPush(2, 10), WorkQueue<int>::Push::Full);
        QCOMPARE(queue.take(100), (std::vector<int> { 1 }));
        QCOMPARE(queue.tryPush(2, 10), WorkQueue<int>::Push::Full); // taken, not yet written
        queue.release(15);
        QCOMPARE(queue.tryPush(2, 10), WorkQueue<int>::Push::Queued);
        // Something heavier than the capacity gets in alone.
        WorkQueue<int> small(5);
        QCOMPARE(small.tryPush(1, 50), WorkQueue<int>::Push::Queued);
        QCOMPARE(small.tryPush(2, 1), WorkQueue<int>::Push::Full);
    }

    void pushWaitsForRoomAndIdleMeansWritten()
    {
        WorkQueue<int> queue(2);
        std::atomic<int> written = 0;
        std::thread consumer([&] {
            while (true) {
                const std::vector<int> items = queue.take();
                if (items.empty())
                    return;
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                written += items.front();
                queue.release(1);
            }
        });
        for (int i = 0; i < 50; ++i) {
            QCOMPARE(queue.push(1), WorkQueue<int>::Push::Queued);
            QVERIFY(queue.pendingWeight() <= 2);
        }
        queue.waitIdle();
        QCOMPARE(written.load(), 50);
        queue.close();
        consumer.join();
        QCOMPARE(queue.push(1), WorkQueue<int>::Push::Closed);
    }

    void closeLetsTheConsumerFinishWhatWaits()
    {
        WorkQueue<int> queue(10);
        queue.push(1);
        queue.push(2);
        queue.close();
        QCOMPARE(queue.tryPush(3), WorkQueue<int>::Push::Closed);
        QCOMPARE(queue.take(10), (std::vector<int> { 1, 2 }));
        QVERIFY(queue.take(10).empty());
    }

    void clearDropsWhatWaits()
    {
        WorkQueue<int> queue(10);
        queue.push(1);
        queue.push(2);
        queue.clear();
        QCOMPARE(queue.pendingWeight(), std::int64_t(0));
        queue.waitIdle(); // returns at once
        queue.close();
        QVERIFY(queue.take().empty());
    }
};

QTEST_GUILESS_MAIN(TestWorkQueue)
#include "tst_workqueue.moc"
