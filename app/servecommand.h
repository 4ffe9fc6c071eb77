#pragma once

#include <QStringList>

namespace Tracelight::Cli {

// `tracelight serve`: the OTLP/HTTP collector (and --watch) with no display, until SIGINT or SIGTERM.
int serveCommand(const QStringList& arguments);

} // namespace Tracelight::Cli
