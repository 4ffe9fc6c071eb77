#pragma once

#include <QStyledItemDelegate>

namespace Tracelight {

// Colours a comparison delta by ComparisonSummaryModel::VerdictRole: red and bold when B is worse on that figure
// (slower, costlier, more errors), green when better. The only place that knows the table is a diff.
class VerdictDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace Tracelight
