#include "mainwindow.h"

#include "agentgraphpanel.h"
#include "annotationdialog.h"
#include "comparewindow.h"
#include "conversationdialog.h"
#include "dashboardwidget.h"
#include "findbar.h"
#include "findingspanel.h"
#include "importcontroller.h"
#include "inspectorpanel.h"
#include "livecollector.h"
#include "priceeditordialog.h"
#include "reportdialog.h"
#include "runchartspanel.h"
#include "searchdialog.h"
#include "sessionsdialog.h"
#include "stepdetailview.h"
#include "steptreedelegate.h"
#include "theme.h"
#include "timelinepanel.h"
#include "timelineview.h"
#include "toolcallpanel.h"
#include "uilogging.h"
#include "versioncomparewindow.h"

#include <annotationstore.h>
#include <cacheopener.h>
#include <findingsindex.h>
#include <format.h>
#include <modelroles.h>
#include <sessiongroupmodel.h>
#include <steptreemodel.h>
#include <timelinelayout.h>
#include <toolcalls.h>
#include <tracefilterproxymodel.h>
#include <tracelistmodel.h>
#include <tracesearch.h>
#include <tracestore.h>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <set>
#include <unordered_set>

namespace Tracelight {

namespace {

// Rows with room around the text, as in the other lists (a tree view's rows are as tight as its font).
class RoomyRowDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(0, 8);
    }
};

} // namespace

namespace {

constexpr int maxRecentFiles = 10;

} // namespace

MainWindow::MainWindow(const QString& databasePath, QWidget* parent)
    : QMainWindow(parent)
    , m_databasePath(databasePath)
    , m_imports(new ImportController(databasePath, this))
    , m_traceModel(new TraceListModel(this))
    , m_traceProxy(new TraceFilterProxyModel(this))
    , m_stepModel(new StepTreeModel(this))
{
    setWindowTitle(QStringLiteral("Tracelight"));
    setAcceptDrops(true);
    Theme::apply(Theme::fromString(QSettings().value(QStringLiteral("theme")).toString()));
    for (JobTracker* job : { &m_openJob, &m_listJob, &m_traceJob, &m_growJob, &m_detailJob, &m_findingsJob,
             &m_annotationJob, &m_conversationJob, &m_toolCallJob, &m_liveJob })
        job->setDatabasePath(databasePath.toStdString());
    m_traceProxy->setSourceModel(m_traceModel);
    reloadPrices();
    createWidgets();
    createActions();
    restoreSettings();

    connect(m_imports, &ImportController::importStarted, this, [this](int files) {
        m_progress->setValue(0);
        m_progress->show();
        m_cancelButton->show();
        if (m_cancelAction)
            m_cancelAction->setEnabled(true);
        m_statusLabel->setText(tr("Importing %n file(s)…", nullptr, files));
    });
    connect(m_imports, &ImportController::progressChanged, this, [this](const QString& message, int permille) {
        m_progress->setValue(permille);
        m_statusLabel->setText(message);
    });
    connect(m_imports, &ImportController::fileFinished, this, &MainWindow::onFileFinished);
    connect(m_imports, &ImportController::importFinished, this, &MainWindow::onImportFinished);
    connect(m_imports, &ImportController::indexingStarted, this, [this] {
        m_progress->setValue(0);
        m_progress->show();
        m_cancelButton->show();
        m_statusLabel->setText(tr("Indexing for search…"));
    });
    connect(m_imports, &ImportController::findingsUpdated, this, [this] {
        refreshTraces();
        loadRunFindings();
    });
    connect(m_imports, &ImportController::indexingFinished, this, [this] {
        m_progress->hide();
        m_cancelButton->hide();
        m_statusLabel->clear();
    });
    prepareCache();
    if (QSettings().value(QStringLiteral("live/startWithApp"), false).toBool())
        QTimer::singleShot(0, this, [this] { setLive(true); });
}

MainWindow::~MainWindow() = default;

void MainWindow::createWidgets()
{
    auto* listPanel = new QWidget;
    auto* listLayout = new QVBoxLayout(listPanel);
    listLayout->setContentsMargins(8, 8, 8, 0);
    auto* filterRow = new QHBoxLayout;
    m_filterEdit = new QLineEdit;
    m_filterEdit->setPlaceholderText(tr("Filter runs by name, trace id, service…  (Ctrl+L)"));
    m_filterEdit->setClearButtonEnabled(true);
    m_serviceCombo = new QComboBox;
    m_versionCombo = new QComboBox;
    m_statusCombo = new QComboBox;
    m_statusCombo->addItems({ tr("Any status"), tr("With errors"), tr("Without errors"), tr("With findings"),
        tr("Annotated"), tr("Not reviewed") });
    m_serviceCombo->setMinimumContentsLength(14);
    m_versionCombo->setMinimumContentsLength(8);
    filterRow->addWidget(m_filterEdit, 1);
    filterRow->addWidget(m_serviceCombo);
    filterRow->addWidget(m_versionCombo);
    filterRow->addWidget(m_statusCombo);
    listLayout->addLayout(filterRow);

    m_sessionGroups = new SessionGroupModel(m_traceModel, this);
    m_sessionGroups->setSourceModel(m_traceProxy);
    m_sessionGroups->setGrouping(QSettings().value(QStringLiteral("groupBySession"), true).toBool());
    m_traceView = new QTreeView;
    m_traceView->setModel(m_sessionGroups);
    m_traceView->setSortingEnabled(true);
    m_traceView->sortByColumn(TraceListModel::StartColumn, Qt::DescendingOrder);
    m_traceView->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Two runs selected (Ctrl+click) can be compared.
    m_traceView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_traceView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_traceView->setAlternatingRowColors(true);
    m_traceView->setWordWrap(false);
    m_traceView->setUniformRowHeights(true);
    m_traceView->setAllColumnsShowFocus(true);
    m_traceView->setRootIsDecorated(true);
    m_traceView->setAccessibleName(tr("Runs"));
    m_traceView->setItemDelegate(new RoomyRowDelegate(m_traceView));
    // The run's name gets a readable width; the figures take what they need, long texts a width the user can
    // change; the columns can be hidden from the header's menu (kept with the window's settings).
    QHeaderView* runHeader = m_traceView->header();
    runHeader->setStretchLastSection(true);
    runHeader->setHighlightSections(false);
    runHeader->setSectionsMovable(true);
    // Widths from typical values, never from the rows (ResizeToContents measures up to a thousand rows again on
    // every change: with a live collector updating runs that took most of the GUI thread). A double click on a
    // divider still fits a column to what it holds.
    const QFontMetrics listMetrics = m_traceView->fontMetrics();
    for (const auto& [column, sample] :
        { std::pair { TraceListModel::NameColumn, "invoke_agent triage · turn 2 of 3 ·" },
            std::pair { TraceListModel::ServiceColumn, "support-agent-x" },
            std::pair { TraceListModel::VersionColumn, "2.10.3" },
            std::pair { TraceListModel::StartColumn, "2026-12-07 23:59:59.999" },
            std::pair { TraceListModel::DurationColumn, "12 min 30 s" },
            std::pair { TraceListModel::SpansColumn, "100,000" }, std::pair { TraceListModel::LlmCallsColumn, "1,000" },
            std::pair { TraceListModel::ToolCallsColumn, "1,000" },
            std::pair { TraceListModel::TokensColumn, "1,234,567" },
            std::pair { TraceListModel::CostColumn, "$123.45" }, std::pair { TraceListModel::ErrorsColumn, "1,000" },
            std::pair { TraceListModel::FindingsColumn, "ungrounded argument" },
            std::pair { TraceListModel::ReviewColumn, "wrong refund" },
            std::pair { TraceListModel::SessionColumn, "conv_8f2c4e1a9b" } }) {
        const QString header = m_traceModel->headerData(column, Qt::Horizontal).toString();
        runHeader->setSectionResizeMode(column, QHeaderView::Interactive);
        runHeader->resizeSection(column,
            std::max(listMetrics.horizontalAdvance(QLatin1String(sample)), listMetrics.horizontalAdvance(header) + 12)
                + 20);
    }
    runHeader->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(runHeader, &QHeaderView::customContextMenuRequested, this, [this, runHeader](const QPoint& at) {
        QMenu menu;
        for (int column = TraceListModel::ServiceColumn; column < TraceListModel::ColumnCount; ++column) {
            QAction* action = menu.addAction(m_traceModel->headerData(column, Qt::Horizontal).toString());
            action->setCheckable(true);
            action->setChecked(!runHeader->isSectionHidden(column));
            connect(action, &QAction::toggled, runHeader,
                [runHeader, column](bool shown) { runHeader->setSectionHidden(column, !shown); });
        }
        menu.exec(runHeader->mapToGlobal(at));
    });
    listLayout->addWidget(m_traceView);
    m_emptyLabel
        = new QLabel(tr("<h3>No traces yet</h3><p>Drop trace files or folders here, or use <b>File → Open</b> "
                        "(Ctrl+O).<br>OTLP JSON files and the sessions of Claude Code, Codex CLI and Gemini CLI "
                        "are recognized by content.<br><b>File → Open Coding-Agent Sessions</b> (Ctrl+Shift+O) "
                        "lists the sessions on this computer.</p>"),
            m_traceView->viewport());
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    auto* viewportLayout = new QVBoxLayout(m_traceView->viewport());
    viewportLayout->addWidget(m_emptyLabel);

    auto* stepPanel = new QWidget;
    auto* stepLayout = new QVBoxLayout(stepPanel);
    stepLayout->setContentsMargins(8, 4, 0, 8);
    m_traceHeader = new QLabel(tr("Select a run to see its steps."));
    m_traceHeader->setTextFormat(Qt::PlainText);
    m_traceHeader->setForegroundRole(QPalette::PlaceholderText);
    stepLayout->addWidget(m_traceHeader);
    m_stepView = new QTreeView;
    m_stepView->setModel(m_stepModel);
    m_stepView->setItemDelegate(new StepTreeDelegate(m_stepView));
    m_stepView->setUniformRowHeights(true);
    m_stepView->setAlternatingRowColors(true);
    m_stepView->setAllColumnsShowFocus(true);
    m_stepView->header()->setStretchLastSection(false);
    m_stepView->header()->setSectionResizeMode(StepTreeModel::NameColumn, QHeaderView::Stretch);
    // The step name gets the room; the figures take what their longest usual text needs.
    const QFontMetrics metrics = m_stepView->fontMetrics();
    m_stepView->header()->resizeSection(
        StepTreeModel::DetailColumn, metrics.horizontalAdvance(QStringLiteral("gpt-4o-2024-08-06")) + 16);
    m_stepView->header()->resizeSection(
        StepTreeModel::StartColumn, metrics.horizontalAdvance(QStringLiteral("+38.1 ms")) + 16);
    m_stepView->header()->resizeSection(
        StepTreeModel::DurationColumn, metrics.horizontalAdvance(QStringLiteral("Duration")) + 24);
    m_stepView->header()->resizeSection(
        StepTreeModel::TokensColumn, metrics.horizontalAdvance(QStringLiteral("12,345 → 999")) + 16);
    m_timeline = new TimelinePanel;
    m_toolCalls = new ToolCallPanel;
    m_stepTabs = new QTabWidget;
    m_stepTabs->setDocumentMode(true);
    m_stepTabs->addTab(m_timeline, tr("Timeline"));
    m_stepTabs->addTab(m_stepView, tr("Step tree"));
    m_stepTabs->addTab(m_toolCalls, tr("Tool calls"));
    m_runCharts = new RunChartsPanel;
    m_stepTabs->addTab(m_runCharts, tr("Charts"));
    m_agentGraph = new AgentGraphPanel(m_databasePath);
    m_agentGraph->setCostModel(m_costModel);
    m_stepTabs->addTab(m_agentGraph, tr("Agent graph"));
    m_findings = new FindingsPanel;
    m_stepTabs->addTab(m_findings, tr("Findings"));
    m_findBar = new FindBar(m_databasePath);
    m_findBar->hide();
    stepLayout->addWidget(m_findBar);
    stepLayout->addWidget(m_stepTabs);

    m_inspector = new InspectorPanel;
    m_horizontalSplitter = new QSplitter(Qt::Horizontal);
    m_horizontalSplitter->addWidget(stepPanel);
    m_horizontalSplitter->addWidget(m_inspector);
    m_horizontalSplitter->setStretchFactor(0, 3);
    m_horizontalSplitter->setStretchFactor(1, 2);
    m_verticalSplitter = new QSplitter(Qt::Vertical);
    m_verticalSplitter->addWidget(listPanel);
    m_verticalSplitter->addWidget(m_horizontalSplitter);
    m_verticalSplitter->setStretchFactor(0, 2);
    m_verticalSplitter->setStretchFactor(1, 3);
    m_dashboard = new DashboardWidget(m_databasePath);
    m_dashboard->setCostModel(m_costModel);
    m_mainTabs = new QTabWidget;
    m_mainTabs->setObjectName(QStringLiteral("mainTabs"));
    m_mainTabs->setDocumentMode(true);
    m_mainTabs->addTab(m_verticalSplitter, tr("Runs"));
    m_mainTabs->addTab(m_dashboard, tr("Dashboard"));
    // A bar above everything when the cache can only be read (permissions): what works and what does not.
    m_cacheBanner = new QFrame;
    m_cacheBanner->setObjectName(QStringLiteral("cacheBanner"));
    m_cacheBanner->setStyleSheet(QStringLiteral("QFrame#cacheBanner { background: rgba(230, 160, 0, 0.20); "
                                                "border-bottom: 1px solid rgba(230, 160, 0, 0.55); }"));
    auto* bannerLayout = new QHBoxLayout(m_cacheBanner);
    bannerLayout->setContentsMargins(10, 6, 10, 6);
    m_cacheBannerText = new QLabel;
    m_cacheBannerText->setWordWrap(true);
    m_cacheBannerText->setTextFormat(Qt::PlainText);
    bannerLayout->addWidget(m_cacheBannerText, 1);
    m_cacheBanner->hide();
    auto* central = new QWidget;
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_cacheBanner);
    centralLayout->addWidget(m_mainTabs, 1);
    setCentralWidget(central);

    m_statusLabel = new QLabel;
    m_cacheLabel = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_cancelButton = new QToolButton;
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Cancel the import (Esc); the cache stays as it was before the file"));
    m_cancelButton->hide();
    if (m_cancelAction)
        m_cancelAction->setEnabled(false);
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
    statusBar()->addPermanentWidget(m_cacheLabel);
    m_liveLabel = new QLabel(this);
    m_liveLabel->setVisible(false);
    statusBar()->addPermanentWidget(m_liveLabel);
    connect(m_cancelButton, &QToolButton::clicked, m_imports, &ImportController::cancel);

    connect(m_filterEdit, &QLineEdit::textChanged, m_traceProxy, &TraceFilterProxyModel::setText);
    connect(m_serviceCombo, &QComboBox::currentIndexChanged, this,
        [this](int index) { m_traceProxy->setService(index > 0 ? m_serviceCombo->currentText() : QString()); });
    connect(m_versionCombo, &QComboBox::currentIndexChanged, this,
        [this](int index) { m_traceProxy->setVersion(index > 0 ? m_versionCombo->currentText() : QString()); });
    connect(m_statusCombo, &QComboBox::currentIndexChanged, this,
        [this](int index) { m_traceProxy->setStatus(static_cast<TraceFilterProxyModel::StatusFilter>(index)); });
    connect(m_traceView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            // A session shows its first turn (Ctrl+T its whole transcript).
            if (m_sessionGroups->isSession(current) && m_sessionGroups->rowCount(current.siblingAtColumn(0)) > 0)
                loadTrace(m_sessionGroups->index(0, 0, current.siblingAtColumn(0)).data(TraceIdRole).toString());
            else if (current.isValid())
                loadTrace(current.data(TraceIdRole).toString());
        });
    // One selection shared by the step tree, the timeline and the inspector.
    connect(m_stepView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (m_restoringSteps)
                return;
            const int step = m_stepModel->stepIndex(current);
            m_timeline->setCurrentStep(step);
            m_findBar->setCurrentStep(step);
            showStepDetail(step);
        });
    connect(m_timeline, &TimelinePanel::currentStepChanged, this, &MainWindow::selectStep);
    connect(m_toolCalls, &ToolCallPanel::stepActivated, this, &MainWindow::selectStep);
    connect(m_findings, &FindingsPanel::stepRequested, this, [this](const QString& spanId) {
        if (const auto& snapshot = m_stepModel->snapshot())
            selectStep(snapshot->indexOf(spanId.toStdString()));
    });
    connect(m_findBar, &FindBar::stepRequested, this, &MainWindow::selectStep);
    connect(m_findBar, &FindBar::matchesChanged, m_timeline->view(), &TimelineView::setMatches);
    connect(m_findBar, &FindBar::closed, m_timeline->view(), [this] {
        m_timeline->view()->setMatches(nullptr);
        m_timeline->view()->setFocus();
    });
    connect(m_inspector->detailView(), &StepDetailView::toolCallRequested, this, [this](const QString& callId) {
        const std::string traceId = m_currentTraceId.toStdString();
        m_toolCallJob.run(
            [traceId, id = callId.toStdString()](
                const JobContext& job) { return TraceSearch::stepByToolCallId(job.store().database(), traceId, id); },
            [this, traceId](const std::string& spanId) {
                const auto& snapshot = m_stepModel->snapshot();
                if (snapshot && snapshot->summary().traceId == traceId && !spanId.empty())
                    selectStep(snapshot->indexOf(spanId));
                else
                    statusBar()->showMessage(tr("No step of this run ran that tool call."), 4000);
            },
            [this](const QString& error) { statusBar()->showMessage(tr("Cannot read the cache: %1").arg(error)); });
    });
    connect(m_runCharts, &RunChartsPanel::stepRequested, this, &MainWindow::selectStep);
    connect(m_agentGraph, &AgentGraphPanel::stepRequested, this, &MainWindow::openStep);
    connect(m_agentGraph, &AgentGraphPanel::stepsSelected, this, &MainWindow::markSteps);
    connect(m_dashboard, &DashboardWidget::graphRequested, this, &MainWindow::openGraphOfFilter);
    connect(m_dashboard, &DashboardWidget::traceActivated, this, [this](const QString& traceId) {
        m_mainTabs->setCurrentIndex(0);
        selectTrace(traceId);
    });
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(
        QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open Traces…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    QAction* sessions = file->addAction(QIcon::fromTheme(QStringLiteral("folder-open")),
        tr("Open Coding-Agent &Sessions…"), this, &MainWindow::openSessionsDialog);
    sessions->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    sessions->setToolTip(tr("Import sessions of Claude Code, Codex CLI and Gemini CLI from their usual folders"));
    m_writeActions << open << sessions;
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    QAction* report = file->addAction(tr("Export &Report…"), this, [this] {
        if (m_currentTraceId.isEmpty()) {
            QMessageBox::information(this, tr("Export Report"), tr("Select a trace first."));
            return;
        }
        ReportDialog(m_databasePath, m_currentTraceId, this).exec();
    });
    report->setToolTip(
        tr("An audit report of the selected trace: PDF, HTML, Markdown or JSON, with an integrity hash"));
    file->addSeparator();
    QAction* refresh = file->addAction(tr("&Reload Cache"), this, &MainWindow::refreshTraces);
    refresh->setShortcut(QKeySequence::Refresh);
    file->addSeparator();
    m_liveAction = file->addAction(QIcon::fromTheme(QStringLiteral("network-receive")), tr("&Live Collector"));
    m_liveAction->setCheckable(true);
    m_liveAction->setToolTip(
        tr("Receive traces from running agents: OTLP/HTTP (POST /v1/traces on %1) and OTLP/gRPC (on %2)")
            .arg(QSettings().value(QStringLiteral("live/listen"), QStringLiteral("127.0.0.1:4318")).toString(),
                QSettings().value(QStringLiteral("live/grpcListen"), QStringLiteral("127.0.0.1:4317")).toString()));
    connect(m_liveAction, &QAction::toggled, this, &MainWindow::setLive);
    QAction* liveAtStart = file->addAction(tr("Start Live Collector with Tracelight"));
    liveAtStart->setCheckable(true);
    liveAtStart->setChecked(QSettings().value(QStringLiteral("live/startWithApp"), false).toBool());
    connect(liveAtStart, &QAction::toggled, this,
        [](bool on) { QSettings().setValue(QStringLiteral("live/startWithApp"), on); });
    m_writeActions << m_liveAction;
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* find = edit->addAction(tr("&Find in Run…"), this, [this] {
        if (m_stepModel->snapshot())
            m_findBar->activate();
    });
    find->setShortcut(QKeySequence::Find);
    QAction* findNext = edit->addAction(tr("Find &Next"), m_findBar, &FindBar::next);
    findNext->setShortcut(QKeySequence::FindNext);
    QAction* findPrevious = edit->addAction(tr("Find &Previous"), m_findBar, &FindBar::previous);
    findPrevious->setShortcut(QKeySequence::FindPrevious);
    edit->addSeparator();
    QAction* search = edit->addAction(tr("&Search All Runs…"), this, &MainWindow::openSearch);
    search->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));

    QMenu* analyze = menuBar()->addMenu(tr("&Analyze"));
    m_compareAction = analyze->addAction(tr("&Compare Selected Runs"), this, &MainWindow::compareSelected);
    m_compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_compareAction->setToolTip(
        tr("Select two runs in the list (Ctrl+click), then compare them step by step (Ctrl+D)"));
    m_compareAction->setEnabled(false);
    analyze->addAction(tr("Compare &Versions…"), this, &MainWindow::compareVersions);
    QAction* graph = analyze->addAction(tr("Agent &Graph of Selected Runs"), this, [this] {
        QStringList ids;
        // A selected session stands for its runs.
        for (const QModelIndex& row : m_traceView->selectionModel()->selectedRows()) {
            if (m_sessionGroups->isSession(row))
                for (int turn = 0; turn < m_sessionGroups->rowCount(row); ++turn)
                    ids << m_sessionGroups->index(turn, 0, row).data(TraceIdRole).toString();
            else
                ids << row.data(TraceIdRole).toString();
        }
        ids.removeDuplicates();
        if (!ids.isEmpty())
            openGraphOfRuns(ids);
    });
    graph->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    graph->setToolTip(tr("Who called whom across the runs selected in the list (Ctrl+Shift+G)"));
    m_traceView->addAction(graph);
    QAction* conversation = analyze->addAction(tr("&Conversation of This Run…"), this, &MainWindow::showConversation);
    conversation->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    conversation->setToolTip(tr("Every run of the open run's session as one chat transcript, turn by turn (Ctrl+T)"));
    m_traceView->addAction(m_compareAction);
    connect(m_traceView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_traceView->selectionModel()->selectedRows();
        m_compareAction->setEnabled(
            rows.size() == 2 && !m_sessionGroups->isSession(rows[0]) && !m_sessionGroups->isSession(rows[1]));
    });

    QMenu* review = menuBar()->addMenu(tr("&Review"));
    QAction* annotate = review->addAction(tr("&Annotate…"), this, &MainWindow::annotateCurrent);
    annotate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    annotate->setToolTip(tr("Label, rate or note the selected step, or the run when no step is selected (Ctrl+M)"));
    QMenu* quick = review->addMenu(tr("&Label As"));
    m_writeActions << annotate << quick->menuAction();
    const auto fillQuickLabels = [this, quick] {
        quick->clear();
        const QStringList labels = AnnotationDialog::labels();
        for (int i = 0; i < labels.size(); ++i) {
            QAction* action
                = quick->addAction(labels.at(i), this, [this, label = labels.at(i)] { labelCurrent(label); });
            if (i < 9)
                action->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        }
    };
    fillQuickLabels();
    connect(quick, &QMenu::aboutToShow, this, fillQuickLabels);
    QAction* nextUnreviewed = review->addAction(tr("&Next Unreviewed Run"), this, &MainWindow::nextUnreviewedRun);
    nextUnreviewed->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* focusFilter = view->addAction(tr("Filter Runs"), this, [this] {
        m_filterEdit->setFocus();
        m_filterEdit->selectAll();
    });
    focusFilter->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    QAction* expand = view->addAction(tr("Expand All Steps"), m_stepView, &QTreeView::expandAll);
    expand->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction* group = view->addAction(tr("&Group Runs by Session"), this, &MainWindow::setGroupBySession);
    group->setCheckable(true);
    group->setChecked(m_sessionGroups->grouping());
    group->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    group->setToolTip(tr("Runs of one conversation as one row, a turn each (Ctrl+Shift+S)"));
    QAction* expandSessions = view->addAction(tr("Expand All Sessions"), m_traceView, &QTreeView::expandAll);
    expandSessions->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    view->addSeparator();
    QAction* runs = view->addAction(tr("Runs"), this, [this] { m_mainTabs->setCurrentIndex(0); });
    runs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    QAction* dashboard = view->addAction(tr("Dashboard"), this, &MainWindow::showDashboard);
    dashboard->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    QMenu* theme = view->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    const QString current = QSettings().value(QStringLiteral("theme"), QStringLiteral("system")).toString();
    for (const auto& [name, label] : { std::pair { QStringLiteral("system"), tr("Follow System") },
             std::pair { QStringLiteral("light"), tr("Light") }, std::pair { QStringLiteral("dark"), tr("Dark") } }) {
        QAction* action = theme->addAction(label, this, [this, name = name] { setTheme(name); });
        action->setCheckable(true);
        action->setChecked(name == current);
        themes->addAction(action);
    }

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("Model &Prices…"), this, &MainWindow::editPrices);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Tracelight"), this, [this] {
        QMessageBox::about(this, tr("About Tracelight"),
            tr("<h3>Tracelight %1</h3><p>A desktop explorer for AI agent traces.</p><p>Cache: %2</p>")
                .arg(QApplication::applicationVersion(), m_databasePath.toHtmlEscaped()));
    });

    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(open);
    toolbar->addAction(sessions);
    toolbar->addAction(refresh);
    toolbar->addAction(m_liveAction);
    toolbar->addSeparator();
    toolbar->addAction(search);
    toolbar->addAction(m_compareAction);

    // Esc cancels an import only while one runs, so that it still closes the find bar otherwise.
    m_cancelAction = new QAction(tr("Cancel Import"), this);
    m_cancelAction->setShortcut(Qt::Key_Escape);
    m_cancelAction->setEnabled(false);
    connect(m_cancelAction, &QAction::triggered, m_imports, &ImportController::cancel);
    addAction(m_cancelAction);
    updateRecentMenu();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_verticalSplitter->restoreState(settings.value(QStringLiteral("window/verticalSplitter")).toByteArray());
    m_horizontalSplitter->restoreState(settings.value(QStringLiteral("window/horizontalSplitter")).toByteArray());
    m_traceView->header()->restoreState(settings.value(QStringLiteral("window/runColumns")).toByteArray());
    if (m_verticalSplitter->sizes().value(0) == 0 || !settings.contains(QStringLiteral("window/verticalSplitter")))
        m_verticalSplitter->setSizes({ 200, 600 });
    if (!settings.contains(QStringLiteral("window/horizontalSplitter")))
        m_horizontalSplitter->setSizes({ 800, 480 });
}

void MainWindow::saveSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/verticalSplitter"), m_verticalSplitter->saveState());
    settings.setValue(QStringLiteral("window/horizontalSplitter"), m_horizontalSplitter->saveState());
    settings.setValue(QStringLiteral("window/runColumns"), m_traceView->header()->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveSettings();
    m_imports->cancel();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList files;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            files << url.toLocalFile();
    }
    if (!files.isEmpty()) {
        openFiles(files);
        event->acceptProposedAction();
    }
}

void MainWindow::openDialog()
{
    QSettings settings;
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Open Traces"),
        settings.value(QStringLiteral("lastDirectory")).toString(),
        tr("Trace files (*.json *.jsonl *.ndjson *.pb *.binpb *.traj *.eval);;All files (*)"));
    if (files.isEmpty())
        return;
    settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(files.front()).absolutePath());
    openFiles(files);
}

void MainWindow::openSessionsDialog()
{
    SessionsDialog dialog(m_databasePath, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (const QStringList paths = dialog.selectedPaths(); !paths.isEmpty())
        openFiles(paths);
}

void MainWindow::openFiles(const QStringList& files)
{
    if (m_readOnly) {
        statusBar()->showMessage(tr("The cache is read-only: nothing can be imported into it."), 6000);
        return;
    }
    QStringList absolute;
    for (const QString& file : files)
        absolute << QFileInfo(file).absoluteFilePath();
    addRecentFiles(absolute);
    m_lastImportErrors.clear();
    m_imports->importFiles(absolute);
}

void MainWindow::addRecentFiles(const QStringList& files)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& file : files) {
        recent.removeAll(file);
        recent.prepend(file);
    }
    while (recent.size() > maxRecentFiles)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& file : recent) {
        QAction* action
            = m_recentMenu->addAction(QFileInfo(file).fileName(), this, [this, file] { openFiles({ file }); });
        action->setToolTip(file);
        action->setStatusTip(file);
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
    if (!recent.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [this] {
            QSettings().remove(QStringLiteral("recentFiles"));
            updateRecentMenu();
        });
    }
}

void MainWindow::onFileFinished(const ImportOutcome& outcome)
{
    const QString name = QFileInfo(QString::fromStdString(outcome.file)).fileName();
    if (outcome.status == ImportOutcome::Status::Failed)
        m_lastImportErrors << QString::fromStdString(outcome.error.toString());
    else if (outcome.ok() && outcome.traces > 0 && m_pendingSelection.isEmpty() && m_currentTraceId.isEmpty())
        m_pendingSelection = QStringLiteral("*"); // select the newest trace once the list has it
    for (const ImportIssue& warning : outcome.warnings)
        qCWarning(lcUi, "%s", warning.toString().c_str());
    if (outcome.ok())
        m_statusLabel->setText(tr("Imported %1: %2 spans in %3 traces (%4 new)")
                                   .arg(name)
                                   .arg(outcome.spans)
                                   .arg(outcome.traces)
                                   .arg(outcome.newSpans));
    refreshTraces();
}

void MainWindow::onImportFinished(int succeeded, int failed, bool cancelled)
{
    m_progress->hide();
    m_cancelButton->hide();
    if (m_cancelAction)
        m_cancelAction->setEnabled(false);
    if (cancelled)
        m_statusLabel->setText(tr("Import cancelled; the cache is as it was before the cancelled file."));
    else if (failed == 0)
        m_statusLabel->setText(tr("Imported %n file(s).", nullptr, succeeded));
    if (!m_lastImportErrors.isEmpty()) {
        m_statusLabel->setText(tr("%n file(s) could not be imported.", nullptr, failed));
        QMessageBox box(QMessageBox::Warning, tr("Import"),
            tr("%n file(s) could not be imported. Nothing from them was added to the cache.", nullptr, failed),
            QMessageBox::Ok, this);
        box.setDetailedText(m_lastImportErrors.join(QLatin1Char('\n')));
        box.setInformativeText(m_lastImportErrors.front());
        box.exec();
    }
}

QString MainWindow::liveAddresses() const
{
    // "127.0.0.1:4318 · gRPC :4317": the gRPC host is the HTTP one unless the settings say otherwise.
    if (!m_live || m_live->grpcAddress().isEmpty())
        return m_live ? m_live->address() : QString();
    const QString grpc = m_live->grpcAddress();
    const QString host = m_live->address().section(QLatin1Char(':'), 0, -2);
    return tr("%1 · gRPC %2").arg(m_live->address(), grpc.startsWith(host + u':') ? grpc.mid(host.size()) : grpc);
}

void MainWindow::setLive(bool on)
{
    if (!m_live) {
        m_live = new LiveCollector(m_databasePath, this);
        connect(m_live, &LiveCollector::spansCommitted, this, [this](qint64 total, double perSecond) {
            m_liveLabel->setText(
                tr("● Live %1 — %2 spans, %3/s")
                    .arg(liveAddresses(), QLocale().toString(total), QLocale().toString(qRound64(perSecond))));
        });
        // At most one refresh per poll (500 ms), of the traces that changed; the dashboard every few seconds.
        connect(m_live, &LiveCollector::tracesChanged, this, [this](const QStringList& traceIds) {
            for (const QString& id : traceIds)
                m_changedTraces.insert(id);
            if (!m_liveJob.isRunning())
                refreshChangedTraces();
            if (!m_liveDashboardTimer.isActive())
                m_liveDashboardTimer.start();
        });
        m_liveDashboardTimer.setSingleShot(true);
        m_liveDashboardTimer.setInterval(5000);
        connect(&m_liveDashboardTimer, &QTimer::timeout, m_dashboard, &DashboardWidget::refresh);
        // And the findings of the runs that grew (the list and the open run follow through findingsUpdated).
        connect(&m_liveDashboardTimer, &QTimer::timeout, m_imports, &ImportController::catchUpSearchIndex);
    }
    if (on == m_live->isRunning())
        return;
    if (on) {
        const QString listen
            = QSettings().value(QStringLiteral("live/listen"), QStringLiteral("127.0.0.1:4318")).toString();
        // "off" in the setting serves OTLP/HTTP only.
        QString grpcListen
            = QSettings().value(QStringLiteral("live/grpcListen"), QStringLiteral("127.0.0.1:4317")).toString();
        if (grpcListen == QLatin1String("off"))
            grpcListen.clear();
        if (const QString error = m_live->start(listen, grpcListen); !error.isEmpty()) {
            const QSignalBlocker blocker(m_liveAction);
            m_liveAction->setChecked(false);
            QMessageBox::warning(this, tr("Live Collector"), tr("Cannot start the collector: %1").arg(error));
            return;
        }
        m_liveLabel->setText(tr("● Live %1 — waiting for spans").arg(liveAddresses()));
        QString where = tr("OTLP/HTTP: point exporters at http://%1/v1/traces").arg(m_live->address());
        if (!m_live->grpcAddress().isEmpty())
            where += u'\n' + tr("OTLP/gRPC: point exporters at http://%1").arg(m_live->grpcAddress());
        else if (!m_live->grpcError().isEmpty())
            where += u'\n' + tr("OTLP/gRPC is off: %1").arg(m_live->grpcError());
        m_liveLabel->setToolTip(where);
        if (!m_live->grpcError().isEmpty())
            statusBar()->showMessage(tr("Live Collector: OTLP/HTTP only — %1").arg(m_live->grpcError()), 10000);
    } else {
        m_live->stop();
    }
    m_liveLabel->setVisible(on);
    const QSignalBlocker blocker(m_liveAction);
    m_liveAction->setChecked(on);
}

void MainWindow::prepareCache()
{
    m_cacheReady = false;
    m_statusLabel->setText(tr("Opening the cache…"));
    m_openJob.run([](const JobContext& job) { return openCache(job.databasePath()); },
        [this](CacheState state) { cacheOpened(state); },
        [this](const QString& error) {
            CacheState state;
            state.message = error.toStdString();
            cacheOpened(state);
        });
}

void MainWindow::cacheOpened(const CacheState& state)
{
    if (state.status != CacheState::Status::Ready && state.status != CacheState::Status::ReadOnly) {
        reportBrokenCache(state);
        return;
    }
    setReadOnly(state.status == CacheState::Status::ReadOnly, QString::fromStdString(state.message));
    m_cacheReady = true;
    m_brokenReported = false;
    m_statusLabel->clear();
    refreshTraces();
    // Runs are browsable now; an index left incomplete (an upgraded cache, a cancelled import) catches up.
    if (!m_readOnly)
        m_imports->catchUpSearchIndex();
}

void MainWindow::setReadOnly(bool readOnly, const QString& why)
{
    m_readOnly = readOnly;
    for (QAction* action : std::as_const(m_writeActions))
        action->setEnabled(!readOnly);
    if (readOnly && m_live && m_live->isRunning())
        setLive(false);
    m_cacheBannerText->setText(readOnly ? tr("Read-only: %1 — %2. Runs can be read, searched, compared and "
                                             "exported; importing, the live collector and reviews are off.")
                                              .arg(QDir::toNativeSeparators(m_databasePath), why)
                                        : QString());
    m_cacheBanner->setVisible(readOnly);
}

void MainWindow::reportBrokenCache(const CacheState& state)
{
    m_cacheReady = false;
    const QString why = QString::fromStdString(state.message);
    m_statusLabel->setText(tr("Cannot open the cache: %1").arg(why));
    if (m_brokenReported)
        return;
    m_brokenReported = true;
    auto* box = new QMessageBox(QMessageBox::Critical, tr("Cache"),
        tr("The cache %1 cannot be opened.\n\n%2").arg(QDir::toNativeSeparators(m_databasePath), why),
        QMessageBox::NoButton, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const bool movable = state.status == CacheState::Status::Broken || state.status == CacheState::Status::Newer;
    if (movable) {
        box->setInformativeText(tr("Tracelight can keep this file beside it under another name and start a new, "
                                   "empty cache here. Nothing in the old file is deleted."));
        QPushButton* moveAside = box->addButton(tr("Move Aside and Start a New Cache"), QMessageBox::AcceptRole);
        moveAside->setObjectName(QStringLiteral("moveAside"));
        box->addButton(QMessageBox::Close);
        const std::string reason = state.status == CacheState::Status::Newer ? "newer" : "broken";
        connect(moveAside, &QPushButton::clicked, this, [this, reason] { startNewCache(reason); });
    } else {
        box->addButton(QMessageBox::Ok);
    }
    box->open();
}

void MainWindow::startNewCache(const std::string& reason)
{
    m_statusLabel->setText(tr("Moving the old cache aside…"));
    struct Moved
    {
        std::string movedTo;
        CacheState state;
    };
    m_openJob.run(
        [reason](const JobContext& job) {
            Moved moved;
            moved.movedTo = moveCacheAside(job.databasePath(), reason);
            moved.state = openCache(job.databasePath());
            return moved;
        },
        [this](Moved moved) {
            m_brokenReported = false;
            cacheOpened(moved.state);
            statusBar()->showMessage(
                tr("The old cache is kept as %1").arg(QDir::toNativeSeparators(QString::fromStdString(moved.movedTo))),
                15000);
        },
        [this](const QString& error) {
            m_statusLabel->setText(tr("Cannot move the cache aside: %1").arg(error));
            QMessageBox::warning(this, tr("Cache"), tr("Cannot move the cache aside: %1").arg(error));
        });
}

void MainWindow::refreshTraces()
{
    if (!m_cacheReady)
        return; // prepareCache() refreshes once the cache is ready
    m_dashboard->refresh();
    m_listJob.run([](const JobContext& job) { return job.store().traces(); },
        [this](std::vector<TraceSummary> traces) {
            m_traceModel->updateTraces(std::move(traces));
            m_emptyLabel->setVisible(m_traceModel->rowCount() == 0);
            refreshFilterChoices();
            updateCacheLabel();
            if (m_pendingSelection == QLatin1String("*") && m_traceProxy->rowCount() > 0) {
                m_pendingSelection.clear();
                selectTrace(m_traceProxy->index(0, 0).data(TraceIdRole).toString());
            } else if (!m_pendingSelection.isEmpty()) {
                selectTrace(m_pendingSelection);
            }
            emit tracesRefreshed();
        },
        [this](const QString& error) {
            // Damage beyond the header shows when pages are read: the same offer as at opening.
            if (error.contains(QLatin1String("database disk image is malformed"))
                || error.contains(QLatin1String("file is not a database"))) {
                CacheState state;
                state.status = CacheState::Status::Broken;
                state.message = tr("the cache is damaged (%1)").arg(error).toStdString();
                reportBrokenCache(state);
                return;
            }
            m_statusLabel->setText(tr("Cannot read the cache: %1").arg(error));
        });
}

void MainWindow::refreshChangedTraces()
{
    if (!m_cacheReady || m_changedTraces.isEmpty())
        return;
    std::vector<std::string> traceIds;
    for (const QString& id : std::as_const(m_changedTraces))
        traceIds.push_back(id.toStdString());
    if (m_changedTraces.contains(m_currentTraceId)) {
        m_traceGrew = true;
        growCurrentTrace();
    }
    m_changedTraces.clear();
    m_liveJob.run(
        [traceIds](const JobContext& job) {
            std::vector<TraceSummary> traces;
            for (const std::string& id : traceIds) {
                if (auto trace = job.store().trace(id))
                    traces.push_back(std::move(*trace));
            }
            return traces;
        },
        [this](std::vector<TraceSummary> traces) {
            m_traceModel->upsertTraces(std::move(traces));
            m_emptyLabel->setVisible(m_traceModel->rowCount() == 0);
            refreshFilterChoices();
            updateCacheLabel();
            emit tracesRefreshed();
            refreshChangedTraces(); // those that changed meanwhile
        },
        [this](const QString& error) {
            m_statusLabel->setText(tr("Cannot read the cache: %1").arg(error));
            refreshChangedTraces();
        });
}

void MainWindow::refreshFilterChoices()
{
    for (auto [combo, role, any] : { std::tuple { m_serviceCombo, ServiceRole, tr("All services") },
             std::tuple { m_versionCombo, VersionRole, tr("All versions") } }) {
        QStringList values;
        for (int row = 0; row < m_traceModel->rowCount(); ++row) {
            const QString value = m_traceModel->index(row, 0).data(role).toString();
            if (!value.isEmpty() && !values.contains(value))
                values << value;
        }
        values.sort(Qt::CaseInsensitive);
        const QString current = combo->currentIndex() > 0 ? combo->currentText() : QString();
        const QSignalBlocker blocker(combo);
        combo->clear();
        combo->addItem(any);
        combo->addItems(values);
        combo->setCurrentIndex(std::max(0, combo->findText(current)));
    }
}

void MainWindow::selectTrace(const QString& traceId)
{
    const int row = m_traceModel->rowOf(traceId.toStdString());
    if (row < 0) {
        m_pendingSelection = traceId;
        return;
    }
    m_pendingSelection.clear();
    const QModelIndex index = m_sessionGroups->mapFromSource(m_traceProxy->mapFromSource(m_traceModel->index(row, 0)));
    if (index.isValid()) {
        if (index.parent().isValid())
            m_traceView->expand(index.parent());
        m_traceView->setCurrentIndex(index);
        m_traceView->scrollTo(index);
    }
}

// What the window shows of one run, read on a worker.
struct MainWindow::LoadedTrace
{
    TraceSnapshotPtr snapshot;
    TimelineLayoutPtr layout;
    std::vector<ToolCallRow> toolCalls;
};

MainWindow::LoadedTrace MainWindow::readTrace(TraceStore& store, const std::string& id)
{
    auto summary = store.trace(id);
    if (!summary)
        return {};
    LoadedTrace loaded;
    loaded.snapshot = TraceSnapshot::build(*summary, store.steps(id));
    loaded.layout = TimelineLayout::build(*loaded.snapshot);
    loaded.toolCalls = ToolCalls::load(store, *loaded.snapshot);
    return loaded;
}

void MainWindow::loadTrace(const QString& traceId)
{
    if (traceId == m_currentTraceId)
        return;
    m_currentTraceId = traceId;
    m_traceGrew = false;
    m_growJob.cancel(); // a re-read of the run shown before
    const std::string id = traceId.toStdString();
    m_traceHeader->setText(tr("Loading…"));
    m_traceJob.run([id](const JobContext& job) { return readTrace(job.store(), id); },
        [this, traceId](LoadedTrace loaded) {
            const TraceSnapshotPtr& snapshot = loaded.snapshot;
            m_stepModel->setSnapshot(snapshot);
            m_layout = loaded.layout;
            m_timeline->setTrace(snapshot, loaded.layout);
            m_findBar->setTrace(snapshot);
            m_toolCalls->setCalls(std::move(loaded.toolCalls), snapshot ? snapshot->endNs() - snapshot->startNs() : 0);
            m_runCharts->setTrace(snapshot);
            m_agentGraph->setTrace(snapshot);
            // Read after the run is shown, so that findings computed while it loaded are never replaced by older ones.
            m_runAnnotations.clear();
            showRunFindings({});
            loadRunFindings();
            if (!snapshot) {
                m_traceHeader->setText(tr("This run is no longer in the cache."));
                return;
            }
            updateTraceHeader(snapshot->summary());
            // Open the first levels: the agent and its direct steps, as a reader would.
            m_stepView->expandToDepth(snapshot->size() > 2000 ? 0 : 2);
            m_inspector->showTrace(snapshot->summary());
            if (!m_pendingStep.isEmpty()) {
                selectStep(snapshot->indexOf(m_pendingStep.toStdString()));
                m_pendingStep.clear();
            }
            emit traceLoaded(traceId);
            growCurrentTrace(); // spans that arrived while it loaded
        },
        [this, traceId](const QString& error) {
            if (m_currentTraceId == traceId)
                m_currentTraceId.clear(); // selecting it again retries
            m_traceHeader->setText(tr("Cannot load this run: %1").arg(error));
        });
}

void MainWindow::updateTraceHeader(const TraceSummary& t)
{
    m_traceHeader->setText(tr("%1  ·  %2 steps  ·  %3  ·  %4 LLM calls  ·  %5 tool calls  ·  %6 tokens%7")
                               .arg(Format::fromUtf8(t.name))
                               .arg(Format::tokens(t.spans))
                               .arg(Format::duration(t.endNs - t.startNs))
                               .arg(Format::tokens(t.llmCalls))
                               .arg(Format::tokens(t.toolCalls))
                               .arg(Format::tokens(t.tokens.total()))
                               .arg(t.errors ? tr("  ·  %n error(s)", nullptr, int(t.errors)) : QString()));
}

void MainWindow::growCurrentTrace()
{
    // Only once the open run is shown (a load in flight reads the new spans anyway), one read at a time.
    const auto& shown = m_stepModel->snapshot();
    if (!m_traceGrew || m_growJob.isRunning() || m_traceJob.isRunning() || !shown
        || QString::fromStdString(shown->summary().traceId) != m_currentTraceId)
        return;
    m_traceGrew = false;
    const QString traceId = m_currentTraceId;
    const std::string id = traceId.toStdString();
    m_growJob.run([id](const JobContext& job) { return readTrace(job.store(), id); },
        [this, traceId](LoadedTrace loaded) {
            // Still the run on screen (not another, nor a fresh load of it under way)?
            const auto& shown = m_stepModel->snapshot();
            if (traceId == m_currentTraceId && loaded.snapshot && !m_traceJob.isRunning() && shown
                && QString::fromStdString(shown->summary().traceId) == traceId)
                showGrownTrace(std::move(loaded));
            growCurrentTrace(); // it grew again meanwhile
        },
        [this, traceId](const QString& error) {
            statusBar()->showMessage(tr("Cannot read the run: %1").arg(error), 5000);
            if (traceId == m_currentTraceId)
                m_traceGrew = true; // read again at the next batch
        });
}

void MainWindow::showGrownTrace(LoadedTrace loaded)
{
    const TraceSnapshotPtr& snapshot = loaded.snapshot;
    const TraceSnapshotPtr old = m_stepModel->snapshot();
    // What the reader is looking at, by span id: the current step, the open branches and the scroll position.
    const int currentStep = m_stepModel->stepIndex(m_stepView->currentIndex());
    const std::string currentSpan = currentStep >= 0 ? old->step(currentStep).spanId : std::string();
    std::vector<std::string> expanded;
    std::vector<QModelIndex> pending { QModelIndex() };
    while (!pending.empty()) {
        const QModelIndex parent = pending.back();
        pending.pop_back();
        for (int row = 0, rows = m_stepModel->rowCount(parent); row < rows; ++row) {
            const QModelIndex child = m_stepModel->index(row, 0, parent);
            if (m_stepView->isExpanded(child)) {
                expanded.push_back(old->step(m_stepModel->stepIndex(child)).spanId);
                pending.push_back(child);
            }
        }
    }
    const int scroll = m_stepView->verticalScrollBar()->value();
    const int hscroll = m_stepView->horizontalScrollBar()->value();

    {
        // Restoring the selection is not a new selection: the inspector keeps what it shows.
        const QScopedValueRollback restoring(m_restoringSteps, true);
        m_stepModel->setSnapshot(snapshot);
        for (const std::string& spanId : expanded)
            m_stepView->setExpanded(m_stepModel->indexForStep(snapshot->indexOf(spanId)), true);
        // Steps that are new open as a fresh load would open them (their first levels), and a new parent of the
        // current step opens so that it stays in sight; steps the reader had seen keep their state.
        std::unordered_set<std::string> seen;
        seen.reserve(std::size_t(old->size()));
        for (int i = 0; i < old->size(); ++i)
            seen.insert(old->step(i).spanId);
        const int openDepth = snapshot->size() > 2000 ? 0 : 2; // as expandToDepth() in loadTrace()
        for (int i = 0; i < snapshot->size(); ++i) {
            if (seen.count(snapshot->step(i).spanId))
                continue;
            int depth = 0;
            for (int p = snapshot->parent(i); p >= 0 && depth <= openDepth; p = snapshot->parent(p))
                ++depth;
            if (depth <= openDepth)
                m_stepView->setExpanded(m_stepModel->indexForStep(i), true);
        }
        const int current = currentSpan.empty() ? -1 : snapshot->indexOf(currentSpan);
        for (int p = current >= 0 ? snapshot->parent(current) : -1; p >= 0; p = snapshot->parent(p)) {
            if (!seen.count(snapshot->step(p).spanId))
                m_stepView->setExpanded(m_stepModel->indexForStep(p), true);
        }
        if (current >= 0) {
            m_stepView->selectionModel()->setCurrentIndex(
                m_stepModel->indexForStep(current), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    }
    m_stepView->verticalScrollBar()->setValue(scroll);
    m_stepView->horizontalScrollBar()->setValue(hscroll);
    m_layout = loaded.layout;
    m_timeline->updateTrace(snapshot, loaded.layout);
    m_findBar->setTrace(snapshot);
    const int current = currentSpan.empty() ? -1 : snapshot->indexOf(currentSpan);
    m_findBar->setCurrentStep(current);
    m_toolCalls->setCalls(std::move(loaded.toolCalls), snapshot->endNs() - snapshot->startNs());
    m_runCharts->setTrace(snapshot);
    m_agentGraph->setTrace(snapshot);
    updateTraceHeader(snapshot->summary());
    if (current < 0)
        m_inspector->showTrace(snapshot->summary()); // the run's summary, when no step is selected
    loadRunFindings();
    emit traceGrew(m_currentTraceId);
}

void MainWindow::showStepDetail(int stepIndex)
{
    const auto& snapshot = m_stepModel->snapshot();
    if (!snapshot || stepIndex < 0)
        return;
    const std::string traceId = snapshot->summary().traceId;
    const std::string spanId = snapshot->step(stepIndex).spanId;
    const std::optional<std::int64_t> self
        = m_layout && stepIndex < snapshot->size() ? std::optional(m_layout->selfTimeNs(stepIndex)) : std::nullopt;
    const int agent = snapshot->owningAgent(stepIndex);
    const QString agentName
        = agent >= 0 && agent != stepIndex ? Format::fromUtf8(snapshot->step(agent).name) : QString();
    StepHtml::StepFindings findings;
    for (const Finding& f : m_runFindings)
        if (std::find(f.spanIds.begin(), f.spanIds.end(), spanId) != f.spanIds.end())
            findings.findings.push_back(f);
    // The step's annotations; a root step shows the run's too.
    for (const Annotation& a : m_runAnnotations)
        if (a.spanId == spanId || (a.spanId.empty() && snapshot->parent(stepIndex) < 0))
            findings.annotations.push_back(a);
    // Where a tool call's arguments came from is read from the whole run: for runs of a reasonable size only.
    const bool provenance = snapshot->step(stepIndex).kind == StepKind::Tool && snapshot->size() <= 20000;
    struct Detail
    {
        std::optional<StepDetail> detail;
        std::vector<ArgumentSource> sources;
    };
    m_detailJob.run(
        [traceId, spanId, provenance](const JobContext& job) {
            Detail detail { job.store().stepDetail(traceId, spanId), {} };
            if (provenance && detail.detail && !detail.detail->step.toolArguments.empty()) {
                try {
                    detail.sources = FindingsIndex::argumentSources(job.store(), traceId, spanId,
                        FindingThresholds::withUserFile(FindingThresholds::userFilePath()));
                } catch (const std::exception& error) {
                    qCWarning(lcUi, "argument sources: %s", error.what());
                }
            }
            return detail;
        },
        [this, self, agentName, findings](Detail detail) mutable {
            findings.sources = std::move(detail.sources);
            m_inspector->showStep(detail.detail, self, agentName, findings);
        },
        [this](const QString& error) { statusBar()->showMessage(tr("Cannot read the step: %1").arg(error)); });
}

void MainWindow::loadRunFindings()
{
    if (m_currentTraceId.isEmpty())
        return;
    const std::string id = m_currentTraceId.toStdString();
    struct Found
    {
        std::vector<Finding> findings;
        std::vector<Annotation> annotations;
    };
    m_findingsJob.run(
        [id](const JobContext& job) {
            return Found { FindingsIndex::stored(job.store(), id),
                AnnotationStore::forTrace(job.store().database(), id) };
        },
        [this, traceId = m_currentTraceId](Found found) {
            if (traceId != m_currentTraceId)
                return;
            m_runAnnotations = std::move(found.annotations);
            showRunFindings(std::move(found.findings));
        },
        [](const QString& error) { qCWarning(lcUi, "findings: %s", qPrintable(error)); });
}

Annotation MainWindow::myAnnotation(QString* target) const
{
    Annotation a;
    a.traceId = m_currentTraceId.toStdString();
    a.author = defaultAnnotationAuthor();
    const auto& snapshot = m_stepModel->snapshot();
    const int step = m_stepModel->stepIndex(m_stepView->currentIndex());
    if (snapshot && step >= 0) {
        a.spanId = snapshot->step(step).spanId;
        if (target)
            *target = tr("step “%1” (%2)").arg(Format::fromUtf8(snapshot->step(step).name), Format::fromUtf8(a.spanId));
    } else if (target && snapshot) {
        *target = tr("run “%1”").arg(Format::fromUtf8(snapshot->summary().name));
    }
    for (const Annotation& existing : m_runAnnotations)
        if (existing.spanId == a.spanId && existing.author == a.author)
            return existing;
    return a;
}

void MainWindow::annotateCurrent()
{
    if (m_currentTraceId.isEmpty() || !m_stepModel->snapshot()) {
        statusBar()->showMessage(tr("Open a run to annotate it"), 4000);
        return;
    }
    QString target;
    const Annotation current = myAnnotation(&target);
    AnnotationDialog dialog(current, target, this);
    const int outcome = dialog.exec();
    if (outcome == AnnotationDialog::Saved)
        storeAnnotation(dialog.annotation(), false);
    else if (outcome == AnnotationDialog::Deleted)
        storeAnnotation(current, true);
}

void MainWindow::labelCurrent(const QString& label)
{
    if (m_currentTraceId.isEmpty() || !m_stepModel->snapshot())
        return;
    Annotation a = myAnnotation(nullptr);
    a.label = label.toStdString();
    storeAnnotation(a, false);
}

void MainWindow::storeAnnotation(const Annotation& given, bool remove)
{
    if (m_readOnly) {
        statusBar()->showMessage(tr("The cache is read-only: annotations cannot be saved."), 6000);
        return;
    }
    Annotation a = given;
    a.updatedMs = QDateTime::currentMSecsSinceEpoch();
    if (a.createdMs == 0)
        a.createdMs = a.updatedMs;
    remove = remove || a.empty();
    m_annotationJob.run(
        [a, remove](const JobContext& job) {
            // The job's connection reads; a write opens its own, briefly.
            Sql::Database db(job.store().path(), Sql::Database::Mode::ReadWrite);
            if (remove)
                AnnotationStore::remove(db, a.traceId, a.spanId, a.author);
            else
                AnnotationStore::set(db, a);
            return true;
        },
        [this, a, remove](bool) {
            statusBar()->showMessage(remove
                    ? tr("Annotation removed")
                    : tr("Annotated: %1").arg(a.label.empty() ? tr("note") : Format::fromUtf8(a.label)),
                4000);
            loadRunFindings();
            refreshTraces();
        },
        [this](const QString& error) {
            QMessageBox::warning(this, tr("Annotate"), tr("The annotation was not stored: %1").arg(error));
        });
}

void MainWindow::showConversation()
{
    const auto& snapshot = m_stepModel->snapshot();
    const std::string session = snapshot ? snapshot->summary().sessionId : std::string();
    if (session.empty()) {
        statusBar()->showMessage(
            snapshot ? tr("This run names no session or conversation id") : tr("Open a run to see its conversation"),
            5000);
        return;
    }
    auto* dialog = new ConversationDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = Format::fromUtf8(session);
    dialog->setLoading(id);
    connect(dialog, &ConversationDialog::stepRequested, this, &MainWindow::openStep);
    dialog->show();
    QPointer<ConversationDialog> guard(dialog);
    m_conversationJob.run([session](const JobContext& job) { return Sessions::transcript(job.store(), session); },
        [guard, id](std::vector<Sessions::Turn> turns) {
            if (guard)
                guard->setTranscript(id, turns);
        },
        [guard](const QString& error) {
            if (guard)
                guard->setTranscript(error, {});
        });
}

void MainWindow::nextUnreviewedRun()
{
    // In the order of the list as shown: sessions turn by turn.
    QList<QModelIndex> runs;
    for (int top = 0; top < m_sessionGroups->rowCount(); ++top) {
        const QModelIndex row = m_sessionGroups->index(top, 0);
        if (!m_sessionGroups->isSession(row))
            runs << row;
        for (int turn = 0; turn < m_sessionGroups->rowCount(row); ++turn)
            runs << m_sessionGroups->index(turn, 0, row);
    }
    const QModelIndex current = m_traceView->currentIndex().siblingAtColumn(0);
    // From a session row: its turns come next.
    const qsizetype from = m_sessionGroups->isSession(current) && m_sessionGroups->rowCount(current) > 0
        ? runs.indexOf(m_sessionGroups->index(0, 0, current)) - 1
        : runs.indexOf(current);
    for (qsizetype k = 1; k <= runs.size(); ++k) {
        const QModelIndex index = runs.at((from + k) % runs.size());
        if (index.data(AnnotationsRole).toLongLong() == 0 && index.data(TraceIdRole).toString() != m_currentTraceId) {
            selectTrace(index.data(TraceIdRole).toString());
            m_stepView->setFocus();
            return;
        }
    }
    statusBar()->showMessage(tr("Every run in the list has an annotation"), 4000);
}

void MainWindow::showRunFindings(std::vector<Finding> findings)
{
    m_runFindings = findings;
    const int count = static_cast<int>(findings.size());
    m_stepTabs->setTabText(m_stepTabs->indexOf(m_findings), count ? tr("Findings (%1)").arg(count) : tr("Findings"));
    m_timeline->view()->setFindings(m_runFindings);
    std::vector<std::string> annotated;
    const auto& snapshot = m_stepModel->snapshot();
    for (const Annotation& a : m_runAnnotations)
        annotated.push_back(!a.spanId.empty() || !snapshot || snapshot->roots().empty()
                ? a.spanId
                : snapshot->step(snapshot->roots().front()).spanId);
    m_timeline->view()->setAnnotated(annotated);
    m_findings->setFindings(std::move(findings));
    // The inspector's step shows its findings too: show it again with the new ones.
    if (const int step = m_stepModel->stepIndex(m_stepView->currentIndex()); step >= 0)
        showStepDetail(step);
}

void MainWindow::selectStep(int stepIndex)
{
    const QModelIndex index = m_stepModel->indexForStep(stepIndex);
    if (index.isValid() && index != m_stepView->currentIndex())
        m_stepView->setCurrentIndex(index);
}

void MainWindow::openStep(const QString& traceId, const QString& spanId)
{
    const auto& snapshot = m_stepModel->snapshot();
    if (snapshot && traceId == m_currentTraceId && m_pendingStep.isEmpty()) {
        selectStep(snapshot->indexOf(spanId.toStdString()));
        return;
    }
    m_pendingStep = spanId;
    m_filterEdit->clear();
    selectTrace(traceId);
}

SearchDialog* MainWindow::searchDialog()
{
    if (!m_searchDialog) {
        m_searchDialog = new SearchDialog(m_databasePath, this);
        connect(m_searchDialog, &SearchDialog::stepRequested, this, &MainWindow::openStep);
    }
    return m_searchDialog;
}

void MainWindow::openSearch()
{
    SearchDialog* dialog = searchDialog();
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void MainWindow::updateCacheLabel()
{
    const std::int64_t size
        = QFileInfo(m_databasePath).size() + QFileInfo(m_databasePath + QStringLiteral("-wal")).size();
    m_cacheLabel->setText(tr("%n run(s)  ·  cache %1", nullptr, m_traceModel->rowCount()).arg(Format::bytes(size)));
    m_cacheLabel->setToolTip(m_databasePath);
}

void MainWindow::showDashboard()
{
    m_mainTabs->setCurrentWidget(m_dashboard);
}

void MainWindow::reloadPrices()
{
    try {
        m_costModel = std::make_shared<const CostModel>(
            std::make_shared<const PriceTable>(PriceTable::withUserFile(PriceTable::userFilePath())));
    } catch (const PriceTableError& error) {
        // A broken user file must not hide the shipped prices.
        m_costModel = std::make_shared<const CostModel>(std::make_shared<const PriceTable>(PriceTable::builtIn()));
        QMessageBox::warning(this, tr("Model Prices"),
            tr("Your price file cannot be read; the shipped prices are used.\n\n%1")
                .arg(QString::fromUtf8(error.what())));
    }
    for (JobTracker* job : { &m_openJob, &m_listJob, &m_traceJob, &m_growJob, &m_detailJob, &m_findingsJob,
             &m_annotationJob, &m_conversationJob, &m_toolCallJob, &m_liveJob })
        job->setCostModel(m_costModel);
    if (!m_dashboard)
        return; // still constructing: the widgets pick the model up as they are made
    m_dashboard->setCostModel(m_costModel);
    m_agentGraph->setCostModel(m_costModel);
    const QString current = m_currentTraceId;
    m_currentTraceId.clear();
    if (!current.isEmpty())
        loadTrace(current);
    refreshTraces();
}

void MainWindow::editPrices()
{
    std::set<std::string> unpriced;
    for (int row = 0; row < m_traceModel->rowCount(); ++row)
        unpriced.insert(
            m_traceModel->traceAt(row)->unpricedModels.begin(), m_traceModel->traceAt(row)->unpricedModels.end());
    PriceEditorDialog dialog(
        PriceTable::userFilePath(), std::vector<std::string>(unpriced.begin(), unpriced.end()), this);
    connect(&dialog, &PriceEditorDialog::pricesSaved, this, &MainWindow::reloadPrices);
    dialog.exec();
}

void MainWindow::setTheme(const QString& name)
{
    QSettings().setValue(QStringLiteral("theme"), name);
    Theme::apply(Theme::fromString(name));
    const int step = m_stepModel->stepIndex(m_stepView->currentIndex());
    if (step >= 0)
        showStepDetail(step);
    m_timeline->view()->viewport()->update();
}

void MainWindow::compareSelected()
{
    QModelIndexList rows = m_traceView->selectionModel()->selectedRows();
    if (rows.size() != 2 || m_sessionGroups->isSession(rows[0]) || m_sessionGroups->isSession(rows[1]))
        return;
    // The older run is A, the reference; the newer one is B.
    const auto start = [this](const QModelIndex& index) {
        const TraceSummary* t
            = m_traceModel->traceAt(m_traceModel->rowOf(index.data(TraceIdRole).toString().toStdString()));
        return t ? t->startNs : 0;
    };
    if (start(rows[0]) > start(rows[1]))
        std::swap(rows[0], rows[1]);
    openComparison(rows[0].data(TraceIdRole).toString(), rows[1].data(TraceIdRole).toString());
}

CompareWindow* MainWindow::openComparison(const QString& traceA, const QString& traceB)
{
    auto* window = new CompareWindow(m_databasePath, traceA, traceB, this);
    connect(window, &CompareWindow::stepRequested, this, [this](const QString& traceId, const QString& spanId) {
        openStep(traceId, spanId);
        raise();
        activateWindow();
    });
    window->show();
    return window;
}

VersionCompareWindow* MainWindow::compareVersions()
{
    auto* window = new VersionCompareWindow(m_databasePath, this);
    connect(window, &VersionCompareWindow::traceRequested, this, [this](const QString& traceId) {
        m_filterEdit->clear();
        selectTrace(traceId);
        raise();
        activateWindow();
    });
    window->show();
    return window;
}

AgentGraphPanel* MainWindow::openGraphWindow(const QString& title)
{
    auto* panel = new AgentGraphPanel(m_databasePath, this);
    panel->setWindowFlag(Qt::Window);
    panel->setAttribute(Qt::WA_DeleteOnClose);
    panel->setWindowTitle(tr("Agent Graph — %1").arg(title));
    panel->setCostModel(m_costModel);
    panel->resize(1100, 720);
    connect(panel, &AgentGraphPanel::stepRequested, this, [this](const QString& traceId, const QString& spanId) {
        openStep(traceId, spanId);
        raise();
        activateWindow();
    });
    panel->show();
    return panel;
}

AgentGraphPanel* MainWindow::openGraphOfRuns(const QStringList& traceIds)
{
    const QString title = traceIds.size() == 1
        ? tr("run %1").arg(traceIds.front().left(12))
        : Format::count(traceIds.size(), tr("selected run"), tr("selected runs"));
    AgentGraphPanel* panel = openGraphWindow(title);
    panel->showRuns(traceIds, title);
    return panel;
}

AgentGraphPanel* MainWindow::openGraphOfFilter(const StatsFilter& filter, const QString& description)
{
    AgentGraphPanel* panel = openGraphWindow(description);
    panel->showFilter(filter, description);
    return panel;
}

void MainWindow::setGroupBySession(bool on)
{
    m_sessionGroups->setGrouping(on);
    QSettings().setValue(QStringLiteral("groupBySession"), on);
    const QModelIndex current = m_sessionGroups->indexOfTrace(m_currentTraceId.toStdString());
    if (current.isValid()) {
        if (current.parent().isValid())
            m_traceView->expand(current.parent());
        m_traceView->scrollTo(current);
    }
}

void MainWindow::markSteps(const QString& traceId, const QStringList& spanIds)
{
    const auto& snapshot = m_stepModel->snapshot();
    if (!snapshot || traceId != m_currentTraceId || spanIds.isEmpty()) {
        m_timeline->view()->setMatches(nullptr);
        return;
    }
    auto marks = std::make_shared<std::vector<std::uint8_t>>(std::size_t(snapshot->size()), 0);
    for (const QString& spanId : spanIds)
        if (const int step = snapshot->indexOf(spanId.toStdString()); step >= 0)
            (*marks)[std::size_t(step)] = 1;
    m_timeline->view()->setMatches(std::move(marks));
}

} // namespace Tracelight
