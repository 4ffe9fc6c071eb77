#include "steptreemodel.h"

#include "format.h"
#include "modelroles.h"

namespace Tracelight {

// internalId is the step index + 1, so that 0 never names a step.
StepTreeModel::StepTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
{ }

void StepTreeModel::setSnapshot(TraceSnapshotPtr snapshot)
{
    beginResetModel();
    m_snapshot = std::move(snapshot);
    endResetModel();
}

int StepTreeModel::stepIndex(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<int>(index.internalId()) - 1 : -1;
}

QModelIndex StepTreeModel::indexForStep(int step, int column) const
{
    if (!m_snapshot || step < 0 || step >= m_snapshot->size())
        return {};
    return createIndex(m_snapshot->rowInParent(step), column, quintptr(step + 1));
}

QModelIndex StepTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!m_snapshot || row < 0 || column < 0 || column >= ColumnCount)
        return {};
    const int parentStep = stepIndex(parent);
    if (row >= m_snapshot->childCount(parentStep))
        return {};
    return createIndex(row, column, quintptr(m_snapshot->child(parentStep, row) + 1));
}

QModelIndex StepTreeModel::parent(const QModelIndex& child) const
{
    const int step = stepIndex(child);
    if (!m_snapshot || step < 0)
        return {};
    return indexForStep(m_snapshot->parent(step));
}

int StepTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!m_snapshot || (parent.isValid() && parent.column() != 0))
        return 0;
    return m_snapshot->childCount(stepIndex(parent));
}

int StepTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant StepTreeModel::data(const QModelIndex& index, int role) const
{
    const int step = stepIndex(index);
    if (!m_snapshot || step < 0 || step >= m_snapshot->size())
        return {};
    const StepRecord& s = m_snapshot->step(step);
    switch (role) {
    case KindRole:
        return static_cast<int>(s.kind);
    case StatusRole:
        return static_cast<int>(s.status);
    case SpanIdRole:
        return Format::fromUtf8(s.spanId);
    case StepIndexRole:
        return step;
    case DepthRole:
        return m_snapshot->depth(step);
    case Qt::ToolTipRole: {
        QString tip = Format::kindLabel(s.kind) + QStringLiteral(": ") + Format::fromUtf8(s.name);
        if (s.status == StepStatus::Error)
            tip += QStringLiteral("\nError: ") + Format::fromUtf8(s.statusMessage);
        return Format::plainToolTip(tip);
    }
    case Qt::TextAlignmentRole:
        if (index.column() >= StartColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        switch (index.column()) {
        case StartColumn:
            return qlonglong(s.startNs);
        case DurationColumn:
            return qlonglong(s.durationNs());
        case TokensColumn:
            return qlonglong(s.tokens.total());
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return s.name.empty() ? Format::kindLabel(s.kind) : Format::fromUtf8(s.name);
        case DetailColumn:
            if (s.kind == StepKind::Tool && !s.toolName.empty())
                return Format::fromUtf8(s.toolName);
            if (!s.model.empty())
                return Format::fromUtf8(s.model);
            if (s.kind == StepKind::Agent && !s.agentName.empty())
                return Format::fromUtf8(s.agentName);
            return Format::kindLabel(s.kind);
        case StartColumn:
            return s.startNs > 0 ? QString(QStringLiteral("+") + Format::duration(s.startNs - m_snapshot->startNs()))
                                 : QString();
        case DurationColumn:
            return s.endNs > 0 ? Format::duration(s.durationNs()) : tr("open");
        case TokensColumn:
            if (!s.tokens.input && !s.tokens.output)
                return QString();
            return QString(Format::tokens(s.tokens.input.value_or(0)) + QStringLiteral(" → ")
                + Format::tokens(s.tokens.output.value_or(0)));
        }
    }
    return {};
}

QVariant StepTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Step");
    case DetailColumn:
        return tr("Model / tool");
    case StartColumn:
        return tr("Start");
    case DurationColumn:
        return tr("Duration");
    case TokensColumn:
        return tr("Tokens in → out");
    }
    return {};
}

} // namespace Tracelight
