#include "uilogging.h"

Q_LOGGING_CATEGORY(lcUi, "tracelight.ui", QtInfoMsg)
