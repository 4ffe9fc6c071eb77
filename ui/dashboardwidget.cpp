#include "dashboardwidget.h"

#include "chartbuilder.h"
#include "chartview.h"
#include "dashboardcharts.h"

#include <format.h>
#include <tracestore.h>

#include <QComboBox>
#include <QDateTime>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Tracelight {

// One headline figure: a big value over a small caption.
class StatCard final : public QFrame
{
public:
    StatCard(const QString& key, QWidget* parent = nullptr)
        : QFrame(parent)
        , m_key(key)
        , m_value(new QLabel(QStringLiteral("–")))
        , m_caption(new QLabel(key))
    {
        setFrameShape(QFrame::StyledPanel);
        setBackgroundRole(QPalette::Base);
        setAutoFillBackground(true);
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(10, 6, 10, 6);
        layout->setSpacing(0);
        QFont big = font();
        big.setPointSizeF(big.pointSizeF() * 1.45);
        big.setBold(true);
        m_value->setFont(big);
        m_value->setTextFormat(Qt::PlainText);
        m_caption->setForegroundRole(QPalette::PlaceholderText);
        m_caption->setTextFormat(Qt::PlainText);
        layout->addWidget(m_value);
        layout->addWidget(m_caption);
    }

    const QString& key() const { return m_key; }
    QString value() const { return m_value->text(); }
    void set(const QString& value, const QString& caption, const QString& tip)
    {
        m_value->setText(value);
        m_caption->setText(caption);
        setToolTip(tip);
    }

private:
    QString m_key;
    QLabel* m_value;
    QLabel* m_caption;
};

namespace {

enum ValueKind
{
    DurationValue,
    CostValue,
    StartValue,
};

constexpr qint64 nsPerHour = Q_INT64_C(3600000000000);

QString compact(std::int64_t count)
{
    if (count < 10000)
        return Format::tokens(count);
    if (count < 1000000)
        return QString::number(double(count) / 1e3, 'f', 1) + QStringLiteral("k");
    if (count < 1000000000)
        return QString::number(double(count) / 1e6, 'f', 2) + QStringLiteral("M");
    return QString::number(double(count) / 1e9, 'f', 2) + QStringLiteral("G");
}

QString percent(double share)
{
    return QString::number(share * 100.0, 'f', 1) + QStringLiteral(" %");
}

QString runTip(const RunRef& run)
{
    QString tip = QObject::tr("%1\n%2\n%3 · started %4\ntook %5 · %6 LLM calls · cost %7")
                      .arg(Format::fromUtf8(run.name), Format::fromUtf8(run.traceId),
                          Format::fromUtf8(run.service + (run.version.empty() ? "" : " " + run.version)),
                          Format::timestamp(run.startNs), Format::duration(run.durationNs()))
                      .arg(run.llmCalls)
                      .arg(Format::cost(run.costUsd));
    if (run.errors)
        tip += QObject::tr("\n%1").arg(
            ChartBuilder::count(run.errors, QObject::tr("failed step"), QObject::tr("failed steps")));
    return tip;
}

} // namespace

DashboardWidget::DashboardWidget(const QString& databasePath, QWidget* parent)
    : QWidget(parent)
    , m_databasePath(databasePath)
    , m_costModel(std::make_shared<const CostModel>())
    , m_charts(new DashboardCharts)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    layout->addWidget(createFilters());
    layout->addWidget(createCards());

    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_charts);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(scroll);
    splitter->addWidget(createRunLists());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 900, 320 });
    layout->addWidget(splitter, 1);

    connect(m_charts, &DashboardCharts::drillRequested, this, &DashboardWidget::drill);
}

DashboardWidget::~DashboardWidget() = default;

QWidget* DashboardWidget::createFilters()
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_range = new QComboBox;
    m_range->addItem(tr("All time"), 0);
    m_range->addItem(tr("Last hour"), 1);
    m_range->addItem(tr("Last 24 hours"), 24);
    m_range->addItem(tr("Last 7 days"), 24 * 7);
    m_range->addItem(tr("Last 30 days"), 24 * 30);
    m_service = new QComboBox;
    m_version = new QComboBox;
    m_agent = new QComboBox;
    m_model = new QComboBox;
    for (auto [combo, any] : { std::pair { m_service, tr("All services") }, std::pair { m_version, tr("All versions") },
             std::pair { m_agent, tr("All agents") }, std::pair { m_model, tr("All models") } }) {
        combo->addItem(any);
        combo->setMinimumContentsLength(10);
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    }
    m_range->setToolTip(tr("Runs started in this period (counted back from now)"));
    m_agent->setToolTip(tr("Runs in which this agent worked"));
    m_model->setToolTip(tr("Runs that called this model"));
    auto* reset = new QPushButton(tr("Reset"));
    reset->setToolTip(tr("Show the whole cache"));
    m_status = new QLabel;
    m_status->setForegroundRole(QPalette::PlaceholderText);
    // The summary gives way to the filters in a narrow window (it is cut, not the filters).
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_latencyBy = new QComboBox;
    m_latencyBy->addItems({ tr("Latency by agent"), tr("Latency by version") });
    layout->addWidget(m_range);
    layout->addWidget(m_service);
    layout->addWidget(m_version);
    layout->addWidget(m_agent);
    layout->addWidget(m_model);
    layout->addWidget(reset);
    auto* graph = new QPushButton(tr("Agent Graph…"));
    graph->setToolTip(tr("Who called whom in the runs these filters select (a whole agent version, say)"));
    connect(graph, &QPushButton::clicked, this, [this] { emit graphRequested(filter(), describeFilter()); });
    layout->addWidget(graph);
    layout->addWidget(m_status, 1);
    layout->addWidget(m_latencyBy);
    for (QComboBox* combo : { m_range, m_service, m_version, m_agent, m_model })
        connect(combo, &QComboBox::currentIndexChanged, this, &DashboardWidget::recompute);
    connect(reset, &QPushButton::clicked, this, [this] {
        for (QComboBox* combo : { m_range, m_service, m_version, m_agent, m_model }) {
            const QSignalBlocker blocker(combo);
            combo->setCurrentIndex(0);
        }
        recompute();
    });
    connect(m_latencyBy, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_charts->setLatencyBy(index == 0 ? DashboardCharts::LatencyBy::Agent : DashboardCharts::LatencyBy::Version);
    });
    return row;
}

QWidget* DashboardWidget::createCards()
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    for (const QString& key : { tr("Runs"), tr("Failed runs"), tr("Total cost"), tr("Median cost"), tr("p50 latency"),
             tr("p95 latency"), tr("Tokens"), tr("Tool success"), tr("Escalations"), tr("Handoffs") }) {
        auto* card = new StatCard(key);
        m_cards << card;
        layout->addWidget(card, 1);
    }
    return row;
}

QWidget* DashboardWidget::createRunLists()
{
    m_runTabs = new QTabWidget;
    m_runTabs->setDocumentMode(true);
    const auto makeList = [this](const QString& valueHeader) {
        // A table, not a tree: the window's one QTreeView is the step tree.
        auto* list = new QTableWidget(0, 2);
        list->setHorizontalHeaderLabels({ tr("Run"), valueHeader });
        list->verticalHeader()->hide();
        list->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
        list->setShowGrid(false);
        list->setWordWrap(false);
        list->setEditTriggers(QAbstractItemView::NoEditTriggers);
        list->setSelectionBehavior(QAbstractItemView::SelectRows);
        list->setSelectionMode(QAbstractItemView::SingleSelection);
        list->setAlternatingRowColors(true);
        list->horizontalHeader()->setStretchLastSection(false);
        list->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
        list->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
        list->horizontalHeader()->setHighlightSections(false);
        connect(list, &QTableWidget::itemClicked, this, [this, list](QTableWidgetItem* item) {
            emit traceActivated(list->item(item->row(), 0)->data(Qt::UserRole).toString());
        });
        return list;
    };
    m_slowest = makeList(tr("Duration"));
    m_costliest = makeList(tr("Cost"));
    m_failed = makeList(tr("Started"));
    m_selected = makeList(tr("Started"));
    auto* selectedPage = new QWidget;
    auto* selectedLayout = new QVBoxLayout(selectedPage);
    selectedLayout->setContentsMargins(0, 4, 0, 0);
    m_selectedTitle = new QLabel(tr("Click a bar in a chart to list the runs behind it."));
    m_selectedTitle->setWordWrap(true);
    m_selectedTitle->setTextFormat(Qt::PlainText);
    selectedLayout->addWidget(m_selectedTitle);
    selectedLayout->addWidget(m_selected, 1);
    m_runTabs->addTab(m_slowest, tr("Slowest"));
    m_runTabs->addTab(m_costliest, tr("Costliest"));
    m_runTabs->addTab(m_failed, tr("Failed"));
    m_runTabs->addTab(selectedPage, tr("From chart"));
    // The findings of the runs the filters select, by kind and version (the run list filters runs with findings).
    m_findingCounts = new QTableWidget(0, 5);
    m_findingCounts->setHorizontalHeaderLabels(
        { tr("Finding"), tr("Version"), tr("Runs"), tr("Findings"), tr("Wasted") });
    m_findingCounts->verticalHeader()->hide();
    m_findingCounts->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_findingCounts->setShowGrid(false);
    m_findingCounts->setWordWrap(false);
    m_findingCounts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_findingCounts->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_findingCounts->setAlternatingRowColors(true);
    m_findingCounts->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_findingCounts->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_runTabs->addTab(m_findingCounts, tr("Findings"));
    m_runTabs->setToolTip(tr("Click a run to open it"));
    return m_runTabs;
}

QTableWidget* DashboardWidget::runList(int tab) const
{
    const std::array<QTableWidget*, 4> lists = { m_slowest, m_costliest, m_failed, m_selected };
    return tab >= 0 && tab < 4 ? lists[std::size_t(tab)] : nullptr;
}

QList<ChartView*> DashboardWidget::charts() const
{
    return m_charts->charts();
}

QString DashboardWidget::cardValue(const QString& caption) const
{
    for (const StatCard* card : m_cards) {
        if (card->key() == caption)
            return card->value();
    }
    return {};
}

void DashboardWidget::setCostModel(CostModelPtr model)
{
    m_costModel = model ? std::move(model) : std::make_shared<const CostModel>();
    refresh();
}

void DashboardWidget::refresh()
{
    m_stale = true;
    if (isVisible())
        recompute();
}

void DashboardWidget::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        recompute();
}

StatsFilter DashboardWidget::filter() const
{
    StatsFilter f;
    if (const qint64 hours = m_range->currentData().toLongLong(); hours > 0)
        f.sinceNs = QDateTime::currentMSecsSinceEpoch() * 1000000 - hours * nsPerHour;
    const auto text = [](const QComboBox* combo) {
        return combo->currentIndex() > 0 ? combo->currentText().toStdString() : std::string();
    };
    f.service = text(m_service);
    f.version = text(m_version);
    f.agent = text(m_agent);
    f.model = text(m_model);
    return f;
}

QString DashboardWidget::describeFilter() const
{
    QStringList parts;
    for (const auto& [combo, name] :
        { std::pair { m_service, tr("service %1") }, std::pair { m_version, tr("version %1") },
            std::pair { m_agent, tr("agent %1") }, std::pair { m_model, tr("model %1") } })
        if (combo->currentIndex() > 0)
            parts << name.arg(combo->currentText());
    if (m_range->currentIndex() > 0)
        parts << m_range->currentText().toLower();
    return parts.isEmpty() ? tr("All runs") : parts.join(QStringLiteral(" · "));
}

void DashboardWidget::recompute()
{
    m_stale = false;
    m_status->setText(tr("Computing…"));
    struct Result
    {
        std::shared_ptr<const CacheStats> stats;
        StatsQuery::Choices choices;
        std::vector<StatsQuery::FindingCount> findings;
    };
    m_statsJob.setCostModel(m_costModel);
    m_statsJob.run(
        [filter = filter()](const JobContext& job) -> Result {
            StatsQuery query(job.store());
            StatsOptions options;
            options.dashboard = true;
            return { std::make_shared<const CacheStats>(query.compute(filter, options)), query.choices(),
                query.findingCounts(filter) };
        },
        [this](const Result& result) {
            showFindingCounts(result.findings);
            showStats(result.stats, result.choices);
        },
        [this](const QString& error) { m_status->setText(tr("Cannot read the cache: %1").arg(error)); });
}

void DashboardWidget::showStats(std::shared_ptr<const CacheStats> stats, const StatsQuery::Choices& choices)
{
    m_stats = std::move(stats);
    updateChoices(choices);
    updateCards();
    m_charts->setStats(m_stats);
    fillRuns(m_slowest, m_stats->slowest, DurationValue);
    fillRuns(m_costliest, m_stats->costliest, CostValue);
    fillRuns(m_failed, m_stats->failed, StartValue);
    m_status->setText(m_stats->runs == 0
            ? tr("No runs match the filters.")
            : tr("%1 runs, %2 – %3")
                  .arg(Format::tokens(m_stats->runs), Format::timestamp(m_stats->firstStartNs).left(16),
                      Format::timestamp(m_stats->lastStartNs).left(16)));
    emit statsUpdated();
}

void DashboardWidget::updateChoices(const StatsQuery::Choices& choices)
{
    for (auto [combo, values] :
        { std::pair { m_service, &choices.services }, std::pair { m_version, &choices.versions },
            std::pair { m_agent, &choices.agents }, std::pair { m_model, &choices.models } }) {
        const QString current = combo->currentIndex() > 0 ? combo->currentText() : QString();
        const QString any = combo->itemText(0);
        const QSignalBlocker blocker(combo);
        combo->clear();
        combo->addItem(any);
        for (const std::string& value : *values)
            combo->addItem(Format::fromUtf8(value));
        combo->setCurrentIndex(std::max(0, combo->findText(current)));
    }
}

void DashboardWidget::updateCards()
{
    const CacheStats& s = *m_stats;
    const auto card = [this](int i, const QString& value, const QString& caption, const QString& tip) {
        m_cards[i]->set(value, caption, tip);
    };
    card(0, Format::tokens(s.runs), tr("Runs"),
        s.runs ? tr("Started %1 – %2").arg(Format::timestamp(s.firstStartNs), Format::timestamp(s.lastStartNs))
               : QString());
    card(1, percent(s.errorRate()), tr("Failed runs (%1)").arg(Format::tokens(s.runsWithErrors)),
        tr("Runs with at least one failed step"));
    QString costTip = tr("Recorded by the sources or computed from tokens and the price table.");
    if (s.cost.unknownCalls)
        costTip += tr("\nNot included: %1 of unknown cost.")
                       .arg(ChartBuilder::count(s.cost.unknownCalls, tr("LLM call"), tr("LLM calls")));
    if (!s.cost.unpricedModels.empty()) {
        QStringList names;
        for (const std::string& name : s.cost.unpricedModels)
            names << (name.empty() ? tr("(no model name)") : Format::fromUtf8(name));
        costTip += tr("\nNo price for: %1 (Tools → Model Prices)").arg(names.join(QStringLiteral(", ")));
    }
    card(2, Format::cost(s.cost.usd) + (s.cost.usd && s.cost.unknownCalls ? QStringLiteral("+") : QString()),
        s.cost.unknownCalls ? tr("Total cost (%1 unknown)").arg(compact(s.cost.unknownCalls)) : tr("Total cost"),
        costTip);
    card(3, Format::cost(s.medianRunCostUsd), tr("Median cost a run"),
        tr("Over the runs whose cost is known: %1").arg(Format::tokens(s.runsWithKnownCost)));
    card(4, ChartBuilder::durationText(s.runLatency.p50Ms), tr("p50 latency"), tr("Half the runs took less"));
    card(5, ChartBuilder::durationText(s.runLatency.p95Ms), tr("p95 latency"),
        tr("p99 %1, slowest %2")
            .arg(ChartBuilder::durationText(s.runLatency.p99Ms), ChartBuilder::durationText(s.runLatency.maxMs)));
    card(6, compact(s.tokens.total()), tr("Tokens"),
        tr("%1 input (%2 from the cache), %3 output (%4 reasoning), over LLM calls")
            .arg(Format::tokens(s.tokens.input), Format::tokens(s.tokens.cacheRead), Format::tokens(s.tokens.output),
                Format::tokens(s.tokens.reasoning)));
    card(7, s.toolCalls ? percent(s.toolSuccessRate()) : QStringLiteral("–"),
        tr("Tool success (%1 calls)").arg(compact(s.toolCalls)),
        tr("Failed tool calls: %1").arg(Format::tokens(s.toolErrors)));
    card(8, percent(s.escalationRate()), tr("Escalations"), tr("Runs that reached a human step"));
    card(9, percent(s.handoffRate()), tr("Handoffs"),
        tr("Runs that handed work to another agent (a handoff step, or more than one agent)"));
}

void DashboardWidget::fillRuns(QTableWidget* list, const std::vector<RunRef>& runs, int valueKind)
{
    list->setRowCount(0);
    for (const RunRef& run : runs) {
        const QString name
            = run.name.empty() ? Format::fromUtf8(run.traceId.substr(0, 12)) : Format::fromUtf8(run.name);
        QString value;
        switch (valueKind) {
        case DurationValue:
            value = Format::duration(run.durationNs());
            break;
        case CostValue:
            value = Format::cost(run.costUsd) + (run.unknownCostCalls ? QStringLiteral("+") : QString());
            break;
        default:
            value = Format::timestamp(run.startNs).left(16);
            break;
        }
        const int row = list->rowCount();
        list->insertRow(row);
        auto* nameItem = new QTableWidgetItem(name);
        auto* valueItem = new QTableWidgetItem(value);
        nameItem->setData(Qt::UserRole, Format::fromUtf8(run.traceId));
        nameItem->setToolTip(runTip(run));
        valueItem->setToolTip(runTip(run));
        valueItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (run.errors)
            nameItem->setForeground(ChartView::errorColor());
        list->setItem(row, 0, nameItem);
        list->setItem(row, 1, valueItem);
    }
}

void DashboardWidget::drill(const StatsFilter& refinement, const QString& description)
{
    StatsFilter f = filter();
    if (refinement.sinceNs)
        f.sinceNs = std::max(f.sinceNs, refinement.sinceNs);
    if (refinement.untilNs)
        f.untilNs = f.untilNs ? std::min(f.untilNs, refinement.untilNs) : refinement.untilNs;
    for (auto [target, source] : { std::pair { &f.service, &refinement.service },
             std::pair { &f.version, &refinement.version }, std::pair { &f.agent, &refinement.agent },
             std::pair { &f.model, &refinement.model }, std::pair { &f.tool, &refinement.tool } }) {
        if (!source->empty())
            *target = *source;
    }
    f.errorsOnly = f.errorsOnly || refinement.errorsOnly;
    f.minDurationNs = refinement.minDurationNs;
    f.maxDurationNs = refinement.maxDurationNs;
    constexpr int limit = 500;
    m_selectedTitle->setText(description + QStringLiteral(" …"));
    m_runTabs->setCurrentIndex(3);
    m_drillJob.setCostModel(m_costModel);
    m_drillJob.run([f](const JobContext& job) { return StatsQuery(job.store()).runs(f, limit); },
        [this, description](const std::vector<RunRef>& runs) {
            fillRuns(m_selected, runs, StartValue);
            m_selectedTitle->setText(runs.size() >= std::size_t(limit)
                    ? tr("%1: the newest %2 runs").arg(description).arg(limit)
                    : tr("%1: %2, newest first")
                          .arg(description, ChartBuilder::count(std::int64_t(runs.size()), tr("run"), tr("runs"))));
            emit runsListed();
        },
        [this](const QString& error) {
            m_selected->clear();
            m_selectedTitle->setText(tr("Cannot read the cache: %1").arg(error));
            emit runsListed();
        });
}
void DashboardWidget::showFindingCounts(const std::vector<StatsQuery::FindingCount>& counts)
{
    m_findingCounts->setRowCount(static_cast<int>(counts.size()));
    for (int row = 0; row < static_cast<int>(counts.size()); ++row) {
        const StatsQuery::FindingCount& c = counts[static_cast<std::size_t>(row)];
        QStringList wasted;
        if (c.wastedCostUsd && *c.wastedCostUsd > 0)
            wasted << Format::cost(c.wastedCostUsd);
        if (c.wastedTokens > 0)
            wasted << tr("%1 tokens").arg(Format::tokens(c.wastedTokens));
        const QStringList cells { Format::fromUtf8(c.kind).replace(QLatin1Char('_'), QLatin1Char(' ')),
            c.version.empty() ? tr("(none)") : Format::fromUtf8(c.version), Format::tokens(c.runs),
            Format::tokens(c.findings), wasted.join(QStringLiteral(", ")) };
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            if (column >= 2 && column <= 3)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_findingCounts->setItem(row, column, item);
        }
    }
    m_runTabs->setTabText(
        m_runTabs->indexOf(m_findingCounts), counts.empty() ? tr("Findings") : tr("Findings (%1)").arg(counts.size()));
}

} // namespace Tracelight
