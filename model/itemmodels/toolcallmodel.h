#pragma once

#include "toolcalls.h"

#include <QAbstractTableModel>

namespace Tracelight {

// Every tool call of the open trace, one row each (house style point 7: a thin adapter over a vector that a
// worker thread built). Display text is made on demand, so 100,000 rows cost only their rows.
class ToolCallModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        ToolColumn,
        AgentColumn,
        ArgumentsColumn,
        ResultColumn,
        StatusColumn,
        LatencyColumn,
        StartColumn,
        ColumnCount
    };

    explicit ToolCallModel(QObject* parent = nullptr);
    void setCalls(std::vector<ToolCallRow> calls);
    const std::vector<ToolCallRow>& calls() const { return m_calls; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ToolCallRow> m_calls;
};

// One row per tool: calls, success rate, p50/p95 latency, errors, share of the run's time.
class ToolSummaryModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        ToolColumn,
        CallsColumn,
        SuccessColumn,
        P50Column,
        P95Column,
        ErrorsColumn,
        ShareColumn,
        ColumnCount
    };

    explicit ToolSummaryModel(QObject* parent = nullptr);
    void setRows(std::vector<ToolSummaryRow> rows);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ToolSummaryRow> m_rows;
};

} // namespace Tracelight
