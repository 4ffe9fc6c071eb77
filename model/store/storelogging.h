#pragma once

#include <QLoggingCategory>

// The logging category of this target (tracelight.store.*): QT_LOGGING_RULES="tracelight.store.debug=true" shows its
// debug messages.
Q_DECLARE_LOGGING_CATEGORY(lcStore)
