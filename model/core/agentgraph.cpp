#include "agentgraph.h"

#include "statmath.h"

#include <cstdio>
#include <tuple>

#include <algorithm>
#include <cmath>

namespace Tracelight {

namespace {

std::int64_t quantile(std::vector<std::int64_t> values, double p)
{
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    return std::int64_t(std::llround(StatMath::percentile(sorted, p)));
}

int kindOrder(const std::string& kind)
{
    static const std::vector<std::string> order = { "run", "agent", "model", "retriever", "tool" };
    return int(std::find(order.begin(), order.end(), kind) - order.begin());
}

std::string agentName(const StepRecord& s)
{
    return !s.agentName.empty() ? s.agentName.str() : s.name;
}

// The agent a handoff step hands to: "handoff to X", "transfer_to_X", else the handoff's own name.
std::string handoffTarget(const TraceSnapshot& snapshot, int i)
{
    for (int row = 0; row < snapshot.childCount(i); ++row) {
        const StepRecord& child = snapshot.step(snapshot.child(i, row));
        if (child.kind == StepKind::Agent)
            return agentName(child);
    }
    const std::string& name = snapshot.step(i).name;
    for (const std::string prefix : { "handoff to ", "transfer_to_" })
        if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size())
            return name.substr(prefix.size());
    return name;
}

// Whether an agent step was handed the work by a transfer tool before it under the same parent
// ("transfer_to_refunds" before the refunds agent: the OpenAI Agents SDK's and many frameworks' handoff).
bool transferredTo(const TraceSnapshot& snapshot, int i)
{
    const int parent = snapshot.parent(i);
    if (parent < 0)
        return false;
    const std::string target = "transfer_to_" + agentName(snapshot.step(i));
    for (int row = 0; row < snapshot.rowInParent(i); ++row) {
        const StepRecord& sibling = snapshot.step(snapshot.child(parent, row));
        if (sibling.kind == StepKind::Tool && (sibling.toolName == target || sibling.name == target))
            return true;
    }
    return false;
}

// "a \"quoted\" name" for DOT.
std::string dotString(const std::string& text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + '"';
}

std::string durationText(std::int64_t ns)
{
    char text[32];
    if (ns < 1000000)
        std::snprintf(text, sizeof text, "%.2f ms", double(ns) / 1e6);
    else if (ns < 1000000000)
        std::snprintf(text, sizeof text, "%.0f ms", double(ns) / 1e6);
    else
        std::snprintf(text, sizeof text, "%.2f s", double(ns) / 1e9);
    return text;
}

} // namespace

std::int64_t AgentGraph::Edge::p50Ns() const
{
    return quantile(durationsNs, 0.5);
}

std::int64_t AgentGraph::Edge::p95Ns() const
{
    return quantile(durationsNs, 0.95);
}

AgentGraph::Node& AgentGraph::node(const std::string& kind, const std::string& name)
{
    const std::string id = kind == "run" ? std::string("run") : kind + ':' + name;
    Node& n = m_nodes[id];
    if (n.id.empty()) {
        n.id = id;
        n.kind = kind;
        n.name = kind == "run" ? std::string("run") : name;
    }
    return n;
}

void AgentGraph::add(const TraceSnapshot& snapshot)
{
    ++m_runs;
    const std::string& traceId = snapshot.summary().traceId;
    const auto callerOf = [&](int i) -> Node& {
        const StepRecord& s = snapshot.step(i);
        int owner = snapshot.owningAgent(i);
        if (s.kind == StepKind::Agent && owner == i) {
            const int parent = snapshot.parent(i);
            owner = parent >= 0 ? snapshot.owningAgent(parent) : -1;
        }
        return owner >= 0 ? node("agent", agentName(snapshot.step(owner))) : node("run", {});
    };
    const auto addEdge = [&](const Node& from, const Node& to, const char* kind, int i) {
        const StepRecord& s = snapshot.step(i);
        Edge& e = m_edges[{ from.id, to.id, kind }];
        if (e.from.empty()) {
            e.from = from.id;
            e.to = to.id;
            e.kind = kind;
        }
        ++e.count;
        e.errors += s.status == StepStatus::Error ? 1 : 0;
        e.durationsNs.push_back(s.durationNs());
        e.steps.emplace_back(traceId, s.spanId);
        e.stepFailed.push_back(s.status == StepStatus::Error ? 1 : 0);
    };
    for (int i = 0; i < snapshot.size(); ++i) {
        const StepRecord& s = snapshot.step(i);
        std::string kind;
        std::string name;
        switch (s.kind) {
        case StepKind::Agent:
            kind = "agent";
            name = agentName(s);
            break;
        case StepKind::Llm:
            kind = "model";
            name = !s.model.empty() ? s.model.str() : s.name;
            break;
        case StepKind::Tool:
            kind = "tool";
            name = !s.toolName.empty() ? s.toolName.str() : s.name;
            break;
        case StepKind::Embedding:
            kind = "model";
            name = !s.model.empty() ? s.model.str() : s.name;
            break;
        case StepKind::Retriever:
            kind = "retriever";
            name = s.name;
            break;
        case StepKind::Handoff: {
            Node& from = callerOf(i);
            Node& to = node("agent", handoffTarget(snapshot, i));
            addEdge(from, to, "handoff", i);
            continue;
        }
        default:
            continue;
        }
        Node& callee = node(kind, name);
        ++callee.calls;
        callee.errors += s.status == StepStatus::Error ? 1 : 0;
        callee.durationNs += s.durationNs();
        if (s.costUsd)
            callee.costUsd = callee.costUsd.value_or(0.0) + *s.costUsd;
        const int parent = snapshot.parent(i);
        // An agent reached by a handoff: the handoff is its edge.
        if (s.kind == StepKind::Agent && parent >= 0 && snapshot.step(parent).kind == StepKind::Handoff)
            continue;
        addEdge(callerOf(i), callee, s.kind == StepKind::Agent && transferredTo(snapshot, i) ? "handoff" : "call", i);
    }
    node("run", {}).calls += 1;
}

std::vector<AgentGraph::Node> AgentGraph::nodes() const
{
    std::vector<Node> out;
    for (const auto& [id, n] : m_nodes)
        out.push_back(n);
    std::stable_sort(out.begin(), out.end(), [](const Node& a, const Node& b) {
        return std::pair(kindOrder(a.kind), a.name) < std::pair(kindOrder(b.kind), b.name);
    });
    return out;
}

std::vector<AgentGraph::Edge> AgentGraph::edges() const
{
    std::vector<Edge> out;
    for (const auto& [key, e] : m_edges)
        out.push_back(e);
    return out;
}

namespace {

// Per-run rates compared: a quarter more or less is a change worth showing.
std::string rateChange(double before, double after)
{
    if (before <= 0.0)
        return after > 0.0 ? "added" : "";
    if (after <= 0.0)
        return "removed";
    if (after >= before * 1.25)
        return "more";
    if (after * 1.25 <= before)
        return "fewer";
    return {};
}

} // namespace

AgentGraph::Diff AgentGraph::diff(const AgentGraph& before, const AgentGraph& after)
{
    Diff out;
    out.runsBefore = before.m_runs;
    out.runsAfter = after.m_runs;
    const auto perRun = [](std::int64_t n, int runs) { return runs > 0 ? double(n) / double(runs) : 0.0; };
    AgentGraph both;
    for (const auto* side : { &before, &after })
        for (const auto& [id, n] : side->m_nodes)
            both.m_nodes.emplace(id, n);
    for (const Node& n : both.nodes()) {
        NodeChange c;
        const auto b = before.m_nodes.find(n.id);
        const auto a = after.m_nodes.find(n.id);
        c.node = a != after.m_nodes.end() ? a->second : b->second;
        c.callsBefore = b != before.m_nodes.end() ? b->second.calls : 0;
        c.callsAfter = a != after.m_nodes.end() ? a->second.calls : 0;
        c.change = n.kind == "run"
            ? std::string()
            : rateChange(perRun(c.callsBefore, out.runsBefore), perRun(c.callsAfter, out.runsAfter));
        out.nodes.push_back(std::move(c));
    }
    std::map<std::tuple<std::string, std::string, std::string>, EdgeChange> edges;
    for (const auto& [key, e] : before.m_edges) {
        EdgeChange& c = edges[key];
        c.edge = e;
        c.countBefore = e.count;
    }
    for (const auto& [key, e] : after.m_edges) {
        EdgeChange& c = edges[key];
        c.edge = e;
        c.countAfter = e.count;
    }
    for (auto& [key, c] : edges) {
        c.perRunBefore = perRun(c.countBefore, out.runsBefore);
        c.perRunAfter = perRun(c.countAfter, out.runsAfter);
        c.change = rateChange(c.perRunBefore, c.perRunAfter);
        out.edges.push_back(std::move(c));
    }
    return out;
}

std::string AgentGraph::dot() const
{
    std::string out = "digraph tracelight {\n  rankdir=LR;\n  node [fontname=\"sans-serif\", fontsize=10];\n"
                      "  edge [fontname=\"sans-serif\", fontsize=9];\n";
    for (const Node& n : nodes()) {
        const char* shape = n.kind == "agent" ? "box"
            : n.kind == "model"               ? "ellipse"
            : n.kind == "run"                 ? "doublecircle"
            : n.kind == "retriever"           ? "cylinder"
                                              : "component";
        std::string label = n.name + "\n" + std::to_string(n.calls) + (n.calls == 1 ? " call" : " calls");
        if (n.errors > 0)
            label += ", " + std::to_string(n.errors) + (n.errors == 1 ? " error" : " errors");
        out += "  " + dotString(n.id) + " [shape=" + shape + ", label=" + dotString(label)
            + (n.errors > 0 ? ", color=\"#dc2626\"" : "") + "];\n";
    }
    for (const Edge& e : edges()) {
        std::string label = "×" + std::to_string(e.count) + "  p50 " + durationText(e.p50Ns());
        if (e.errors > 0)
            label += "\n" + std::to_string(e.errors) + (e.errors == 1 ? " error" : " errors");
        out += "  " + dotString(e.from) + " -> " + dotString(e.to) + " [label=" + dotString(label)
            + (e.kind == "handoff" ? ", style=dashed" : "") + (e.errors > 0 ? ", color=\"#dc2626\"" : "") + "];\n";
    }
    return out + "}\n";
}

} // namespace Tracelight
