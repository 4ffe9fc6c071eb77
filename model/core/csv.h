#pragma once

#include <QList>
#include <QString>

class QAbstractItemModel;

namespace Tracelight::Csv {

// One CSV field (RFC 4180 quoting). A field that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the
// start) gets a leading apostrophe: trace text is untrusted.
QString field(const QString& text);
// The header and the given rows (all rows when rows is empty) of a table model's display texts, CRLF-separated.
QString fromModel(const QAbstractItemModel& model, const QList<int>& rows = {}, QChar separator = QLatin1Char(','));

} // namespace Tracelight::Csv
