#include "testutils.h"

#include <agentgraphpanel.h>
#include <cacheopener.h>
#include <conversationdialog.h>
#include <findingsmodel.h>
#include <findingspanel.h>
#include <graphview.h>
#include <importcontroller.h>
#include <kindstyle.h>
#include <livecollector.h>
#include <mainwindow.h>
#include <modelroles.h>
#include <sessiongroupmodel.h>
#include <sqlite.h>
#include <stepdetailview.h>
#include <steptreemodel.h>
#include <timelinepanel.h>
#include <timelineview.h>
#include <toolcallmodel.h>
#include <toolcallpanel.h>
#include <tracefilterproxymodel.h>
#include <tracelistmodel.h>

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeView>
#include <QUrl>

#include <httplib.h>

using namespace Tracelight;

class TestGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Settings of the test never touch the user's own.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TracelightTest"));
        QSettings().clear();
    }

    void liveCollectorFillsTheList()
    {
        QSettings().setValue(QStringLiteral("live/listen"), QStringLiteral("127.0.0.1:0"));
        QSettings().setValue(QStringLiteral("live/grpcListen"), QStringLiteral("127.0.0.1:0"));
        MainWindow window(m_dir.filePath(QStringLiteral("live.sqlite")));
        window.show();
        window.setLive(true);
        LiveCollector* live = window.liveCollector();
        QVERIFY(live && live->isRunning());
        const int port = live->address().section(QLatin1Char(':'), -1).toInt();
        QVERIFY(port > 0);
        // gRPC beside HTTP, on a port of its own.
        QVERIFY2(live->grpcError().isEmpty(), qPrintable(live->grpcError()));
        QVERIFY(live->grpcAddress().section(QLatin1Char(':'), -1).toInt() > 0);
        QVERIFY(live->grpcAddress() != live->address());
        QFile sample(TestUtils::samplePath());
        QVERIFY(sample.open(QIODevice::ReadOnly));
        httplib::Client client("127.0.0.1", port);
        auto result = client.Post("/v1/traces", sample.readAll().toStdString(), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        // The list refreshes by itself (the collector's 500 ms poll), and the status bar counts the spans.
        QTRY_COMPARE_WITH_TIMEOUT(window.traceListModel()->rowCount(), 1, 5000);
        QLabel* indicator = nullptr;
        for (QLabel* label : window.findChildren<QLabel*>()) {
            if (label->text().startsWith(QStringLiteral("● Live")))
                indicator = label;
        }
        QVERIFY(indicator);
        QTRY_VERIFY_WITH_TIMEOUT(indicator->text().contains(QStringLiteral("32 spans")), 5000);
        QVERIFY(indicator->text().contains(live->address()));
        // A few seconds after the spans of a run stop coming, its findings are in the list too.
        QFile loop(TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json"));
        QVERIFY(loop.open(QIODevice::ReadOnly));
        result = client.Post("/v1/traces", loop.readAll().toStdString(), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(window.traceListModel()->rowCount(), 2, 5000);
        const auto findingsOf = [&](const char* traceId) {
            return window.traceListModel()
                ->index(window.traceListModel()->rowOf(traceId), TraceListModel::FindingsColumn)
                .data()
                .toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(
            findingsOf("b4d0c0de5e7a11f0a1b2c3d4e5f60718"), QStringLiteral("ungrounded argument, loop"), 15000);
        QCOMPARE(findingsOf("62ea7a6dc2b69860d0195151f6e51f43"), QStringLiteral("ungrounded argument"));
        // Stopping returns at once; the writer commits what it holds on a worker, then says so.
        QSignalSpy stopped(live, &LiveCollector::stopped);
        window.setLive(false);
        QVERIFY(!live->isRunning());
        QVERIFY(!indicator->isVisible());
        QTRY_COMPARE(stopped.size(), 1);
        QSettings().remove(QStringLiteral("live/listen"));
        QSettings().remove(QStringLiteral("live/grpcListen"));
    }

    // The open run grows while its spans arrive: the tree, the timeline and the tool calls show the new steps, and
    // the reader keeps the selected step, the open branches and the zoom.
    void openRunGrowsLive()
    {
        QSettings().setValue(QStringLiteral("live/listen"), QStringLiteral("127.0.0.1:0"));
        QSettings().setValue(QStringLiteral("live/grpcListen"), QStringLiteral("off"));
        MainWindow window(m_dir.filePath(QStringLiteral("grow.sqlite")));
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setLive(true);
        LiveCollector* live = window.liveCollector();
        QVERIFY(live && live->isRunning());
        QVERIFY(live->grpcAddress().isEmpty());
        httplib::Client client("127.0.0.1", live->address().section(QLatin1Char(':'), -1).toInt());

        // The sample's spans in file order: the first 20, then the other 12 (32 in all, see tst_collector).
        QFile file(TestUtils::samplePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject document = QJsonDocument::fromJson(file.readAll()).object();
        const auto part = [&](int from, int to) {
            QJsonObject copy = document;
            QJsonArray resourceSpans = copy[QStringLiteral("resourceSpans")].toArray();
            int index = 0;
            for (auto resource = resourceSpans.begin(); resource != resourceSpans.end(); ++resource) {
                QJsonObject r = resource->toObject();
                QJsonArray scopes = r[QStringLiteral("scopeSpans")].toArray();
                for (auto scope = scopes.begin(); scope != scopes.end(); ++scope) {
                    QJsonObject sc = scope->toObject();
                    QJsonArray kept;
                    for (const QJsonValue span : sc[QStringLiteral("spans")].toArray()) {
                        if (index >= from && index < to)
                            kept.append(span);
                        ++index;
                    }
                    sc[QStringLiteral("spans")] = kept;
                    *scope = sc;
                }
                r[QStringLiteral("scopeSpans")] = scopes;
                *resource = r;
            }
            copy[QStringLiteral("resourceSpans")] = resourceSpans;
            return QJsonDocument(copy).toJson(QJsonDocument::Compact).toStdString();
        };
        auto result = client.Post("/v1/traces", part(0, 20), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(window.traceListModel()->rowCount(), 1, 5000);
        QSignalSpy loaded(&window, &MainWindow::traceLoaded);
        window.selectTrace(QStringLiteral("62ea7a6dc2b69860d0195151f6e51f43"));
        QVERIFY(loaded.wait(10000));
        StepTreeModel* steps = window.stepTreeModel();
        QCOMPARE(steps->snapshot()->size(), 20);
        QTreeView* tree = nullptr;
        for (QTreeView* candidate : window.findChildren<QTreeView*>()) {
            if (candidate->model() == steps)
                tree = candidate;
        }
        QVERIFY(tree);
        // The reader picks the last step shown, closes the first open branch, and zooms in.
        const int picked = steps->snapshot()->size() - 1;
        const std::string pickedSpan = steps->snapshot()->step(picked).spanId;
        tree->setCurrentIndex(steps->indexForStep(picked));
        QModelIndex closed;
        for (int row = 0; row < steps->rowCount() && !closed.isValid(); ++row) {
            if (tree->isExpanded(steps->index(row, 0)))
                closed = steps->index(row, 0);
        }
        QVERIFY(closed.isValid());
        const std::string closedSpan = steps->snapshot()->step(steps->stepIndex(closed)).spanId;
        tree->collapse(closed);
        TimelineView* timeline = window.timelinePanel()->view();
        timeline->zoomIn();
        const TimeAxis axis = timeline->axis();
        const int toolCallsBefore = window.toolCallPanel()->callModel()->rowCount();

        QSignalSpy grew(&window, &MainWindow::traceGrew);
        result = client.Post("/v1/traces", part(20, 32), "application/json");
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QVERIFY(grew.wait(10000));
        const auto& snapshot = steps->snapshot();
        QCOMPARE(snapshot->size(), 32);
        QCOMPARE(timeline->snapshot()->size(), 32);
        // The same step is current in the tree and the timeline, the branch stays closed, the zoom is kept.
        QCOMPARE(steps->stepIndex(tree->currentIndex()), snapshot->indexOf(pickedSpan));
        QCOMPARE(timeline->currentStep(), snapshot->indexOf(pickedSpan));
        QVERIFY(!tree->isExpanded(steps->indexForStep(snapshot->indexOf(closedSpan))));
        QCOMPARE(timeline->axis().origin(), axis.origin());
        QCOMPARE(timeline->axis().nsPerPixel(), axis.nsPerPixel());
        // The tool table has a row for every tool step of the grown run, more than before.
        int toolSteps = 0;
        for (int i = 0; i < snapshot->size(); ++i)
            toolSteps += snapshot->step(i).kind == StepKind::Tool ? 1 : 0;
        QCOMPARE(window.toolCallPanel()->callModel()->rowCount(), toolSteps);
        QVERIFY(toolSteps > toolCallsBefore);
        window.setLive(false);
        QSettings().remove(QStringLiteral("live/listen"));
        QSettings().remove(QStringLiteral("live/grpcListen"));
    }

    // The cache is opened (created, migrated) on a worker: the window appears first, and a file that is no cache
    // is said so in the status bar and a window-modal message, never a crash or a blocked constructor.
    void aCacheThatCannotBeOpenedIsReported()
    {
        const QString path = m_dir.filePath(QStringLiteral("garbage.sqlite"));
        TestUtils::writeFile(path, QByteArray(8192, 'x'));
        MainWindow window(path);
        window.show();
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = window.findChild<QMessageBox*>()) != nullptr);
        QVERIFY(box->text().contains(path));
        bool reported = false;
        for (QLabel* label : window.findChildren<QLabel*>())
            reported = reported || label->text().startsWith(QStringLiteral("Cannot open the cache"));
        QVERIFY(reported);
        QCOMPARE(window.traceListModel()->rowCount(), 0);
        // The offer: keep the file beside under another name and start anew; the new cache takes imports.
        auto* moveAside = box->findChild<QPushButton*>(QStringLiteral("moveAside"));
        QVERIFY(moveAside);
        QSignalSpy loaded(&window, &MainWindow::traceLoaded);
        moveAside->click();
        const QDir folder(m_dir.path());
        QTRY_COMPARE(folder.entryList({ QStringLiteral("garbage.sqlite.broken-*") }).size(), 1);
        const QString kept = m_dir.filePath(folder.entryList({ QStringLiteral("garbage.sqlite.broken-*") }).front());
        QCOMPARE(TestUtils::readFile(kept), QByteArray(8192, 'x')); // nothing of it lost
        QTRY_VERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("The old cache is kept as")));
        window.openFiles({ TestUtils::samplePath() });
        QVERIFY(loaded.wait(20000));
        QCOMPARE(window.traceListModel()->rowCount(), 1);
    }

    // A cache of a newer schema is not touched; it can be moved aside the same way.
    void aNewerCacheIsNotTouched()
    {
        const QString path = m_dir.filePath(QStringLiteral("newer.sqlite"));
        QVERIFY(prepareCache(path.toStdString()));
        {
            Sql::Database db(path.toStdString(), Sql::Database::Mode::ReadWrite);
            db.exec("PRAGMA user_version = 999");
        }
        MainWindow window(path);
        window.show();
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = window.findChild<QMessageBox*>()) != nullptr);
        QVERIFY2(box->text().contains(QStringLiteral("newer")), qPrintable(box->text()));
        QVERIFY(box->findChild<QPushButton*>(QStringLiteral("moveAside")));
        box->close();
        // Refused, the file as it was.
        Sql::Database db(path.toStdString(), Sql::Database::Mode::ReadOnly);
        auto version = db.prepare("PRAGMA user_version");
        QVERIFY(version.step());
        QCOMPARE(version.int64(0), 999);
    }

    void windowShowsImportedTrace()
    {
        MainWindow window(m_dir.filePath(QStringLiteral("gui.sqlite")));
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::traceLoaded);
        window.openFiles({ TestUtils::samplePath() });
        QVERIFY(loaded.wait(20000));
        QCOMPARE(loaded.front().front().toString(), QStringLiteral("62ea7a6dc2b69860d0195151f6e51f43"));
        QCOMPARE(window.traceListModel()->rowCount(), 1);
        StepTreeModel* steps = window.stepTreeModel();
        QCOMPARE(steps->rowCount(), 1);
        QCOMPARE(steps->snapshot()->size(), 32);

        // Select the failing tool call: the details follow, with the error and the tool's arguments.
        QTreeView* tree = nullptr;
        for (QTreeView* candidate : window.findChildren<QTreeView*>()) {
            if (candidate->model() == steps)
                tree = candidate;
        }
        QVERIFY(tree);
        const int failing = steps->snapshot()->indexOf("dcd2a8ceac3508ff");
        tree->setCurrentIndex(steps->indexForStep(failing));
        auto* details = window.findChild<StepDetailView*>();
        QTRY_VERIFY_WITH_TIMEOUT(details->toPlainText().contains(QStringLiteral("card declined")), 10000);
        QVERIFY(details->toPlainText().contains(QStringLiteral("issue_refund")));
        // The import found that the refund went to another customer than the order's: the list, the Findings
        // panel and the inspector of the refund (with where its arguments came from) say so.
        QTRY_COMPARE_WITH_TIMEOUT(window.findingsPanel()->model()->rowCount(), 1, 10000);
        QCOMPARE(window.traceListModel()->index(0, TraceListModel::FindingsColumn).data().toString(),
            QStringLiteral("ungrounded argument"));
        QTRY_VERIFY_WITH_TIMEOUT(
            details->toPlainText().contains(QStringLiteral("Where the arguments came from")), 10000);
        QVERIFY(details->toPlainText().contains(QStringLiteral("cust_51907 ← contradicts customer_id = cust_48213")));

        // One selection: the timeline follows the tree, and stepping in the timeline moves the tree.
        TimelinePanel* timeline = window.timelinePanel();
        QCOMPARE(timeline->currentStep(), failing);
        QCOMPARE(timeline->positionText(), QStringLiteral("Step 19 of 32"));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        timeline->view()->setFocus();
        QTest::keyClick(timeline->view(), Qt::Key_Down);
        const int post = steps->snapshot()->indexOf("9cdee8866f698302");
        QCOMPARE(timeline->currentStep(), post);
        QCOMPARE(steps->stepIndex(tree->currentIndex()), post);
        QTest::keyClick(timeline->view(), Qt::Key_Left); // out to the failed call
        QCOMPARE(timeline->currentStep(), failing);
        QTest::keyClick(timeline->view(), Qt::Key_L); // next LLM call
        QCOMPARE(steps->snapshot()->step(timeline->currentStep()).spanId, std::string("e69a0878c4c5b42d"));
        QTest::keyClick(timeline->view(), Qt::Key_E, Qt::ShiftModifier); // back to the last error before it
        QCOMPARE(steps->snapshot()->step(timeline->currentStep()).spanId, std::string("9cdee8866f698302"));
        QTest::keyClick(timeline->view(), Qt::Key_Home);
        QCOMPARE(timeline->positionText(), QStringLiteral("Step 1 of 32"));
        // A click on a row of the waterfall selects that step.
        const int row5 = steps->snapshot()->causalOrder()[4];
        const QPoint inRow5(40,
            TimelineRenderer::OverviewHeight + TimelineRenderer::RulerHeight + 4 * TimelineRenderer::RowHeight
                + TimelineRenderer::RowHeight / 2);
        QTest::mouseClick(timeline->view()->viewport(), Qt::LeftButton, {}, inRow5);
        QCOMPARE(timeline->currentStep(), row5);
        tree->setCurrentIndex(steps->indexForStep(failing));
        QTRY_VERIFY_WITH_TIMEOUT(details->toPlainText().contains(QStringLiteral("card declined")), 10000);

        // Review with the keyboard: Alt+2 labels the selected step with the second label of the set ("wrong");
        // the list's Review column, its filters and the inspector show it.
        tree->setFocus();
        QTest::keyClick(tree, Qt::Key_2, Qt::AltModifier);
        QTRY_COMPARE_WITH_TIMEOUT(window.traceListModel()->index(0, TraceListModel::ReviewColumn).data().toString(),
            QStringLiteral("wrong"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(details->toPlainText().contains(QStringLiteral("Annotations")), 10000);
        QVERIFY(details->toPlainText().contains(QStringLiteral("wrong")));
        auto* proxy = qobject_cast<TraceFilterProxyModel*>(window.runListModel()->sourceModel()); // the list's filter
        QVERIFY(proxy);
        proxy->setStatus(TraceFilterProxyModel::StatusFilter::NotReviewed);
        QCOMPARE(proxy->rowCount(), 0);
        proxy->setStatus(TraceFilterProxyModel::StatusFilter::Annotated);
        QCOMPARE(proxy->rowCount(), 1);
        proxy->setStatus(TraceFilterProxyModel::StatusFilter::Any);

        // Ctrl+T: the run's conversation (gen_ai.conversation.id) as a transcript, with the customer's message.
        QCOMPARE(window.traceListModel()->index(0, TraceListModel::SessionColumn).data().toString(),
            QStringLiteral("conv_8f2c4e1a9b7d4c02a61e"));
        QTest::keyClick(tree, Qt::Key_T, Qt::ControlModifier);
        ConversationDialog* conversation = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((conversation = window.findChild<ConversationDialog*>()) != nullptr, 5000);
        QTRY_VERIFY2_WITH_TIMEOUT(conversation->html().contains(QStringLiteral("Trailhead 40L daypack")),
            qPrintable(conversation->html().right(600)), 10000);
        QVERIFY(conversation->html().contains(QStringLiteral("Thanks for your patience, Dana")));
        QVERIFY(conversation->html().contains(QStringLiteral("Turn 1")));
        // The turn's steps are folded beneath it: its link unfolds them, a step's link opens it in the window.
        QVERIFY(!conversation->html().contains(QStringLiteral("execute_tool issue_refund")));
        QVERIFY(conversation->html().contains(QStringLiteral("32 steps")));
        conversation->toggleSteps(1);
        QVERIFY(conversation->html().contains(QStringLiteral("execute_tool issue_refund")));
        QVERIFY(conversation->html().contains(
            QStringLiteral("tracelight:turn/62ea7a6dc2b69860d0195151f6e51f43/dcd2a8ceac3508ff")));
        QSignalSpy stepAsked(conversation, &ConversationDialog::stepRequested);
        emit conversation->findChild<QTextBrowser*>()->anchorClicked(
            QUrl(QStringLiteral("tracelight:turn/62ea7a6dc2b69860d0195151f6e51f43/9cdee8866f698302")));
        QCOMPARE(stepAsked.size(), 1);
        QCOMPARE(stepAsked.front().at(1).toString(), QStringLiteral("9cdee8866f698302"));
        QTRY_COMPARE_WITH_TIMEOUT(timeline->currentStep(), post, 5000);
        QVERIFY(conversation->grab().toImage().save(
            QStringLiteral("%1/tracelight-conversation.png").arg(QCoreApplication::applicationDirPath())));
        conversation->close();

        QApplication::processEvents();
        const QImage shot = window.grab().toImage();
        QCOMPARE(shot.size(), QSize(1280, 800));
        const QString png = QStringLiteral("%1/tracelight-main-window.png").arg(QCoreApplication::applicationDirPath());
        QVERIFY(shot.save(png));
        // The step tree paints kind badges: the LLM badge colour must be on screen.
        const QColor llm = KindStyle::color(StepKind::Llm, false);
        int badgePixels = 0;
        for (int y = 0; y < shot.height(); ++y) {
            for (int x = 0; x < shot.width(); ++x)
                badgePixels += shot.pixelColor(x, y) == llm;
        }
        QVERIFY2(badgePixels > 200, qPrintable(QStringLiteral("LLM badge pixels: %1").arg(badgePixels)));
    }

    // The two bundled samples are two turns of one conversation (gen_ai.conversation.id): the run list shows them
    // as one session row; selecting it shows its first turn; Ctrl+Shift+G on it draws the graph of both runs; the
    // grouping can be turned off (and stays so).
    void runsOfASessionAreGrouped()
    {
        MainWindow window(m_dir.filePath(QStringLiteral("sessions.sqlite")));
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy refreshed(&window, &MainWindow::tracesRefreshed);
        window.openFiles({ TestUtils::samplePath(),
            TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json") });
        QTRY_COMPARE_WITH_TIMEOUT(window.traceListModel()->rowCount(), 2, 20000);
        SessionGroupModel* runs = window.runListModel();
        QTRY_COMPARE_WITH_TIMEOUT(runs->rowCount(), 1, 5000);
        const QModelIndex session = runs->index(0, 0);
        QVERIFY(runs->isSession(session));
        QCOMPARE(runs->rowCount(session), 2);
        QCOMPARE(session.siblingAtColumn(TraceListModel::SessionColumn).data().toString(),
            QStringLiteral("conv_8f2c4e1a9b7d4c02a61e"));
        QCOMPARE(session.siblingAtColumn(TraceListModel::SpansColumn).data().toString(), QStringLiteral("73"));
        // Turns in the order they started (these two start together: then by trace id).
        const auto start = [&](int turn) {
            return window.traceListModel()
                ->traceAt(window.traceListModel()->rowOf(
                    runs->index(turn, 0, session).data(TraceIdRole).toString().toStdString()))
                ->startNs;
        };
        QVERIFY(start(0) <= start(1));
        QCOMPARE(runs->index(0, 0, session).data(TraceIdRole).toString(),
            QStringLiteral("62ea7a6dc2b69860d0195151f6e51f43"));

        // Selecting the session shows its first turn (select the second turn first, so that something changes).
        window.runList()->setCurrentIndex(runs->index(1, 0, session));
        const auto shown = [&] {
            const auto& snapshot = window.stepTreeModel()->snapshot();
            return snapshot ? QString::fromStdString(snapshot->summary().traceId) : QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(shown(), runs->index(1, 0, session).data(TraceIdRole).toString(), 10000);
        window.runList()->setCurrentIndex(session);
        QTRY_COMPARE_WITH_TIMEOUT(shown(), runs->index(0, 0, session).data(TraceIdRole).toString(), 10000);
        window.runList()->expand(session);
        window.runList()->selectionModel()->select(
            session, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        window.runList()->setFocus();
        QTest::keyClick(window.runList(), Qt::Key_G, Qt::ControlModifier | Qt::ShiftModifier);
        AgentGraphPanel* graph = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((graph = [&]() -> AgentGraphPanel* {
            for (AgentGraphPanel* panel : window.findChildren<AgentGraphPanel*>())
                if (panel->isWindow())
                    return panel;
            return nullptr;
        }()) != nullptr,
            5000);
        QTRY_VERIFY_WITH_TIMEOUT(graph->view()->graphLayout() != nullptr, 20000);
        QCOMPARE(graph->view()->graphLayout()->input().runs, 2);
        QApplication::processEvents();
        QVERIFY(window.grab().toImage().save(
            QStringLiteral("%1/tracelight-sessions-grouped.png").arg(QCoreApplication::applicationDirPath())));
        graph->close();

        window.setGroupBySession(false);
        QCOMPARE(runs->rowCount(), 2);
        QVERIFY(!QSettings().value(QStringLiteral("groupBySession")).toBool());
        window.setGroupBySession(true);
        QCOMPARE(runs->rowCount(), 1);
    }

    void failedImportLeavesListAsItWas()
    {
        MainWindow window(m_dir.filePath(QStringLiteral("gui-bad.sqlite")));
        const QString bad = m_dir.filePath(QStringLiteral("bad.json"));
        TestUtils::writeFile(bad, "{\"resourceSpans\": [");
        QSignalSpy finished(window.importController(), &ImportController::importFinished);
        QSignalSpy outcomes(window.importController(), &ImportController::fileFinished);
        // The error box is modal; close it as soon as it appears.
        QTimer closer;
        connect(&closer, &QTimer::timeout, this, [] {
            if (QWidget* modal = QApplication::activeModalWidget())
                modal->close();
        });
        closer.start(50);
        window.openFiles({ bad });
        QVERIFY(finished.wait(20000));
        QCOMPARE(outcomes.size(), 1);
        const auto outcome = outcomes.front().front().value<ImportOutcome>();
        QCOMPARE(outcome.status, ImportOutcome::Status::Failed);
        QCOMPARE(window.traceListModel()->rowCount(), 0);
    }

    // Cancel goes through the job helper's stop(): the file rolls back, is reported as cancelled, and the queue
    // behind it is dropped; then the controller takes new work again.
    void cancelledImportSaysSoAndAddsNothing()
    {
        const QString db = m_dir.filePath(QStringLiteral("cancel.sqlite"));
        ImportController controller(db);
        QSignalSpy started(&controller, &ImportController::importStarted);
        QSignalSpy finished(&controller, &ImportController::importFinished);
        QSignalSpy outcomes(&controller, &ImportController::fileFinished);
        controller.importFiles({ TestUtils::samplePath(), TestUtils::samplePath() });
        controller.cancel();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.front().at(2).toBool(), true); // cancelled
        QCOMPARE(outcomes.size(), 1);
        QCOMPARE(outcomes.front().front().value<ImportOutcome>().status, ImportOutcome::Status::Cancelled);
        QVERIFY(!controller.isRunning());
        {
            TraceStore store(db.toStdString(), TraceStore::Mode::ReadOnly);
            QVERIFY(store.traces().empty());
        }

        finished.clear();
        outcomes.clear();
        controller.importFiles({ TestUtils::samplePath() });
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.front().at(0).toInt(), 1); // succeeded
        QCOMPARE(finished.front().at(2).toBool(), false);
        QCOMPARE(outcomes.size(), 1);
        QCOMPARE(started.size(), 2);
        TraceStore store(db.toStdString(), TraceStore::Mode::ReadOnly);
        QVERIFY(!store.traces().empty());
    }

    void hostileContentStaysText()
    {
        StepDetail detail;
        detail.record.kind = StepKind::Llm;
        detail.record.name = "<b>bold</b>";
        detail.step.inputMessages
            = R"([{"role":"user","parts":[{"type":"text","content":"<script>alert(1)</script><img src=x onerror=alert(2)> <a href='http://evil'>click</a>"}]}])";
        detail.step.attributesJson = R"([{"key":"<i>k</i>","value":{"stringValue":"<table>"}}])";
        const QString html = StepDetailView::stepHtml(detail, false);
        QVERIFY(!html.contains(QStringLiteral("<script>")));
        QVERIFY(!html.contains(QStringLiteral("<img")));
        QVERIFY(!html.contains(QStringLiteral("<a href")));
        QVERIFY(!html.contains(QStringLiteral("<b>bold")));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;")));
        StepDetailView view;
        view.showStep(detail);
        QVERIFY(view.toPlainText().contains(QStringLiteral("<script>alert(1)</script>")));
        QVERIFY(view.toPlainText().contains(QStringLiteral("<b>bold</b>")));

        // Text built to deceive a reader ("Trojan Source"): a right-to-left override that shows "exe.gpj" as
        // "jpg.exe", a zero-width space, an escape sequence and a NUL are shown as what they are.
        StepDetail trojan;
        trojan.record.kind = StepKind::Tool;
        trojan.record.name = "read_file";
        trojan.step.toolResult = std::string("invoice\u202egpj.exe ok\u200b\x1b[31m") + std::string(1, '\0') + "end";
        trojan.step.inputMessages
            = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"approve \u202eyenom\u202c now\"}]}]";
        view.showStep(trojan);
        const QString shown = view.toPlainText();
        QVERIFY2(shown.contains(QStringLiteral("invoice[U+202E]gpj.exe ok[U+200B][U+001B][31m[U+0000]end")),
            qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("approve [U+202E]yenom[U+202C] now")), qPrintable(shown));
        for (const char16_t hidden : { u'\u202e', u'\u202c', u'\u200b', u'\x1b', u'\0' })
            QVERIFY(!shown.contains(QChar(hidden)));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestGui)
#include "tst_gui.moc"
