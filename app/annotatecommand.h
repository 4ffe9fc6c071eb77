#pragma once

#include <QStringList>

namespace Tracelight::Cli {

// tracelight annotate TRACE_ID [SPAN_ID] [--label L] [--rating N] [--note TEXT] [--author A] [--delete]
int annotateCommand(const QStringList& arguments);
// tracelight annotations export [-o FILE] | import FILE…
int annotationsCommand(const QStringList& arguments);

} // namespace Tracelight::Cli
