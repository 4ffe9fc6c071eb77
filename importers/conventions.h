#pragma once

namespace Tracelight {

class AttributeView;
struct Step;

// Semantic-convention mapping: fills a normalized step from a span's attributes. Each convention fills only
// fields still empty, and conventions run in the priority order of trace-formats.md section 8, so the first
// hit wins and a span carrying several conventions is never counted twice.
namespace Conventions {

void apply(const AttributeView& attributes, Step& step);

// The individual conventions, in priority order.
void applyGenAi(const AttributeView& attributes, Step& step);

} // namespace Conventions
} // namespace Tracelight
