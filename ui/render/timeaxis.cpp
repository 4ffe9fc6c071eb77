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
