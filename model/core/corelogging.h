#pragma once

#include <QLoggingCategory>

// The logging category of this target (tracelight.core.*): QT_LOGGING_RULES="tracelight.core.debug=true" shows its
// debug messages.
Q_DECLARE_LOGGING_CATEGORY(lcCore)
