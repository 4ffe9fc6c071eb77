#include "importissue.h"

namespace Tracelight {

std::string ImportIssue::toString() const
{
    std::string text = file;
    if (!where.empty())
        text += ": " + where;
    text += ": " + message;
    return text;
}

} // namespace Tracelight
