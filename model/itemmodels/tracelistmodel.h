#pragma once

#include "tracesummary.h"

#include <QAbstractTableModel>

#include <unordered_map>
#include <vector>

namespace Tracelight {

// The traces in the cache, one row each. updateTraces() changes rows in place, so a refresh during a live
// import keeps the user's selection and scroll position.
class TraceListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        ServiceColumn,
        VersionColumn,
        StartColumn,
        DurationColumn,
        SpansColumn,
        LlmCallsColumn,
        ToolCallsColumn,
        TokensColumn,
        CostColumn,
        ErrorsColumn,
        FindingsColumn,
        ReviewColumn, // the labels people gave the run and its steps
        SessionColumn, // the session or conversation id it shares with other runs
        ColumnCount
    };

    explicit TraceListModel(QObject* parent = nullptr);

    void updateTraces(std::vector<TraceSummary> traces);
    // Changes or adds the rows of these traces and leaves the others: a live refresh of the traces that changed.
    void upsertTraces(std::vector<TraceSummary> traces);
    const TraceSummary* traceAt(int row) const;
    int rowOf(const std::string& traceId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<TraceSummary> m_traces;
    std::unordered_map<std::string, int> m_rows;
};

} // namespace Tracelight
