#include "verdictdelegate.h"

#include "kindstyle.h"
#include "theme.h"

#include <comparisonmodels.h>

namespace Tracelight {

void VerdictDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const int verdict = index.data(ComparisonSummaryModel::VerdictRole).toInt();
    if (verdict == 0)
        return;
    const bool dark = Theme::isDark();
    option->palette.setColor(QPalette::Text,
        verdict > 0 ? KindStyle::errorColor(dark) : (dark ? QColor(0x4a, 0xde, 0x80) : QColor(0x15, 0x80, 0x3d)));
    option->font.setBold(true);
}

} // namespace Tracelight
