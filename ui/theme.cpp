#include "theme.h"

#include <QApplication>
#include <QStyleFactory>

namespace Tracelight::Theme {

Mode fromString(const QString& name)
{
    if (name == QLatin1String("light"))
        return Mode::Light;
    if (name == QLatin1String("dark"))
        return Mode::Dark;
    return Mode::System;
}

QString toString(Mode mode)
{
    switch (mode) {
    case Mode::Light:
        return QStringLiteral("light");
    case Mode::Dark:
        return QStringLiteral("dark");
    case Mode::System:
        break;
    }
    return QStringLiteral("system");
}

void apply(Mode mode)
{
    // The platform's own palette, captured before the first change (Qt 6.4 has no colour-scheme query).
    static const bool systemIsDark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const bool dark = mode == Mode::Dark || (mode == Mode::System && systemIsDark);
    QApplication::setPalette(palette(dark));
}

bool isDark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

} // namespace Tracelight::Theme
