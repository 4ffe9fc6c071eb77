#pragma once

#include "importer.h"

namespace Tracelight {

// LangSmith runs (trace-formats.md section 6a) in the shapes they are saved in: the SDK's ingest batches
// ({"post": [run…], "patch": [run…]}, one per file or one per line), run exports (a JSON array of runs, JSON Lines,
// or a single run) and nested child_runs. The post and the patches of one run are merged field by field. Runs
// stream through one at a time; only runs still open (posted without an end time) wait in memory for their patch.
class LangSmithImporter final : public Importer
{
public:
    std::string_view name() const override { return "langsmith"; }
    std::string_view description() const override
    {
        return "LangSmith runs (ingest batches {post, patch}, run exports as a JSON array, JSON Lines or one run)";
    }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

} // namespace Tracelight
