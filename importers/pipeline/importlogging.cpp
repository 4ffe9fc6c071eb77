#include "importlogging.h"

Q_LOGGING_CATEGORY(lcImport, "tracelight.importers", QtInfoMsg)
