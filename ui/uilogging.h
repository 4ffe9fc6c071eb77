#pragma once

#include <QLoggingCategory>

// The logging category of the window (tracelight.ui).
Q_DECLARE_LOGGING_CATEGORY(lcUi)
