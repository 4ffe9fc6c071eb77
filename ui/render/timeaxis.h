#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace Tracelight {

// The time↔pixel mapping of the timeline: a pure value type (house style point 9), tested on its own.
// x is in pixels from the left edge of the time area; time is in nanoseconds since the epoch.
class TimeAxis
{
public:
    TimeAxis() = default;
    TimeAxis(std::int64_t originNs, double nsPerPixel);

    // The whole of [startNs, endNs] in width pixels (a zero-length run gets 1 µs).
    static TimeAxis fit(std::int64_t startNs, std::int64_t endNs, double width);

    std::int64_t origin() const { return m_origin; }
    double nsPerPixel() const { return m_nsPerPixel; }
    double x(std::int64_t ns) const { return double(ns - m_origin) / m_nsPerPixel; }
    std::int64_t time(double x) const;

    // Zoom by factor (> 1 zooms in) keeping the time under x where it is; clamped to [1/1000 ns, 1 day] per pixel.
    TimeAxis zoomedAt(double x, double factor) const;
    TimeAxis panned(double dx) const;
    // Shows [startNs, endNs] in width pixels.
    static TimeAxis range(std::int64_t startNs, std::int64_t endNs, double width) { return fit(startNs, endNs, width); }

    struct Tick
    {
        std::int64_t ns; // absolute time of the tick
        double x;
        QString label; // relative to the reference time given to ticks()
    };
    // Ticks on a 1-2-5 ladder, at least minSpacing pixels apart, labelled relative to referenceNs (the run's start)
    // with as many decimals as the step needs.
    std::vector<Tick> ticks(double width, double minSpacing, std::int64_t referenceNs) const;
    // The tick step ticks() would choose, in nanoseconds.
    std::int64_t tickStep(double minSpacing) const;
    static QString label(std::int64_t relativeNs, std::int64_t stepNs);

    friend bool operator==(const TimeAxis&, const TimeAxis&) = default;

private:
    std::int64_t m_origin = 0;
    double m_nsPerPixel = 1e6;
};

} // namespace Tracelight
