#pragma once

#include <QColor>
#include <QString>

#include <cstdint>
#include <functional>
#include <vector>

class QAbstractBarSeries;
class QBarCategoryAxis;
class QChart;
class QLineSeries;
class QValueAxis;

namespace Tracelight {

class ChartView;

// Small helpers that build the charts of the run and dashboard panels the same way.
namespace ChartBuilder {

// A scale for durations: the unit that suits the largest value.
struct DurationScale
{
    double divisor = 1.0; // ms per unit
    QString unit; // "ms", "s", "min"
    QString format(double ms) const; // "1.24 s"
};
DurationScale durationScale(double maxMs);
QString durationText(double ms);
QString compactDuration(double ms); // for axis labels: "850 ms", "4.2 s", "1.7 min", "2.5 h"
QString costText(double usd);
QString shortText(const QString& text, int maxChars); // "a-very-long-model-na…"

struct BarSet
{
    QString name;
    QColor color;
};
struct Bar
{
    QString label; // unique among the bars
    std::vector<double> values; // one per set (stacked)
    QString tip; // shown on hover
};

// Horizontal stacked bars, the first bar on top. With one set per bar (values on the diagonal) every bar gets its
// own colour and the legend is hidden. onClick gets the bar's index. With one set, valueLabels (a QBarSeries label
// format such as "$@value") writes each bar's value at its end.
void horizontalBars(ChartView* view, const std::vector<BarSet>& sets, const std::vector<Bar>& bars,
    const QString& valueTitle, const QString& labelFormat, const std::function<void(int)>& onClick, bool legend,
    const QString& valueLabels = {});

// Labels under vertical bars too many or too narrow to label each (Qt elides a category label to its bar's
// width): the bars sit on a hidden category axis, and a value axis with one label every few bars is shown.
// line, when given, is drawn on that axis; otherwise an empty series carries it.
void sparseBottomAxis(QChart* chart, QAbstractBarSeries* bars, const QStringList& labels, int maxLabels,
    QLineSeries* line, const QString& title);

// "%.0f" for values that reach 10 and more, else "%.2g": no "1e+03" tick labels.
QString tickFormat(double max);
// "per minute", "per 5 minutes", "per day", …
QString perBucket(std::int64_t bucketNs);
// "1 call", "12 calls"
QString count(std::int64_t n, const QString& one, const QString& many);

// A value axis that starts at 0 with a little headroom above max.
QValueAxis* valueAxis(double max, const QString& title, const QString& labelFormat);

} // namespace ChartBuilder
} // namespace Tracelight
