#pragma once

#include <step.h>

#include <QColor>
#include <QString>

namespace Tracelight::KindStyle {

// One colour per step kind, used by every view and the legend so a kind looks the same everywhere.
QColor color(StepKind kind, bool dark);
QColor errorColor(bool dark);
// A finding's marker: high red, medium amber, low grey (severity as FindingSeverity's value).
QColor findingColor(int severity, bool dark);
QString badge(StepKind kind); // short label painted in the badge: "LLM", "TOOL", …

} // namespace Tracelight::KindStyle
