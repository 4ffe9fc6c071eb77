// Comparison benchmark (issue 8: align two runs of 5,000 steps each in under 200 ms).
//
//   bench_compare [STEPS]      (default 5000)
//
// Two generated agent loops of STEPS steps: the same llm → tool rounds, where run B retries every 10th tool call
// and skips every 25th round, so the alignment has real insertions and deletions to find.
#include <runcomparison.h>

#include <QElapsedTimer>

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace Tracelight;

namespace {

TraceSnapshotPtr loop(int steps, bool variant)
{
    std::vector<StepRecord> records;
    StepRecord root;
    root.spanId = "root";
    root.kind = StepKind::Agent;
    root.name = "agent";
    records.push_back(root);
    std::int64_t t = 1000;
    int round = 0;
    while (int(records.size()) < steps) {
        ++round;
        if (variant && round % 25 == 0)
            continue;
        const auto add = [&](StepKind kind, const std::string& name) {
            StepRecord r;
            r.spanId = std::to_string(records.size());
            r.parentId = "root";
            r.kind = kind;
            r.name = name;
            r.toolName = kind == StepKind::Tool ? name : std::string();
            r.model = kind == StepKind::Llm ? "gpt-4o" : std::string();
            r.startNs = t;
            r.endNs = t + 500;
            t += 1000;
            records.push_back(r);
        };
        add(StepKind::Llm, "chat");
        add(StepKind::Tool, round % 3 ? "search" : "fetch");
        if (variant && round % 10 == 0)
            add(StepKind::Tool, round % 3 ? "search" : "fetch");
    }
    records.back().endNs = t;
    records.front().endNs = t;
    return TraceSnapshot::build(TraceSummary {}, std::move(records));
}

} // namespace

int main(int argc, char** argv)
{
    const int steps = argc > 1 ? std::atoi(argv[1]) : 5000;
    const TraceSnapshotPtr a = loop(steps, false);
    const TraceSnapshotPtr b = loop(steps, true);
    double best = 1e9;
    RunComparison result;
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer timer;
        timer.start();
        result = RunComparison::compute(a, b);
        best = std::min(best, timer.nsecsElapsed() / 1e6);
    }
    std::printf("align %d against %d steps: best of 5 %.1f ms (%d same, %d changed, %d added, %d removed)  "
                "target < 200 ms: %s\n",
        a->size(), b->size(), best, result.count(RunComparison::Op::Same), result.count(RunComparison::Op::Changed),
        result.count(RunComparison::Op::Added), result.count(RunComparison::Op::Removed), best < 200 ? "PASS" : "MISS");
    return result.alignment().empty() ? 1 : 0;
}
