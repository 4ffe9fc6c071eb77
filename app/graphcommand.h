#pragma once

#include <QStringList>

namespace Tracelight::Cli {

// tracelight graph (TRACE_ID… | --version V [--service S]) [--json | --dot] [-o FILE]
int graphCommand(const QStringList& arguments);

} // namespace Tracelight::Cli
