#pragma once

#include <textdiff.h>
#include <tracesummary.h>

#include <QString>

namespace Tracelight::DiffHtml {

// The plain text of normalized messages, one "ROLE: text" paragraph per message, for diffing.
QString messagesText(const std::string& messagesJson);
// Word-level diff as HTML: deletions struck through on red, insertions on green, all text escaped.
QString diff(const QString& oldText, const QString& newText, bool dark);
// The split inspector of an aligned pair: both steps' figures with deltas, then word diffs of system instructions,
// input, output, tool arguments and tool result. Either side may be missing (an added or removed step).
QString pair(const StepDetail* a, const StepDetail* b, bool dark);

} // namespace Tracelight::DiffHtml
