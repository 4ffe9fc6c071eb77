#include "findingspanel.h"

#include "theme.h"

#include <findingsmodel.h>
#include <format.h>
#include <kindstyle.h>
#include <modelroles.h>

#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace Tracelight {

namespace {

// The severity as a coloured dot before its word.
class SeverityDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        const QColor color = KindStyle::findingColor(index.data(FindingSeverityRole).toInt(), Theme::isDark());
        const int size = opt.fontMetrics.height() / 2;
        QRect dot(opt.rect.left() + 6, opt.rect.center().y() - size / 2, size, size);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->drawEllipse(dot);
        painter->setPen(opt.state & QStyle::State_Selected ? opt.palette.highlightedText().color() : color);
        painter->drawText(opt.rect.adjusted(dot.right() + 6, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const QSize size = QStyledItemDelegate::sizeHint(option, index);
        return { size.width() + option.fontMetrics.height() / 2 + 12, size.height() };
    }
};

} // namespace

FindingsPanel::FindingsPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new FindingsModel(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    m_summary = new QLabel;
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_view = new QTableView;
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(FindingsModel::SeverityColumn, new SeverityDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    // A finding is a sentence: it wraps rather than being cut.
    m_view->setWordWrap(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setSectionResizeMode(FindingsModel::MessageColumn, QHeaderView::Stretch);
    for (const int column : { int(FindingsModel::SeverityColumn), int(FindingsModel::KindColumn),
             int(FindingsModel::WastedColumn), int(FindingsModel::StepsColumn) })
        m_view->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    layout->addWidget(m_view);
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        const QString span = index.data(SpanIdRole).toString();
        if (!span.isEmpty())
            emit stepRequested(span);
    });
    clear();
}

void FindingsPanel::setFindings(std::vector<Finding> findings)
{
    double cost = 0;
    std::int64_t tokens = 0;
    std::int64_t ns = 0;
    for (const Finding& f : findings) {
        cost += f.wastedCostUsd.value_or(0);
        tokens += f.wastedTokens.value_or(0);
        // Baseline findings measure the whole run against others; only what the run's own steps wasted adds up.
        if (f.kind == FindingKind::Loop || f.kind == FindingKind::FailureStreak)
            ns += f.wastedNs.value_or(0);
    }
    const int count = static_cast<int>(findings.size());
    m_model->setFindings(std::move(findings));
    if (count == 0) {
        m_summary->setText(tr("No findings in this run: no loops, runaways, regressions, failures or arguments "
                              "from nowhere were found."));
        return;
    }
    QString text = tr("%n finding(s).", nullptr, count);
    QStringList waste;
    if (cost > 0)
        waste << Format::cost(cost);
    if (tokens > 0)
        waste << tr("%1 tokens").arg(Format::tokens(tokens));
    if (ns > 0)
        waste << tr("%1 in repeated or failing calls").arg(Format::duration(ns));
    if (!waste.isEmpty())
        text += QLatin1Char(' ') + tr("Wasted: %1.").arg(waste.join(QStringLiteral(", ")));
    text += QLatin1Char(' ') + tr("Double-click a finding to go to its step.");
    m_summary->setText(text);
}

void FindingsPanel::clear()
{
    m_model->setFindings({});
    m_summary->setText(tr("Select a run to see its findings."));
}

} // namespace Tracelight
