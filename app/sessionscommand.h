#pragma once

#include <QStringList>

#include <string>

namespace Tracelight {
class TraceStore;
}

namespace Tracelight::Cli {

// tracelight sessions [--json]: one row a session.
int sessionsCommand(const QStringList& arguments);
// tracelight show --session ID [--json]: the session as one transcript, turn by turn.
int showSession(TraceStore& store, const std::string& sessionId, bool json);

} // namespace Tracelight::Cli
