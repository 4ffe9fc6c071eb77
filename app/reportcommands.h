#pragma once

#include <QStringList>

namespace Tracelight::Cli {

// tracelight report TRACE_ID --format pdf|html|json|md -o FILE [--redact] [--redact-pattern RE]… [--compare OTHER]
int reportCommand(const QStringList& arguments);
// tracelight verify REPORT [--db DB | --trace FILE]: 0 match, 1 mismatch, 2 usage.
int verifyCommand(const QStringList& arguments);

} // namespace Tracelight::Cli
