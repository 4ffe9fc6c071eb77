#include "serviceslogging.h"

Q_LOGGING_CATEGORY(lcServices, "tracelight.services", QtInfoMsg)
