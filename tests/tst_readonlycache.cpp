// A cache the user may read but not write (a colleague's file, a read-only share): the window opens it read-only
// with a banner, shows its runs, and refuses imports and reviews with a message instead of failing on them.
//
// Root may write any file, so when the test runs as root (CI does) it makes the cache first, then becomes nobody
// before any window exists. The cache holds the sample: 1 run of 32 spans (jq, see tst_collector).

#include "testutils.h"

#include <cacheopener.h>
#include <importsession.h>
#include <mainwindow.h>
#include <steptreemodel.h>
#include <tracelistmodel.h>

#include <QAction>
#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Tracelight;

namespace {

QString g_cache;

QByteArray digest(const QString& path)
{
    return QCryptographicHash::hash(TestUtils::readFile(path), QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestReadOnlyCache : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TracelightTest"));
        QVERIFY2(access(g_cache.toLocal8Bit().constData(), W_OK) != 0, "the cache must not be writable here");
    }

    void openCacheSaysReadOnly()
    {
        const CacheState state = openCache(g_cache.toStdString());
        QCOMPARE(int(state.status), int(CacheState::Status::ReadOnly));
        QVERIFY2(state.message.find("may not write") != std::string::npos, state.message.c_str());
    }

    void windowReadsAndRefusesToWrite()
    {
        const QByteArray before = digest(g_cache);
        MainWindow window(g_cache);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE_WITH_TIMEOUT(window.traceListModel()->rowCount(), 1, 10000);
        QVERIFY(window.isReadOnly());
        // The banner says so, and what still works.
        QLabel* banner = nullptr;
        for (QLabel* label : window.findChildren<QLabel*>()) {
            if (label->text().startsWith(QStringLiteral("Read-only:")))
                banner = label;
        }
        QVERIFY(banner);
        QVERIFY(banner->isVisible());
        QVERIFY(banner->text().contains(QFileInfo(g_cache).fileName()));
        // The actions that write are off.
        for (QAction* action : window.findChildren<QAction*>()) {
            const QString text = action->text();
            if (text == QStringLiteral("&Open Traces…") || text == QStringLiteral("&Live Collector")
                || text == QStringLiteral("&Annotate…"))
                QVERIFY2(!action->isEnabled(), qPrintable(text));
        }
        // The run opens and reads as usual.
        QSignalSpy loaded(&window, &MainWindow::traceLoaded);
        window.selectTrace(QStringLiteral("62ea7a6dc2b69860d0195151f6e51f43"));
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.stepTreeModel()->snapshot()->size(), 32);
        // A dropped file is refused with a message, not a failed import.
        window.openFiles(
            { TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json") });
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("read-only")));
        QTest::qWait(500);
        QCOMPARE(window.traceListModel()->rowCount(), 1);
        window.close();
        QCOMPARE(digest(g_cache), before);
    }
};

int main(int argc, char** argv)
{
    // The cache, made while this process may still write.
    QTemporaryDir dir;
    dir.setAutoRemove(false);
    g_cache = dir.filePath(QStringLiteral("readonly.sqlite"));
    {
        ImportSession session(g_cache.toStdString());
        const auto outcomes = session.run({ TestUtils::samplePath().toStdString() });
        if (outcomes.size() != 1 || !outcomes.front().ok()) {
            std::fprintf(stderr, "cannot make the cache\n");
            return 1;
        }
    }
    ::chmod(g_cache.toLocal8Bit().constData(), 0444);
    if (geteuid() == 0) {
        // nobody owns the folder (so that it can clean up and SQLite may keep its -shm there) but not the file.
        const uid_t nobody = 65534;
        if (::chown(dir.path().toLocal8Bit().constData(), nobody, nobody) != 0
            || ::chmod(dir.path().toLocal8Bit().constData(), 0755) != 0) {
            std::fprintf(stderr, "cannot hand the folder to nobody\n");
            return 1;
        }
        for (const char* suffix : { "-wal", "-shm" })
            ::chown((g_cache + QLatin1String(suffix)).toLocal8Bit().constData(), nobody, nobody);
        if (setgroups(0, nullptr) != 0 || setgid(nobody) != 0 || setuid(nobody) != 0) {
            std::fprintf(stderr, "cannot become nobody\n");
            return 1;
        }
        qputenv("HOME", dir.path().toLocal8Bit());
        qputenv("XDG_RUNTIME_DIR", dir.path().toLocal8Bit());
    }
    QApplication app(argc, argv);
    TestReadOnlyCache test;
    const int failed = QTest::qExec(&test, argc, argv);
    QFile::setPermissions(g_cache, QFile::ReadOwner | QFile::WriteOwner);
    QDir(dir.path()).removeRecursively();
    return failed;
}

#include "tst_readonlycache.moc"
