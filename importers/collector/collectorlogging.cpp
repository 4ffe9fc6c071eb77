#include "collectorlogging.h"

Q_LOGGING_CATEGORY(lcCollector, "tracelight.collector", QtInfoMsg)
