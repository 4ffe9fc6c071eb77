#pragma once

#include <QStringList>

namespace Tracelight::Cli {

// True when arguments name a headless command (`import`, `list`, `show`, `export`) rather than files to open.
bool isCommand(const QStringList& arguments);
// Runs the command in arguments (arguments[0] is the program); returns the process exit code.
int run(const QStringList& arguments);

} // namespace Tracelight::Cli
