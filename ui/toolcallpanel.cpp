#include "toolcallpanel.h"

#include <csv.h>
#include <modelroles.h>
#include <toolcallmodel.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace Tracelight {

namespace {

QTableView* makeTable(QAbstractItemModel* model)
{
    auto* view = new QTableView;
    view->setModel(model);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setHighlightSections(false);
    return view;
}

} // namespace

ToolCallPanel::ToolCallPanel(QWidget* parent)
    : QWidget(parent)
{
    m_calls = new ToolCallModel(this);
    m_summary = new ToolSummaryModel(this);
    m_callProxy = new QSortFilterProxyModel(this);
    m_callProxy->setSourceModel(m_calls);
    m_callProxy->setSortRole(SortRole);
    m_callProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_callProxy->setFilterKeyColumn(-1);
    m_summaryProxy = new QSortFilterProxyModel(this);
    m_summaryProxy->setSourceModel(m_summary);
    m_summaryProxy->setSortRole(SortRole);

    m_summaryView = makeTable(m_summaryProxy);
    m_summaryView->sortByColumn(ToolSummaryModel::CallsColumn, Qt::DescendingOrder);
    m_summaryView->horizontalHeader()->setSectionResizeMode(ToolSummaryModel::ToolColumn, QHeaderView::Stretch);
    for (int c = ToolSummaryModel::CallsColumn; c < ToolSummaryModel::ColumnCount; ++c)
        m_summaryView->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    m_callView = makeTable(m_callProxy);
    m_callView->sortByColumn(ToolCallModel::StartColumn, Qt::AscendingOrder);
    QHeaderView* header = m_callView->horizontalHeader();
    const QFontMetrics metrics = fontMetrics();
    header->resizeSection(
        ToolCallModel::ToolColumn, metrics.horizontalAdvance(QStringLiteral("check_refund_eligibility")));
    header->resizeSection(
        ToolCallModel::AgentColumn, metrics.horizontalAdvance(QStringLiteral("invoke_agent refunds")));
    header->resizeSection(ToolCallModel::ArgumentsColumn, metrics.horizontalAdvance(QLatin1Char('x')) * 32);
    header->setSectionResizeMode(ToolCallModel::ResultColumn, QHeaderView::Stretch);
    header->resizeSection(ToolCallModel::StatusColumn, metrics.horizontalAdvance(QStringLiteral("error: timeout…")));
    header->resizeSection(ToolCallModel::LatencyColumn, metrics.horizontalAdvance(QStringLiteral("Latency")) + 24);
    header->resizeSection(ToolCallModel::StartColumn, metrics.horizontalAdvance(QStringLiteral("+38.12 s")) + 24);
    header->setStretchLastSection(false);

    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter tool calls by tool, agent, arguments, result, status…"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_callProxy, &QSortFilterProxyModel::setFilterFixedString);
    m_count = new QLabel;
    m_count->setForegroundRole(QPalette::PlaceholderText);
    auto* copyButton = new QToolButton;
    copyButton->setText(tr("Copy"));
    copyButton->setToolTip(tr("Copy the selected calls as tab-separated text (Ctrl+C)"));
    connect(copyButton, &QToolButton::clicked, this, &ToolCallPanel::copySelection);
    auto* exportButton = new QToolButton;
    exportButton->setText(tr("Export CSV…"));
    exportButton->setToolTip(tr("Save the calls shown, filter and order applied, as a CSV file"));
    connect(exportButton, &QToolButton::clicked, this, &ToolCallPanel::exportCsv);
    auto* copyAction = new QAction(this);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copyAction, &QAction::triggered, this, &ToolCallPanel::copySelection);
    m_callView->addAction(copyAction);

    auto* callsPanel = new QWidget;
    auto* callsLayout = new QVBoxLayout(callsPanel);
    callsLayout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_count);
    bar->addWidget(copyButton);
    bar->addWidget(exportButton);
    callsLayout->addLayout(bar);
    callsLayout->addWidget(m_callView, 1);

    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_summaryView);
    splitter->addWidget(callsPanel);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(splitter);

    const auto updateCount = [this] {
        m_count->setText(m_callProxy->rowCount() == m_calls->rowCount()
                ? tr("%n call(s)", nullptr, m_calls->rowCount())
                : tr("%1 of %n call(s)", nullptr, m_calls->rowCount()).arg(m_callProxy->rowCount()));
    };
    connect(m_callProxy, &QAbstractItemModel::modelReset, this, updateCount);
    connect(m_callProxy, &QAbstractItemModel::rowsInserted, this, updateCount);
    connect(m_callProxy, &QAbstractItemModel::rowsRemoved, this, updateCount);
    connect(m_callProxy, &QAbstractItemModel::layoutChanged, this, updateCount);
    connect(m_callView, &QTableView::activated, this,
        [this](const QModelIndex& index) { emit stepActivated(index.data(StepIndexRole).toInt()); });
    connect(
        m_callView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& index) {
            if (index.isValid())
                emit stepActivated(index.data(StepIndexRole).toInt());
        });
    // A click on a tool in the summary filters the calls to it.
    connect(m_summaryView, &QTableView::clicked, this, [this](const QModelIndex& index) {
        m_filter->setText(index.siblingAtColumn(ToolSummaryModel::ToolColumn).data().toString());
    });
    updateCount();
}

void ToolCallPanel::setCalls(std::vector<ToolCallRow> calls, std::int64_t runDurationNs)
{
    m_summary->setRows(ToolCalls::summarize(calls, runDurationNs));
    m_calls->setCalls(std::move(calls));
}

void ToolCallPanel::clear()
{
    setCalls({}, 0);
}

QString ToolCallPanel::callsCsv() const
{
    // Through the proxy: what the user sees, in the order they see it.
    return Csv::fromModel(*m_callProxy);
}

void ToolCallPanel::exportCsv()
{
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export Tool Calls"), QStringLiteral("tool-calls.csv"), tr("CSV files (*.csv)"));
    if (file.isEmpty())
        return;
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(callsCsv().toUtf8()) < 0) {
        QMessageBox::warning(this, tr("Export Tool Calls"), tr("Cannot write %1: %2").arg(file, out.errorString()));
    }
}

void ToolCallPanel::copySelection()
{
    QList<int> rows;
    for (const QModelIndex& index : m_callView->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty())
        return;
    QApplication::clipboard()->setText(Csv::fromModel(*m_callProxy, rows, QLatin1Char('\t')));
}

} // namespace Tracelight
