#pragma once

#include <QLoggingCategory>

// The logging category of this target (tracelight.services.*): QT_LOGGING_RULES="tracelight.services.debug=true" shows
// its debug messages.
Q_DECLARE_LOGGING_CATEGORY(lcServices)
