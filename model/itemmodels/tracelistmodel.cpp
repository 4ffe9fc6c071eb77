#include "tracelistmodel.h"

#include "format.h"
#include "modelroles.h"

#include <algorithm>
#include <limits>

namespace Tracelight {

TraceListModel::TraceListModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void TraceListModel::updateTraces(std::vector<TraceSummary> traces)
{
    std::unordered_map<std::string, int> incoming;
    for (std::size_t i = 0; i < traces.size(); ++i)
        incoming.emplace(traces[i].traceId, static_cast<int>(i));

    // Rows that left the cache go first, from the bottom so the row numbers above stay valid; rowOf() stays right
    // for whoever reads the model while a row goes.
    for (int row = static_cast<int>(m_traces.size()) - 1; row >= 0; --row) {
        if (incoming.count(m_traces[std::size_t(row)].traceId))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.erase(m_traces[std::size_t(row)].traceId);
        m_traces.erase(m_traces.begin() + row);
        for (auto& [id, at] : m_rows)
            at -= at > row ? 1 : 0;
        endRemoveRows();
    }
    upsertTraces(std::move(traces));
}

void TraceListModel::upsertTraces(std::vector<TraceSummary> traces)
{
    std::vector<TraceSummary> added;
    int firstChanged = std::numeric_limits<int>::max();
    int lastChanged = -1;
    for (TraceSummary& trace : traces) {
        const auto it = m_rows.find(trace.traceId);
        if (it == m_rows.end()) {
            added.push_back(std::move(trace));
            continue;
        }
        m_traces[std::size_t(it->second)] = std::move(trace);
        firstChanged = std::min(firstChanged, it->second);
        lastChanged = std::max(lastChanged, it->second);
    }
    // One signal for all the changed rows: a sorting proxy re-sorts once per signal, not once per run (a live
    // collector updates a hundred runs at a time in a list of thousands).
    if (lastChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (!added.empty()) {
        const int first = static_cast<int>(m_traces.size());
        beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
        for (TraceSummary& trace : added) {
            m_rows.emplace(trace.traceId, static_cast<int>(m_traces.size()));
            m_traces.push_back(std::move(trace));
        }
        endInsertRows();
    }
}

const TraceSummary* TraceListModel::traceAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_traces.size()) ? &m_traces[std::size_t(row)] : nullptr;
}

int TraceListModel::rowOf(const std::string& traceId) const
{
    const auto it = m_rows.find(traceId);
    return it == m_rows.end() ? -1 : it->second;
}

int TraceListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_traces.size());
}

int TraceListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

// "loop, ungrounded argument": the kinds as words.
QString findingKinds(const std::string& kinds)
{
    return Format::fromUtf8(kinds)
        .replace(QLatin1Char('_'), QLatin1Char(' '))
        .replace(QLatin1Char(','), QStringLiteral(", "));
}

} // namespace

namespace {

// "wrong, root cause", or "noted" for annotations that only rate or note.
QString reviewLabels(const TraceSummary& t)
{
    QStringList labels;
    for (const std::string& label : t.annotationLabels)
        labels << Format::fromUtf8(label);
    return labels.isEmpty() ? TraceListModel::tr("noted") : labels.join(QStringLiteral(", "));
}

} // namespace

QVariant TraceListModel::data(const QModelIndex& index, int role) const
{
    const TraceSummary* t = index.isValid() ? traceAt(index.row()) : nullptr;
    if (!t)
        return {};
    switch (role) {
    case TraceIdRole:
        return Format::fromUtf8(t->traceId);
    case ServiceRole:
        return Format::fromUtf8(t->service);
    case VersionRole:
        return Format::fromUtf8(t->version);
    case HasErrorsRole:
        return t->errors > 0;
    case FindingsRole:
        return qlonglong(t->findings);
    case FindingSeverityRole:
        return t->findingsSeverity;
    case AnnotationsRole:
        return qlonglong(t->annotations);
    case SessionIdRole:
        return Format::fromUtf8(t->sessionId);
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("%1\ntrace %2").arg(Format::fromUtf8(t->name), Format::fromUtf8(t->traceId));
        if (index.column() == ReviewColumn && t->annotations > 0)
            tip = tr("%n annotation(s): %1", nullptr, int(t->annotations)).arg(reviewLabels(*t));
        else if (index.column() == FindingsColumn && t->findings > 0)
            tip = tr("%n finding(s): %1", nullptr, int(t->findings)).arg(findingKinds(t->findingKinds));
        else if (index.column() == CostColumn && t->costSource != CostSource::None) {
            tip = tr("Cost %1 (%2)")
                      .arg(Format::cost(t->costUsd), QString::fromLatin1(costSourceName(t->costSource).data()));
            if (t->unknownCostCalls)
                tip += tr(", not counting %n LLM call(s) of unknown cost", nullptr, int(t->unknownCostCalls));
        }
        return Format::plainToolTip(tip);
    }
    case Qt::TextAlignmentRole:
        if (index.column() >= DurationColumn && index.column() < FindingsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        switch (index.column()) {
        case StartColumn:
            return qlonglong(t->startNs);
        case DurationColumn:
            return qlonglong(t->endNs - t->startNs);
        case SpansColumn:
            return qlonglong(t->spans);
        case LlmCallsColumn:
            return qlonglong(t->llmCalls);
        case ToolCallsColumn:
            return qlonglong(t->toolCalls);
        case TokensColumn:
            return qlonglong(t->tokens.total());
        case CostColumn:
            return t->costUsd ? *t->costUsd : -1.0;
        case ErrorsColumn:
            return qlonglong(t->errors);
        case FindingsColumn:
            return qlonglong((t->findingsSeverity + 1) * 1000000 + t->findings);
        case ReviewColumn:
            return t->annotations > 0 ? reviewLabels(*t).toLower() : QString();
        default:
            return data(index, Qt::DisplayRole).toString().toLower();
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return t->name.empty() ? QStringLiteral("(unnamed trace)") : Format::fromUtf8(t->name);
        case ServiceColumn:
            return Format::fromUtf8(t->service);
        case VersionColumn:
            return Format::fromUtf8(t->version);
        case StartColumn:
            return Format::timestamp(t->startNs);
        case DurationColumn:
            return Format::duration(t->endNs - t->startNs);
        case SpansColumn:
            return Format::tokens(t->spans);
        case LlmCallsColumn:
            return Format::tokens(t->llmCalls);
        case ToolCallsColumn:
            return Format::tokens(t->toolCalls);
        case TokensColumn:
            return Format::tokens(t->tokens.total());
        case CostColumn:
            // "+": calls of unknown cost are left out of the figure.
            return t->costUsd ? Format::cost(t->costUsd) + (t->unknownCostCalls ? QStringLiteral("+") : QString())
                              : QStringLiteral("–");
        case ErrorsColumn:
            return t->errors ? Format::tokens(t->errors) : QString();
        case FindingsColumn:
            return findingKinds(t->findingKinds);
        case ReviewColumn:
            return t->annotations > 0 ? reviewLabels(*t) : QString();
        case SessionColumn:
            return Format::fromUtf8(t->sessionId);
        }
    }
    return {};
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Run");
    case ServiceColumn:
        return tr("Service");
    case VersionColumn:
        return tr("Version");
    case StartColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case SpansColumn:
        return tr("Steps");
    case LlmCallsColumn:
        return tr("LLM calls");
    case ToolCallsColumn:
        return tr("Tool calls");
    case TokensColumn:
        return tr("Tokens");
    case CostColumn:
        return tr("Cost");
    case ErrorsColumn:
        return tr("Errors");
    case FindingsColumn:
        return tr("Findings");
    case ReviewColumn:
        return tr("Review");
    case SessionColumn:
        return tr("Session");
    }
    return {};
}

} // namespace Tracelight
