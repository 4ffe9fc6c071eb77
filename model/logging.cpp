#include "logging.h"

Q_LOGGING_CATEGORY(lcModel, "tracelight.model", QtInfoMsg)
