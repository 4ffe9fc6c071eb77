#pragma once

#include <QStyledItemDelegate>

namespace Tracelight {

// Paints a search snippet (SnippetRole, with TraceSearch's match markers) as plain text with the matched terms
// bold on a highlight. The text is never interpreted as markup.
class SnippetDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace Tracelight
