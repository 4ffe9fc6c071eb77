#pragma once

#include <QPalette>

namespace Tracelight::Theme {

// Tracelight's own light or dark palette: the window's (Theme::apply) and that of pictures painted without a window
// (`tracelight render`, report timelines).
QPalette palette(bool dark);

} // namespace Tracelight::Theme
