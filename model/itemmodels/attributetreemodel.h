#pragma once

#include "tracesummary.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace Tracelight {

// Every resource, scope, span and event attribute and link of one step as a tree: Key and Value columns,
// structured values (maps, arrays, and strings that hold JSON, such as gen_ai.input.messages) open into
// children. Built in one go from a StepDetail; roles give the full value, its path and its JSON for copying.
class AttributeTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        KeyColumn,
        ValueColumn,
        ColumnCount
    };
    static constexpr int MaxChildren = 2000; // per node; the rest is summarized in one row
    static constexpr int MaxShownCharacters = 300;

    explicit AttributeTreeModel(QObject* parent = nullptr);
    ~AttributeTreeModel() override;

    void setStep(const StepDetail* detail);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    struct Node;

private:
    std::unique_ptr<Node> m_root;
};

} // namespace Tracelight
