#pragma once

#include <QLoggingCategory>

// The logging category of this target (tracelight.analysis.*): QT_LOGGING_RULES="tracelight.analysis.debug=true" shows
// its debug messages.
Q_DECLARE_LOGGING_CATEGORY(lcAnalysis)
