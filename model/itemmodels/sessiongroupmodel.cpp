#include "sessiongroupmodel.h"

#include "format.h"
#include "modelroles.h"
#include "tracelistmodel.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace Tracelight {

namespace {

// The internal id of a top-level row is 0; a turn's is its session's row + 1.
constexpr quintptr TopLevel = 0;

} // namespace

SessionGroupModel::SessionGroupModel(const TraceListModel* traces, QObject* parent)
    : QAbstractItemModel(parent)
    , m_traces(traces)
{ }

void SessionGroupModel::setSourceModel(QAbstractItemModel* source)
{
    beginResetModel();
    for (const QMetaObject::Connection& c : m_connections)
        disconnect(c);
    m_connections.clear();
    m_source = source;
    if (m_source) {
        m_connections = {
            connect(m_source, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); }),
            connect(m_source, &QAbstractItemModel::modelReset, this,
                [this] {
                    rebuild();
                    endResetModel();
                }),
            connect(m_source, &QAbstractItemModel::rowsInserted, this, &SessionGroupModel::relayout),
            connect(m_source, &QAbstractItemModel::rowsRemoved, this, &SessionGroupModel::relayout),
            connect(m_source, &QAbstractItemModel::rowsMoved, this, &SessionGroupModel::relayout),
            connect(m_source, &QAbstractItemModel::layoutChanged, this, &SessionGroupModel::relayout),
            connect(m_source, &QAbstractItemModel::dataChanged, this, &SessionGroupModel::onDataChanged),
        };
    }
    rebuild();
    endResetModel();
}

void SessionGroupModel::setGrouping(bool on)
{
    if (on == m_grouping)
        return;
    m_grouping = on;
    relayout();
}

void SessionGroupModel::rebuild()
{
    m_rows.clear();
    m_sourceRow.clear();
    m_position.clear();
    m_sessionRow.clear();
    m_placed.clear();
    if (!m_source)
        return;
    // Read through the source's rows (not the trace list's lookup, which may be mid-update while rows are removed).
    const int count = m_source->rowCount();
    std::vector<std::string> ids;
    ids.reserve(std::size_t(count));
    std::unordered_map<std::string, int> perSession;
    for (int row = 0; row < count; ++row) {
        const QModelIndex first = m_source->index(row, 0);
        const std::string id = first.data(TraceIdRole).toString().toStdString();
        Placed placed { first.data(SessionIdRole).toString().toStdString(),
            first.siblingAtColumn(TraceListModel::StartColumn).data(SortRole).toLongLong() };
        m_sourceRow[id] = row;
        if (m_grouping && !placed.sessionId.empty())
            ++perSession[placed.sessionId];
        m_placed[id] = std::move(placed);
        ids.push_back(id);
    }
    for (const std::string& id : ids) {
        const std::string& session = m_placed[id].sessionId;
        if (!m_grouping || session.empty() || perSession[session] < 2) {
            m_position[id] = { int(m_rows.size()), -1 };
            m_rows.push_back({ id, {}, {}, {} });
            continue;
        }
        auto [it, added] = m_sessionRow.emplace(session, int(m_rows.size()));
        if (added)
            m_rows.push_back({ {}, session, {}, {} });
        m_rows[std::size_t(it->second)].turns.push_back(id);
    }
    // A session's turns in the order they started (then by trace id, so that equal starts stay put).
    for (std::size_t top = 0; top < m_rows.size(); ++top) {
        Row& row = m_rows[top];
        std::stable_sort(row.turns.begin(), row.turns.end(), [this](const std::string& a, const std::string& b) {
            return std::pair(m_placed[a].start, a) < std::pair(m_placed[b].start, b);
        });
        for (std::size_t turn = 0; turn < row.turns.size(); ++turn)
            m_position[row.turns[turn]] = { int(top), int(turn) };
        if (!row.turns.empty())
            sum(row);
    }
}

void SessionGroupModel::relayout()
{
    emit layoutAboutToBeChanged();
    // Each persistent index by what it shows (a run's trace id or a session's id), found again after the rebuild.
    const QModelIndexList before = persistentIndexList();
    std::vector<std::pair<std::string, bool>> keys;
    keys.reserve(std::size_t(before.size()));
    for (const QModelIndex& index : before) {
        if (index.internalId() != TopLevel) {
            const Row& session = m_rows[std::size_t(index.internalId() - 1)];
            keys.emplace_back(session.turns[std::size_t(index.row())], false);
        } else if (const Row& row = m_rows[std::size_t(index.row())]; !row.traceId.empty()) {
            keys.emplace_back(row.traceId, false);
        } else {
            keys.emplace_back(row.sessionId, true);
        }
    }
    rebuild();
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        const auto& [key, session] = keys[std::size_t(i)];
        const int column = before[i].column();
        if (session) {
            const auto it = m_sessionRow.find(key);
            after << (it == m_sessionRow.end() ? QModelIndex() : createIndex(it->second, column, TopLevel));
            continue;
        }
        const auto [top, turn] = positionOf(key);
        after << (top < 0  ? QModelIndex()
                : turn < 0 ? createIndex(top, column, TopLevel)
                           : createIndex(turn, column, quintptr(top) + 1));
    }
    changePersistentIndexList(before, after);
    emit layoutChanged();
}

void SessionGroupModel::onDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>&)
{
    // A run whose session or start changed moves (one relayout for the whole change); otherwise the run and its
    // session row repaint, the session's totals summed again.
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
        const QModelIndex first = m_source->index(row, 0);
        const auto placed = m_placed.find(first.data(TraceIdRole).toString().toStdString());
        if (placed == m_placed.end() || placed->second.sessionId != first.data(SessionIdRole).toString().toStdString()
            || placed->second.start != first.siblingAtColumn(TraceListModel::StartColumn).data(SortRole).toLongLong()) {
            relayout();
            return;
        }
    }
    // One signal per parent for the rows that changed beneath it, and one for the sessions whose totals changed: a
    // view answers each signal with work over its visible rows, so a signal per run would cost a live refresh of a
    // hundred runs a hundred times that.
    std::map<QModelIndex, std::pair<int, int>> changed; // parent → first and last row
    std::set<int> sessions;
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
        const QModelIndex first = mapFromSource(m_source->index(row, topLeft.column()));
        if (!first.isValid())
            continue;
        const QModelIndex parent = first.parent();
        auto [range, inserted] = changed.try_emplace(parent, first.row(), first.row());
        if (!inserted) {
            range->second.first = std::min(range->second.first, first.row());
            range->second.second = std::max(range->second.second, first.row());
        }
        if (parent.isValid())
            sessions.insert(parent.row());
    }
    for (const auto& [parent, rows] : changed)
        emit dataChanged(index(rows.first, topLeft.column(), parent), index(rows.second, bottomRight.column(), parent));
    for (const int session : sessions)
        sum(m_rows[std::size_t(session)]);
    if (!sessions.empty())
        emit dataChanged(index(*sessions.begin(), 0), index(*sessions.rbegin(), columnCount() - 1));
}

std::pair<int, int> SessionGroupModel::positionOf(const std::string& traceId) const
{
    const auto it = m_position.find(traceId);
    return it == m_position.end() ? std::pair(-1, -1) : it->second;
}

QModelIndex SessionGroupModel::mapFromSource(const QModelIndex& sourceIndex) const
{
    if (!sourceIndex.isValid())
        return {};
    const auto [top, turn] = positionOf(sourceIndex.data(TraceIdRole).toString().toStdString());
    if (top < 0)
        return {};
    return turn < 0 ? createIndex(top, sourceIndex.column(), TopLevel)
                    : createIndex(turn, sourceIndex.column(), quintptr(top) + 1);
}

QModelIndex SessionGroupModel::mapToSource(const QModelIndex& index) const
{
    if (!index.isValid() || !m_source)
        return {};
    const std::string* id = nullptr;
    if (index.internalId() != TopLevel)
        id = &m_rows[std::size_t(index.internalId() - 1)].turns[std::size_t(index.row())];
    else if (!m_rows[std::size_t(index.row())].traceId.empty())
        id = &m_rows[std::size_t(index.row())].traceId;
    if (!id)
        return {};
    const auto it = m_sourceRow.find(*id);
    return it == m_sourceRow.end() ? QModelIndex() : m_source->index(it->second, index.column());
}

bool SessionGroupModel::isSession(const QModelIndex& index) const
{
    return index.isValid() && index.internalId() == TopLevel && m_rows[std::size_t(index.row())].traceId.empty();
}

QModelIndex SessionGroupModel::indexOfTrace(const std::string& traceId) const
{
    const auto [top, turn] = positionOf(traceId);
    if (top < 0)
        return {};
    return turn < 0 ? createIndex(top, 0, TopLevel) : createIndex(turn, 0, quintptr(top) + 1);
}

QModelIndex SessionGroupModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= columnCount() || row < 0)
        return {};
    if (!parent.isValid())
        return row < int(m_rows.size()) ? createIndex(row, column, TopLevel) : QModelIndex();
    if (parent.column() != 0 || parent.internalId() != TopLevel || parent.row() >= int(m_rows.size()))
        return {};
    const Row& session = m_rows[std::size_t(parent.row())];
    return row < int(session.turns.size()) ? createIndex(row, column, quintptr(parent.row()) + 1) : QModelIndex();
}

QModelIndex SessionGroupModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == TopLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, TopLevel);
}

int SessionGroupModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(m_rows.size());
    if (parent.column() > 0 || parent.internalId() != TopLevel)
        return 0;
    return int(m_rows[std::size_t(parent.row())].turns.size());
}

int SessionGroupModel::columnCount(const QModelIndex&) const
{
    return TraceListModel::ColumnCount;
}

QVariant SessionGroupModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    if (isSession(index))
        return sessionData(m_rows[std::size_t(index.row())], index.column(), role);
    const QModelIndex source = mapToSource(index);
    QVariant value = source.data(role);
    // A turn says which it is.
    if (index.internalId() != TopLevel && index.column() == TraceListModel::NameColumn && role == Qt::DisplayRole)
        return tr("Turn %1 · %2").arg(index.row() + 1).arg(value.toString());
    return value;
}

void SessionGroupModel::sum(Row& session) const
{
    Totals t;
    t.start = std::numeric_limits<std::int64_t>::max();
    t.end = std::numeric_limits<std::int64_t>::min();
    for (const std::string& id : session.turns) {
        const TraceSummary* run = m_traces->traceAt(m_traces->rowOf(id));
        if (!run)
            continue;
        if (t.firstName.isNull())
            t.firstName = run->name.empty() ? tr("(unnamed trace)") : Format::fromUtf8(run->name);
        t.start = std::min(t.start, run->startNs);
        t.end = std::max(t.end, run->endNs);
        t.spans += run->spans;
        t.llm += run->llmCalls;
        t.tools += run->toolCalls;
        t.tokens += run->tokens.total();
        t.errors += run->errors;
        t.findings += run->findings;
        t.annotated += run->annotations > 0;
        t.severity = std::max(t.severity, run->findingsSeverity);
        if (run->costUsd)
            t.cost = t.cost.value_or(0.0) + *run->costUsd;
        t.unknownCost = t.unknownCost || !run->costUsd || run->unknownCostCalls > 0;
        const QString service = Format::fromUtf8(run->service);
        const QString version = Format::fromUtf8(run->version);
        t.service = t.service.isNull() || t.service == service ? service : tr("(mixed)");
        t.version = t.version.isNull() || t.version == version ? version : tr("(mixed)");
    }
    if (t.firstName.isNull())
        t = Totals();
    session.totals = std::move(t);
}

QVariant SessionGroupModel::sessionData(const Row& session, int column, int role) const
{
    const Totals& t = session.totals;
    const int turns = int(session.turns.size());
    switch (role) {
    case TraceIdRole:
        return QString();
    case SessionIdRole:
        return Format::fromUtf8(session.sessionId);
    case ServiceRole:
        return t.service;
    case VersionRole:
        return t.version;
    case HasErrorsRole:
        return t.errors > 0;
    case FindingsRole:
        return qlonglong(t.findings);
    case FindingSeverityRole:
        return t.severity;
    case AnnotationsRole:
        return qlonglong(t.annotated);
    case Qt::ToolTipRole:
        return Format::plainToolTip(
            tr("Session %1: %2, one per turn")
                .arg(Format::fromUtf8(session.sessionId), Format::count(turns, tr("run"), tr("runs"))));
    case Qt::TextAlignmentRole:
        if (column >= TraceListModel::DurationColumn && column < TraceListModel::FindingsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        switch (column) {
        case TraceListModel::NameColumn:
            return tr("%1 — session of %2").arg(t.firstName, Format::count(turns, tr("turn"), tr("turns")));
        case TraceListModel::ServiceColumn:
            return t.service;
        case TraceListModel::VersionColumn:
            return t.version;
        case TraceListModel::StartColumn:
            return Format::timestamp(t.start);
        case TraceListModel::DurationColumn:
            return Format::duration(t.end - t.start);
        case TraceListModel::SpansColumn:
            return Format::tokens(t.spans);
        case TraceListModel::LlmCallsColumn:
            return Format::tokens(t.llm);
        case TraceListModel::ToolCallsColumn:
            return Format::tokens(t.tools);
        case TraceListModel::TokensColumn:
            return Format::tokens(t.tokens);
        case TraceListModel::CostColumn:
            return t.cost ? Format::cost(t.cost) + (t.unknownCost ? QStringLiteral("+") : QString())
                          : QStringLiteral("–");
        case TraceListModel::ErrorsColumn:
            return t.errors ? Format::tokens(t.errors) : QString();
        case TraceListModel::FindingsColumn:
            return t.findings ? Format::count(t.findings, tr("finding"), tr("findings")) : QString();
        case TraceListModel::ReviewColumn:
            return t.annotated ? tr("%1 of %2 reviewed").arg(t.annotated).arg(turns) : QString();
        case TraceListModel::SessionColumn:
            return Format::fromUtf8(session.sessionId);
        }
        return {};
    default:
        return {};
    }
}

QVariant SessionGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_traces->headerData(section, orientation, role);
}

void SessionGroupModel::sort(int column, Qt::SortOrder order)
{
    if (m_source)
        m_source->sort(column, order);
}

} // namespace Tracelight
