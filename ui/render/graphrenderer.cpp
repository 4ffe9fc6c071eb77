#include "graphrenderer.h"

#include "kindstyle.h"
#include "themepalette.h"

#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>

namespace Tracelight {

namespace {

StepKind stepKindOf(const std::string& kind)
{
    if (kind == "agent")
        return StepKind::Agent;
    if (kind == "model")
        return StepKind::Llm;
    if (kind == "tool")
        return StepKind::Tool;
    if (kind == "retriever")
        return StepKind::Retriever;
    return StepKind::Other;
}

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

} // namespace

QColor GraphRenderer::changeColor(const std::string& change, bool dark)
{
    if (change == "added")
        return dark ? QColor(0x4a, 0xde, 0x80) : QColor(0x16, 0xa3, 0x4a);
    if (change == "removed")
        return dark ? QColor(0x6b, 0x72, 0x80) : QColor(0x9c, 0xa3, 0xaf);
    if (change == "more")
        return dark ? QColor(0xfb, 0xbf, 0x24) : QColor(0xd9, 0x77, 0x06);
    if (change == "fewer")
        return dark ? QColor(0x60, 0xa5, 0xfa) : QColor(0x25, 0x63, 0xeb);
    return {};
}

void GraphRenderer::paint(
    QPainter& painter, const GraphLayout& layout, const GraphState& state, const QPalette& palette)
{
    const bool dark = isDark(palette);
    const double scale = std::sqrt(std::abs(state.view.determinant()));
    const bool diff = !layout.input().edgeChanges.empty() || !layout.input().nodeChanges.empty();
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.setTransform(state.view, true);

    QFont bold = layout.font();
    bold.setBold(true);
    QFont small = layout.font();
    small.setPointSizeF(layout.font().pointSizeF() > 0 ? layout.font().pointSizeF() * 0.9 : 9.0);
    const bool showLabels = scale * small.pointSizeF() >= 5.0;
    const bool showText = scale * bold.pointSizeF() >= 3.5;
    const QColor text = palette.color(QPalette::Text);
    const QColor muted = palette.color(QPalette::PlaceholderText);
    const QColor base = palette.color(QPalette::Base);
    const QColor highlight = palette.color(QPalette::Highlight);
    const QColor error = KindStyle::errorColor(dark);

    // Edges first, under the nodes.
    const auto& edges = layout.edges();
    const auto& input = layout.input();
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const GraphLayout::EdgeRoute& route = edges[i];
        if (route.path.isEmpty())
            continue;
        const AgentGraph::Edge& edge = input.edges[i];
        const bool selected = int(i) == state.selectedEdge;
        const bool hovered = int(i) == state.hoveredEdge;
        QColor color = edge.errors > 0 ? error : muted;
        if (diff && !route.change.empty())
            color = changeColor(route.change, dark);
        if (selected || hovered)
            color = highlight;
        const double width = std::min(1.2 + std::log2(double(std::max<std::int64_t>(edge.count, 1))) * 0.7, 6.0)
            + (selected ? 1.5 : 0.0);
        QPen pen(color, width);
        pen.setCosmetic(false);
        if (edge.kind == "handoff" || route.change == "removed")
            pen.setStyle(Qt::DashLine);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(route.path);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawPolygon(route.arrow);
        if (showLabels || selected) {
            painter.setFont(small);
            QColor back = base;
            back.setAlphaF(0.85);
            painter.setBrush(back);
            painter.setPen(selected ? QPen(highlight, 1.0) : Qt::NoPen);
            painter.drawRoundedRect(route.labelRect, 3, 3);
            painter.setPen(edge.errors > 0 && !diff ? error : (diff && !route.change.empty() ? color : text));
            painter.drawText(route.labelRect, Qt::AlignCenter, route.label);
        }
    }

    const auto& nodes = layout.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const GraphLayout::NodeBox& box = nodes[i];
        const AgentGraph::Node& node = input.nodes[i];
        const QColor kind = node.kind == "run" ? text : KindStyle::color(stepKindOf(node.kind), dark);
        QColor fill = kind;
        fill.setAlphaF(dark ? 0.18 + 0.22 * box.weight : 0.08 + 0.17 * box.weight);
        const bool selected = int(i) == state.selectedNode;
        const bool hovered = int(i) == state.hoveredNode;
        QColor border = node.errors > 0 ? error : kind;
        if (diff && !box.change.empty())
            border = changeColor(box.change, dark);
        QPen pen(selected || hovered ? highlight : border,
            selected ? 3.0 : (node.errors > 0 || !box.change.empty() ? 2.0 : 1.2));
        if (box.change == "removed")
            pen.setStyle(Qt::DashLine);
        painter.setPen(pen);
        painter.setBrush(base);
        const double radius = node.kind == "model" ? box.rect.height() / 2 : node.kind == "agent" ? 6.0 : 3.0;
        painter.drawRoundedRect(box.rect, radius, radius);
        painter.setBrush(fill);
        painter.setPen(Qt::NoPen);
        painter.drawRoundedRect(box.rect, radius, radius);
        if (!showText)
            continue;
        // A strip on the left in the kind's colour; then the name and, when readable, the figures.
        const QRectF inner = box.rect.adjusted(10, 4, -8, -4);
        const QFontMetricsF titleMetrics(bold);
        const QFontMetricsF detailMetrics(small);
        const bool details = showLabels;
        const double blockHeight = titleMetrics.height() + (details ? detailMetrics.height() : 0.0);
        QRectF line(inner.left(), inner.center().y() - blockHeight / 2, inner.width(), titleMetrics.height());
        painter.setFont(bold);
        painter.setPen(text);
        painter.drawText(line, Qt::AlignHCenter | Qt::AlignVCenter, box.title);
        if (details) {
            painter.setFont(small);
            painter.setPen(node.errors > 0 ? error : muted);
            line.translate(0, titleMetrics.height());
            line.setHeight(detailMetrics.height());
            painter.drawText(line, Qt::AlignHCenter | Qt::AlignVCenter,
                detailMetrics.elidedText(box.detail, Qt::ElideRight, line.width()));
        }
    }
    painter.restore();
}

bool GraphRenderer::write(const GraphLayout& layout, const QString& file, bool dark, double scale, QString* error)
{
    const QPalette palette = Theme::palette(dark);
    const QSize size = (layout.bounds().size() * scale).toSize().expandedTo(QSize(1, 1));
    GraphState state;
    state.view = QTransform::fromScale(scale, scale);
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(file);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(), size));
        // The layout measured its text on the screen (96 dpi): the same here, or the text comes out smaller.
        generator.setResolution(96);
        generator.setTitle(tr("Agent graph"));
        generator.setDescription(tr("Drawn by Tracelight"));
        QPainter painter;
        if (!painter.begin(&generator)) {
            if (error)
                *error = tr("cannot write %1").arg(file);
            return false;
        }
        painter.fillRect(QRect(QPoint(), size), palette.color(QPalette::Base));
        paint(painter, layout, state, palette);
        painter.end();
        if (!QFileInfo::exists(file)) {
            if (error)
                *error = tr("cannot write %1").arg(file);
            return false;
        }
        return true;
    }
    if (size.width() > 32768 || size.height() > 32768) {
        if (error)
            *error = tr("the picture would be %1×%2 pixels; use SVG or a smaller scale")
                         .arg(size.width())
                         .arg(size.height());
        return false;
    }
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) {
        if (error)
            *error = tr("not enough memory for a %1×%2 picture; use SVG or a smaller scale")
                         .arg(size.width())
                         .arg(size.height());
        return false;
    }
    image.fill(palette.color(QPalette::Base));
    {
        QPainter painter(&image);
        paint(painter, layout, state, palette);
    }
    if (!image.save(file, "PNG")) {
        if (error)
            *error = tr("cannot write %1").arg(file);
        return false;
    }
    return true;
}

} // namespace Tracelight
