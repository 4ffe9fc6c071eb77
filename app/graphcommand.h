#pragma once

#include <graphlayout.h>

#include <QStringList>

namespace Tracelight::Cli {

// tracelight graph (TRACE_ID… | --version V [--service S] [--against V0]) [--json | --dot] [-o FILE[.svg|.png]]
int graphCommand(const QStringList& arguments);

// Lays a graph out and draws it into FILE.png or FILE.svg (the window's picture); prints what it wrote. `width` > 0
// scales the picture to that many pixels wide. Returns an exit code; `command` names the command in messages.
int writeGraphPicture(const GraphLayout::Input& input, const QString& file, const QString& theme, const QString& sizeBy,
    int width, const QString& command);

} // namespace Tracelight::Cli
