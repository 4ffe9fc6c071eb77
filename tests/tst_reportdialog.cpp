// File → Export Report…: the dialog builds the report off the GUI thread, previews it, redacts and saves it.
#include "testutils.h"

#include <fileimport.h>
#include <mainwindow.h>
#include <reportdialog.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Tracelight;

namespace {
// jq -r '[.resourceSpans[].scopeSpans[].spans[].traceId] | unique[]' resources/samples/refund-agent.otlp.json
const char* const SampleTraceId = "62ea7a6dc2b69860d0195151f6e51f43";
} // namespace

class ReportDialogTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("dialog.sqlite"));
        TraceStore store(m_db.toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(TestUtils::samplePath().toStdString(), writer).ok());
    }

    void previewRedactSave()
    {
        ReportDialog dialog(m_db, QString::fromLatin1(SampleTraceId));
        QSignalSpy updated(&dialog, &ReportDialog::previewUpdated);
        QVERIFY(updated.wait(20000));
        QVERIFY(dialog.previewHtml().contains(QString::fromLatin1(SampleTraceId)));
        QVERIFY(!dialog.previewHtml().contains(QStringLiteral("<script"), Qt::CaseInsensitive));
        // The sample's system prompt names the customer's address (grep -o 'dana.whitfield@fastmail.com').
        QVERIFY(dialog.previewHtml().contains(QStringLiteral("dana.whitfield@fastmail.com")));

        dialog.patternsEdit()->setPlainText(QStringLiteral("Northwind"));
        dialog.redactBox()->setChecked(true);
        QVERIFY(updated.wait(20000));
        while (updated.wait(1500)) { } // the pattern's own rebuild after the typing pause
        QVERIFY(!dialog.previewHtml().contains(QStringLiteral("dana.whitfield@fastmail.com")));
        QVERIFY(dialog.previewHtml().contains(QStringLiteral("[EMAIL#1]")));
        QVERIFY(dialog.previewHtml().contains(QStringLiteral("pattern:Northwind")));

        dialog.formatBox()->setCurrentIndex(dialog.formatBox()->findData(QStringLiteral("md")));
        const QString path = m_dir.filePath(QStringLiteral("dialog.md"));
        QString error;
        QVERIFY2(dialog.saveTo(path, error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray md = file.readAll();
        QVERIFY(md.startsWith("# Audit report"));
        QVERIFY(md.contains("[EMAIL#1]"));
        QVERIFY(!md.contains("dana.whitfield@fastmail.com"));
    }

    void menuAction()
    {
        MainWindow window(m_db);
        bool found = false;
        for (QAction* action : window.menuBar()->actions().first()->menu()->actions())
            found = found || action->text().startsWith(QStringLiteral("Export &Report"));
        QVERIFY(found);
    }

private:
    QTemporaryDir m_dir;
    QString m_db;
};

QTEST_MAIN(ReportDialogTest)
#include "tst_reportdialog.moc"
