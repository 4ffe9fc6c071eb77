#include "csv.h"

#include <QAbstractItemModel>

namespace Tracelight::Csv {

QString field(const QString& text)
{
    QString value = text;
    if (!value.isEmpty()) {
        const QChar first = value.front();
        if (first == QLatin1Char('=') || first == QLatin1Char('+') || first == QLatin1Char('-')
            || first == QLatin1Char('@') || first == QLatin1Char('\t') || first == QLatin1Char('\r'))
            value.prepend(QLatin1Char('\''));
    }
    if (value.contains(QLatin1Char('"')) || value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('\n'))
        || value.contains(QLatin1Char('\r')) || value.contains(QLatin1Char('\t')) || value.contains(QLatin1Char(';'))) {
        value.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        value = QLatin1Char('"') + value + QLatin1Char('"');
    }
    return value;
}

QString fromModel(const QAbstractItemModel& model, const QList<int>& rows, QChar separator)
{
    QString out;
    const int columns = model.columnCount();
    for (int c = 0; c < columns; ++c) {
        if (c)
            out += separator;
        out += field(model.headerData(c, Qt::Horizontal).toString());
    }
    out += QStringLiteral("\r\n");
    const auto writeRow = [&](int r) {
        for (int c = 0; c < columns; ++c) {
            if (c)
                out += separator;
            out += field(model.index(r, c).data().toString());
        }
        out += QStringLiteral("\r\n");
    };
    if (rows.isEmpty()) {
        for (int r = 0; r < model.rowCount(); ++r)
            writeRow(r);
    } else {
        for (const int r : rows)
            writeRow(r);
    }
    return out;
}

} // namespace Tracelight::Csv
