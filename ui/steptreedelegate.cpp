#include "steptreedelegate.h"

#include "kindstyle.h"
#include "theme.h"

#include <modelroles.h>
#include <steptreemodel.h>

#include <QApplication>
#include <QPainter>

namespace Tracelight {

void StepTreeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const bool error = index.data(StatusRole).toInt() == static_cast<int>(StepStatus::Error);
    const bool dark = Theme::isDark();
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    if (error && !(opt.state & QStyle::State_Selected))
        opt.palette.setColor(QPalette::Text, KindStyle::errorColor(dark));
    if (index.column() != StepTreeModel::NameColumn) {
        QStyledItemDelegate::paint(painter, opt, index);
        return;
    }

    const auto kind = static_cast<StepKind>(index.data(KindRole).toInt());
    const QString label = KindStyle::badge(kind);
    QFont badgeFont = opt.font;
    badgeFont.setPointSizeF(std::max(6.5, badgeFont.pointSizeF() * 0.72));
    badgeFont.setBold(true);
    const QFontMetrics badgeMetrics(badgeFont);
    const int badgeWidth = badgeMetrics.horizontalAdvance(QStringLiteral("AGENT")) + 10;
    const int badgeHeight = badgeMetrics.height() + 2;

    // Background and selection from the style, then the badge, then the text shifted past it.
    const QString text = opt.text;
    opt.text.clear();
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QRect textArea = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    const QRect badgeRect(textArea.left() + 2, textArea.center().y() - badgeHeight / 2 + 1, badgeWidth, badgeHeight);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QColor fill = KindStyle::color(kind, dark);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    painter->drawRoundedRect(badgeRect, 3, 3);
    painter->setPen(dark ? QColor(0x11, 0x18, 0x27) : QColor(Qt::white));
    painter->setFont(badgeFont);
    painter->drawText(badgeRect, Qt::AlignCenter, label);

    QRect textRect = textArea.adjusted(badgeWidth + 8, 0, 0, 0);
    painter->setFont(opt.font);
    QColor textColor = opt.state & QStyle::State_Selected ? opt.palette.color(QPalette::HighlightedText)
                                                          : opt.palette.color(QPalette::Text);
    painter->setPen(textColor);
    QString shown = text;
    if (error) {
        const QString mark = QStringLiteral("⚠ ");
        shown = mark + text;
    }
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
        QFontMetrics(opt.font).elidedText(shown, Qt::ElideRight, textRect.width()));
    painter->restore();
}

QSize StepTreeDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(std::max(size.height(), QFontMetrics(option.font).height() + 8));
    if (index.column() == StepTreeModel::NameColumn)
        size.setWidth(size.width() + QFontMetrics(option.font).horizontalAdvance(QStringLiteral("AGENT")) + 16);
    return size;
}

} // namespace Tracelight
