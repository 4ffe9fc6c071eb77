#pragma once

#include <jobtracker.h>

#include <versioncomparison.h>

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QTableView;
class QTabWidget;

namespace Tracelight {

class AgentGraphPanel;
class ComparisonSummaryModel;

// Two agent versions side by side: runs, error rate, p50/p95 latency, median cost and tokens, calls per run and
// tool success rates, with deltas; the runs behind the figures are listed below, a double-click opens one.
class VersionCompareWindow final : public QWidget
{
    Q_OBJECT
public:
    explicit VersionCompareWindow(const QString& databasePath, QWidget* parent = nullptr);
    ComparisonSummaryModel* summaryModel() const { return m_summary; }
    // The "Agent graph" tab: B's graph against A's (edges added, removed, more or less frequent per run).
    AgentGraphPanel* graph() const { return m_graph; }
    void showGraph();
    void setVersions(const QString& service, const QString& v1, const QString& v2);

signals:
    void traceRequested(const QString& traceId);
    void compared();

private:
    void loadChoices();
    void compare();
    void updateGraph();

    QString m_databasePath;
    QComboBox* m_service = nullptr;
    QComboBox* m_v1 = nullptr;
    QComboBox* m_v2 = nullptr;
    QLabel* m_status = nullptr;
    QTableView* m_table = nullptr;
    QListWidget* m_runs1 = nullptr;
    QListWidget* m_runs2 = nullptr;
    ComparisonSummaryModel* m_summary = nullptr;
    QTabWidget* m_tabs = nullptr;
    AgentGraphPanel* m_graph = nullptr;
    bool m_graphStale = false;
    JobTracker m_servicesJob { this, m_databasePath.toStdString() };
    JobTracker m_versionsJob { this, m_databasePath.toStdString() };
    JobTracker m_compareJob { this, m_databasePath.toStdString() };
};

} // namespace Tracelight
