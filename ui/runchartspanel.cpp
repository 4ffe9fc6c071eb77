#include "runchartspanel.h"

#include "chartbuilder.h"
#include "chartview.h"
#include "kindstyle.h"
#include "uilogging.h"

#include <format.h>
#include <statmath.h>

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QGridLayout>
#include <QLegend>
#include <QLineSeries>
#include <QScrollArea>
#include <QStackedBarSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <map>

namespace Tracelight {

namespace {

constexpr int AgentBudget = 8;

QString percentOf(std::int64_t part, std::int64_t whole)
{
    return whole > 0 ? QString::number(100.0 * double(part) / double(whole), 'f', 0) + QStringLiteral(" %") : QString();
}

} // namespace

RunChartsPanel::Data RunChartsPanel::prepare(const TraceSnapshot& snapshot, int callBudget, int toolBudget)
{
    const RunStats stats = RunStats::compute(snapshot);
    Data data;
    data.wallNs = stats.wallNs;
    for (int k = 0; k < StepKindCount; ++k) {
        const std::int64_t ns = stats.selfNsByKind[std::size_t(k)];
        data.selfTotalNs += ns;
        if (ns > 0)
            data.kinds.push_back({ Format::kindLabel(static_cast<StepKind>(k)), ns, k });
    }
    std::stable_sort(data.kinds.begin(), data.kinds.end(), [](const auto& a, const auto& b) { return a.ns > b.ns; });
    for (const auto& [name, ns] : stats.selfNsByAgent) {
        if (ns <= 0)
            continue;
        if (static_cast<int>(data.agents.size()) < AgentBudget - 1 || stats.selfNsByAgent.size() <= AgentBudget) {
            data.agents.push_back({ name.empty() ? tr("(outside agents)") : Format::fromUtf8(name), ns });
        } else {
            if (data.agents.back().kind != -2)
                data.agents.push_back({ tr("others"), 0, -2 });
            data.agents.back().ns += ns;
        }
    }

    data.llmCalls = static_cast<int>(stats.llmCalls.size());
    for (const auto& [first, last] : StatMath::partition(data.llmCalls, callBudget)) {
        Data::Calls bar;
        bar.firstCall = first;
        bar.lastCall = last;
        for (int i = first; i <= last; ++i) {
            const RunStats::LlmCall& call = stats.llmCalls[std::size_t(i)];
            if (bar.firstStep < 0)
                bar.firstStep = call.step;
            bar.cacheRead += call.tokens.cacheRead;
            bar.uncachedInput += std::max<std::int64_t>(call.tokens.input - call.tokens.cacheRead, 0);
            bar.output += call.tokens.output;
            bar.costUsd += call.costUsd.value_or(0.0);
            bar.unknownCosts += !call.costUsd;
            bar.failed += call.failed;
            bar.durationNs += call.durationNs;
            const QString model = Format::fromUtf8(call.model);
            if (bar.model.isEmpty())
                bar.model = model;
            else if (bar.model != model && !bar.model.endsWith(QStringLiteral("…")))
                bar.model += QStringLiteral(", …");
        }
        data.calls.push_back(std::move(bar));
    }

    data.toolCalls = static_cast<int>(stats.toolCalls.size());
    if (data.toolCalls <= toolBudget) {
        std::map<std::string, int> seen;
        for (const RunStats::ToolCall& call : stats.toolCalls) {
            const int n = ++seen[call.tool];
            QString label = Format::fromUtf8(call.tool);
            if (n > 1)
                label += QStringLiteral(" #%1").arg(n);
            data.tools.push_back({ label, call.step, 1, call.failed ? 1 : 0, call.durationNs, call.durationNs });
        }
    } else {
        // Too many calls for one bar each: one bar per tool, its mean latency.
        data.toolsGrouped = true;
        std::map<std::string, Data::Tool> byTool;
        for (const RunStats::ToolCall& call : stats.toolCalls) {
            Data::Tool& tool = byTool[call.tool];
            if (tool.step < 0) {
                tool.step = call.step;
                tool.calls = 0;
                tool.label = Format::fromUtf8(call.tool);
            }
            ++tool.calls;
            tool.failed += call.failed;
            tool.durationNs += call.durationNs; // the sum until divided below
            tool.maxNs = std::max(tool.maxNs, call.durationNs);
        }
        for (auto& [name, tool] : byTool)
            data.tools.push_back(tool);
        std::stable_sort(data.tools.begin(), data.tools.end(),
            [](const Data::Tool& a, const Data::Tool& b) { return a.durationNs > b.durationNs; });
        if (static_cast<int>(data.tools.size()) > toolBudget)
            data.tools.resize(std::size_t(toolBudget));
        for (Data::Tool& tool : data.tools) {
            tool.durationNs /= tool.calls;
            tool.label += QStringLiteral(" ×%1").arg(tool.calls);
        }
    }
    return data;
}

RunChartsPanel::RunChartsPanel(QWidget* parent)
    : QWidget(parent)
    , m_kinds(new ChartView(tr("Time by step kind")))
    , m_agents(new ChartView(tr("Time by agent")))
    , m_calls(new ChartView(tr("Tokens and cost per LLM call")))
    , m_tools(new ChartView(tr("Tool call latency")))
{
    // Horizontal bar charts need about a line of text per bar or Qt elides their labels: the charts grow with the
    // run and the panel scrolls.
    auto* content = new QWidget;
    auto* grid = new QGridLayout(content);
    grid->setContentsMargins(0, 6, 0, 0);
    grid->setSpacing(6);
    grid->addWidget(m_calls, 0, 0);
    grid->addWidget(m_tools, 0, 1);
    grid->addWidget(m_kinds, 1, 0);
    grid->addWidget(m_agents, 1, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    connect(m_kinds, &ChartView::paletteChanged, this, &RunChartsPanel::render);
    clear();
}

QList<ChartView*> RunChartsPanel::charts() const
{
    return { m_calls, m_kinds, m_agents, m_tools };
}

void RunChartsPanel::clear()
{
    m_prepareJob.cancel();
    m_data.reset();
    render();
}

void RunChartsPanel::setTrace(TraceSnapshotPtr snapshot)
{
    if (!snapshot) {
        clear();
        return;
    }
    m_prepareJob.run([snapshot](const JobContext&) { return std::make_shared<const Data>(prepare(*snapshot)); },
        [this](std::shared_ptr<const Data> data) {
            m_data = std::move(data);
            render();
            emit chartsUpdated();
        },
        [this](const QString& error) {
            m_data.reset();
            render();
            qCWarning(lcUi, "run charts: %s", qPrintable(error));
        });
}

void RunChartsPanel::render()
{
    const auto height = [](std::size_t bars) { return 90 + 24 * static_cast<int>(std::max<std::size_t>(bars, 4)); };
    m_kinds->setMinimumHeight(m_data ? height(std::max(m_data->kinds.size(), m_data->agents.size())) : 220);
    m_agents->setMinimumHeight(m_kinds->minimumHeight());
    m_tools->setMinimumHeight(std::max(m_data ? height(m_data->tools.size()) + 20 : 220, 260));
    m_calls->setMinimumHeight(m_tools->minimumHeight());
    renderKinds();
    renderAgents();
    renderCalls();
    renderTools();
}

void RunChartsPanel::renderKinds()
{
    m_kinds->reset();
    if (!m_data || m_data->kinds.empty()) {
        m_kinds->setPlaceholder(m_data ? tr("No timed steps in this run.") : tr("Select a run."));
        return;
    }
    m_kinds->setPlaceholder({});
    const Data& d = *m_data;
    const auto scale = ChartBuilder::durationScale(double(d.kinds.front().ns) / 1e6);
    std::vector<ChartBuilder::BarSet> sets;
    std::vector<ChartBuilder::Bar> bars;
    for (std::size_t i = 0; i < d.kinds.size(); ++i) {
        const Data::Slice& k = d.kinds[i];
        sets.push_back({ k.label, KindStyle::color(static_cast<StepKind>(k.kind), ChartView::dark()) });
        std::vector<double> values(d.kinds.size(), 0.0);
        values[i] = double(k.ns) / 1e6 / scale.divisor;
        bars.push_back({ k.label + QStringLiteral("  ") + percentOf(k.ns, d.selfTotalNs), values,
            tr("%1: %2 of self time (%3 of all steps' self time)")
                .arg(k.label, Format::duration(k.ns), percentOf(k.ns, d.selfTotalNs)) });
    }
    ChartBuilder::horizontalBars(m_kinds, sets, bars, tr("self time (%1)").arg(scale.unit),
        ChartBuilder::tickFormat(double(d.kinds.front().ns) / 1e6 / scale.divisor), {}, false);
}

void RunChartsPanel::renderAgents()
{
    m_agents->reset();
    if (!m_data || m_data->agents.empty()) {
        m_agents->setPlaceholder(m_data ? tr("No timed steps in this run.") : tr("Select a run."));
        return;
    }
    m_agents->setPlaceholder({});
    const Data& d = *m_data;
    double max = 0;
    for (const Data::Slice& a : d.agents)
        max = std::max(max, double(a.ns) / 1e6);
    const auto scale = ChartBuilder::durationScale(max);
    std::vector<ChartBuilder::BarSet> sets;
    std::vector<ChartBuilder::Bar> bars;
    for (std::size_t i = 0; i < d.agents.size(); ++i) {
        const Data::Slice& a = d.agents[i];
        sets.push_back({ a.label, ChartView::color(static_cast<int>(i)) });
        std::vector<double> values(d.agents.size(), 0.0);
        values[i] = double(a.ns) / 1e6 / scale.divisor;
        bars.push_back({ ChartBuilder::shortText(a.label, 24) + QStringLiteral("  ") + percentOf(a.ns, d.selfTotalNs),
            values, tr("%1: %2 of self time in its steps").arg(a.label, Format::duration(a.ns)) });
    }
    ChartBuilder::horizontalBars(m_agents, sets, bars, tr("self time (%1)").arg(scale.unit),
        ChartBuilder::tickFormat(max / scale.divisor), {}, false);
}

void RunChartsPanel::renderCalls()
{
    QChart* chart = m_calls->reset();
    if (!m_data || m_data->calls.empty()) {
        m_calls->setTitle(tr("Tokens and cost per LLM call"));
        m_calls->setPlaceholder(m_data ? tr("No LLM calls in this run.") : tr("Select a run."));
        return;
    }
    m_calls->setPlaceholder({});
    const Data& d = *m_data;
    const bool reduced = static_cast<int>(d.calls.size()) < d.llmCalls;
    m_calls->setTitle(reduced
            ? tr("Tokens and cost per LLM call (%1 calls, %2 per bar)")
                  .arg(Format::tokens(d.llmCalls))
                  .arg(QString::number(double(d.llmCalls) / double(d.calls.size()), 'f', 1))
            : tr("Tokens and cost per LLM call (%1)").arg(ChartBuilder::count(d.llmCalls, tr("call"), tr("calls"))));
    auto* series = new QStackedBarSeries;
    series->setBarWidth(0.8);
    auto* uncached = new QBarSet(tr("Input"));
    auto* cached = new QBarSet(tr("Cache read"));
    auto* output = new QBarSet(tr("Output"));
    auto* cost = new QLineSeries;
    cost->setName(tr("Cost (USD)"));
    QStringList categories;
    QStringList tips;
    const int n = static_cast<int>(d.calls.size());
    double maxTokens = 0;
    double maxCost = 0;
    for (int i = 0; i < n; ++i) {
        const Data::Calls& c = d.calls[std::size_t(i)];
        *uncached << double(c.uncachedInput);
        *cached << double(c.cacheRead);
        *output << double(c.output);
        maxTokens = std::max(maxTokens, double(c.uncachedInput + c.cacheRead + c.output));
        if (c.unknownCosts < c.lastCall - c.firstCall + 1) {
            cost->append(i, c.costUsd);
            maxCost = std::max(maxCost, c.costUsd);
        }
        const QString number = c.firstCall == c.lastCall
            ? QString::number(c.firstCall + 1)
            : QStringLiteral("%1–%2").arg(c.firstCall + 1).arg(c.lastCall + 1);
        categories << QString::number(c.firstCall + 1);
        QString tip
            = tr("Call %1 · %2\n%3 input (%4 from the cache) → %5 output\n%6 · %7")
                  .arg(number, c.model, Format::tokens(c.uncachedInput + c.cacheRead), Format::tokens(c.cacheRead),
                      Format::tokens(c.output), c.unknownCosts ? tr("cost unknown") : Format::cost(c.costUsd),
                      Format::duration(c.durationNs));
        if (c.failed)
            tip += tr("\n%1 failed").arg(c.failed);
        tips << tip;
    }
    series->append(uncached);
    series->append(cached);
    series->append(output);
    chart->addSeries(series);
    chart->addSeries(cost);
    const std::array<QBarSet*, 3> sets = { uncached, cached, output };
    for (std::size_t i = 0; i < sets.size(); ++i) {
        sets[i]->setColor(ChartView::color(int(i == 2 ? 2 : i == 1 ? 5 : 0)));
        sets[i]->setBorderColor(sets[i]->color());
        connect(sets[i], &QBarSet::hovered, m_calls,
            [this, tips](bool on, int index) { on ? m_calls->showTip(tips.value(index)) : m_calls->hideTip(); });
        connect(sets[i], &QBarSet::clicked, this, [this](int index) {
            if (m_data && index >= 0 && index < static_cast<int>(m_data->calls.size()))
                emit stepRequested(m_data->calls[std::size_t(index)].firstStep);
        });
    }
    QPen costPen(ChartView::color(3));
    costPen.setWidthF(2.0);
    cost->setPen(costPen);
    cost->setPointsVisible(n <= 40);
    QValueAxis* tokens = ChartBuilder::valueAxis(maxTokens, tr("tokens"), QStringLiteral("%.0f"));
    chart->addAxis(tokens, Qt::AlignLeft);
    series->attachAxis(tokens);
    ChartBuilder::sparseBottomAxis(chart, series, categories, 12, cost, tr("call, in order"));
    QValueAxis* usd
        = ChartBuilder::valueAxis(maxCost, tr("USD"), maxCost < 0.01 ? QStringLiteral("%.4f") : QStringLiteral("%.3f"));
    chart->addAxis(usd, Qt::AlignRight);
    cost->attachAxis(usd);
}

void RunChartsPanel::renderTools()
{
    m_tools->reset();
    if (!m_data || m_data->tools.empty()) {
        m_tools->setTitle(tr("Tool call latency"));
        m_tools->setPlaceholder(m_data ? tr("No tool calls in this run.") : tr("Select a run."));
        return;
    }
    m_tools->setPlaceholder({});
    const Data& d = *m_data;
    m_tools->setTitle(d.toolsGrouped
            ? tr("Tool latency (mean of %1)").arg(ChartBuilder::count(d.toolCalls, tr("call"), tr("calls")))
            : tr("Tool call latency (%1)").arg(ChartBuilder::count(d.toolCalls, tr("call"), tr("calls"))));
    double max = 0;
    for (const Data::Tool& t : d.tools)
        max = std::max(max, double(t.durationNs) / 1e6);
    const auto scale = ChartBuilder::durationScale(max);
    std::vector<ChartBuilder::Bar> bars;
    for (const Data::Tool& t : d.tools) {
        const double value = double(t.durationNs) / 1e6 / scale.divisor;
        const double failedShare = double(t.failed) / double(t.calls);
        QString tip = d.toolsGrouped ? tr("%1: %2, mean %3, max %4")
                                           .arg(t.label, ChartBuilder::count(t.calls, tr("call"), tr("calls")),
                                               Format::duration(t.durationNs), Format::duration(t.maxNs))
                                     : tr("%1: %2").arg(t.label, Format::duration(t.durationNs));
        if (t.failed)
            tip += tr(", %1 failed").arg(t.failed);
        bars.push_back(
            { ChartBuilder::shortText(t.label, 28), { value * (1.0 - failedShare), value * failedShare }, tip });
    }
    ChartBuilder::horizontalBars(
        m_tools, { { tr("Succeeded"), ChartView::okColor() }, { tr("Failed"), ChartView::errorColor() } }, bars,
        tr("latency (%1)").arg(scale.unit), ChartBuilder::tickFormat(max / scale.divisor),
        [this](int bar) {
            if (m_data && bar >= 0 && bar < static_cast<int>(m_data->tools.size()))
                emit stepRequested(m_data->tools[std::size_t(bar)].step);
        },
        true);
}

} // namespace Tracelight
