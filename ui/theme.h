#pragma once

#include "themepalette.h"

#include <QString>

namespace Tracelight::Theme {

enum class Mode
{
    System,
    Light,
    Dark
};

Mode fromString(const QString& name);
QString toString(Mode mode);
// Applies the Fusion style with a light or dark palette (System follows the platform's colour scheme).
void apply(Mode mode);
// Whether the current palette is dark, for views that pick their own colours.
bool isDark();

} // namespace Tracelight::Theme
