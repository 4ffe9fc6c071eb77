#pragma once

#include "findings.h"

#include <QAbstractTableModel>

namespace Tracelight {

// The findings of the open run, one row each, the most severe first (a thin adapter over the vector a worker read).
class FindingsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        SeverityColumn,
        KindColumn,
        MessageColumn,
        WastedColumn,
        StepsColumn,
        ColumnCount
    };

    explicit FindingsModel(QObject* parent = nullptr);
    void setFindings(std::vector<Finding> findings);
    const std::vector<Finding>& findings() const { return m_findings; }
    const Finding* findingAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "issue_refund ×4: $0.0042, 3,867 tokens, 10.5 s": what a finding wasted, or "" when nothing was counted.
    static QString wastedText(const Finding& finding);
    // "ungrounded argument"
    static QString kindLabel(FindingKind kind);

private:
    std::vector<Finding> m_findings;
};

} // namespace Tracelight
