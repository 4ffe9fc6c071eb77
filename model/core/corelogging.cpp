#include "corelogging.h"

Q_LOGGING_CATEGORY(lcCore, "tracelight.core", QtInfoMsg)
