#pragma once

#include <QLoggingCategory>

// The logging category of this target (tracelight.collector.*): QT_LOGGING_RULES="tracelight.collector.debug=true"
// shows its debug messages.
Q_DECLARE_LOGGING_CATEGORY(lcCollector)
