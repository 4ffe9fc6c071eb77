#include "comparewindow.h"

#include "diffhtml.h"
#include "kindstyle.h"
#include "theme.h"
#include "timelineview.h"
#include "uilogging.h"

#include <comparisonmodels.h>
#include <findingsindex.h>
#include <findingsmodel.h>
#include <format.h>
#include <tracestore.h>

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

namespace Tracelight {

namespace {

// Tints a row by what happened to the step: added green, removed red, changed amber.
class AlignmentDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const auto op = RunComparison::Op(index.data(AlignmentModel::OpRole).toInt());
        const bool dark = Theme::isDark();
        QColor tint;
        if (op == RunComparison::Op::Added)
            tint = dark ? QColor(0x14, 0x53, 0x2d) : QColor(0xdc, 0xfc, 0xe7);
        else if (op == RunComparison::Op::Removed)
            tint = dark ? QColor(0x7f, 0x1d, 0x1d) : QColor(0xfe, 0xe2, 0xe2);
        else if (op == RunComparison::Op::Changed)
            tint = dark ? QColor(0x78, 0x35, 0x0f) : QColor(0xfe, 0xf3, 0xc7);
        if (tint.isValid() && !(option.state & QStyle::State_Selected))
            painter->fillRect(option.rect, tint);
        QStyledItemDelegate::paint(painter, option, index);
    }
};

// Colours a delta by whether B is worse (red) or better (green) on that figure.
class VerdictDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const int verdict = index.data(ComparisonSummaryModel::VerdictRole).toInt();
        if (verdict != 0) {
            const bool dark = Theme::isDark();
            option->palette.setColor(QPalette::Text,
                verdict > 0 ? KindStyle::errorColor(dark)
                            : (dark ? QColor(0x4a, 0xde, 0x80) : QColor(0x15, 0x80, 0x3d)));
            option->font.setBold(true);
        }
    }
};

QTableView* makeTable(QAbstractItemModel* model)
{
    auto* view = new QTableView;
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setHighlightSections(false);
    return view;
}

struct Loaded
{
    std::shared_ptr<const RunComparison> comparison;
    TimelineLayoutPtr layoutA;
    TimelineLayoutPtr layoutB;
    std::vector<Finding> newInB; // what B does wrong that A did not
    QString error;
};

} // namespace

CompareWindow::CompareWindow(const QString& databasePath, const QString& traceA, const QString& traceB, QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_databasePath(databasePath)
    , m_traceA(traceA)
    , m_traceB(traceB)
{
    setWindowTitle(tr("Compare Runs"));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(1400, 900);
    m_alignment = new AlignmentModel(this);
    m_summary = new ComparisonSummaryModel(this);

    m_header = new QLabel(tr("Comparing…"));
    m_header->setTextFormat(Qt::PlainText);
    QFont headerFont = m_header->font();
    headerFont.setPointSizeF(headerFont.pointSizeF() * 1.15);
    headerFont.setBold(true);
    m_header->setFont(headerFont);
    auto* swap = new QToolButton;
    swap->setText(tr("Swap A ↔ B"));
    swap->setToolTip(tr("Make B the reference run"));
    connect(swap, &QToolButton::clicked, this, [this] {
        std::swap(m_traceA, m_traceB);
        load();
    });
    m_sharedScale = new QCheckBox(tr("Shared time scale"));
    m_sharedScale->setChecked(true);
    m_sharedScale->setToolTip(
        tr("Draw both runs at the same nanoseconds per pixel, so a slower run is visibly longer"));
    connect(m_sharedScale, &QCheckBox::toggled, this, &CompareWindow::applyTimeScale);
    auto* top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_sharedScale);
    top->addWidget(swap);
    m_newFindings = new QLabel;
    m_newFindings->setTextFormat(Qt::PlainText);
    m_newFindings->setWordWrap(true);

    m_summaryView = makeTable(m_summary);
    m_summaryView->setItemDelegateForColumn(ComparisonSummaryModel::DeltaColumn, new VerdictDelegate(m_summaryView));
    m_summaryView->setSelectionMode(QAbstractItemView::NoSelection);
    // The figures take what they need; the names get the rest.
    m_summaryView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_summaryView->horizontalHeader()->setSectionResizeMode(ComparisonSummaryModel::FigureColumn, QHeaderView::Stretch);

    m_alignmentView = makeTable(m_alignment);
    m_alignmentView->setItemDelegate(new AlignmentDelegate(m_alignmentView));
    QHeaderView* header = m_alignmentView->horizontalHeader();
    header->setSectionResizeMode(AlignmentModel::AColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(AlignmentModel::BColumn, QHeaderView::Stretch);
    header->resizeSection(AlignmentModel::OpColumn, fontMetrics().horizontalAdvance(QStringLiteral("MM")) + 8);
    header->resizeSection(
        AlignmentModel::DurationDeltaColumn, fontMetrics().horizontalAdvance(QStringLiteral("Δ duration__")) + 8);
    header->resizeSection(
        AlignmentModel::TokensDeltaColumn, fontMetrics().horizontalAdvance(QStringLiteral("Δ tokens__")) + 8);
    connect(m_alignmentView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { showPair(current.row()); });
    connect(m_alignmentView, &QTableView::activated, this, [this](const QModelIndex& index) {
        const int a = index.data(AlignmentModel::AStepRole).toInt();
        const int b = index.data(AlignmentModel::BStepRole).toInt();
        if (b >= 0)
            emit stepRequested(m_traceB, Format::fromUtf8(m_comparison->b().step(b).spanId));
        else if (a >= 0)
            emit stepRequested(m_traceA, Format::fromUtf8(m_comparison->a().step(a).spanId));
    });

    m_timelineA = new TimelineView;
    m_timelineB = new TimelineView;
    m_labelA = new QLabel;
    m_labelB = new QLabel;
    for (QLabel* label : { m_labelA, m_labelB }) {
        label->setTextFormat(Qt::PlainText);
        label->setContentsMargins(4, 4, 4, 0);
    }
    const auto follow = [this](bool isA) {
        return [this, isA](int step) {
            if (m_syncing || step < 0)
                return;
            const int row = isA ? m_alignment->rowOfA(step) : m_alignment->rowOfB(step);
            if (row >= 0)
                selectPair(row);
        };
    };
    connect(m_timelineA, &TimelineView::currentStepChanged, this, follow(true));
    connect(m_timelineB, &TimelineView::currentStepChanged, this, follow(false));
    auto* timelines = new QWidget;
    auto* timelineLayout = new QVBoxLayout(timelines);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->setSpacing(0);
    timelineLayout->addWidget(m_labelA);
    timelineLayout->addWidget(m_timelineA, 1);
    timelineLayout->addWidget(m_labelB);
    timelineLayout->addWidget(m_timelineB, 1);

    m_diff = new QTextBrowser;
    m_diff->setOpenLinks(false);
    m_diff->setOpenExternalLinks(false);
    m_diff->setPlaceholderText(tr("Select an aligned pair to see both steps with a word-level diff."));

    auto* upper = new QSplitter(Qt::Horizontal);
    upper->addWidget(m_summaryView);
    upper->addWidget(m_alignmentView);
    upper->setStretchFactor(0, 2);
    upper->setStretchFactor(1, 3);
    auto* lower = new QSplitter(Qt::Horizontal);
    lower->addWidget(timelines);
    lower->addWidget(m_diff);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(upper);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_newFindings);
    layout->addWidget(splitter, 1);
    load();
}

void CompareWindow::load()
{
    m_header->setText(tr("Comparing…"));
    m_loadJob.run(
        [a = m_traceA.toStdString(), b = m_traceB.toStdString()](const JobContext& job) {
            Loaded loaded;
            TraceStore& store = job.store();
            const auto sa = store.trace(a);
            const auto sb = store.trace(b);
            if (!sa || !sb) {
                loaded.error = QCoreApplication::translate("CompareWindow", "A run is no longer in the cache.");
                return loaded;
            }
            auto snapshotA = TraceSnapshot::build(*sa, store.steps(a));
            auto snapshotB = TraceSnapshot::build(*sb, store.steps(b));
            loaded.layoutA = TimelineLayout::build(*snapshotA);
            loaded.layoutB = TimelineLayout::build(*snapshotB);
            loaded.comparison = std::make_shared<const RunComparison>(RunComparison::compute(snapshotA, snapshotB));
            try {
                const FindingThresholds thresholds = FindingThresholds::withUserFile(FindingThresholds::userFilePath());
                loaded.newInB = findingsNewIn(
                    FindingsIndex::compute(store, a, thresholds), FindingsIndex::compute(store, b, thresholds));
            } catch (const std::exception& error) {
                qCWarning(lcUi, "findings: %s", error.what());
            }
            return loaded;
        },
        [this](const Loaded& result) {
            if (!result.comparison) {
                m_header->setText(result.error);
                return;
            }
            m_comparison = result.comparison;
            m_layoutA = result.layoutA;
            m_layoutB = result.layoutB;
            m_alignment->setComparison(m_comparison);
            m_summary->setComparison(*m_comparison);
            const TraceSummary& a = m_comparison->a().summary();
            const TraceSummary& b = m_comparison->b().summary();
            m_header->setText(tr("%1 (%2)  vs  %3 (%4)")
                                  .arg(Format::fromUtf8(a.name),
                                      Format::fromUtf8(a.version.empty() ? a.traceId.substr(0, 8) : a.version),
                                      Format::fromUtf8(b.name),
                                      Format::fromUtf8(b.version.empty() ? b.traceId.substr(0, 8) : b.version)));
            m_labelA->setText(
                tr("A  %1  ·  %2").arg(Format::fromUtf8(a.traceId), Format::duration(a.endNs - a.startNs)));
            m_labelB->setText(
                tr("B  %1  ·  %2").arg(Format::fromUtf8(b.traceId), Format::duration(b.endNs - b.startNs)));
            showNewFindings(result.newInB);
            m_timelineA->setTrace(m_comparison->aPtr(), m_layoutA);
            m_timelineB->setTrace(m_comparison->bPtr(), m_layoutB);
            applyTimeScale();
            // Start where the runs part ways.
            if (m_comparison->firstDivergence() >= 0)
                selectPair(m_comparison->firstDivergence());
            emit loaded();
        },
        [this](const QString& error) { m_header->setText(tr("Cannot compare: %1").arg(error)); });
}

void CompareWindow::applyTimeScale()
{
    if (!m_comparison)
        return;
    m_timelineA->fitToRun();
    m_timelineB->fitToRun();
    if (!m_sharedScale->isChecked())
        return;
    // The longer run sets the scale; each run starts at its own left edge.
    const double perPixel = std::max(m_timelineA->axis().nsPerPixel(), m_timelineB->axis().nsPerPixel());
    m_timelineA->setAxis(TimeAxis(m_timelineA->axis().origin(), perPixel));
    m_timelineB->setAxis(TimeAxis(m_timelineB->axis().origin(), perPixel));
}

void CompareWindow::selectPair(int row)
{
    if (row < 0 || row >= m_alignment->rowCount())
        return;
    m_alignmentView->setCurrentIndex(m_alignment->index(row, AlignmentModel::AColumn));
}

void CompareWindow::showPair(int row)
{
    if (!m_comparison || row < 0)
        return;
    const RunComparison::Pair& p = m_comparison->alignment()[std::size_t(row)];
    m_syncing = true;
    m_timelineA->setCurrentStep(p.a);
    m_timelineB->setCurrentStep(p.b);
    m_syncing = false;
    const std::string traceA = m_comparison->a().summary().traceId;
    const std::string traceB = m_comparison->b().summary().traceId;
    const std::string spanA = p.a >= 0 ? m_comparison->a().step(p.a).spanId : std::string();
    const std::string spanB = p.b >= 0 ? m_comparison->b().step(p.b).spanId : std::string();
    const bool dark = Theme::isDark();
    m_pairJob.run(
        [traceA, traceB, spanA, spanB, dark](const JobContext& job) {
            TraceStore& store = job.store();
            const auto a = spanA.empty() ? std::nullopt : store.stepDetail(traceA, spanA);
            const auto b = spanB.empty() ? std::nullopt : store.stepDetail(traceB, spanB);
            return DiffHtml::pair(a ? &*a : nullptr, b ? &*b : nullptr, dark);
        },
        [this](const QString& html) {
            m_diff->setHtml(html);
            emit pairShown();
        },
        [this](const QString& error) {
            m_diff->setHtml(QStringLiteral("<p>%1</p>").arg(error.toHtmlEscaped()));
            emit pairShown();
        });
}
QString CompareWindow::newFindingsText() const
{
    return m_newFindings->text();
}

void CompareWindow::showNewFindings(const std::vector<Finding>& findings)
{
    m_newFindingCount = static_cast<int>(findings.size());
    if (findings.empty()) {
        m_newFindings->setText(tr("Findings: B has none that A does not have."));
        return;
    }
    QStringList lines;
    for (const Finding& f : findings)
        lines << QStringLiteral("• %1: %2").arg(FindingsModel::kindLabel(f.kind), Format::fromUtf8(f.message));
    m_newFindings->setText(tr("New in B:") + QLatin1Char('\n') + lines.join(QLatin1Char('\n')));
}

} // namespace Tracelight
