#pragma once

#include <QStyledItemDelegate>

namespace Tracelight {

// Paints the step name with a coloured kind badge in front, and errors in the error colour.
class StepTreeDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace Tracelight
