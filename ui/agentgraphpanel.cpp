#include "agentgraphpanel.h"

#include "graphview.h"
#include "theme.h"
#include "uilogging.h"

#include <format.h>
#include <graphrenderer.h>
#include <kindstyle.h>
#include <utf8.h>

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardItemModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <map>

namespace Tracelight {

namespace {

constexpr int StepRowLimit = 5000;

std::vector<TraceSnapshotPtr> snapshotsOf(TraceStore& store, const std::vector<std::string>& ids, const JobContext& job)
{
    std::vector<TraceSnapshotPtr> runs;
    for (const std::string& id : ids) {
        if (job.isCancelled())
            break;
        if (auto trace = store.trace(id))
            runs.push_back(TraceSnapshot::build(*trace, store.steps(id)));
    }
    return runs;
}

} // namespace

AgentGraphPanel::AgentGraphPanel(const QString& databasePath, QWidget* parent)
    : QWidget(parent)
    , m_job(this, databasePath.toStdString())
    , m_layoutJob(this, databasePath.toStdString())
{
    m_title = new QLabel;
    m_title->setTextFormat(Qt::PlainText);
    m_sizeBy = new QComboBox;
    m_sizeBy->addItem(tr("Size by time"));
    m_sizeBy->addItem(tr("Size by cost"));
    m_sizeBy->setToolTip(tr("What a node's size shows"));
    auto* fit = new QToolButton;
    fit->setText(tr("Fit"));
    fit->setToolTip(tr("Show the whole graph (0)"));
    auto* exportButton = new QToolButton;
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Save the graph as SVG, PNG or Graphviz DOT"));
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    bar->addWidget(m_title, 1);
    bar->addWidget(m_sizeBy);
    bar->addWidget(fit);
    bar->addWidget(exportButton);

    m_view = new GraphView;
    m_steps = new QStandardItemModel(this);
    m_steps->setHorizontalHeaderLabels({ tr("Step"), tr("Run"), tr("Duration"), tr("Status") });
    m_stepList = new QTreeView;
    m_stepList->setModel(m_steps);
    m_stepList->setRootIsDecorated(false);
    m_stepList->setUniformRowHeights(true);
    m_stepList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_stepList->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_stepList->header()->setStretchLastSection(false);
    m_stepList->header()->setSectionResizeMode(StepNameColumn, QHeaderView::Stretch);
    m_stepList->setToolTip(tr("The steps behind the selected edge or node; Enter or a double-click shows one"));
    m_status = new QLabel;
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(m_status);
    sideLayout->addWidget(m_stepList, 1);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_view);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 760, 260 });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    connect(m_sizeBy, &QComboBox::currentIndexChanged, this, &AgentGraphPanel::relayout);
    connect(fit, &QToolButton::clicked, m_view, &GraphView::fit);
    connect(exportButton, &QToolButton::clicked, this, &AgentGraphPanel::exportGraph);
    connect(m_view, &GraphView::selectionChanged, this, &AgentGraphPanel::showSelection);
    connect(m_stepList, &QTreeView::activated, this, [this](const QModelIndex& index) {
        const QModelIndex first = index.siblingAtColumn(StepNameColumn);
        emit stepRequested(first.data(TraceIdRole).toString(), first.data(SpanIdRole).toString());
    });
    m_status->setText(tr("Click an edge or a node to list the steps behind it."));
}

void AgentGraphPanel::setDatabasePath(const QString& path)
{
    m_job.setDatabasePath(path.toStdString());
    m_layoutJob.setDatabasePath(path.toStdString());
}

void AgentGraphPanel::setCostModel(CostModelPtr costs)
{
    m_job.setCostModel(costs);
    m_layoutJob.setCostModel(std::move(costs));
}

AgentGraphPanel::Built AgentGraphPanel::build(
    const std::vector<TraceSnapshotPtr>& runs, const std::vector<TraceSnapshotPtr>& before, bool difference)
{
    Built built;
    built.difference = difference;
    AgentGraph graph;
    for (const TraceSnapshotPtr& run : runs)
        graph.add(*run);
    if (difference) {
        AgentGraph earlier;
        for (const TraceSnapshotPtr& run : before)
            earlier.add(*run);
        built.input = GraphLayout::Input::of(AgentGraph::diff(earlier, graph));
    } else {
        built.input = GraphLayout::Input::of(graph);
        built.dotSource = graph;
    }
    std::map<std::string, const TraceSnapshot*> byId;
    for (const auto* side : { &runs, &before })
        for (const TraceSnapshotPtr& run : *side)
            byId.emplace(run->summary().traceId, run.get());
    for (const AgentGraph::Edge& edge : built.input.edges) {
        std::vector<std::string> names;
        for (std::size_t i = 0; i < edge.steps.size() && i < std::size_t(StepRowLimit); ++i) {
            const auto& [traceId, spanId] = edge.steps[i];
            const auto run = byId.find(traceId);
            const int index = run != byId.end() ? run->second->indexOf(spanId) : -1;
            names.push_back(index >= 0 ? run->second->step(index).name : spanId);
        }
        built.stepNames.push_back(std::move(names));
    }
    return built;
}

void AgentGraphPanel::setTrace(TraceSnapshotPtr snapshot)
{
    m_pendingTrace = std::move(snapshot);
    if (isVisible() && m_pendingTrace) {
        TraceSnapshotPtr run = std::exchange(m_pendingTrace, nullptr);
        load([run](const JobContext&) { return build({ run }, {}, false); }, QString());
    } else if (!m_pendingTrace) {
        clear();
    }
}

void AgentGraphPanel::clear()
{
    m_job.cancel();
    m_layoutJob.cancel();
    m_pendingTrace.reset();
    m_built.reset();
    m_view->clear();
    m_steps->removeRows(0, m_steps->rowCount());
    m_title->clear();
}

void AgentGraphPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_pendingTrace)
        setTrace(std::exchange(m_pendingTrace, nullptr));
}

void AgentGraphPanel::showRuns(const QStringList& traceIds, const QString& title)
{
    std::vector<std::string> ids;
    for (const QString& id : traceIds)
        ids.push_back(id.toStdString());
    load([ids](const JobContext& job) { return build(snapshotsOf(job.store(), ids, job), {}, false); }, title);
}

void AgentGraphPanel::showFilter(const StatsFilter& filter, const QString& title)
{
    load(
        [filter](const JobContext& job) {
            TraceStore& store = job.store();
            return build(snapshotsOf(store, StatsQuery(store).traceIds(filter), job), {}, false);
        },
        title);
}

void AgentGraphPanel::showDifference(const StatsFilter& before, const StatsFilter& after, const QString& title)
{
    load(
        [before, after](const JobContext& job) {
            TraceStore& store = job.store();
            return build(snapshotsOf(store, StatsQuery(store).traceIds(after), job),
                snapshotsOf(store, StatsQuery(store).traceIds(before), job), true);
        },
        title);
}

void AgentGraphPanel::load(std::function<Built(const JobContext&)> work, const QString& title)
{
    m_titleText = title;
    m_title->setText(title.isEmpty() ? QString() : title + QStringLiteral(" — ") + tr("laying out…"));
    m_status->setText(tr("Laying out the graph…"));
    m_layoutJob.cancel();
    GraphLayout::Options options;
    options.font = font();
    options.sizeBy = m_sizeBy->currentIndex() == 1 ? GraphLayout::SizeBy::Cost : GraphLayout::SizeBy::Time;
    m_job.run(
        [work = std::move(work), options](const JobContext& job) {
            auto built = std::make_shared<Built>(work(job));
            std::string problem;
            GraphLayout::Options cancellable = options;
            cancellable.cancelled = job.cancelFlag();
            GraphLayoutPtr layout = GraphLayout::build(built->input, cancellable, &problem);
            return std::tuple { BuiltPtr(std::move(built)), layout, problem };
        },
        [this](const std::tuple<BuiltPtr, GraphLayoutPtr, std::string>& result) {
            const auto& [built, layout, problem] = result;
            m_built = built;
            m_view->setGraphLayout(layout);
            QString summary = Format::count(std::int64_t(layout->nodes().size()), tr("node"), tr("nodes"))
                + QStringLiteral(", ") + Format::count(std::int64_t(layout->edges().size()), tr("edge"), tr("edges"));
            if (built->input.runs > 1)
                summary += QStringLiteral(", ") + Format::count(built->input.runs, tr("run"), tr("runs"));
            m_title->setText(m_titleText.isEmpty() ? summary : m_titleText + QStringLiteral(" — ") + summary);
            m_status->setText(problem.empty() ? tr("Click an edge or a node to list the steps behind it.")
                                              : tr("The graph could not be laid out (%1); its nodes are shown in rows.")
                                                    .arg(Format::fromUtf8(problem)));
            emit graphShown();
        },
        [this](const QString& error) {
            m_status->setText(tr("Cannot draw the graph: %1").arg(error));
            emit graphShown();
        });
}

void AgentGraphPanel::relayout()
{
    if (!m_built)
        return;
    GraphLayout::Options options;
    options.font = font();
    options.sizeBy = m_sizeBy->currentIndex() == 1 ? GraphLayout::SizeBy::Cost : GraphLayout::SizeBy::Time;
    m_layoutJob.run(
        [built = m_built, options](const JobContext& job) {
            GraphLayout::Options cancellable = options;
            cancellable.cancelled = job.cancelFlag();
            return std::pair { built, GraphLayout::build(built->input, cancellable) };
        },
        [this](const std::pair<BuiltPtr, GraphLayoutPtr>& result) {
            if (result.first != m_built)
                return; // a newer graph arrived meanwhile
            m_view->setGraphLayout(result.second);
            emit graphShown();
        },
        [this](const QString& error) { m_status->setText(tr("Cannot draw the graph: %1").arg(error)); });
}

void AgentGraphPanel::showSelection(int node, int edge)
{
    m_steps->removeRows(0, m_steps->rowCount());
    const GraphLayoutPtr& layout = m_view->graphLayout();
    if (!layout || !m_built || (node < 0 && edge < 0)) {
        m_status->setText(tr("Click an edge or a node to list the steps behind it."));
        emit stepsSelected(QString(), {});
        return;
    }
    // A node's steps are those of the edges into it.
    std::vector<int> edges;
    for (std::size_t i = 0; i < layout->edges().size(); ++i)
        if (int(i) == edge || (node >= 0 && layout->edges()[i].to == node))
            edges.push_back(int(i));
    int total = 0;
    QString traceId;
    QStringList spanIds;
    bool oneRun = true;
    for (const int e : edges) {
        const AgentGraph::Edge& data = m_built->input.edges[std::size_t(e)];
        total += int(data.steps.size());
        for (std::size_t i = 0; i < data.steps.size() && m_steps->rowCount() < StepRowLimit; ++i) {
            const QString run = Format::fromUtf8(data.steps[i].first);
            const QString span = Format::fromUtf8(data.steps[i].second);
            const auto& names = m_built->stepNames[std::size_t(e)];
            auto* name = new QStandardItem(
                Format::fromUtf8(Utf8::inertLine(i < names.size() ? names[i] : data.steps[i].second, 200)));
            name->setData(run, TraceIdRole);
            name->setData(span, SpanIdRole);
            auto* runItem = new QStandardItem(run.left(8));
            runItem->setToolTip(Format::plainToolTip(run));
            auto* duration = new QStandardItem(Format::duration(data.durationsNs[i]));
            duration->setData(QVariant::fromValue(qint64(data.durationsNs[i])), Qt::UserRole);
            duration->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            const bool failed = i < data.stepFailed.size() && data.stepFailed[i];
            auto* status = new QStandardItem(failed ? tr("error") : tr("ok"));
            if (failed)
                status->setForeground(KindStyle::errorColor(Theme::isDark()));
            m_steps->appendRow({ name, runItem, duration, status });
            if (traceId.isEmpty())
                traceId = run;
            oneRun = oneRun && run == traceId;
            spanIds << span;
        }
    }
    m_stepList->resizeColumnToContents(StepRunColumn);
    m_stepList->resizeColumnToContents(StepDurationColumn);
    const auto& nodes = layout->nodes();
    QString what;
    if (edge >= 0) {
        const GraphLayout::EdgeRoute& route = layout->edges()[std::size_t(edge)];
        const AgentGraph::Edge& data = m_built->input.edges[std::size_t(edge)];
        what = tr("%1 %2 %3: %4 · p95 %5")
                   .arg(route.from >= 0 ? nodes[std::size_t(route.from)].title : QString(),
                       data.kind == "handoff" ? QStringLiteral("⇢") : QStringLiteral("→"),
                       route.to >= 0 ? nodes[std::size_t(route.to)].title : QString(), route.label,
                       Format::duration(data.p95Ns()));
    } else {
        what = nodes[std::size_t(node)].title + QStringLiteral(": ") + nodes[std::size_t(node)].detail;
    }
    if (total > m_steps->rowCount())
        what += QLatin1Char('\n') + tr("The first %1 of %2 steps are listed.").arg(m_steps->rowCount()).arg(total);
    m_status->setText(what);
    emit stepsSelected(oneRun ? traceId : QString(), oneRun ? spanIds : QStringList());
}

QString AgentGraphPanel::status() const
{
    return m_status->text();
}

bool AgentGraphPanel::exportTo(const QString& file, QString* error) const
{
    const GraphLayoutPtr& layout = m_view->graphLayout();
    if (!layout || !m_built) {
        if (error)
            *error = tr("there is no graph to export");
        return false;
    }
    if (file.endsWith(QLatin1String(".dot"), Qt::CaseInsensitive)) {
        if (m_built->difference) {
            if (error)
                *error = tr("a difference of two graphs is exported as SVG or PNG");
            return false;
        }
        const std::string text = m_built->dotSource.dot();
        QSaveFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(text.data(), qint64(text.size())) < 0 || !out.commit()) {
            if (error)
                *error = out.errorString();
            return false;
        }
        return true;
    }
    return GraphRenderer::write(
        *layout, file, Theme::isDark(), file.endsWith(QLatin1String(".png"), Qt::CaseInsensitive) ? 2.0 : 1.0, error);
}

void AgentGraphPanel::exportGraph()
{
    QString selected;
    QString file = QFileDialog::getSaveFileName(this, tr("Export Agent Graph"), tr("agent-graph.svg"),
        tr("SVG picture (*.svg);;PNG picture (*.png);;Graphviz DOT (*.dot)"), &selected);
    if (file.isEmpty())
        return;
    // A name without a known suffix gets the chosen type's.
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("png") && suffix != QLatin1String("dot"))
        file += selected.contains(QLatin1String("*.png")) ? QStringLiteral(".png")
            : selected.contains(QLatin1String("*.dot"))   ? QStringLiteral(".dot")
                                                          : QStringLiteral(".svg");
    QString error;
    if (!exportTo(file, &error))
        QMessageBox::warning(this, tr("Export Agent Graph"), tr("Cannot export to %1: %2").arg(file, error));
}

} // namespace Tracelight
