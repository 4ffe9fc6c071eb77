#pragma once

#include "tracesnapshot.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace Tracelight {

// Who called whom in one run or many: agents, tools, models and retrievers as nodes, calls and handoffs as edges.
// A step's caller is the agent that owns it (TraceSnapshot::owningAgent; for an agent step, the agent above it), or
// the run itself ("run") when no agent does. Agents are named by their agent name, tools by their tool name,
// models by their model, retrievers by their step name. A handoff step is an edge from its agent to the agent it
// hands to ("handoff to X", or the agent step under it); an agent step right under a handoff step is reached by
// that handoff, not by a call.
class AgentGraph
{
public:
    struct Node
    {
        std::string id; // "agent:triage", "tool:lookup_order", "model:gpt-4o", "retriever:docs", "run"
        std::string kind; // agent, tool, model, retriever, run
        std::string name;
        std::int64_t calls = 0; // steps of it
        std::int64_t errors = 0;
        std::int64_t durationNs = 0; // summed over its steps
        std::optional<double> costUsd; // summed where known
    };
    struct Edge
    {
        std::string from;
        std::string to;
        std::string kind; // call or handoff
        std::int64_t count = 0;
        std::int64_t errors = 0; // calls whose callee step failed
        std::vector<std::int64_t> durationsNs; // of the callee steps (for the percentiles)
        std::vector<std::pair<std::string, std::string>> steps; // (trace id, span id) behind the edge
        std::vector<std::uint8_t> stepFailed; // parallel to steps (and durationsNs)

        std::int64_t p50Ns() const;
        std::int64_t p95Ns() const;
    };

    // Adds a run's steps (call once per run for a graph of many).
    void add(const TraceSnapshot& snapshot);

    // Nodes and edges in a stable order: nodes by kind (run, agents, models, retrievers, tools) then name; edges
    // by from, to, kind.
    std::vector<Node> nodes() const;
    std::vector<Edge> edges() const;
    int runs() const { return m_runs; }

    // The graph in Graphviz's DOT language: labels with counts, errors in red, handoffs dashed.
    std::string dot() const;

    // How a graph changed from one set of runs to another (two agent versions): every node and edge of either, with
    // its calls before and after and, per run (the two sides may have different numbers of runs), what changed:
    // "added" (only after), "removed" (only before), "more" or "fewer" (a change of at least a quarter in calls per
    // run), or "" (about the same).
    struct NodeChange
    {
        Node node; // after's, or before's when removed
        std::int64_t callsBefore = 0;
        std::int64_t callsAfter = 0;
        std::string change;
    };
    struct EdgeChange
    {
        Edge edge; // after's, or before's when removed
        std::int64_t countBefore = 0;
        std::int64_t countAfter = 0;
        double perRunBefore = 0.0;
        double perRunAfter = 0.0;
        std::string change;
    };
    struct Diff
    {
        int runsBefore = 0;
        int runsAfter = 0;
        std::vector<NodeChange> nodes; // in nodes()'s order
        std::vector<EdgeChange> edges; // in edges()'s order
    };
    static Diff diff(const AgentGraph& before, const AgentGraph& after);

private:
    Node& node(const std::string& kind, const std::string& name);

    std::map<std::string, Node> m_nodes;
    std::map<std::tuple<std::string, std::string, std::string>, Edge> m_edges;
    int m_runs = 0;
};

} // namespace Tracelight
