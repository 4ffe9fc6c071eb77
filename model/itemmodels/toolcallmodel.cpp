#include "toolcallmodel.h"

#include "format.h"
#include "modelroles.h"

namespace Tracelight {

ToolCallModel::ToolCallModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ToolCallModel::setCalls(std::vector<ToolCallRow> calls)
{
    beginResetModel();
    m_calls = std::move(calls);
    endResetModel();
}

int ToolCallModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_calls.size());
}

int ToolCallModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ToolCallModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ToolCallRow& call = m_calls[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ToolColumn:
            return Format::fromUtf8(call.tool);
        case AgentColumn:
            return Format::fromUtf8(call.agent);
        case ArgumentsColumn:
            return Format::fromUtf8(call.arguments);
        case ResultColumn:
            return Format::fromUtf8(call.result);
        case StatusColumn:
            if (call.status != StepStatus::Error)
                return tr("ok");
            return call.statusMessage.empty() ? tr("error") : tr("error: %1").arg(Format::fromUtf8(call.statusMessage));
        case LatencyColumn:
            return Format::duration(call.durationNs);
        case StartColumn:
            return QString(QStringLiteral("+") + Format::duration(call.startNs));
        }
        break;
    case SortRole:
        switch (index.column()) {
        case LatencyColumn:
            return qint64(call.durationNs);
        case StartColumn:
            return qint64(call.startNs);
        case StatusColumn:
            return int(call.status);
        default:
            return data(index, Qt::DisplayRole).toString().toLower();
        }
    case Qt::TextAlignmentRole:
        if (index.column() == LatencyColumn || index.column() == StartColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole:
        if (index.column() == ArgumentsColumn || index.column() == ResultColumn)
            return Format::plainToolTip(data(index, Qt::DisplayRole).toString());
        break;
    case StatusRole:
        return int(call.status);
    case StepIndexRole:
        return call.step;
    case SpanIdRole:
        return Format::fromUtf8(call.spanId);
    default:
        break;
    }
    return {};
}

QVariant ToolCallModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ToolColumn:
        return tr("Tool");
    case AgentColumn:
        return tr("Agent");
    case ArgumentsColumn:
        return tr("Arguments");
    case ResultColumn:
        return tr("Result");
    case StatusColumn:
        return tr("Status");
    case LatencyColumn:
        return tr("Latency");
    case StartColumn:
        return tr("Start");
    }
    return {};
}

ToolSummaryModel::ToolSummaryModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ToolSummaryModel::setRows(std::vector<ToolSummaryRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int ToolSummaryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ToolSummaryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ToolSummaryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ToolSummaryRow& row = m_rows[std::size_t(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case ToolColumn:
            return Format::fromUtf8(row.tool);
        case CallsColumn:
            return row.calls;
        case SuccessColumn:
            return QStringLiteral("%1 %").arg(row.successRate * 100, 0, 'f', row.successRate == 1 ? 0 : 1);
        case P50Column:
            return Format::duration(row.p50Ns);
        case P95Column:
            return Format::duration(row.p95Ns);
        case ErrorsColumn:
            return row.errors;
        case ShareColumn:
            return QStringLiteral("%1 %").arg(row.shareOfRun * 100, 0, 'f', 1);
        }
    } else if (role == SortRole) {
        switch (index.column()) {
        case ToolColumn:
            return Format::fromUtf8(row.tool).toLower();
        case CallsColumn:
            return row.calls;
        case SuccessColumn:
            return row.successRate;
        case P50Column:
            return qint64(row.p50Ns);
        case P95Column:
            return qint64(row.p95Ns);
        case ErrorsColumn:
            return row.errors;
        case ShareColumn:
            return row.shareOfRun;
        }
    } else if (role == Qt::TextAlignmentRole && index.column() != ToolColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == HasErrorsRole) {
        return row.errors > 0;
    }
    return {};
}

QVariant ToolSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ToolColumn:
        return tr("Tool");
    case CallsColumn:
        return tr("Calls");
    case SuccessColumn:
        return tr("Success");
    case P50Column:
        return tr("p50");
    case P95Column:
        return tr("p95");
    case ErrorsColumn:
        return tr("Errors");
    case ShareColumn:
        return tr("Share of run");
    }
    return {};
}

} // namespace Tracelight
