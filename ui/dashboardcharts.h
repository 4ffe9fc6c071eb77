#pragma once

#include <cachestats.h>

#include <QWidget>

#include <memory>

namespace Tracelight {

class ChartView;

// The dashboard's charts over a CacheStats: cost and tokens over time, latency percentiles by agent or version,
// cost by model, tool calls and failures, run outcomes, and the run latency distribution. A click on a chart
// element asks for the runs behind it.
class DashboardCharts final : public QWidget
{
    Q_OBJECT
public:
    enum class LatencyBy
    {
        Agent,
        Version
    };

    explicit DashboardCharts(QWidget* parent = nullptr);

    void setStats(std::shared_ptr<const CacheStats> stats);
    void setLatencyBy(LatencyBy by);
    QList<ChartView*> charts() const;

signals:
    // The runs behind a chart element: the current filter narrowed by refinement, described for a title.
    void drillRequested(const StatsFilter& refinement, const QString& description);

private:
    void render();
    void renderTimeline();
    void renderLatency();
    void renderModels();
    void renderTools();
    void renderOutcomes();
    void renderHistogram();

    ChartView* m_timeline = nullptr;
    ChartView* m_latency = nullptr;
    ChartView* m_models = nullptr;
    ChartView* m_tools = nullptr;
    ChartView* m_outcomes = nullptr;
    ChartView* m_histogram = nullptr;
    std::shared_ptr<const CacheStats> m_stats;
    LatencyBy m_latencyBy = LatencyBy::Agent;
};

} // namespace Tracelight
