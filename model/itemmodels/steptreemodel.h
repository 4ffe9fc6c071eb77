#pragma once

#include "tracesnapshot.h"

#include <QAbstractItemModel>

namespace Tracelight {

// The steps of one trace as a tree (parent → children in start order). A thin adapter over an immutable
// TraceSnapshot: setSnapshot() swaps it inside a model reset (house style point 7).
class StepTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        DetailColumn, // model for llm steps, tool name for tools, agent for agents
        StartColumn, // offset from the start of the run
        DurationColumn,
        TokensColumn,
        ColumnCount
    };

    explicit StepTreeModel(QObject* parent = nullptr);

    void setSnapshot(TraceSnapshotPtr snapshot);
    const TraceSnapshotPtr& snapshot() const { return m_snapshot; }
    QModelIndex indexForStep(int stepIndex, int column = 0) const;
    int stepIndex(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    TraceSnapshotPtr m_snapshot;
};

} // namespace Tracelight
