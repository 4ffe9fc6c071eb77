#include "timeaxis.h"

#include <algorithm>
#include <cmath>

namespace Tracelight {

namespace {
constexpr double MinNsPerPixel = 1e-3;
constexpr double MaxNsPerPixel = 86400e9;
} // namespace

TimeAxis::TimeAxis(std::int64_t originNs, double nsPerPixel)
    : m_origin(originNs)
    , m_nsPerPixel(std::clamp(nsPerPixel, MinNsPerPixel, MaxNsPerPixel))
{ }

TimeAxis TimeAxis::fit(std::int64_t startNs, std::int64_t endNs, double width)
{
    const double span = double(std::max<std::int64_t>(endNs - startNs, 1000));
    return TimeAxis(startNs, span / std::max(width, 1.0));
}

std::int64_t TimeAxis::time(double x) const
{
    return m_origin + std::int64_t(std::llround(x * m_nsPerPixel));
}

TimeAxis TimeAxis::zoomedAt(double x, double factor) const
{
    const double perPixel = std::clamp(m_nsPerPixel / factor, MinNsPerPixel, MaxNsPerPixel);
    // Keep time(x) fixed: origin' + x * perPixel == origin + x * nsPerPixel.
    const double origin = double(m_origin) + x * (m_nsPerPixel - perPixel);
    return TimeAxis(std::int64_t(std::llround(origin)), perPixel);
}

TimeAxis TimeAxis::panned(double dx) const
{
    return TimeAxis(m_origin + std::int64_t(std::llround(dx * m_nsPerPixel)), m_nsPerPixel);
}

std::int64_t TimeAxis::tickStep(double minSpacing) const
{
    const double wanted = std::max(minSpacing, 1.0) * m_nsPerPixel;
    // From a minute up, steps a clock reads (1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12 h; days), not 100 s or 5000 s.
    constexpr std::int64_t second = 1'000'000'000, minute = 60 * second, hour = 60 * minute, day = 24 * hour;
    if (wanted > 30 * second) {
        for (const std::int64_t step : { minute, 2 * minute, 5 * minute, 10 * minute, 15 * minute, 30 * minute, hour,
                 2 * hour, 3 * hour, 6 * hour, 12 * hour, day, 2 * day, 7 * day, 14 * day, 30 * day }) {
            if (double(step) >= wanted)
                return step;
        }
        std::int64_t days = 50;
        while (double(days * day) < wanted && days < std::int64_t(1e6))
            days *= 2;
        return days * day;
    }
    std::int64_t magnitude = 1;
    while (true) {
        for (const std::int64_t m : { 1, 2, 5 }) {
            if (double(magnitude * m) >= wanted)
                return magnitude * m;
        }
        if (magnitude > std::int64_t(1e17))
            return magnitude * 10;
        magnitude *= 10;
    }
}

QString TimeAxis::label(std::int64_t relativeNs, std::int64_t stepNs)
{
    constexpr std::int64_t minute = 60'000'000'000;
    if (stepNs >= minute && stepNs % minute == 0) {
        // Whole minutes: "45 min", "1 h 30 min", "2 h", "3 d 6 h".
        const std::int64_t total = std::abs(relativeNs) / minute;
        const QString sign = relativeNs < 0 ? QStringLiteral("−") : QString();
        const std::int64_t days = total / (24 * 60), hours = total / 60 % 24, minutes = total % 60;
        if (total == 0)
            return QStringLiteral("0");
        if (days > 0)
            return sign + (hours ? QStringLiteral("%1 d %2 h").arg(days).arg(hours) : QStringLiteral("%1 d").arg(days));
        if (hours > 0)
            return sign
                + (minutes ? QStringLiteral("%1 h %2 min").arg(hours).arg(minutes) : QStringLiteral("%1 h").arg(hours));
        return sign + QStringLiteral("%1 min").arg(minutes);
    }
    struct Unit
    {
        std::int64_t ns;
        const char* suffix;
    };
    static constexpr Unit units[] = { { 1'000'000'000, "s" }, { 1'000'000, "ms" }, { 1'000, "µs" }, { 1, "ns" } };
    const std::int64_t magnitude = std::max(std::abs(relativeNs), stepNs);
    for (const Unit& unit : units) {
        if (magnitude >= unit.ns || unit.ns == 1) {
            // Enough decimals to tell two neighbouring ticks apart.
            int decimals = 0;
            for (std::int64_t resolution = unit.ns; resolution > 1 && stepNs % resolution != 0; resolution /= 10)
                ++decimals;
            const double value = double(relativeNs) / double(unit.ns);
            return QString::number(value, 'f', decimals) + QLatin1Char(' ') + QString::fromUtf8(unit.suffix);
        }
    }
    return {};
}

std::vector<TimeAxis::Tick> TimeAxis::ticks(double width, double minSpacing, std::int64_t referenceNs) const
{
    std::vector<Tick> result;
    const std::int64_t step = tickStep(minSpacing);
    const std::int64_t first = time(0) - referenceNs;
    // First multiple of step at or after the left edge, relative to the reference.
    std::int64_t t = first >= 0 ? ((first + step - 1) / step) * step : -((-first) / step) * step;
    for (;; t += step) {
        const std::int64_t absolute = referenceNs + t;
        const double px = x(absolute);
        if (px > width)
            break;
        if (px >= 0)
            result.push_back({ absolute, px, label(t, step) });
    }
    return result;
}

} // namespace Tracelight
