#pragma once

#include "importer.h"

namespace Tracelight {

// Arize Phoenix spans as JSON Lines: one span per line, as Phoenix's span JSON encoder (spans_to_jsonl) writes
// them, with OpenInference attributes nested or flat (see phoenixspan.h). Streams line by line: one line's DOM
// at a time, so memory is bounded by the longest line whatever the file's size.
class PhoenixJsonlImporter final : public Importer
{
public:
    std::string_view name() const override { return "phoenix-jsonl"; }
    std::string_view description() const override { return "Arize Phoenix spans, JSON Lines (OpenInference)"; }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

} // namespace Tracelight
