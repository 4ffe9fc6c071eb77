#include "runoutline.h"

#include <format.h>
#include <isotime.h>
#include <messagetext.h>
#include <tracestore.h>
#include <utf8.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace Tracelight {

namespace {

enum class Fold
{
    None, // every step a line
    Exact, // rounds of the same steps (kind and name, their children too) folded
    Kind, // rounds of the same kinds of steps folded, whatever their names
};

struct Level
{
    Fold fold = Fold::None;
    std::size_t excerpt = 0; // characters of input and output shown, 0 for none
    int maxDepth = -1; // deeper steps only counted, -1 for no limit
};

std::string durationText(std::int64_t ns)
{
    return Format::duration(ns).toStdString();
}

// Trace text on one line, inert, quoted: "first words…".
std::string quoted(std::string_view text, std::size_t maxChars)
{
    const std::string line = Utf8::inertLine(text, maxChars);
    std::string out = "\"";
    for (const char c : line) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

class Builder
{
public:
    Builder(TraceStore& store, const TraceSnapshot& snapshot, const std::vector<Finding>& findings)
        : m_store(store)
        , m_snapshot(snapshot)
        , m_prefix(RunOutline::spanPrefixLengths(snapshot))
    {
        const int n = snapshot.size();
        m_interesting.assign(std::size_t(n), false);
        m_subtreeInteresting.assign(std::size_t(n), false);
        m_exact.assign(std::size_t(n), 0);
        m_subtreeSize.assign(std::size_t(n), 1);
        for (const Finding& f : findings) {
            for (const std::string& id : f.spanIds) {
                const int i = snapshot.indexOf(id);
                if (i < 0)
                    continue;
                m_interesting[std::size_t(i)] = true;
                std::string& kinds = m_findingKinds[i];
                const std::string kind(findingKindName(f.kind));
                if (kinds.find(kind) == std::string::npos)
                    kinds += (kinds.empty() ? "" : ",") + kind;
            }
        }
        // Children before parents: the reverse of the depth-first order.
        const std::vector<int>& order = snapshot.causalOrder();
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            const int i = *it;
            const StepRecord& s = snapshot.step(i);
            if (s.status == StepStatus::Error)
                m_interesting[std::size_t(i)] = true;
            std::uint64_t hash = std::hash<std::string_view> {}(s.name) * 31 + std::uint64_t(s.kind);
            hash = hash * 131 + std::hash<std::string_view> {}(s.toolName.str());
            bool interesting = m_interesting[std::size_t(i)];
            for (int row = 0; row < snapshot.childCount(i); ++row) {
                const int c = snapshot.child(i, row);
                hash = hash * 1000003 + m_exact[std::size_t(c)];
                interesting = interesting || m_subtreeInteresting[std::size_t(c)];
                m_subtreeSize[std::size_t(i)] += m_subtreeSize[std::size_t(c)];
            }
            m_exact[std::size_t(i)] = hash;
            m_subtreeInteresting[std::size_t(i)] = interesting;
        }
    }

    // The outline at one level; stops early (returns nullopt) once it grows past limitBytes (0: no limit).
    std::optional<RunOutline::Result> render(const Level& level, std::size_t limitBytes)
    {
        m_level = level;
        m_limit = limitBytes;
        m_out.clear();
        m_shown = 0;
        m_folded = 0;
        m_over = false;
        for (const int root : m_snapshot.roots())
            node(root, 0);
        if (m_over)
            return std::nullopt;
        RunOutline::Result result;
        result.text = std::move(m_out);
        result.stepsShown = m_shown;
        result.stepsFolded = m_folded;
        return result;
    }

private:
    std::uint64_t signature(int i) const
    {
        return m_level.fold == Fold::Exact ? m_exact[std::size_t(i)] : std::uint64_t(m_snapshot.step(i).kind);
    }

    bool append(const std::string& line)
    {
        if (m_over)
            return false;
        m_out += line;
        m_out += '\n';
        if (m_limit > 0 && m_out.size() > m_limit)
            m_over = true;
        return !m_over;
    }

    const std::pair<std::string, std::string>& excerpts(int i)
    {
        auto found = m_excerpts.find(i);
        if (found != m_excerpts.end())
            return found->second;
        std::pair<std::string, std::string> texts;
        const StepRecord& s = m_snapshot.step(i);
        if (const auto detail = m_store.stepDetail(m_snapshot.summary().traceId, s.spanId)) {
            const Step& step = detail->step;
            if (s.kind == StepKind::Tool || !step.toolArguments.empty() || !step.toolResult.empty()) {
                texts.first = step.toolArguments;
                texts.second = step.toolResult;
            }
            if (texts.first.empty())
                texts.first = s.kind == StepKind::Llm && !step.inputMessages.empty()
                    ? MessageText::last(step.inputMessages)
                    : step.inputText;
            if (texts.second.empty())
                texts.second = !step.outputText.empty() ? step.outputText : MessageText::plain(step.outputMessages);
            // Keep what an excerpt can show, not whole prompts.
            for (std::string* text : { &texts.first, &texts.second })
                text->resize(Utf8::boundary(*text, 2048));
        }
        return m_excerpts.emplace(i, std::move(texts)).first->second;
    }

    std::string stepLine(int i, int depth, int hiddenBelow)
    {
        const StepRecord& s = m_snapshot.step(i);
        std::string line(std::size_t(std::min(depth, 24)) * 2, ' ');
        line += s.spanId.substr(0, m_prefix[std::size_t(i)]);
        line += ' ';
        line += stepKindName(s.kind);
        line += ' ';
        line += Utf8::inertLine(s.name, 80);
        if (!s.toolName.empty() && s.toolName.str() != s.name)
            line += " tool=" + Utf8::inertLine(s.toolName.str(), 60);
        if (!s.model.empty() && s.name.find(s.model.str()) == std::string::npos)
            line += " model=" + Utf8::inertLine(s.model.str(), 60);
        line += ' ';
        line += s.endNs > 0 ? durationText(s.durationNs()) : std::string("open");
        if (s.tokens.input || s.tokens.output)
            line += ' ' + RunOutline::count(s.tokens.input.value_or(0)) + "→"
                + RunOutline::count(s.tokens.output.value_or(0)) + " tok";
        if (s.costUsd && *s.costUsd > 0)
            line += ' ' + RunOutline::cost(*s.costUsd);
        if (s.status == StepStatus::Error)
            line += " ERROR" + (s.statusMessage.empty() ? std::string() : ' ' + quoted(s.statusMessage, 120));
        if (const auto kinds = m_findingKinds.find(i); kinds != m_findingKinds.end())
            line += " [finding: " + kinds->second + ']';
        if (hiddenBelow > 0)
            line += " [+" + std::to_string(hiddenBelow) + " steps below]";
        if (m_level.excerpt > 0) {
            const auto& [input, output] = excerpts(i);
            if (!input.empty())
                line += " in: " + quoted(input, m_level.excerpt);
            if (!output.empty())
                line += " out: " + quoted(output, m_level.excerpt);
        }
        return line;
    }

    // What a run of folded rounds held: "… 17 more rounds like the one above (llm ×17, tool ×17: search ×9,
    // read_file ×8), 34 steps, 12.3 s, 45.2k tokens, $0.12".
    std::string foldLine(const std::vector<int>& units, int unitLength, int depth)
    {
        std::int64_t steps = 0;
        std::int64_t tokens = 0;
        double cost = 0;
        std::int64_t start = INT64_MAX;
        std::int64_t end = 0;
        std::map<std::string, int> kinds;
        std::map<std::string, int> tools;
        std::function<void(int)> visit = [&](int i) {
            const StepRecord& s = m_snapshot.step(i);
            ++steps;
            tokens += s.tokens.input.value_or(0) + s.tokens.output.value_or(0);
            cost += s.costUsd.value_or(0.0);
            if (!s.toolName.empty())
                ++tools[std::string(s.toolName.str())];
            for (int row = 0; row < m_snapshot.childCount(i); ++row)
                visit(m_snapshot.child(i, row));
        };
        for (const int first : units) {
            for (int k = 0; k < unitLength; ++k) {
                const int i = m_snapshot.child(m_parentOfUnits, first + k);
                const StepRecord& s = m_snapshot.step(i);
                ++kinds[std::string(stepKindName(s.kind))];
                start = std::min(start, s.startNs);
                end = std::max(end, s.endNs);
                visit(i);
            }
        }
        m_folded += int(steps);
        std::string line(std::size_t(std::min(depth, 24)) * 2, ' ');
        line += "… " + std::to_string(units.size()) + " more round" + (units.size() == 1 ? "" : "s")
            + " like the one above (";
        bool first = true;
        for (const auto& [kind, count] : kinds) {
            line += (first ? "" : ", ") + kind + " ×" + std::to_string(count);
            first = false;
        }
        if (!tools.empty()) {
            line += "; tools:";
            int listed = 0;
            std::vector<std::pair<int, std::string>> byCount;
            for (const auto& [name, count] : tools)
                byCount.emplace_back(-count, name);
            std::sort(byCount.begin(), byCount.end());
            for (const auto& [count, name] : byCount) {
                if (listed++ == 6) {
                    line += " …";
                    break;
                }
                line += ' ' + Utf8::inertLine(name, 40) + " ×" + std::to_string(-count);
            }
        }
        line += "), " + std::to_string(steps) + (steps == 1 ? " step" : " steps");
        if (end > start)
            line += ", " + durationText(end - start);
        if (tokens > 0)
            line += ", " + RunOutline::count(tokens) + " tokens";
        if (cost > 0)
            line += ", " + RunOutline::cost(cost);
        return line;
    }

    void node(int i, int depth)
    {
        if (m_over)
            return;
        const int children = m_snapshot.childCount(i);
        if (m_level.maxDepth >= 0 && depth >= m_level.maxDepth && children > 0
            && !m_subtreeInteresting[std::size_t(i)]) {
            const int hidden = m_subtreeSize[std::size_t(i)] - 1;
            m_folded += hidden;
            ++m_shown;
            append(stepLine(i, depth, hidden));
            return;
        }
        ++m_shown;
        if (!append(stepLine(i, depth, 0)))
            return;
        if (m_level.fold == Fold::None) {
            for (int row = 0; row < children; ++row)
                node(m_snapshot.child(i, row), depth + 1);
            return;
        }
        int row = 0;
        while (row < children && !m_over) {
            const auto [unit, repeats] = bestRepeat(i, row, children);
            if (repeats < 4) {
                node(m_snapshot.child(i, row), depth + 1);
                ++row;
                continue;
            }
            // The first round in full, the middle ones counted, the last in full.
            for (int k = 0; k < unit; ++k)
                node(m_snapshot.child(i, row + k), depth + 1);
            std::vector<int> middle;
            for (int r = 1; r + 1 < repeats; ++r)
                middle.push_back(row + r * unit);
            m_parentOfUnits = i;
            append(foldLine(middle, unit, depth + 1));
            for (int k = 0; k < unit; ++k)
                node(m_snapshot.child(i, row + (repeats - 1) * unit + k), depth + 1);
            row += repeats * unit;
        }
    }

    // The unit length (1–4 steps) and count of the longest run of repeated rounds starting at row, among the
    // children of parent; rounds holding an error or a finding end a run.
    std::pair<int, int> bestRepeat(int parent, int row, int children) const
    {
        const auto sig = [&](int r) { return signature(m_snapshot.child(parent, r)); };
        const auto plain = [&](int r) { return !m_subtreeInteresting[std::size_t(m_snapshot.child(parent, r))]; };
        int bestUnit = 1;
        int bestRepeats = 1;
        for (int unit = 1; unit <= 4 && row + unit <= children; ++unit) {
            bool ok = true;
            bool hasLlm = false;
            for (int k = 0; k < unit && ok; ++k) {
                ok = plain(row + k);
                hasLlm = hasLlm || m_snapshot.step(m_snapshot.child(parent, row + k)).kind == StepKind::Llm;
            }
            // A round is a model call and what it set off: it starts with the call.
            if (!ok || (hasLlm && m_snapshot.step(m_snapshot.child(parent, row)).kind != StepKind::Llm))
                continue;
            int repeats = 1;
            while (row + (repeats + 1) * unit <= children) {
                const int at = row + repeats * unit;
                bool same = true;
                for (int k = 0; k < unit && same; ++k)
                    same = plain(at + k) && sig(at + k) == sig(row + k);
                if (!same)
                    break;
                ++repeats;
            }
            if (repeats >= 4 && repeats * unit > bestRepeats * bestUnit) {
                bestUnit = unit;
                bestRepeats = repeats;
            }
        }
        return { bestUnit, bestRepeats };
    }

    TraceStore& m_store;
    const TraceSnapshot& m_snapshot;
    std::vector<std::size_t> m_prefix;
    std::vector<bool> m_interesting;
    std::vector<bool> m_subtreeInteresting;
    std::vector<std::uint64_t> m_exact;
    std::vector<int> m_subtreeSize;
    std::unordered_map<int, std::string> m_findingKinds;
    std::unordered_map<int, std::pair<std::string, std::string>> m_excerpts;

    Level m_level;
    std::size_t m_limit = 0;
    std::string m_out;
    int m_shown = 0;
    int m_folded = 0;
    int m_parentOfUnits = -1;
    bool m_over = false;
};

std::string header(const TraceSnapshot& snapshot, const std::vector<Finding>& findings)
{
    const TraceSummary& t = snapshot.summary();
    std::string text = "run " + t.traceId + ' ' + quoted(t.name, 100);
    if (!t.service.empty())
        text += " service=" + Utf8::inertLine(t.service, 60);
    if (!t.version.empty())
        text += " version=" + Utf8::inertLine(t.version, 40);
    if (!t.agent.empty())
        text += " agent=" + Utf8::inertLine(t.agent, 60);
    text += '\n';
    text += "started " + IsoTime::format(t.startNs) + ", " + durationText(t.endNs - t.startNs) + ", "
        + std::to_string(t.spans) + " steps (" + std::to_string(t.llmCalls) + " llm, " + std::to_string(t.toolCalls)
        + " tool), " + RunOutline::count(t.tokens.input) + " input / " + RunOutline::count(t.tokens.output)
        + " output tokens" + (t.costUsd ? ", " + RunOutline::cost(*t.costUsd) : std::string()) + ", "
        + std::to_string(t.errors) + " errors\n";
    if (!findings.empty()) {
        const std::vector<std::size_t> prefixes = RunOutline::spanPrefixLengths(snapshot);
        text += "findings:\n";
        for (const Finding& f : findings) {
            text += "- " + std::string(findingKindName(f.kind)) + " (" + std::string(findingSeverityName(f.severity))
                + ") " + Utf8::inertLine(f.message, 240);
            if (!f.spanIds.empty()) {
                text += " steps:";
                for (std::size_t k = 0; k < f.spanIds.size() && k < 6; ++k)
                    text += ' '
                        + f.spanIds[k].substr(0, prefixes[std::size_t(std::max(0, snapshot.indexOf(f.spanIds[k])))]);
                if (f.spanIds.size() > 6)
                    text += " …";
            }
            text += '\n';
        }
    }
    text += "steps (span id prefix, kind, name, duration, tokens in→out, cost, status; in/out: the first words):\n";
    return text;
}

} // namespace

std::string RunOutline::count(std::int64_t n)
{
    char text[32];
    if (n < 1000)
        std::snprintf(text, sizeof text, "%lld", static_cast<long long>(n));
    else if (n < 1000000)
        std::snprintf(text, sizeof text, "%.1fk", double(n) / 1e3);
    else
        std::snprintf(text, sizeof text, "%.1fM", double(n) / 1e6);
    return text;
}

std::string RunOutline::cost(double usd)
{
    if (usd < 0.0001)
        return "<$0.0001";
    char text[32];
    std::snprintf(text, sizeof text, usd < 0.01 ? "$%.4f" : "$%.2f", usd);
    return text;
}

std::vector<std::size_t> RunOutline::spanPrefixLengths(const TraceSnapshot& snapshot)
{
    std::vector<int> order(std::size_t(snapshot.size()));
    for (int i = 0; i < snapshot.size(); ++i)
        order[std::size_t(i)] = i;
    const auto id = [&](int i) -> const std::string& { return snapshot.step(i).spanId; };
    std::sort(order.begin(), order.end(), [&](int x, int y) { return id(x) < id(y); });
    std::vector<std::size_t> lengths(std::size_t(snapshot.size()), 8);
    for (std::size_t k = 1; k < order.size(); ++k) {
        const std::string& a = id(order[k - 1]);
        const std::string& b = id(order[k]);
        const std::size_t common = std::size_t(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin());
        for (const int i : { order[k - 1], order[k] })
            lengths[std::size_t(i)] = std::max(lengths[std::size_t(i)], common + 1);
    }
    return lengths;
}

RunOutline::Result RunOutline::build(
    TraceStore& store, const TraceSnapshot& snapshot, const std::vector<Finding>& findings, const Options& options)
{
    Builder builder(store, snapshot, findings);
    const std::string head = header(snapshot, findings);
    const auto finish = [&](Result result) {
        result.text = head + result.text;
        result.estimatedTokens = estimateTokens(result.text);
        return result;
    };
    if (options.budgetTokens <= 0)
        return finish(*builder.render({ Fold::None, 160, -1 }, 0));

    const std::size_t budgetBytes = std::size_t(options.budgetTokens) * 4;
    const std::size_t room = budgetBytes > head.size() ? budgetBytes - head.size() : 0;
    // From the most telling to the most compact; the excerpts cost a query a line, so a level is first tried
    // without them, which is cheap, and only a level that fits without them is rendered with them.
    static const Level levels[] = {
        { Fold::None, 160, -1 },
        { Fold::Exact, 160, -1 },
        { Fold::Exact, 60, -1 },
        { Fold::Kind, 60, -1 },
        { Fold::Kind, 0, -1 },
        { Fold::Kind, 0, 4 },
        { Fold::Kind, 0, 3 },
        { Fold::Kind, 0, 2 },
        { Fold::Kind, 0, 1 },
    };
    for (const Level& level : levels) {
        if (level.excerpt > 0 && !builder.render({ level.fold, 0, level.maxDepth }, room))
            continue;
        if (auto result = builder.render(level, room))
            return finish(std::move(*result));
    }
    // Even the most compact does not fit: cut it at the budget, at a line's end.
    Result result = *builder.render(levels[std::size(levels) - 1], 0);
    std::size_t cut = result.text.rfind('\n', room > 120 ? room - 120 : 0);
    cut = cut == std::string::npos ? 0 : cut + 1;
    const auto hiddenLines = std::count(result.text.begin() + std::ptrdiff_t(cut), result.text.end(), '\n');
    result.text.resize(cut);
    result.text += "… " + std::to_string(hiddenLines)
        + " more lines not shown: give a larger budget, or read steps one by one (get_step)\n";
    result.truncated = true;
    return finish(std::move(result));
}

} // namespace Tracelight
