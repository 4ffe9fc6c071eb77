#pragma once

#include <jobtracker.h>

#include <runstats.h>

#include <QWidget>

#include <memory>

namespace Tracelight {

class ChartView;

// The charts of one run: where its time went (by step kind, by agent), tokens and cost of each llm call in order,
// and the latency of each tool call. The figures are computed and reduced to a point budget on a worker thread.
class RunChartsPanel final : public QWidget
{
    Q_OBJECT
public:
    // Prepared off the GUI thread: RunStats reduced to what the charts draw.
    struct Data
    {
        struct Slice
        {
            QString label;
            std::int64_t ns = 0;
            int kind = -1; // StepKind for the kind chart
        };
        struct Calls
        {
            int firstCall = 0; // 0-based call numbers covered by this bar
            int lastCall = 0;
            int firstStep = -1;
            std::int64_t uncachedInput = 0;
            std::int64_t cacheRead = 0;
            std::int64_t output = 0;
            double costUsd = 0.0; // known costs only
            int unknownCosts = 0;
            int failed = 0;
            std::int64_t durationNs = 0;
            QString model;
        };
        struct Tool
        {
            QString label;
            int step = -1;
            int calls = 1;
            int failed = 0;
            std::int64_t durationNs = 0; // the call's, or the mean of the calls of a grouped tool
            std::int64_t maxNs = 0;
        };
        std::int64_t wallNs = 0;
        std::int64_t selfTotalNs = 0;
        std::vector<Slice> kinds;
        std::vector<Slice> agents;
        int llmCalls = 0;
        std::vector<Calls> calls;
        bool toolsGrouped = false;
        int toolCalls = 0;
        std::vector<Tool> tools;
    };
    static constexpr int CallBudget = 120;
    static constexpr int ToolBudget = 20;
    static Data prepare(const TraceSnapshot& snapshot, int callBudget = CallBudget, int toolBudget = ToolBudget);

    explicit RunChartsPanel(QWidget* parent = nullptr);

    void setTrace(TraceSnapshotPtr snapshot);
    void clear();
    // For tests: the charts, in reading order.
    QList<ChartView*> charts() const;

signals:
    // A chart element was clicked: the step it stands for.
    void stepRequested(int step);
    void chartsUpdated();

private:
    void render();
    void renderKinds();
    void renderAgents();
    void renderCalls();
    void renderTools();

    ChartView* m_kinds = nullptr;
    ChartView* m_agents = nullptr;
    ChartView* m_calls = nullptr;
    ChartView* m_tools = nullptr;
    std::shared_ptr<const Data> m_data;
    JobTracker m_prepareJob { this };
};

} // namespace Tracelight
