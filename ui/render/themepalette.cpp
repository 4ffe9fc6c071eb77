#include "themepalette.h"

namespace Tracelight::Theme {

namespace {

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf6, 0xf7, 0xf9));
    p.setColor(QPalette::WindowText, QColor(0x1f, 0x29, 0x37));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf3, 0xf4, 0xf6));
    p.setColor(QPalette::ToolTipBase, QColor(0x1f, 0x29, 0x37));
    p.setColor(QPalette::ToolTipText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9c, 0xa3, 0xaf));
    p.setColor(QPalette::Text, QColor(0x11, 0x18, 0x27));
    p.setColor(QPalette::Button, QColor(0xf3, 0xf4, 0xf6));
    p.setColor(QPalette::ButtonText, QColor(0x1f, 0x29, 0x37));
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Highlight, QColor(0x25, 0x63, 0xeb));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x1d, 0x4e, 0xd8));
    p.setColor(QPalette::Mid, QColor(0xd1, 0xd5, 0xdb));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9c, 0xa3, 0xaf));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9c, 0xa3, 0xaf));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x9c, 0xa3, 0xaf));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x1b, 0x1e, 0x24));
    p.setColor(QPalette::WindowText, QColor(0xe5, 0xe7, 0xeb));
    p.setColor(QPalette::Base, QColor(0x12, 0x14, 0x18));
    p.setColor(QPalette::AlternateBase, QColor(0x1a, 0x1d, 0x23));
    p.setColor(QPalette::ToolTipBase, QColor(0x37, 0x41, 0x51));
    p.setColor(QPalette::ToolTipText, QColor(0xf9, 0xfa, 0xfb));
    p.setColor(QPalette::PlaceholderText, QColor(0x6b, 0x72, 0x80));
    p.setColor(QPalette::Text, QColor(0xe5, 0xe7, 0xeb));
    p.setColor(QPalette::Button, QColor(0x26, 0x2a, 0x33));
    p.setColor(QPalette::ButtonText, QColor(0xe5, 0xe7, 0xeb));
    p.setColor(QPalette::BrightText, QColor(0xf8, 0x71, 0x71));
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x93, 0xc5, 0xfd));
    p.setColor(QPalette::Mid, QColor(0x37, 0x41, 0x51));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6b, 0x72, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6b, 0x72, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6b, 0x72, 0x80));
    return p;
}

} // namespace

QPalette palette(bool dark)
{
    return dark ? darkPalette() : lightPalette();
}

} // namespace Tracelight::Theme
