#include "renderlogging.h"

Q_LOGGING_CATEGORY(lcRender, "tracelight.render", QtInfoMsg)
