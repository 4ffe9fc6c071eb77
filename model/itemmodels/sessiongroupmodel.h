#pragma once

#include <QAbstractItemModel>

#include <optional>

#include <string>
#include <unordered_map>
#include <vector>

namespace Tracelight {

class TraceListModel;
struct TraceSummary;

// The run list grouped by conversation: runs that share a session id (session.id, gen_ai.conversation.id, Langfuse
// sessions, LangSmith threads, OpenAI Agents groups, a coding agent's session, an Inspect eval) become the turns of
// one session row, in the order they started; the session row sums their figures. A run alone in its session, or
// without one, stays a row of its own. It sits over the filtered and sorted run list: filters pick the runs, the sort
// orders the top level (a session where its first run sorts) and is passed down. Changes of the list (a refresh, a
// live import) move rows as a layout change, so the selection and the expanded sessions stay.
class SessionGroupModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    // traces: the model the source's rows come from (for the summaries behind a session row).
    explicit SessionGroupModel(const TraceListModel* traces, QObject* parent = nullptr);

    // The filtered, sorted runs (rows carrying TraceIdRole, columns as TraceListModel's).
    void setSourceModel(QAbstractItemModel* source);
    QAbstractItemModel* sourceModel() const { return m_source; }
    // Off: every run is a row of its own, as in the source.
    void setGrouping(bool on);
    bool grouping() const { return m_grouping; }

    QModelIndex mapFromSource(const QModelIndex& sourceIndex) const;
    QModelIndex mapToSource(const QModelIndex& index) const; // invalid for a session row
    bool isSession(const QModelIndex& index) const;
    // A run's index by trace id (column 0), invalid when it is filtered out.
    QModelIndex indexOfTrace(const std::string& traceId) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    struct Totals
    {
        std::int64_t start = 0, end = 0, spans = 0, llm = 0, tools = 0, tokens = 0, errors = 0, findings = 0;
        std::int64_t annotated = 0;
        std::optional<double> cost;
        bool unknownCost = false;
        int severity = -1;
        QString service, version, firstName;
    };
    struct Row
    {
        std::string traceId; // a run
        std::string sessionId; // a session (traceId empty)
        std::vector<std::string> turns; // a session's runs, by start
        Totals totals; // a session's, summed over its turns
    };
    // What placed a run: its session and start, as the source said at the last rebuild.
    struct Placed
    {
        std::string sessionId;
        qlonglong start = 0;
    };
    void rebuild();
    void relayout();
    void onDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles);
    QVariant sessionData(const Row& session, int column, int role) const;
    void sum(Row& session) const;
    // (top-level row, turn row or -1) of a trace id, or (-1, -1).
    std::pair<int, int> positionOf(const std::string& traceId) const;

    const TraceListModel* m_traces;
    QAbstractItemModel* m_source = nullptr;
    bool m_grouping = true;
    std::vector<Row> m_rows;
    std::unordered_map<std::string, int> m_sourceRow; // trace id → source row
    std::unordered_map<std::string, std::pair<int, int>> m_position; // trace id → where it is shown
    std::unordered_map<std::string, int> m_sessionRow; // session id → top-level row
    std::unordered_map<std::string, Placed> m_placed; // trace id → its session and start at the last rebuild
    std::vector<QMetaObject::Connection> m_connections;
};

} // namespace Tracelight
