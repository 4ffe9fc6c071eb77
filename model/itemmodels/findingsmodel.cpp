#include "findingsmodel.h"

#include "format.h"
#include "modelroles.h"

namespace Tracelight {

FindingsModel::FindingsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void FindingsModel::setFindings(std::vector<Finding> findings)
{
    beginResetModel();
    m_findings = std::move(findings);
    std::stable_sort(m_findings.begin(), m_findings.end(),
        [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
    endResetModel();
}

const Finding* FindingsModel::findingAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_findings.size()) ? &m_findings[static_cast<std::size_t>(row)] : nullptr;
}

int FindingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_findings.size());
}

int FindingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FindingsModel::kindLabel(FindingKind kind)
{
    return QString::fromLatin1(findingKindName(kind)).replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString FindingsModel::wastedText(const Finding& f)
{
    QStringList parts;
    if (f.wastedCostUsd && *f.wastedCostUsd > 0)
        parts << Format::cost(f.wastedCostUsd);
    if (f.wastedTokens && *f.wastedTokens > 0)
        parts << tr("%1 tokens").arg(Format::tokens(*f.wastedTokens));
    if (f.wastedNs && *f.wastedNs > 0)
        parts << Format::duration(*f.wastedNs);
    return parts.join(QStringLiteral(", "));
}

QVariant FindingsModel::data(const QModelIndex& index, int role) const
{
    const Finding* f = index.isValid() ? findingAt(index.row()) : nullptr;
    if (!f)
        return {};
    switch (role) {
    case FindingSeverityRole:
        return static_cast<int>(f->severity);
    case SpanIdRole:
        return f->spanIds.empty() ? QString() : Format::fromUtf8(f->spanIds.front());
    case Qt::ToolTipRole:
        return Format::plainToolTip(Format::fromUtf8(f->message));
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return QString::fromLatin1(findingSeverityName(f->severity));
        case KindColumn:
            return kindLabel(f->kind);
        case MessageColumn:
            return Format::fromUtf8(f->message);
        case WastedColumn:
            return wastedText(*f);
        case StepsColumn:
            return QString::number(f->spanIds.size());
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == StepsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case KindColumn:
        return tr("Kind");
    case MessageColumn:
        return tr("Finding");
    case WastedColumn:
        return tr("Wasted");
    case StepsColumn:
        return tr("Steps");
    }
    return {};
}

} // namespace Tracelight
