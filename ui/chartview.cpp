#include "chartview.h"

#include "kindstyle.h"
#include "theme.h"

#include <QApplication>
#include <QChart>
#include <QContextMenuEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLegend>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QRegularExpression>
#include <QSettings>
#include <QSvgGenerator>
#include <QToolTip>

#include <array>

namespace Tracelight {

ChartView::ChartView(const QString& title, QWidget* parent)
    : QChartView(parent)
    , m_title(title)
    , m_placeholder(new QLabel(this))
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(260, 220);
    setToolTip(tr("Right-click to export the chart as PNG or SVG"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_placeholder->hide();
    reset();
}

ChartView::~ChartView() = default;

bool ChartView::dark()
{
    return Theme::isDark();
}

QColor ChartView::color(int index)
{
    // Tailwind-like 600 (light) and 400 (dark) tones: readable on white and on near-black.
    static constexpr std::array<QRgb, 8> light
        = { 0x2563eb, 0x059669, 0xd97706, 0x7c3aed, 0xdb2777, 0x0891b2, 0x65a30d, 0x475569 };
    static constexpr std::array<QRgb, 8> darkColors
        = { 0x60a5fa, 0x34d399, 0xfbbf24, 0xa78bfa, 0xf472b6, 0x22d3ee, 0xa3e635, 0x94a3b8 };
    const auto i = static_cast<std::size_t>(index) % light.size();
    return QColor::fromRgb(dark() ? darkColors[i] : light[i]);
}

QColor ChartView::errorColor()
{
    return KindStyle::errorColor(dark());
}

QColor ChartView::okColor()
{
    return dark() ? QColor(0x34, 0xd3, 0x99) : QColor(0x05, 0x96, 0x69);
}

QChart* ChartView::reset()
{
    auto* next = new QChart;
    const bool isDark = dark();
    next->setTheme(isDark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    const QPalette palette = QApplication::palette();
    next->setBackgroundBrush(palette.color(QPalette::Base));
    next->setBackgroundRoundness(4);
    next->setBackgroundPen(QPen(palette.color(QPalette::Mid)));
    next->setPlotAreaBackgroundVisible(false);
    next->setTitle(m_title);
    QFont titleFont = font();
    titleFont.setBold(true);
    next->setTitleFont(titleFont);
    next->setTitleBrush(palette.color(QPalette::Text));
    next->setMargins(QMargins(6, 4, 6, 4));
    next->setAnimationOptions(QChart::NoAnimation);
    next->legend()->setAlignment(Qt::AlignBottom);
    next->legend()->setLabelColor(palette.color(QPalette::Text));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    next->legend()->setFont(small);
    QChart* previous = chart();
    setChart(next);
    setBackgroundBrush(palette.color(QPalette::Window));
    delete previous; // QChartView::setChart releases, but does not delete, the chart it replaces
    return next;
}

void ChartView::setTitle(const QString& title)
{
    m_title = title;
    chart()->setTitle(title);
}

void ChartView::setPlaceholder(const QString& text)
{
    m_placeholder->setText(text);
    m_placeholder->setVisible(!text.isEmpty());
    m_placeholder->setGeometry(rect().adjusted(16, 40, -16, -16));
}

QString ChartView::placeholder() const
{
    return m_placeholder->isVisible() ? m_placeholder->text() : QString();
}

bool ChartView::exportTo(const QString& path, QString* error)
{
    const auto fail = [&](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(size());
        generator.setViewBox(rect());
        generator.setTitle(m_title);
        generator.setDescription(tr("Exported from Tracelight"));
        QPainter painter;
        if (!painter.begin(&generator))
            return fail(tr("cannot write %1").arg(path));
        render(&painter);
        if (!painter.end())
            return fail(tr("cannot write %1").arg(path));
        return QFileInfo(path).size() > 0 || fail(tr("cannot write %1").arg(path));
    }
    if (!grab().save(path, "PNG"))
        return fail(tr("cannot write %1").arg(path));
    return true;
}

void ChartView::exportDialog(const QString& suffix)
{
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("chartExportFolder")).toString();
    QString name = m_title.toLower();
    name.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"),
        QDir(folder).filePath(name + QLatin1Char('.') + suffix),
        suffix == QLatin1String("svg") ? tr("SVG image (*.svg)") : tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("chartExportFolder"), QFileInfo(path).absolutePath());
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export Chart"), error);
}

void ChartView::showTip(const QString& text)
{
    QToolTip::showText(QCursor::pos(), text, this);
}

void ChartView::hideTip()
{
    QToolTip::hideText();
}

void ChartView::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        emit paletteChanged();
}

void ChartView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.addAction(tr("Export as PNG…"), this, [this] { exportDialog(QStringLiteral("png")); });
    menu.addAction(tr("Export as SVG…"), this, [this] { exportDialog(QStringLiteral("svg")); });
    menu.exec(event->globalPos());
}

void ChartView::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    m_placeholder->setGeometry(rect().adjusted(16, 40, -16, -16));
}

} // namespace Tracelight
