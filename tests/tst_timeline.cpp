// The timeline's pure parts (time↔pixel mapping, level-of-detail merging, lanes, self time, critical path,
// stepping), the picture `tracelight render` draws and the renderer itself (a QGuiApplication for its fonts).
#include "testutils.h"

#include <fileimport.h>
#include <format.h>
#include <kindstyle.h>
#include <stepnavigator.h>
#include <themepalette.h>
#include <timeaxis.h>
#include <timelinelayout.h>
#include <timelinelod.h>
#include <timelinerenderer.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QDir>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>
#include <set>

using namespace Tracelight;

namespace {

// Every trace of one file, imported into a fresh cache.
std::vector<TraceSnapshotPtr> loadFile(const QString& file, const QString& dbPath)
{
    TraceStore store(dbPath.toStdString());
    TraceWriter writer(store);
    const ImportOutcome outcome = importFile(file.toStdString(), writer);
    if (!outcome.ok())
        qFatal("cannot import %s", qPrintable(file));
    std::vector<TraceSnapshotPtr> result;
    for (const TraceSummary& t : store.traces())
        result.push_back(TraceSnapshot::build(t, store.steps(t.traceId)));
    return result;
}

// A synthetic lane: n steps in start order with random durations and gaps, never overlapping.
TraceSnapshotPtr syntheticLane(int n, quint32 seed)
{
    QRandomGenerator random(seed);
    std::vector<StepRecord> steps;
    std::int64_t t = 1'000'000'000;
    for (int i = 0; i < n; ++i) {
        StepRecord s;
        s.spanId = std::to_string(i);
        s.kind = StepKind(i % StepKindCount);
        // Mostly tiny steps with the odd long one, as in a loop of tool calls.
        const std::int64_t duration = random.bounded(10) == 0 ? random.bounded(50'000'000) : random.bounded(20'000);
        s.startNs = t;
        s.endNs = t + duration;
        t = s.endNs + random.bounded(30'000);
        steps.push_back(std::move(s));
    }
    return TraceSnapshot::build(TraceSummary {}, std::move(steps));
}

// Self time by brute force over sorted interval endpoints, independent of TimelineLayout's sweep.
std::int64_t bruteSelfTime(const TraceSnapshot& s, int i)
{
    const StepRecord& step = s.step(i);
    const std::int64_t begin = step.startNs;
    const std::int64_t end = TimelineLayout::visualEnd(step);
    std::set<std::int64_t> points { begin, end };
    std::vector<std::pair<std::int64_t, std::int64_t>> children;
    for (int row = 0; row < s.childCount(i); ++row) {
        const StepRecord& c = s.step(s.child(i, row));
        const std::int64_t cs = std::clamp(c.startNs, begin, end);
        const std::int64_t ce = std::clamp(TimelineLayout::visualEnd(c), begin, end);
        children.emplace_back(cs, ce);
        points.insert(cs);
        points.insert(ce);
    }
    std::int64_t self = 0;
    for (auto it = points.begin(); std::next(it) != points.end(); ++it) {
        const std::int64_t a = *it;
        const std::int64_t b = *std::next(it);
        const bool covered = std::any_of(
            children.begin(), children.end(), [&](const auto& c) { return c.first <= a && c.second >= b; });
        if (!covered)
            self += b - a;
    }
    return self;
}

QStringList corpusTraceFiles()
{
    QStringList files { TestUtils::samplePath() };
    if (TestUtils::haveCorpus()) {
        for (const QString& folder : { QStringLiteral("otlp-json"), QStringLiteral("otlp-collector-file") }) {
            const QDir dir(TestUtils::corpusDir() + QLatin1Char('/') + folder);
            for (const QString& name : dir.entryList(QDir::Files, QDir::Name))
                files << dir.filePath(name);
        }
    }
    return files;
}

} // namespace

class TimelineTest : public QObject
{
    Q_OBJECT

private slots:
    void axisRoundTrips_data()
    {
        QTest::addColumn<double>("nsPerPixel");
        QTest::newRow("1 ns/px") << 1.0;
        QTest::newRow("sub-ns") << 0.01;
        QTest::newRow("1 ms/px") << 1e6;
        QTest::newRow("1 min/px") << 60e9;
    }
    void axisRoundTrips()
    {
        QFETCH(double, nsPerPixel);
        const TimeAxis axis(1'760'433'123'217'483'911, nsPerPixel);
        for (const double x : { -500.0, 0.0, 0.5, 1.0, 799.0, 1600.0, 123456.0 }) {
            QVERIFY(std::abs(axis.x(axis.time(x)) - x) <= std::max(1e-6, 0.5 / nsPerPixel));
        }
        for (const std::int64_t dt :
            { std::int64_t(0), std::int64_t(1), std::int64_t(999), std::int64_t(39'412'968'960) }) {
            const std::int64_t t = axis.origin() + dt;
            QVERIFY(std::abs(axis.time(axis.x(t)) - t) <= 1);
        }
    }

    void axisZoomKeepsTheTimeUnderTheCursor()
    {
        const TimeAxis axis = TimeAxis::fit(1'000'000'000, 41'000'000'000, 1000);
        QCOMPARE(axis.x(1'000'000'000), 0.0);
        QCOMPARE(axis.x(41'000'000'000), 1000.0);
        for (const double factor : { 2.0, 0.5, 1.25, 1000.0 }) {
            for (const double x : { 0.0, 333.0, 1000.0 }) {
                const TimeAxis zoomed = axis.zoomedAt(x, factor);
                QVERIFY(std::abs(zoomed.time(x) - axis.time(x)) <= 1);
                QVERIFY(std::abs(zoomed.nsPerPixel() - axis.nsPerPixel() / factor) < 1e-9 * axis.nsPerPixel());
            }
        }
        QCOMPARE(axis.panned(100).time(0), axis.time(100));
    }

    void axisTicksAreReadable()
    {
        const std::int64_t start = 1'760'433'123'217'483'911;
        // 39.4 s over 1300 px with labels 80 px apart: 5 s ticks, labelled "0 s", "5 s", …
        const TimeAxis axis = TimeAxis::fit(start, start + 39'412'968'960, 1300);
        const auto ticks = axis.ticks(1300, 80, start);
        QCOMPARE(axis.tickStep(80), std::int64_t(5'000'000'000));
        QCOMPARE(ticks.front().label, QStringLiteral("0 s"));
        QCOMPARE(ticks.at(1).label, QStringLiteral("5 s"));
        QCOMPARE(ticks.back().label, QStringLiteral("35 s"));
        for (std::size_t i = 1; i < ticks.size(); ++i)
            QVERIFY(ticks[i].x - ticks[i - 1].x >= 80 - 1e-9);

        // Deep zoom: 2 µs over 1000 px gives sub-microsecond steps with enough decimals to differ.
        const TimeAxis deep(start + 1'500'000, 2.0);
        QSet<QString> labels;
        for (const auto& tick : deep.ticks(1000, 60, start))
            labels.insert(tick.label);
        QVERIFY(labels.size() >= 8);
        QCOMPARE(TimeAxis::label(1'500'200, 200), QStringLiteral("1.5002 ms"));
        QCOMPARE(TimeAxis::label(250'000'000, 50'000'000), QStringLiteral("250 ms"));
        QCOMPARE(TimeAxis::label(1'250'000'000, 250'000'000), QStringLiteral("1.25 s"));
    }

    void lodAtMostOnePrimitivePerColumn_data()
    {
        QTest::addColumn<double>("zoom");
        QTest::newRow("fit") << 1.0;
        QTest::newRow("mid") << 50.0;
        QTest::newRow("deep") << 20000.0;
    }
    void lodAtMostOnePrimitivePerColumn()
    {
        QFETCH(double, zoom);
        const int width = 1200;
        const TraceSnapshotPtr s = syntheticLane(100'000, 42);
        std::vector<int> lane(std::size_t(s->size()));
        for (int i = 0; i < s->size(); ++i)
            lane[std::size_t(i)] = i;
        const TimeAxis axis = TimeAxis::fit(s->startNs(), s->endNs(), width).zoomedAt(width * 0.37, zoom);
        const std::vector<LodBox> boxes = mergeLane(*s, lane, axis, width);
        QVERIFY(!boxes.empty());
        QVERIFY(int(boxes.size()) <= width);
        int visible = 0;
        const std::int64_t t0 = axis.time(0);
        const std::int64_t t1 = axis.time(width);
        for (int i = 0; i < s->size(); ++i) {
            if (TimelineLayout::visualEnd(s->step(i)) >= t0 && s->step(i).startNs <= t1)
                ++visible;
        }
        int counted = 0;
        int expectedNext = boxes.front().step;
        for (std::size_t b = 0; b < boxes.size(); ++b) {
            const LodBox& box = boxes[b];
            QVERIFY(box.x0 >= 0 && box.x1 <= width && box.x0 < box.x1);
            if (b > 0)
                QVERIFY2(boxes[b - 1].x1 <= box.x0, "two primitives share a pixel column");
            // Boxes cover consecutive steps, none skipped, none twice.
            QCOMPARE(box.step, expectedNext);
            expectedNext = box.step + box.count;
            counted += box.count;
            // A step wider than three pixels is never merged with others.
            const StepRecord& first = s->step(box.step);
            if (box.count > 1)
                QVERIFY(axis.x(TimelineLayout::visualEnd(s->step(box.step + box.count - 1))) - axis.x(first.startNs)
                    < 3 + 1);
        }
        // Every step in the visible range is accounted for exactly once (boxes clipped at the right edge may
        // stop early: at most the steps starting in the last column are left out).
        QVERIFY(counted <= visible);
        QVERIFY(visible - counted <= 2 + int(zoom < 2 ? s->size() / width : 2));
    }

    void layoutLanesNeverOverlap()
    {
        for (const QString& file : corpusTraceFiles()) {
            QTemporaryDir dir;
            for (const TraceSnapshotPtr& s : loadFile(file, dir.filePath(QStringLiteral("c.sqlite")))) {
                const auto layout = TimelineLayout::build(*s);
                int placed = 0;
                for (int l = 0; l < layout->laneCount(); ++l) {
                    const std::vector<int>& lane = layout->lane(l);
                    placed += int(lane.size());
                    for (std::size_t k = 1; k < lane.size(); ++k) {
                        QVERIFY2(s->step(lane[k]).startNs >= TimelineLayout::visualEnd(s->step(lane[k - 1])),
                            qPrintable(file));
                    }
                }
                QCOMPARE(placed, s->size());
                for (int i = 0; i < s->size(); ++i) {
                    if (s->parent(i) >= 0)
                        QVERIFY(layout->laneOf(i) > layout->laneOf(s->parent(i)));
                    QCOMPARE(layout->selfTimeNs(i), bruteSelfTime(*s, i));
                    QCOMPARE(s->causalOrder()[std::size_t(layout->rowOf(i))], i);
                }
            }
        }
    }

    void criticalPathOfTheSample()
    {
        QTemporaryDir dir;
        const auto traces = loadFile(TestUtils::samplePath(), dir.filePath(QStringLiteral("c.sqlite")));
        QCOMPARE(traces.size(), std::size_t(1));
        const TraceSnapshot& s = *traces.front();
        const auto layout = TimelineLayout::build(s);
        // Worked out by hand from the span times (jq -r '.resourceSpans[].scopeSpans[].spans[] | [.spanId,
        // .parentSpanId, .name, .startTimeUnixNano, .endTimeUnixNano] | @tsv'): lookup_customer ran alongside
        // get_order, which finished later; send_confirmation_email alongside update_ticket, likewise. Everything
        // else ran in sequence, so the run waited for it.
        const std::set<std::string> offPath
            = { "0ad5a7d38cc888d9", "24f615950440922f", "22de0bd9ad781600", "f8a05901b419c434" };
        for (int i = 0; i < s.size(); ++i)
            QCOMPARE(layout->onCriticalPath(i), !offPath.count(s.step(i).spanId));
        QCOMPARE(int(layout->criticalPath().size()), s.size() - 4);
        // Root self time: its duration minus the union of its children's spans, 497.619 ms (computed with a
        // ten-line Python script over the file's start and end times, independent of this code).
        const int root = s.indexOf("89f56a5310a1e470");
        QVERIFY(std::abs(double(layout->selfTimeNs(root)) / 1e6 - 497.619) < 0.001);
    }

    void steppingFollowsCausalOrder()
    {
        for (const QString& file : corpusTraceFiles()) {
            QTemporaryDir dir;
            for (const TraceSnapshotPtr& s : loadFile(file, dir.filePath(QStringLiteral("c.sqlite")))) {
                const StepNavigator nav(s);
                using Move = StepNavigator::Move;
                // Next from nothing walks every step once; each parent comes before its children, and siblings
                // come in start order.
                std::vector<int> walk;
                std::vector<bool> seen(std::size_t(s->size()), false);
                for (int i = nav.move(-1, Move::Next); i >= 0; i = nav.move(i, Move::Next)) {
                    QVERIFY(!seen[std::size_t(i)]);
                    seen[std::size_t(i)] = true;
                    if (s->parent(i) >= 0)
                        QVERIFY2(seen[std::size_t(s->parent(i))], qPrintable(file));
                    QCOMPARE(nav.position(i), int(walk.size()));
                    walk.push_back(i);
                }
                QCOMPARE(int(walk.size()), s->size());
                for (int i = 0; i < s->size(); ++i) {
                    for (int row = 1; row < s->childCount(i); ++row)
                        QVERIFY(s->step(s->child(i, row - 1)).startNs <= s->step(s->child(i, row)).startNs);
                }
                // Previous walks back the same way.
                int back = nav.move(-1, Move::Last);
                for (auto it = walk.rbegin(); it != walk.rend(); ++it) {
                    QCOMPARE(back, *it);
                    back = nav.move(back, Move::Previous);
                }
                QCOMPARE(back, -1);
                // Into the first child and out again.
                for (int i = 0; i < s->size(); ++i) {
                    const int child = nav.move(i, Move::FirstChild);
                    if (child >= 0)
                        QCOMPARE(nav.move(child, Move::Parent), i);
                    else
                        QCOMPARE(s->childCount(i), 0);
                }
                // Next error / llm / tool visit exactly those steps, in causal order.
                const auto visits = [&](Move move, auto predicate) {
                    std::vector<int> got;
                    for (int i = nav.move(-1, move); i >= 0; i = nav.move(i, move))
                        got.push_back(i);
                    std::vector<int> expected;
                    for (const int i : walk) {
                        if (predicate(s->step(i)))
                            expected.push_back(i);
                    }
                    return got == expected;
                };
                QVERIFY(visits(Move::NextError, [](const StepRecord& r) { return r.status == StepStatus::Error; }));
                QVERIFY(visits(Move::NextLlm, [](const StepRecord& r) { return r.kind == StepKind::Llm; }));
                QVERIFY(visits(Move::NextTool, [](const StepRecord& r) { return r.kind == StepKind::Tool; }));
            }
        }
    }

    void sampleStepping()
    {
        QTemporaryDir dir;
        const auto traces = loadFile(TestUtils::samplePath(), dir.filePath(QStringLiteral("c.sqlite")));
        const TraceSnapshotPtr& s = traces.front();
        const StepNavigator nav(s);
        using Move = StepNavigator::Move;
        // From the root, the first error is the declined issue_refund call, then its POST child.
        const int root = s->indexOf("89f56a5310a1e470");
        const int error = nav.move(root, Move::NextError);
        QCOMPARE(s->step(error).spanId, std::string("dcd2a8ceac3508ff"));
        QCOMPARE(s->step(nav.move(error, Move::NextError)).spanId, std::string("9cdee8866f698302"));
        QCOMPARE(nav.move(nav.move(error, Move::NextError), Move::NextError), -1);
        // Position of the failed call: 19th of 32 in causal order (the jq listing above, children under parents).
        QCOMPARE(nav.position(error) + 1, 19);
        QCOMPARE(s->step(nav.move(error, Move::Parent)).spanId, std::string("542b7b70735c8b2e"));
        QCOMPARE(s->step(nav.move(error, Move::PreviousLlm)).spanId, std::string("823600fc890fa61d"));
        QCOMPARE(s->step(nav.move(error, Move::NextTool)).spanId, std::string("4e551cb8f199ea0a"));
    }

    // A run longer than an hour is ruled in clock units, not in thousands of seconds.
    void axisTicksOfLongRuns_data()
    {
        QTest::addColumn<double>("hours");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<QString>("second");
        // 1200 px, labels at least 80 px apart: at most 15 ticks.
        QTest::newRow("3 h") << 3.0 << qint64(15) * 60 << QStringLiteral("15 min");
        QTest::newRow("10 h") << 10.0 << qint64(60) * 60 << QStringLiteral("1 h");
        QTest::newRow("3 days") << 72.0 << qint64(6) * 3600 << QStringLiteral("6 h");
        QTest::newRow("30 days") << 720.0 << qint64(2) * 86400 << QStringLiteral("2 d");
    }
    void axisTicksOfLongRuns()
    {
        QFETCH(double, hours);
        QFETCH(qint64, step);
        QFETCH(QString, second);
        const std::int64_t start = 1'700'000'000'000'000'000;
        const TimeAxis axis = TimeAxis::fit(start, start + std::int64_t(hours * 3600e9), 1200);
        QCOMPARE(axis.tickStep(80), step * 1'000'000'000);
        const auto ticks = axis.ticks(1200, 80, start);
        QVERIFY(ticks.size() >= 2);
        QCOMPARE(ticks.at(0).label, QStringLiteral("0"));
        QCOMPARE(ticks.at(1).label, second);
        QCOMPARE(TimeAxis::label(std::int64_t(5400) * 1'000'000'000, std::int64_t(900) * 1'000'000'000),
            QStringLiteral("1 h 30 min"));
        QCOMPARE(
            TimeAxis::label(std::int64_t(2 * 86400 + 6 * 3600) * 1'000'000'000, std::int64_t(6 * 3600) * 1'000'000'000),
            QStringLiteral("2 d 6 h"));
    }

    void countsAreGroupedByThousands()
    {
        QCOMPARE(Format::count(1'000'002, QStringLiteral("step"), QStringLiteral("steps")),
            QStringLiteral("1,000,002 steps"));
        QCOMPARE(Format::count(1, QStringLiteral("step"), QStringLiteral("steps")), QStringLiteral("1 step"));
    }

    // At full zoom-out a run with 1 % failed tool calls shows its failures as marks along the bottom of the rows and
    // in the overview's error row; the healthy work merged with them keeps its colours instead of turning red.
    void errorsAtFullZoomOutDoNotPaintHealthyWorkRed()
    {
        std::vector<StepRecord> steps;
        StepRecord root;
        root.spanId = "root";
        root.kind = StepKind::Agent;
        root.name = "invoke_agent loop";
        root.startNs = 1'000'000'000;
        std::int64_t t = root.startNs;
        for (int i = 0; i < 20'000; ++i) {
            StepRecord s;
            s.spanId = std::to_string(i); // (not "t" + …: GCC 12 at -O3 warns falsely on that concatenation)
            s.spanId.insert(0, 1, 't');
            s.parentId = "root";
            s.kind = StepKind::Tool;
            s.name = "execute_tool lookup";
            s.startNs = t;
            s.endNs = t + 900'000;
            s.status = i % 100 == 37 ? StepStatus::Error : StepStatus::Ok;
            t = s.endNs + 100'000;
            steps.push_back(std::move(s));
        }
        root.endNs = t;
        steps.insert(steps.begin(), std::move(root));
        TraceSummary summary;
        summary.traceId = "errors";
        const TraceSnapshotPtr snapshot = TraceSnapshot::build(summary, std::move(steps));
        const TimelineLayoutPtr layout = TimelineLayout::build(*snapshot);
        const TimelineRenderer renderer(snapshot, layout);
        QImage image(1200, 300, QImage::Format_RGB32);
        const QRect area = image.rect();
        TimelineState state;
        state.mode = TimelineMode::Flame;
        state.axis = renderer.fitAxis(area, state.mode);
        QPainter painter(&image);
        renderer.paint(painter, area, state, Theme::palette(false), QFont());
        painter.end();
        image.save(QCoreApplication::applicationDirPath() + QStringLiteral("/tracelight-errors-zoomed-out.png"));

        const QColor error = KindStyle::errorColor(false);
        const QColor tool = KindStyle::color(StepKind::Tool, false);
        const QRect time = TimelineRenderer::timeRect(area, state.mode);
        // Lane 1 holds the tool calls: count its red and tool-coloured pixels.
        const int top = time.top() + TimelineRenderer::RowHeight;
        int red = 0, healthy = 0, total = 0;
        for (int y = top; y < top + TimelineRenderer::RowHeight; ++y) {
            for (int x = time.left() + 20; x < time.right() - 20; ++x) {
                const QColor c = image.pixelColor(x, y);
                red += c == error;
                healthy += std::abs(c.hue() - tool.hue()) < 12 && c != error;
                ++total;
            }
        }
        qInfo("lane of tool calls: %d red, %d tool-coloured of %d pixels", red, healthy, total);
        QVERIFY2(red > 0, "the failures must stay visible");
        QVERIFY2(red * 10 < total, qPrintable(QStringLiteral("%1 of %2 pixels are red").arg(red).arg(total)));
        QVERIFY2(healthy * 2 > total,
            qPrintable(QStringLiteral("%1 of %2 pixels keep the tool colour").arg(healthy).arg(total)));
        // The overview's error row has the marks too.
        const QRect overview = TimelineRenderer::overviewRect(area);
        int overviewRed = 0;
        for (int y = overview.top(); y <= overview.bottom(); ++y) {
            for (int x = overview.left(); x <= overview.right(); ++x)
                overviewRed += image.pixelColor(x, y) == error;
        }
        QVERIFY(overviewRed > 0);
        QVERIFY(overviewRed * 4 < overview.width() * overview.height());
    }

    void renderDrawsKnownStepsAtKnownPlaces_data()
    {
        QTest::addColumn<QString>("view");
        QTest::newRow("waterfall") << QStringLiteral("waterfall");
        QTest::newRow("flame") << QStringLiteral("flame");
    }
    void renderDrawsKnownStepsAtKnownPlaces()
    {
        QFETCH(QString, view);
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("c.sqlite"));
        const auto traces = loadFile(TestUtils::samplePath(), db);
        const QString png = dir.filePath(QStringLiteral("timeline.png"));
        QProcess process;
        process.start(QStringLiteral(TRACELIGHT_BINARY),
            { QStringLiteral("render"), QStringLiteral("--db"), db, QStringLiteral("62ea7a6d"),
                QStringLiteral("--view"), view, QStringLiteral("-o"), png, QStringLiteral("--width"),
                QStringLiteral("1400") });
        QVERIFY(process.waitForFinished(30000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QImage image(png);
        QCOMPARE(image.width(), 1400);

        // Where the sample's steps must be, from the layout constants and the run's times: the root spans the
        // whole time area; the declined issue_refund call (18.82 s – 19.71 s into the 39.41 s run) is red.
        const TraceSnapshot& s = *traces.front();
        const TimelineMode mode = view == QLatin1String("flame") ? TimelineMode::Flame : TimelineMode::Waterfall;
        const QRect area(0, 0, image.width(), image.height());
        const QRect time = TimelineRenderer::timeRect(area, mode);
        const double run = double(s.endNs() - s.startNs());
        const auto xAt = [&](double fraction) { return time.left() + 12 + int(fraction * (time.width() - 24)); };
        // Near the top of a row: clear of the label text, inside the bar in both views.
        const auto yOf = [&](int rowOrLane) { return time.top() + rowOrLane * TimelineRenderer::RowHeight + 5; };
        const QColor agent = KindStyle::color(StepKind::Agent, false);
        const QColor error = KindStyle::errorColor(false);
        QCOMPARE(image.pixelColor(xAt(0.5), yOf(0)), agent);
        QCOMPARE(image.pixelColor(xAt(0.02), yOf(0)), agent);
        const double failedMiddle = (18'823.255 + 19'710.309) / 2 / (run / 1e6);
        if (mode == TimelineMode::Waterfall) {
            QCOMPARE(image.pixelColor(xAt(failedMiddle), yOf(18)), error); // 19th row in causal order
            // The refunds agent's bar (row 14) starts at 12.88 s: before it, the row is background.
            QCOMPARE(image.pixelColor(xAt(12'883.043 / (run / 1e6) + 0.01), yOf(13)), agent);
            QVERIFY(image.pixelColor(xAt(12'883.043 / (run / 1e6) - 0.02), yOf(13)) != agent);
        } else {
            // Lane 1 holds the refunds agent from 12.88 s on; the failed call sits on lane 2 with a red frame.
            QCOMPARE(image.pixelColor(xAt(0.5), yOf(1)), agent);
            const int failedLeft = xAt(18'823.255 / (run / 1e6));
            bool framed = false;
            for (int dx = 0; dx < 4 && !framed; ++dx)
                framed = image.pixelColor(failedLeft + dx, yOf(2)) == error;
            QVERIFY(framed);
        }
    }
};

QTEST_MAIN(TimelineTest)
#include "tst_timeline.moc"
