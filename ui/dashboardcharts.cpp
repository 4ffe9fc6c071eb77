#include "dashboardcharts.h"

#include "chartbuilder.h"
#include "chartview.h"

#include <format.h>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QDateTime>
#include <QGridLayout>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>

namespace Tracelight {

namespace {

constexpr std::int64_t nsPerDay = Q_INT64_C(86400000000000);

QString groupName(const StatsGroup& g, const QString& empty)
{
    return g.key.empty() ? empty : Format::fromUtf8(g.key);
}

// Time labels as short as the span allows: 14:05 within a day, 10-09 14:05 across days, 2025-10-09 per day.
QString bucketLabel(std::int64_t startNs, std::int64_t bucketNs, std::int64_t spanNs)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(startNs / 1000000);
    if (bucketNs >= nsPerDay)
        return time.toString(QStringLiteral("yyyy-MM-dd"));
    return time.toString(spanNs < nsPerDay ? QStringLiteral("HH:mm") : QStringLiteral("MM-dd HH:mm"));
}

QString percent(double share)
{
    return QString::number(share * 100.0, 'f', share < 0.1 && share > 0 ? 1 : 0) + QStringLiteral(" %");
}

} // namespace

DashboardCharts::DashboardCharts(QWidget* parent)
    : QWidget(parent)
    , m_timeline(new ChartView(tr("Cost and tokens over time")))
    , m_latency(new ChartView(tr("Latency by agent")))
    , m_models(new ChartView(tr("Cost by model")))
    , m_tools(new ChartView(tr("Tool calls")))
    , m_outcomes(new ChartView(tr("Run outcomes")))
    , m_histogram(new ChartView(tr("Run latency")))
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(8);
    const QList<ChartView*> all = charts();
    for (int i = 0; i < all.size(); ++i) {
        all[i]->setMinimumHeight(260);
        grid->addWidget(all[i], i / 2, i % 2);
    }
    connect(m_timeline, &ChartView::paletteChanged, this, &DashboardCharts::render);
    render();
}

QList<ChartView*> DashboardCharts::charts() const
{
    return { m_timeline, m_models, m_latency, m_histogram, m_tools, m_outcomes };
}

void DashboardCharts::setStats(std::shared_ptr<const CacheStats> stats)
{
    m_stats = std::move(stats);
    render();
}

void DashboardCharts::setLatencyBy(LatencyBy by)
{
    m_latencyBy = by;
    renderLatency();
}

void DashboardCharts::render()
{
    renderTimeline();
    renderLatency();
    renderModels();
    renderTools();
    renderOutcomes();
    renderHistogram();
}

void DashboardCharts::renderTimeline()
{
    QChart* chart = m_timeline->reset();
    if (!m_stats || m_stats->timeline.empty()) {
        m_timeline->setTitle(tr("Cost and tokens over time"));
        m_timeline->setPlaceholder(tr("No runs match the filters."));
        return;
    }
    m_timeline->setPlaceholder({});
    const CacheStats& s = *m_stats;
    m_timeline->setTitle(tr("Cost and tokens over time (%1)").arg(ChartBuilder::perBucket(s.bucketNs)));
    auto* bars = new QStackedBarSeries;
    bars->setBarWidth(0.85);
    auto* input = new QBarSet(tr("Input tokens"));
    auto* output = new QBarSet(tr("Output tokens"));
    auto* cost = new QLineSeries;
    cost->setName(tr("Cost (USD)"));
    QStringList labels;
    QStringList tips;
    double maxTokens = 0;
    double maxCost = 0;
    bool anyCost = false;
    for (std::size_t i = 0; i < s.timeline.size(); ++i) {
        const TimeBucket& b = s.timeline[i];
        *input << double(b.inputTokens);
        *output << double(b.outputTokens);
        maxTokens = std::max(maxTokens, double(b.inputTokens + b.outputTokens));
        cost->append(double(i), b.costUsd);
        maxCost = std::max(maxCost, b.costUsd);
        anyCost = anyCost || b.costUsd > 0;
        labels << bucketLabel(b.startNs, s.bucketNs, s.lastStartNs - s.firstStartNs);
        QString tip
            = tr("%1 – %2\n%3")
                  .arg(Format::timestamp(b.startNs).left(16), Format::timestamp(b.startNs + s.bucketNs).left(16),
                      ChartBuilder::count(b.runs, tr("run"), tr("runs")));
        if (b.runsWithErrors)
            tip += tr(", %1 with errors").arg(b.runsWithErrors);
        tip += tr("\n%1 input, %2 output tokens\n%3")
                   .arg(Format::tokens(b.inputTokens), Format::tokens(b.outputTokens), Format::cost(b.costUsd));
        if (b.unknownCostCalls)
            tip += tr(" + %1 of unknown cost")
                       .arg(ChartBuilder::count(b.unknownCostCalls, tr("LLM call"), tr("LLM calls")));
        tips << tip;
    }
    bars->append(input);
    bars->append(output);
    chart->addSeries(bars);
    input->setColor(ChartView::color(0));
    input->setBorderColor(input->color());
    output->setColor(ChartView::color(5));
    output->setBorderColor(output->color());
    const auto drill = [this](int index) {
        if (!m_stats || index < 0 || index >= static_cast<int>(m_stats->timeline.size()))
            return;
        StatsFilter f;
        f.sinceNs = m_stats->timeline[std::size_t(index)].startNs;
        f.untilNs = f.sinceNs + m_stats->bucketNs;
        emit drillRequested(f,
            tr("Runs started %1 – %2")
                .arg(Format::timestamp(f.sinceNs).left(16), Format::timestamp(f.untilNs).left(16)));
    };
    for (QBarSet* set : { input, output }) {
        connect(set, &QBarSet::hovered, m_timeline,
            [this, tips](bool on, int index) { on ? m_timeline->showTip(tips.value(index)) : m_timeline->hideTip(); });
        connect(set, &QBarSet::clicked, this, drill);
    }
    QValueAxis* tokens = ChartBuilder::valueAxis(maxTokens, tr("tokens"), QStringLiteral("%.0f"));
    chart->addAxis(tokens, Qt::AlignLeft);
    bars->attachAxis(tokens);
    if (anyCost) {
        chart->addSeries(cost);
        QPen pen(ChartView::color(3));
        pen.setWidthF(2.0);
        cost->setPen(pen);
        cost->setPointsVisible(s.timeline.size() <= 40);
        QValueAxis* usd = ChartBuilder::valueAxis(
            maxCost, tr("USD"), maxCost < 0.1 ? QStringLiteral("%.4f") : QStringLiteral("%.2f"));
        chart->addAxis(usd, Qt::AlignRight);
        cost->attachAxis(usd);
    } else {
        delete cost;
        cost = nullptr;
    }
    const int maxLabels = s.bucketNs >= nsPerDay ? 4 : s.lastStartNs - s.firstStartNs < nsPerDay ? 6 : 3;
    ChartBuilder::sparseBottomAxis(chart, bars, labels, maxLabels, cost, {});
}

void DashboardCharts::renderLatency()
{
    const bool byAgent = m_latencyBy == LatencyBy::Agent;
    m_latency->setTitle(byAgent ? tr("Agent latency: p50 / p95 / p99") : tr("Run latency by version: p50 / p95 / p99"));
    QChart* chart = m_latency->reset();
    const std::vector<StatsGroup>* groups = m_stats ? (byAgent ? &m_stats->byAgent : &m_stats->byVersion) : nullptr;
    if (!groups || groups->empty()) {
        m_latency->setPlaceholder(
            !m_stats || m_stats->runs == 0 ? tr("No runs match the filters.") : tr("No agent steps in these runs."));
        return;
    }
    m_latency->setPlaceholder({});
    const int n = static_cast<int>(groups->size());
    // Horizontal bars: the names read on the left, and the chart grows with the groups.
    m_latency->setMinimumHeight(std::max(260, 120 + 36 * n));
    double max = 0;
    for (const StatsGroup& g : *groups)
        max = std::max(max, g.latency.p99Ms);
    const auto scale = ChartBuilder::durationScale(max);
    auto* series = new QHorizontalBarSeries;
    series->setBarWidth(0.8);
    const std::array<std::pair<QString, double LatencySummary::*>, 3> percentiles
        = { { { tr("p50"), &LatencySummary::p50Ms }, { tr("p95"), &LatencySummary::p95Ms },
            { tr("p99"), &LatencySummary::p99Ms } } };
    // Qt draws the first category at the bottom: the groups go in reverse, the busiest on top.
    QStringList categories;
    QStringList tips;
    std::vector<std::string> keys;
    for (int i = n - 1; i >= 0; --i) {
        const StatsGroup& g = (*groups)[std::size_t(i)];
        QString label = ChartBuilder::shortText(groupName(g, tr("(no version)")), 22);
        while (categories.contains(label))
            label += QLatin1Char(' ');
        categories << label;
        keys.push_back(g.key);
        tips << tr("%1: %2\np50 %3 · p95 %4 · p99 %5 · max %6")
                    .arg(groupName(g, tr("(no version)")),
                        byAgent ? ChartBuilder::count(g.calls, tr("invocation"), tr("invocations"))
                                : ChartBuilder::count(g.calls, tr("run"), tr("runs")),
                        ChartBuilder::durationText(g.latency.p50Ms), ChartBuilder::durationText(g.latency.p95Ms),
                        ChartBuilder::durationText(g.latency.p99Ms), ChartBuilder::durationText(g.latency.maxMs));
    }
    for (const auto& [name, member] : percentiles) {
        auto* set = new QBarSet(name);
        for (int i = n - 1; i >= 0; --i)
            *set << (*groups)[std::size_t(i)].latency.*member / scale.divisor;
        series->append(set);
        connect(set, &QBarSet::hovered, m_latency,
            [this, tips](bool on, int index) { on ? m_latency->showTip(tips.value(index)) : m_latency->hideTip(); });
        connect(set, &QBarSet::clicked, this, [this, byAgent, keys](int index) {
            if (index < 0 || index >= static_cast<int>(keys.size()) || keys[std::size_t(index)].empty())
                return;
            StatsFilter f;
            (byAgent ? f.agent : f.version) = keys[std::size_t(index)];
            emit drillRequested(f,
                (byAgent ? tr("Runs in which agent %1 worked") : tr("Runs of version %1"))
                    .arg(Format::fromUtf8(keys[std::size_t(index)])));
        });
    }
    chart->addSeries(series);
    const std::array<QColor, 3> colors = { ChartView::color(0), ChartView::color(2), ChartView::errorColor() };
    for (int p = 0; p < 3; ++p) {
        series->barSets().at(p)->setColor(colors[std::size_t(p)]);
        series->barSets().at(p)->setBorderColor(colors[std::size_t(p)]);
    }
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    y->setGridLineVisible(false);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    QValueAxis* x = ChartBuilder::valueAxis(
        max / scale.divisor, tr("latency (%1)").arg(scale.unit), ChartBuilder::tickFormat(max / scale.divisor));
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
}

void DashboardCharts::renderModels()
{
    m_models->reset();
    if (!m_stats || m_stats->byModel.empty()) {
        m_models->setTitle(tr("Cost by model"));
        m_models->setPlaceholder(
            !m_stats || m_stats->runs == 0 ? tr("No runs match the filters.") : tr("No LLM calls in these runs."));
        return;
    }
    m_models->setPlaceholder({});
    const auto& groups = m_stats->byModel;
    m_models->setMinimumHeight(std::max(260, 100 + 24 * static_cast<int>(groups.size())));
    const bool anyCost
        = std::any_of(groups.begin(), groups.end(), [](const StatsGroup& g) { return g.cost.usd.value_or(0) > 0; });
    m_models->setTitle(anyCost ? tr("Cost by model") : tr("Tokens by model (no model has a price)"));
    std::vector<ChartBuilder::Bar> bars;
    for (const StatsGroup& g : groups) {
        const QString name = groupName(g, tr("(no model name)"));
        const double tokens = double(g.tokens.total());
        QString tip = tr("%1: %2").arg(name, ChartBuilder::count(g.calls, tr("call"), tr("calls")));
        tip += tr("\n%1 input (%2 cache read, %3 cache write), %4 output (%5 reasoning)")
                   .arg(Format::tokens(g.tokens.input), Format::tokens(g.tokens.cacheRead),
                       Format::tokens(g.tokens.cacheWrite), Format::tokens(g.tokens.output),
                       Format::tokens(g.tokens.reasoning));
        tip += tr("\ncost %1").arg(Format::cost(g.cost.usd));
        if (g.cost.unknownCalls)
            tip += tr(" + %1 of unknown cost").arg(ChartBuilder::count(g.cost.unknownCalls, tr("call"), tr("calls")));
        if (!g.cost.unpricedModels.empty())
            tip += tr("\nNo price for this model: add one in Tools → Model Prices.");
        bars.push_back({ ChartBuilder::shortText(name, 22) + (anyCost && !g.cost.usd ? tr(" (no price)") : QString()),
            { anyCost ? g.cost.usd.value_or(0.0) : tokens }, tip });
    }
    ChartBuilder::horizontalBars(
        m_models, { { anyCost ? tr("Cost (USD)") : tr("Tokens"), ChartView::color(3) } }, bars,
        anyCost ? tr("USD") : tr("tokens"), anyCost ? QStringLiteral("%.3g") : QStringLiteral("%.0f"),
        [this](int bar) {
            if (!m_stats || bar < 0 || bar >= static_cast<int>(m_stats->byModel.size()))
                return;
            const StatsGroup& g = m_stats->byModel[std::size_t(bar)];
            if (g.others || g.key.empty())
                return;
            StatsFilter f;
            f.model = g.key;
            emit drillRequested(f, tr("Runs that called %1").arg(Format::fromUtf8(g.key)));
        },
        false, anyCost ? QStringLiteral("$@value") : QStringLiteral("@value"));
}

void DashboardCharts::renderTools()
{
    m_tools->reset();
    if (!m_stats || m_stats->byTool.empty()) {
        m_tools->setTitle(tr("Tool calls"));
        m_tools->setPlaceholder(
            !m_stats || m_stats->runs == 0 ? tr("No runs match the filters.") : tr("No tool calls in these runs."));
        return;
    }
    m_tools->setPlaceholder({});
    // A line of text per bar, or Qt elides the tool names.
    m_tools->setMinimumHeight(std::max(260, 110 + 24 * static_cast<int>(m_stats->byTool.size())));
    m_tools->setTitle(tr("Tool calls: %1 succeeded").arg(percent(m_stats->toolSuccessRate())));
    std::vector<ChartBuilder::Bar> bars;
    for (const StatsGroup& g : m_stats->byTool) {
        const double success = g.calls > 0 ? 1.0 - double(g.errors) / double(g.calls) : 0.0;
        bars.push_back(
            { ChartBuilder::shortText(groupName(g, tr("(unnamed)")), 22) + QStringLiteral("  ") + percent(success),
                { double(g.calls - g.errors), double(g.errors) },
                tr("%1: %2 calls in %3 runs, %4 failed (%5 succeeded)\np50 %6 · p95 %7")
                    .arg(groupName(g, tr("(unnamed)")), Format::tokens(g.calls), Format::tokens(g.runs),
                        Format::tokens(g.errors), percent(success), ChartBuilder::durationText(g.latency.p50Ms),
                        ChartBuilder::durationText(g.latency.p95Ms)) });
    }
    ChartBuilder::horizontalBars(
        m_tools, { { tr("Succeeded"), ChartView::okColor() }, { tr("Failed"), ChartView::errorColor() } }, bars,
        tr("calls"), QStringLiteral("%.0f"),
        [this](int bar) {
            if (!m_stats || bar < 0 || bar >= static_cast<int>(m_stats->byTool.size()))
                return;
            const StatsGroup& g = m_stats->byTool[std::size_t(bar)];
            if (g.others || g.key.empty())
                return;
            StatsFilter f;
            f.tool = g.key;
            emit drillRequested(f, tr("Runs that called %1").arg(Format::fromUtf8(g.key)));
        },
        true);
}

void DashboardCharts::renderOutcomes()
{
    m_outcomes->reset();
    if (!m_stats || m_stats->runs == 0) {
        m_outcomes->setTitle(tr("Run outcomes"));
        m_outcomes->setPlaceholder(tr("No runs match the filters."));
        return;
    }
    m_outcomes->setPlaceholder({});
    const CacheStats& s = *m_stats;
    m_outcomes->setTitle(tr("Run outcomes (%1 runs)").arg(Format::tokens(s.runs)));
    const double toolFailures = s.toolCalls > 0 ? double(s.toolErrors) / double(s.toolCalls) : 0.0;
    struct Row
    {
        QString label;
        double share;
        QColor color;
        QString tip;
    };
    const std::vector<Row> rows = {
        { tr("Failed"), s.errorRate(), ChartView::errorColor(),
            tr("%1 of %2 runs had a failed step (click for the list)")
                .arg(Format::tokens(s.runsWithErrors), Format::tokens(s.runs)) },
        { tr("Escalated"), s.escalationRate(), ChartView::color(4),
            tr("%1 runs reached a human step (approval, review, hand-over)").arg(Format::tokens(s.runsWithHuman)) },
        { tr("Handed off"), s.handoffRate(), ChartView::color(3),
            tr("%1 runs passed work between agents").arg(Format::tokens(s.runsWithHandoff)) },
        { tr("Retrieval"), s.share(s.runsWithRetrieval), ChartView::color(1),
            tr("%1 runs retrieved documents, %2 retrievals in all")
                .arg(Format::tokens(s.runsWithRetrieval), Format::tokens(s.retrievals)) },
        { tr("Tool failures"), toolFailures, ChartView::color(2),
            tr("%1 of %2 tool calls failed").arg(Format::tokens(s.toolErrors), Format::tokens(s.toolCalls)) },
    };
    std::vector<ChartBuilder::BarSet> sets;
    std::vector<ChartBuilder::Bar> bars;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        sets.push_back({ rows[i].label, rows[i].color });
        std::vector<double> values(rows.size(), 0.0);
        values[i] = rows[i].share * 100.0;
        bars.push_back({ rows[i].label + QStringLiteral("  ") + percent(rows[i].share), values, rows[i].tip });
    }
    ChartBuilder::horizontalBars(
        m_outcomes, sets, bars, tr("% of runs (tool failures: % of calls)"), QStringLiteral("%.0f"),
        [this](int bar) {
            if (bar != 0)
                return;
            StatsFilter f;
            f.errorsOnly = true;
            emit drillRequested(f, tr("Runs with errors"));
        },
        false);
    // Shares: the axis ends at 100 %.
    for (QAbstractAxis* axis : m_outcomes->chart()->axes(Qt::Horizontal)) {
        if (auto* values = qobject_cast<QValueAxis*>(axis))
            values->setRange(0, 100);
    }
}

void DashboardCharts::renderHistogram()
{
    QChart* chart = m_histogram->reset();
    if (!m_stats || m_stats->latencyHistogram.empty()) {
        m_histogram->setTitle(tr("Run latency"));
        m_histogram->setPlaceholder(tr("No runs match the filters."));
        return;
    }
    m_histogram->setPlaceholder({});
    const CacheStats& s = *m_stats;
    const LatencySummary& l = s.runLatency;
    m_histogram->setTitle(tr("Run latency: p50 %1 · p95 %2 · p99 %3")
                              .arg(ChartBuilder::durationText(l.p50Ms), ChartBuilder::durationText(l.p95Ms),
                                  ChartBuilder::durationText(l.p99Ms)));
    auto* series = new QBarSeries;
    series->setBarWidth(0.9);
    auto* set = new QBarSet(tr("Runs"));
    QStringList labels;
    QStringList tips;
    double max = 0;
    for (const HistogramBin& bin : s.latencyHistogram) {
        *set << double(bin.runs);
        max = std::max(max, double(bin.runs));
        labels << ChartBuilder::compactDuration(bin.toMs);
        tips << tr("%1 took %2 – %3")
                    .arg(ChartBuilder::count(bin.runs, tr("run"), tr("runs")), ChartBuilder::durationText(bin.fromMs),
                        ChartBuilder::durationText(bin.toMs));
    }
    series->append(set);
    chart->addSeries(series);
    set->setColor(ChartView::color(0));
    set->setBorderColor(set->color());
    connect(set, &QBarSet::hovered, m_histogram,
        [this, tips](bool on, int index) { on ? m_histogram->showTip(tips.value(index)) : m_histogram->hideTip(); });
    connect(set, &QBarSet::clicked, this, [this](int index) {
        if (!m_stats || index < 0 || index >= static_cast<int>(m_stats->latencyHistogram.size()))
            return;
        const HistogramBin& bin = m_stats->latencyHistogram[std::size_t(index)];
        StatsFilter f;
        f.minDurationNs = std::max<std::int64_t>(static_cast<std::int64_t>(bin.fromMs * 1e6), 0);
        f.maxDurationNs = static_cast<std::int64_t>(bin.toMs * 1e6);
        if (index == 0)
            f.minDurationNs = 0;
        if (index + 1 == static_cast<int>(m_stats->latencyHistogram.size()))
            f.maxDurationNs = 0; // the last bin holds the slowest run
        emit drillRequested(f,
            tr("Runs that took %1 – %2")
                .arg(ChartBuilder::durationText(bin.fromMs), ChartBuilder::durationText(bin.toMs)));
    });
    QValueAxis* y = ChartBuilder::valueAxis(max, tr("runs"), QStringLiteral("%.0f"));
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    ChartBuilder::sparseBottomAxis(chart, series, labels, 5, nullptr, tr("run duration, up to (log scale)"));
    chart->legend()->setVisible(false);
}

} // namespace Tracelight
