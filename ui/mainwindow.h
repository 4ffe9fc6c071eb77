#pragma once

#include <jobtracker.h>

#include <annotation.h>
#include <costmodel.h>
#include <findings.h>
#include <importissue.h>
#include <statsquery.h>
#include <timelinelayout.h>
#include <tracesnapshot.h>

#include <QMainWindow>
#include <QSet>
#include <QTimer>

class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QToolButton;
class QTreeView;

namespace Tracelight {

class AgentGraphPanel;
class DashboardWidget;
class RunChartsPanel;
class SessionGroupModel;
class CompareWindow;
class FindBar;
class FindingsPanel;
class ImportController;
class InspectorPanel;
class LiveCollector;
class SearchDialog;
class ToolCallPanel;
class VersionCompareWindow;
class StepDetailView;
class StepTreeModel;
class TimelinePanel;
class TraceFilterProxyModel;
class TraceListModel;
class TraceStore;
struct CacheState;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const QString& databasePath, QWidget* parent = nullptr);
    ~MainWindow() override;

    void openFiles(const QStringList& files);
    // Selects a trace once it is in the list (now, or after the next refresh).
    void selectTrace(const QString& traceId);

    TraceListModel* traceListModel() const { return m_traceModel; }
    SessionGroupModel* runListModel() const { return m_sessionGroups; }
    QTreeView* runList() const { return m_traceView; }
    // Runs that share a session shown as one row with a turn each (View → Group Runs by Session; kept).
    void setGroupBySession(bool on);
    StepTreeModel* stepTreeModel() const { return m_stepModel; }
    TimelinePanel* timelinePanel() const { return m_timeline; }
    InspectorPanel* inspector() const { return m_inspector; }
    ToolCallPanel* toolCallPanel() const { return m_toolCalls; }
    FindingsPanel* findingsPanel() const { return m_findings; }
    FindBar* findBar() const { return m_findBar; }
    SearchDialog* searchDialog();
    // Opens a comparison window of two runs (A is the reference).
    CompareWindow* openComparison(const QString& traceA, const QString& traceB);
    VersionCompareWindow* compareVersions();
    void compareSelected();
    ImportController* importController() const { return m_imports; }
    DashboardWidget* dashboard() const { return m_dashboard; }
    RunChartsPanel* runCharts() const { return m_runCharts; }
    AgentGraphPanel* agentGraph() const { return m_agentGraph; }
    // A window with the agent graph of chosen runs or of the runs a dashboard filter selects.
    AgentGraphPanel* openGraphOfRuns(const QStringList& traceIds);
    AgentGraphPanel* openGraphOfFilter(const StatsFilter& filter, const QString& description);
    void showDashboard();
    // Re-reads the price table (shipped + the user's prices.json); costs everywhere recompute.
    void reloadPrices();
    const CostModelPtr& costModel() const { return m_costModel; }
    LiveCollector* liveCollector() const { return m_live; }
    // The cache may only be read (its file or folder is not writable): imports, live, reviews are off.
    bool isReadOnly() const { return m_readOnly; }
    // Starts or stops the in-process OTLP/HTTP collector (the Live toggle).
    void setLive(bool on);

signals:
    void tracesRefreshed();
    void traceLoaded(const QString& traceId);
    // The open run was shown again with the spans that arrived for it (live collector).
    void traceGrew(const QString& traceId);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createWidgets();
    void restoreSettings();
    void saveSettings();
    void refreshTraces();
    void refreshFilterChoices();
    void loadTrace(const QString& traceId);
    void updateTraceHeader(const TraceSummary& summary);
    // The open run got spans (live collector): read it again and show it without losing the reader's place.
    void growCurrentTrace();
    struct LoadedTrace;
    static LoadedTrace readTrace(TraceStore& store, const std::string& traceId);
    void showGrownTrace(LoadedTrace loaded);
    void showStepDetail(int stepIndex);
    void loadRunFindings();
    void showRunFindings(std::vector<Finding> findings);
    // Review: annotate the current step (the run when no step is selected), label it at once, or move on to the
    // next run in the list that nobody annotated.
    void annotateCurrent();
    void labelCurrent(const QString& label);
    void nextUnreviewedRun();
    // The open run's session as one transcript (ConversationDialog).
    void showConversation();
    AgentGraphPanel* openGraphWindow(const QString& title);
    void markSteps(const QString& traceId, const QStringList& spanIds);
    void storeAnnotation(const Annotation& annotation, bool remove);
    // The annotation the user has on the current step or run (an empty one with its keys when none).
    Annotation myAnnotation(QString* target) const;
    void selectStep(int stepIndex);
    // Selects a step of any run: loads the run first when it is not the open one.
    void openStep(const QString& traceId, const QString& spanId);
    void openSearch();
    void updateRecentMenu();
    void addRecentFiles(const QStringList& files);
    void updateCacheLabel();
    void prepareCache();
    void cacheOpened(const CacheState& state);
    // Read-only (the cache's file or folder may not be written): a banner, and every action that writes is off.
    void setReadOnly(bool readOnly, const QString& why);
    // A cache that is not one, is damaged or is newer: said, with the offer to move it aside and start anew.
    void reportBrokenCache(const CacheState& state);
    void startNewCache(const std::string& reason);
    void refreshChangedTraces();
    // The live collector's addresses for the status bar.
    QString liveAddresses() const;
    void onFileFinished(const ImportOutcome& outcome);
    void onImportFinished(int succeeded, int failed, bool cancelled);
    void openDialog();
    void openSessionsDialog();
    void setTheme(const QString& name);
    void editPrices();

    QString m_databasePath;
    CostModelPtr m_costModel;
    ImportController* m_imports = nullptr;
    TraceListModel* m_traceModel = nullptr;
    TraceFilterProxyModel* m_traceProxy = nullptr;
    SessionGroupModel* m_sessionGroups = nullptr; // over m_traceProxy: what the run list shows
    StepTreeModel* m_stepModel = nullptr;

    QLineEdit* m_filterEdit = nullptr;
    QComboBox* m_serviceCombo = nullptr;
    QComboBox* m_versionCombo = nullptr;
    QComboBox* m_statusCombo = nullptr;
    QTreeView* m_traceView = nullptr; // runs, grouped by session
    QLabel* m_emptyLabel = nullptr;
    QLabel* m_traceHeader = nullptr;
    QTreeView* m_stepView = nullptr;
    QTabWidget* m_stepTabs = nullptr;
    TimelinePanel* m_timeline = nullptr;
    InspectorPanel* m_inspector = nullptr;
    ToolCallPanel* m_toolCalls = nullptr;
    FindingsPanel* m_findings = nullptr;
    std::vector<Finding> m_runFindings; // of the open run, for the inspector and the timeline
    std::vector<Annotation> m_runAnnotations; // of the open run and its steps
    FindBar* m_findBar = nullptr;
    SearchDialog* m_searchDialog = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_compareAction = nullptr;
    TimelineLayoutPtr m_layout;
    QString m_pendingStep; // span id to select once the trace being loaded is shown
    QSplitter* m_verticalSplitter = nullptr;
    QSplitter* m_horizontalSplitter = nullptr;
    QTabWidget* m_mainTabs = nullptr;
    DashboardWidget* m_dashboard = nullptr;
    RunChartsPanel* m_runCharts = nullptr;
    AgentGraphPanel* m_agentGraph = nullptr;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_statusLabel = nullptr;
    QLabel* m_cacheLabel = nullptr;
    LiveCollector* m_live = nullptr;
    QAction* m_liveAction = nullptr;
    QLabel* m_liveLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancelButton = nullptr;

    QString m_currentTraceId;
    QString m_pendingSelection;
    QStringList m_lastImportErrors;
    // One tracker per kind of job (house style point 3): a newer job of a kind cancels and supersedes the older.
    JobTracker m_openJob { this }; // creates or migrates the cache before the first query
    JobTracker m_listJob { this };
    JobTracker m_traceJob { this };
    JobTracker m_growJob { this }; // the open run read again as it grows
    bool m_traceGrew = false; // spans arrived for the open run since it was last read
    bool m_readOnly = false;
    bool m_brokenReported = false; // the broken cache's message is up (once per opening)
    QList<QAction*> m_writeActions; // off while the cache is read-only
    QFrame* m_cacheBanner = nullptr;
    QLabel* m_cacheBannerText = nullptr;
    bool m_restoringSteps = false; // the step tree is being put back as it was (not a new selection)
    JobTracker m_detailJob { this };
    JobTracker m_findingsJob { this }; // the open run's findings and annotations, read again when they change
    JobTracker m_annotationJob { this }; // writes an annotation
    JobTracker m_conversationJob { this }; // reads a session's transcript
    JobTracker m_toolCallJob { this };
    JobTracker m_liveJob { this }; // the traces the live collector changed
    QSet<QString> m_changedTraces; // changed, not yet refreshed
    QTimer m_liveDashboardTimer;
    bool m_cacheReady = false; // refreshTraces() waits for prepareCache()
};

} // namespace Tracelight
