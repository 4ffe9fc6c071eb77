#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace Tracelight {

// What a long import gets from its caller: somewhere to report progress and a flag to stop at.
struct ImportContext
{
    // fraction in [0, 1] of the file read, spans converted so far. Called from the importing thread, at most
    // once per 0.1 % of progress (house style point 5).
    std::function<void(double fraction, std::int64_t spans)> progress;
    const std::atomic<bool>* cancel = nullptr;
    // Force a format by name (`import --format NAME`) instead of detecting it from the content.
    std::string forcedFormat;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
};

} // namespace Tracelight
