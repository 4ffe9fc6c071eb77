#pragma once

#include <jobtracker.h>

#include <cachestats.h>
#include <statsquery.h>

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QTabWidget;
class QTableWidget;

namespace Tracelight {

class ChartView;
class DashboardCharts;
class StatCard;

// A tab over the whole cache: filters (time range, service, version, agent, model), headline figures, the charts,
// and the slowest, costliest and failed runs one click away. Queries run on worker threads with their own
// read-only connection; stale results are dropped by generation number.
class DashboardWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardWidget(const QString& databasePath, QWidget* parent = nullptr);
    ~DashboardWidget() override;

    void setCostModel(CostModelPtr model);
    // Recomputes now when visible, else when next shown (after an import, a new price table).
    void refresh();
    StatsFilter filter() const;
    const CacheStats* stats() const { return m_stats.get(); }
    QList<ChartView*> charts() const;
    // The figure shown on the headline card with this caption ("Runs", "p95 latency", …), for tests.
    QString cardValue(const QString& caption) const;
    // Shows the runs behind a chart element in the run lists' "Selected" tab.
    void drill(const StatsFilter& refinement, const QString& description);
    QTableWidget* runList(int tab) const;
    QTableWidget* findingCounts() const { return m_findingCounts; }

signals:
    void traceActivated(const QString& traceId);
    // The agent graph of the runs the filters select, described in words ("version 1.3 · last 7 days").
    void graphRequested(const StatsFilter& filter, const QString& description);
    void statsUpdated();
    void runsListed();

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* createFilters();
    QString describeFilter() const;
    QWidget* createCards();
    QWidget* createRunLists();
    void recompute();
    void showStats(std::shared_ptr<const CacheStats> stats, const StatsQuery::Choices& choices);
    void showFindingCounts(const std::vector<StatsQuery::FindingCount>& counts);
    void updateChoices(const StatsQuery::Choices& choices);
    void updateCards();
    void fillRuns(QTableWidget* list, const std::vector<RunRef>& runs, int valueKind);

    QString m_databasePath;
    CostModelPtr m_costModel;
    QComboBox* m_range = nullptr;
    QComboBox* m_service = nullptr;
    QComboBox* m_version = nullptr;
    QComboBox* m_agent = nullptr;
    QComboBox* m_model = nullptr;
    QComboBox* m_latencyBy = nullptr;
    QLabel* m_status = nullptr;
    QList<StatCard*> m_cards;
    DashboardCharts* m_charts = nullptr;
    QTabWidget* m_runTabs = nullptr;
    QTableWidget* m_slowest = nullptr;
    QTableWidget* m_costliest = nullptr;
    QTableWidget* m_failed = nullptr;
    QTableWidget* m_selected = nullptr;
    QTableWidget* m_findingCounts = nullptr; // findings by kind and version
    QLabel* m_selectedTitle = nullptr;
    std::shared_ptr<const CacheStats> m_stats;
    bool m_stale = true;
    JobTracker m_statsJob { this, m_databasePath.toStdString() };
    JobTracker m_drillJob { this, m_databasePath.toStdString() };
};

} // namespace Tracelight
