#include "chartbuilder.h"

#include "chartview.h"

#include <format.h>

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QHorizontalStackedBarSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace Tracelight::ChartBuilder {

QString DurationScale::format(double ms) const
{
    const double value = ms / divisor;
    return QString::number(value, 'f', value < 10 ? 2 : value < 100 ? 1 : 0) + QLatin1Char(' ') + unit;
}

DurationScale durationScale(double maxMs)
{
    if (maxMs < 2000)
        return { 1.0, QStringLiteral("ms") };
    if (maxMs < 180000)
        return { 1000.0, QStringLiteral("s") };
    return { 60000.0, QStringLiteral("min") };
}

QString durationText(double ms)
{
    return Format::duration(static_cast<std::int64_t>(ms * 1e6));
}

QString compactDuration(double ms)
{
    const auto number = [](double v) { return QString::number(v, 'f', v < 10 ? 1 : 0); };
    if (ms < 1000)
        return QString::number(ms, 'f', ms < 10 ? 1 : 0) + QStringLiteral(" ms");
    if (ms < 100000)
        return number(ms / 1000) + QStringLiteral(" s");
    if (ms < 6000000)
        return number(ms / 60000) + QStringLiteral(" min");
    return number(ms / 3600000) + QStringLiteral(" h");
}

QString costText(double usd)
{
    return Format::cost(usd);
}

QString shortText(const QString& text, int maxChars)
{
    return text.size() <= maxChars ? text : text.left(maxChars - 1) + QChar(0x2026);
}

QValueAxis* valueAxis(double max, const QString& title, const QString& labelFormat)
{
    auto* axis = new QValueAxis;
    axis->setRange(0, max > 0 ? max * 1.08 : 1.0);
    axis->setLabelFormat(labelFormat);
    axis->setTitleText(title);
    QFont small = QApplication::font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    axis->setLabelsFont(small);
    axis->setTitleFont(small);
    axis->setTickCount(5);
    axis->applyNiceNumbers();
    return axis;
}

QString tickFormat(double max)
{
    return max >= 10 ? QStringLiteral("%.0f") : QStringLiteral("%.2g");
}

QString perBucket(std::int64_t bucketNs)
{
    const std::int64_t minutes = bucketNs / Q_INT64_C(60000000000);
    if (minutes < 60)
        return minutes == 1 ? QObject::tr("per minute") : QObject::tr("per %1 minutes").arg(minutes);
    if (minutes < 24 * 60)
        return minutes == 60 ? QObject::tr("per hour") : QObject::tr("per %1 hours").arg(minutes / 60);
    return minutes == 24 * 60 ? QObject::tr("per day") : QObject::tr("per %1 days").arg(minutes / (24 * 60));
}

QString count(std::int64_t n, const QString& one, const QString& many)
{
    return Format::tokens(n) + QLatin1Char(' ') + (n == 1 ? one : many);
}

void sparseBottomAxis(QChart* chart, QAbstractBarSeries* bars, const QStringList& labels, int maxLabels,
    QLineSeries* line, const QString& title)
{
    const int n = static_cast<int>(labels.size());
    auto* hidden = new QBarCategoryAxis;
    QStringList names;
    for (int i = 0; i < n; ++i)
        names << QString::number(i);
    hidden->append(names);
    chart->addAxis(hidden, Qt::AlignBottom);
    bars->attachAxis(hidden);
    hidden->setVisible(false);

    auto* axis = new QCategoryAxis;
    axis->setRange(-0.5, n - 0.5);
    axis->setStartValue(-0.5);
    const int every = std::max(1, (n + maxLabels - 1) / std::max(maxLabels, 1));
    QStringList used;
    for (int i = 0; i < n; i += every) {
        QString label = labels[i];
        while (used.contains(label))
            label += QLatin1Char(' ');
        used << label;
        axis->append(label, std::min(i + every, n) - 0.5);
    }
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    axis->setGridLineVisible(false);
    QFont small = QApplication::font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    axis->setLabelsFont(small);
    axis->setTitleFont(small);
    axis->setTitleText(title);
    chart->addAxis(axis, Qt::AlignBottom);
    QLineSeries* carrier = line;
    if (!carrier) {
        carrier = new QLineSeries;
        chart->addSeries(carrier);
        for (QLegendMarker* marker : chart->legend()->markers(carrier))
            marker->setVisible(false);
    }
    carrier->attachAxis(axis);
    if (!line) {
        for (QAbstractAxis* vertical : bars->attachedAxes()) {
            if (vertical->orientation() == Qt::Vertical)
                carrier->attachAxis(vertical);
        }
    }
}

void horizontalBars(ChartView* view, const std::vector<BarSet>& sets, const std::vector<Bar>& bars,
    const QString& valueTitle, const QString& labelFormat, const std::function<void(int)>& onClick, bool legend,
    const QString& valueLabels)
{
    QChart* chart = view->reset();
    if (bars.empty())
        return;
    QAbstractBarSeries* series = nullptr;
    if (!valueLabels.isEmpty() && sets.size() == 1) {
        auto* plain = new QHorizontalBarSeries;
        plain->setLabelsVisible(true);
        plain->setLabelsFormat(valueLabels);
        plain->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
        plain->setLabelsPrecision(3);
        series = plain;
    } else {
        series = new QHorizontalStackedBarSeries;
    }
    series->setBarWidth(0.7);
    const int n = static_cast<int>(bars.size());
    // Qt draws the first category at the bottom: feed the bars in reverse so the first one is on top.
    QStringList categories;
    for (int i = n - 1; i >= 0; --i) {
        // Category names must be unique (shortened names can collide): pad repeats with spaces.
        QString label = bars[std::size_t(i)].label;
        while (categories.contains(label))
            label += QLatin1Char(' ');
        categories << label;
    }
    double max = 0;
    for (const Bar& bar : bars) {
        double total = 0;
        for (const double v : bar.values)
            total += v;
        max = std::max(max, total);
    }
    QStringList tips;
    for (const Bar& bar : bars)
        tips << bar.tip;
    std::vector<QBarSet*> barSets;
    for (std::size_t s = 0; s < sets.size(); ++s) {
        auto* set = new QBarSet(sets[s].name);
        for (int i = n - 1; i >= 0; --i) {
            const auto& values = bars[std::size_t(i)].values;
            *set << (s < values.size() ? values[s] : 0.0);
        }
        series->append(set);
        barSets.push_back(set);
        QObject::connect(set, &QBarSet::hovered, view, [view, n, tips](bool on, int index) {
            if (on && index >= 0 && index < n)
                view->showTip(tips.value(n - 1 - index));
            else
                view->hideTip();
        });
        if (onClick) {
            QObject::connect(set, &QBarSet::clicked, view, [onClick, n](int index) {
                if (index >= 0 && index < n)
                    onClick(n - 1 - index);
            });
        }
    }
    chart->addSeries(series);
    for (std::size_t s = 0; s < sets.size(); ++s) {
        barSets[s]->setColor(sets[s].color);
        barSets[s]->setBorderColor(sets[s].color);
        barSets[s]->setLabelColor(QApplication::palette().color(QPalette::Text));
    }
    auto* categoryAxis = new QBarCategoryAxis;
    categoryAxis->append(categories);
    categoryAxis->setGridLineVisible(false);
    chart->addAxis(categoryAxis, Qt::AlignLeft);
    series->attachAxis(categoryAxis);
    QValueAxis* values = valueAxis(valueLabels.isEmpty() ? max : max * 1.3, valueTitle, labelFormat);
    chart->addAxis(values, Qt::AlignBottom);
    series->attachAxis(values);
    chart->legend()->setVisible(legend);
}

} // namespace Tracelight::ChartBuilder
