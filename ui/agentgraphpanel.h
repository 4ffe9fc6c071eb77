#pragma once

#include <jobtracker.h>

#include <graphlayout.h>
#include <statsquery.h>
#include <tracesnapshot.h>

#include <QWidget>

class QComboBox;
class QLabel;
class QStandardItemModel;
class QTreeView;

namespace Tracelight {

class GraphView;

// Who called whom, as a picture: the agent graph of the open run, of chosen runs, of the runs a filter selects (a
// whole agent version) or the difference between two such sets. Graphs are built and laid out on a worker thread.
// Selecting an edge (or a node) lists the steps behind it; activating a step asks for it to be shown.
class AgentGraphPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit AgentGraphPanel(const QString& databasePath, QWidget* parent = nullptr);

    void setDatabasePath(const QString& path);
    void setCostModel(CostModelPtr costs);

    // The open run's graph, laid out when the panel is first shown with it.
    void setTrace(TraceSnapshotPtr snapshot);
    void clear();
    // Graphs read from the cache: runs by id, the runs of a filter, or before → after.
    void showRuns(const QStringList& traceIds, const QString& title);
    void showFilter(const StatsFilter& filter, const QString& title);
    void showDifference(const StatsFilter& before, const StatsFilter& after, const QString& title);

    GraphView* view() const { return m_view; }
    QStandardItemModel* stepModel() const { return m_steps; }
    QTreeView* stepList() const { return m_stepList; }
    QString status() const;
    // Writes the graph as .svg, .png or .dot; false with the reason otherwise.
    bool exportTo(const QString& file, QString* error) const;

    enum StepColumn
    {
        StepNameColumn,
        StepRunColumn,
        StepDurationColumn,
        StepStatusColumn,
    };
    static constexpr int TraceIdRole = Qt::UserRole + 1;
    static constexpr int SpanIdRole = Qt::UserRole + 2;

signals:
    void stepRequested(const QString& traceId, const QString& spanId);
    // The steps behind the selected edge or node (empty when nothing is selected), for the timeline to mark.
    void stepsSelected(const QString& traceId, const QStringList& spanIds);
    void graphShown();

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Built
    {
        GraphLayout::Input input;
        AgentGraph dotSource; // for DOT export (empty for a difference)
        bool difference = false;
        // Per edge, the names of the steps behind it (parallel to Edge::steps).
        std::vector<std::vector<std::string>> stepNames;
    };
    using BuiltPtr = std::shared_ptr<const Built>;
    static Built build(
        const std::vector<TraceSnapshotPtr>& runs, const std::vector<TraceSnapshotPtr>& before, bool difference);
    void load(std::function<Built(const JobContext&)> work, const QString& title);
    void relayout();
    void showSelection(int node, int edge);
    void exportGraph();

    QComboBox* m_sizeBy = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_status = nullptr;
    GraphView* m_view = nullptr;
    QTreeView* m_stepList = nullptr;
    QStandardItemModel* m_steps = nullptr;
    TraceSnapshotPtr m_pendingTrace; // the open run, waiting to be shown
    BuiltPtr m_built;
    QString m_titleText;
    JobTracker m_job;
    JobTracker m_layoutJob;
};

} // namespace Tracelight
