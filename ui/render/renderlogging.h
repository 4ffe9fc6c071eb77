#pragma once

#include <QLoggingCategory>

// The logging category of this target (tracelight.render.*): QT_LOGGING_RULES="tracelight.render.debug=true" shows its
// debug messages.
Q_DECLARE_LOGGING_CATEGORY(lcRender)
