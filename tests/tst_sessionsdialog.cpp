#include "codingagentfixtures.h"

#include <fileimport.h>
#include <mainwindow.h>
#include <modelroles.h>
#include <sessionlistmodel.h>
#include <sessionsdialog.h>
#include <tracelistmodel.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QAction>
#include <QApplication>
#include <QImage>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Tracelight;
using namespace CodingAgentFixtures;

// The File → Open Coding-Agent Sessions… dialog, over a home folder made of corpus copies at run time.
class TestSessionsDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TracelightTest"));
        QSettings().clear();
        m_home = makeHome(m_dir.filePath(QStringLiteral("home")));
        qputenv("HOME", m_home.root.toUtf8());
        qunsetenv("CLAUDE_CONFIG_DIR");
        qunsetenv("CODEX_HOME");
        qputenv("TZ", "UTC");
        m_db = m_dir.filePath(QStringLiteral("dialog.sqlite"));
        TraceStore store(m_db.toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(m_home.claude2064.toStdString(), writer).ok());
    }

    void listsSessionsAndImportsTheChosenOnes()
    {
        SessionsDialog dialog(m_db);
        QSignalSpy scanned(&dialog, &SessionsDialog::scanFinished);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(scanned.wait(20000));
        QCOMPARE(scanned.front().front().toInt(), 6);
        SessionListModel* model = dialog.model();
        int imported = 0;
        for (int row = 0; row < model->rowCount(); ++row)
            imported += model->index(row, 0).data(ImportStateRole).toInt() == int(CodingSession::State::Imported);
        QCOMPARE(imported, 1);

        dialog.selectNew();
        QCOMPARE(dialog.selectedPaths().size(), 5);
        QVERIFY(!dialog.selectedPaths().contains(m_home.claude2064));
        QApplication::processEvents();
        const QImage shot = dialog.grab().toImage();
        QVERIFY(shot.width() >= 900);
        const QString png
            = QStringLiteral("%1/tracelight-sessions-dialog.png").arg(QCoreApplication::applicationDirPath());
        QVERIFY(shot.save(png));

        // The window imports what the dialog chose, through the import controller.
        MainWindow window(m_db);
        QTRY_COMPARE_WITH_TIMEOUT(window.traceListModel()->rowCount(), 1, 20000);
        window.openFiles(dialog.selectedPaths());
        QTRY_COMPARE_WITH_TIMEOUT(window.traceListModel()->rowCount(), 6, 30000);

        // Scanning again marks them imported.
        dialog.rescan();
        QVERIFY(scanned.wait(20000));
        for (int row = 0; row < model->rowCount(); ++row)
            QCOMPARE(model->index(row, 0).data(ImportStateRole).toInt(), int(CodingSession::State::Imported));
    }

    void menuHasTheAction()
    {
        MainWindow window(m_dir.filePath(QStringLiteral("menu.sqlite")));
        bool found = false;
        for (QAction* action : window.findChildren<QAction*>())
            found = found || action->text() == QStringLiteral("Open Coding-Agent &Sessions…");
        QVERIFY(found);
    }

private:
    QTemporaryDir m_dir;
    Home m_home;
    QString m_db;
};

QTEST_MAIN(TestSessionsDialog)
#include "tst_sessionsdialog.moc"
