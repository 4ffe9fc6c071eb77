#include "analysislogging.h"

Q_LOGGING_CATEGORY(lcAnalysis, "tracelight.analysis", QtInfoMsg)
