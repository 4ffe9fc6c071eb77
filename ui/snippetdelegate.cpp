#include "snippetdelegate.h"

#include <modelroles.h>
#include <tracesearch.h>

#include <QApplication>
#include <QPainter>

namespace Tracelight {

void SnippetDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString snippet = index.data(SnippetRole).toString();
    opt.text.clear();
    const QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const QRect rect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget).adjusted(2, 0, -2, 0);
    painter->save();
    painter->setClipRect(rect);
    QFont bold = opt.font;
    bold.setBold(true);
    const bool selected = opt.state & QStyle::State_Selected;
    const QColor text = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QColor mark(0xfd, 0xe0, 0x47);
    mark.setAlpha(selected ? 90 : 160);
    int x = rect.left();
    bool inMatch = false;
    qsizetype start = 0;
    const auto flush = [&](qsizetype end) {
        if (end <= start)
            return;
        const QString part = snippet.mid(start, end - start);
        const QFontMetrics metrics(inMatch ? bold : opt.font);
        const int width = metrics.horizontalAdvance(part);
        if (inMatch)
            painter->fillRect(QRect(x, rect.top() + 2, width, rect.height() - 4), mark);
        painter->setFont(inMatch ? bold : opt.font);
        painter->setPen(text);
        painter->drawText(QRect(x, rect.top(), width + 1, rect.height()), Qt::AlignVCenter | Qt::AlignLeft, part);
        x += width;
    };
    for (qsizetype i = 0; i < snippet.size() && x < rect.right(); ++i) {
        const QChar c = snippet.at(i);
        if (c == QLatin1Char(TraceSearch::SnippetOpen) || c == QLatin1Char(TraceSearch::SnippetClose)) {
            flush(i);
            inMatch = c == QLatin1Char(TraceSearch::SnippetOpen);
            start = i + 1;
        }
    }
    flush(snippet.size());
    painter->restore();
}

} // namespace Tracelight
