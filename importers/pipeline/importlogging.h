#pragma once

#include <QLoggingCategory>

// The logging category of this target (tracelight.importers.*): QT_LOGGING_RULES="tracelight.importers.debug=true"
// shows its debug messages.
Q_DECLARE_LOGGING_CATEGORY(lcImport)
