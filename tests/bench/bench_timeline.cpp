// Timeline benchmark: open time, frame time and memory of the timeline on generated traces of 10k, 100k and 1M
// steps (issue 5's targets: open a 1,000,000-step trace from the cache in under 2 s, paint a frame in under 16 ms
// at any zoom, resident memory of the trace under 500 MB).
//
//   bench_timeline WORK_DIR [STEPS…]          (default 10000 100000 1000000)
//
// The traces are written once into WORK_DIR/timeline-N.sqlite (TraceWriter, as an import would) and reused by later
// runs. Prints one block per size; exits non-zero only on a failure, never on a missed target.
#include <kindstyle.h>
#include <themepalette.h>
#include <timelinelayout.h>
#include <timelinerenderer.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QElapsedTimer>
#include <QFile>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

using namespace Tracelight;

namespace {

long statusKb(const char* field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field, 0) == 0)
            return std::stol(line.substr(std::string(field).size()));
    }
    return -1;
}

std::string hex(std::uint64_t value)
{
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
    return buffer;
}

// An agent loop: a root agent, then turns of one llm call followed by 1–3 parallel tool calls, each tool with an
// HTTP child; every 50th tool call fails. Times in microseconds-scale steps over a long run.
void generate(const std::string& path, int steps)
{
    TraceStore store(path);
    TraceWriter writer(store);
    writer.beginFile(path, "bench", 0);
    const std::string traceId = "7e57" + hex(std::uint64_t(steps)) + "000000000000";
    auto resource = std::make_shared<Resource>();
    resource->serviceName = "bench-agent";
    auto scope = std::make_shared<Scope>();
    std::int64_t t = 1'760'000'000'000'000'000;
    StepBatch batch;
    std::uint64_t next = 1;
    const auto make
        = [&](StepKind kind, const std::string& parent, std::string name, std::int64_t start, std::int64_t duration) {
              Step s;
              s.traceId = traceId;
              s.spanId = hex(next++);
              s.parentId = parent;
              s.name = std::move(name);
              s.kind = kind;
              s.startNs = start;
              s.endNs = start + duration;
              s.status = StepStatus::Ok;
              s.resource = resource;
              s.scope = scope;
              return s;
          };
    Step root = make(StepKind::Agent, {}, "invoke_agent bench", t, 0);
    const std::string rootId = root.spanId;
    int made = 1;
    int tools = 0;
    std::vector<Step> all;
    while (made < steps) {
        Step llm = make(StepKind::Llm, rootId, "chat gpt-4o", t, 800'000 + (made % 7) * 100'000);
        llm.model = "gpt-4o-2024-08-06";
        llm.tokens.input = 1200 + made % 300;
        llm.tokens.output = 80 + made % 40;
        t = llm.endNs + 20'000;
        batch.push_back(std::move(llm));
        ++made;
        const int parallel = 1 + made % 3;
        std::int64_t turnEnd = t;
        for (int p = 0; p < parallel && made + 1 < steps; ++p) {
            Step tool = make(StepKind::Tool, rootId, "execute_tool lookup", t + p * 5'000, 300'000 + p * 90'000);
            tool.toolName = "lookup";
            if (++tools % 50 == 0) {
                tool.status = StepStatus::Error;
                tool.statusMessage = "timeout";
            }
            Step http
                = make(StepKind::Other, tool.spanId, "GET", tool.startNs + 10'000, tool.endNs - tool.startNs - 20'000);
            turnEnd = std::max(turnEnd, tool.endNs);
            batch.push_back(std::move(tool));
            batch.push_back(std::move(http));
            made += 2;
        }
        t = turnEnd + 30'000;
        if (batch.size() >= 5000)
            writer.addSteps(std::move(batch)), batch.clear();
    }
    root.endNs = t;
    batch.push_back(std::move(root));
    writer.addSteps(std::move(batch));
    writer.commitFile(hex(std::uint64_t(steps)));
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_timeline WORK_DIR [STEPS…]\n");
        return 2;
    }
    std::vector<int> sizes;
    for (int i = 2; i < argc; ++i)
        sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty())
        sizes = { 10'000, 100'000, 1'000'000 };

    const QFont font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    const QPalette palette = Theme::palette(false);
    for (const int steps : sizes) {
        const std::string path = std::string(argv[1]) + "/timeline-" + std::to_string(steps) + ".sqlite";
        if (!QFile::exists(QString::fromStdString(path))) {
            QElapsedTimer generation;
            generation.start();
            generate(path, steps);
            std::printf("generated %d steps into %s in %.1f s\n", steps, path.c_str(), generation.elapsed() / 1000.0);
        }
        const long rssBefore = statusKb("VmRSS:");
        QElapsedTimer timer;
        timer.start();
        TraceStore store(path, TraceStore::Mode::ReadOnly);
        const TraceSummary summary = store.traces().front();
        auto records = store.steps(summary.traceId);
        const double queryMs = timer.nsecsElapsed() / 1e6;
        const TraceSnapshotPtr snapshot = TraceSnapshot::build(summary, std::move(records));
        const double snapshotMs = timer.nsecsElapsed() / 1e6 - queryMs;
        const TimelineLayoutPtr layout = TimelineLayout::build(*snapshot);
        const double openMs = timer.nsecsElapsed() / 1e6;
        const long rssAfter = statusKb("VmRSS:");
        std::printf("\n== %d steps (%d lanes)\n", snapshot->size(), layout->laneCount());
        std::printf("open: %.0f ms (query %.0f ms, snapshot %.0f ms, layout %.0f ms)  target < 2000 ms: %s\n", openMs,
            queryMs, snapshotMs, openMs - queryMs - snapshotMs, openMs < 2000 ? "PASS" : "MISS");
        std::printf("resident memory of the trace: %.0f MB (RSS %.0f → %.0f MB)  target < 500 MB: %s\n",
            (rssAfter - rssBefore) / 1024.0, rssBefore / 1024.0, rssAfter / 1024.0,
            (rssAfter - rssBefore) / 1024.0 < 500 ? "PASS" : "MISS");

        const TimelineRenderer renderer(snapshot, layout);
        QImage image(1600, 1000, QImage::Format_ARGB32_Premultiplied);
        const QRect area(0, 0, 1600, 1000);
        for (const TimelineMode mode : { TimelineMode::Waterfall, TimelineMode::Flame }) {
            for (const auto& [zoomName, zoom] :
                { std::pair { "fit", 1.0 }, std::pair { "mid", 100.0 }, std::pair { "deep", 100000.0 } }) {
                TimelineState state;
                state.mode = mode;
                state.axis = renderer.fitAxis(area, mode).zoomedAt(600, zoom);
                // Scroll to the middle of the content, where the zoomed time range is.
                state.scrollY = std::max(0, renderer.contentHeight(mode) / 2 - 400);
                if (mode == TimelineMode::Flame)
                    state.scrollY = 0;
                {
                    // One frame to warm glyph caches, not counted.
                    QPainter warm(&image);
                    renderer.paint(warm, area, state, palette, font);
                }
                const int frames = 20;
                double worst = 0;
                QElapsedTimer frame;
                frame.start();
                for (int f = 0; f < frames; ++f) {
                    const qint64 before = frame.nsecsElapsed();
                    QPainter painter(&image);
                    renderer.paint(painter, area, state, palette, font);
                    painter.end();
                    worst = std::max(worst, (frame.nsecsElapsed() - before) / 1e6);
                }
                const double mean = frame.nsecsElapsed() / 1e6 / frames;
                std::printf("frame %-9s %-4s: mean %6.2f ms, worst %6.2f ms  target < 16 ms: %s\n",
                    mode == TimelineMode::Flame ? "flame" : "waterfall", zoomName, mean, worst,
                    worst < 16 ? "PASS" : "MISS");
            }
        }
        std::printf("peak RSS so far: %.0f MB\n", statusKb("VmHWM:") / 1024.0);
    }
    return 0;
}
