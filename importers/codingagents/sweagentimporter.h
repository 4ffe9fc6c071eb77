#pragma once

#include "importer.h"

#include <string_view>

namespace Tracelight {

// SWE-agent trajectories (`.traj`, trace-formats-2026.md section 4): 1.x files ({trajectory, history, info,
// replay_config}), 0.x files (state as a JSON string, total_cost) and demonstrations that hold only a history. The
// file is one run, its root an agent step named after the instance with the trajectory's exit status, cost and
// tokens; each step an llm call (the conversation it was sent, its response) followed by the tool call it chose
// (the command, its observation and execution time). Trajectories have no timestamps: steps are laid end to end
// from the start of the run, and the run says so. mini-swe-agent's .traj.json (v1, v2, and the early bare message
// lists) is read too: its messages carry timestamps, costs, actions and return codes.
class SweAgentImporter final : public Importer
{
public:
    std::string_view name() const override { return "swe-agent"; }
    std::string_view description() const override
    {
        return "SWE-agent trajectory (.traj) or mini-swe-agent (.traj.json)";
    }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

} // namespace Tracelight
