#include "cacheopener.h"

#include <tracestore.h>

#include <filesystem>
#include <system_error>

namespace Tracelight {

bool prepareCache(const std::string& path)
{
    std::error_code error;
    const bool created = !std::filesystem::exists(path, error);
    const TraceStore store(path); // opening read-write creates or migrates
    return created;
}

} // namespace Tracelight
