#include "storelogging.h"

Q_LOGGING_CATEGORY(lcStore, "tracelight.store", QtInfoMsg)
