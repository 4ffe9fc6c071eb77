#include "chrometraceimporter.h"

#include "jsonrecordreader.h"
#include "otlpspan.h"

#include <isotime.h>
#include <jsonfield.h>

#include <QFileInfo>
#include <QString>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace Tracelight {

using nlohmann::json;

namespace {

std::string textOf(const json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_number_integer())
        return std::to_string(value.get<std::int64_t>());
    if (value.is_number_float()) {
        const double d = value.get<double>();
        return d == std::floor(d) && std::abs(d) < 1e15 ? std::to_string(static_cast<std::int64_t>(d)) : value.dump();
    }
    return value.is_null() ? std::string() : value.dump();
}

// Microseconds as numbers or numeric strings, possibly fractional.
std::optional<double> micros(const json* value)
{
    if (!value)
        return std::nullopt;
    if (value->is_number())
        return value->get<double>();
    if (value->is_string()) {
        const std::string& text = value->get_ref<const std::string&>();
        char* end = nullptr;
        const double d = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(d))
            return d;
    }
    return std::nullopt;
}

std::int64_t nanos(double us)
{
    return static_cast<std::int64_t>(std::llround(us * 1000.0));
}

json anyValue(const json& value)
{
    if (value.is_string())
        return { { "stringValue", value } };
    if (value.is_boolean())
        return { { "boolValue", value } };
    if (value.is_number_integer())
        return { { "intValue", std::to_string(value.get<std::int64_t>()) } };
    if (value.is_number_float())
        return { { "doubleValue", value } };
    return { { "stringValue", value.dump() } }; // objects and arrays, as OpenTelemetry's exporters write them
}

json keyValue(std::string key, const json& value)
{
    return { { "key", std::move(key) }, { "value", anyValue(value) } };
}

struct Event
{
    char ph = 0;
    std::string name;
    std::string cat;
    double ts = 0;
    std::optional<double> dur;
    std::string pid;
    std::string tid;
    std::string id;
    json args;
    std::int64_t seq = 0;
};

// A step to be: an interval on a lane, from one event or a pair.
struct Slice
{
    std::string name;
    std::string cat;
    char ph = 0; // X, B (a B/E pair), i (instant), b (async pair), S (legacy async pair)
    double start = 0;
    double end = 0;
    json args = json::object();
    std::int64_t seq = 0;
    bool unclosed = false;
    std::string spanId;
    std::string parentId;
};

Slice sliceOf(Event& e, char ph, double start, double end)
{
    Slice s;
    s.name = e.name;
    s.cat = e.cat;
    s.ph = ph;
    s.start = start;
    s.end = end;
    s.args = std::move(e.args);
    s.seq = e.seq;
    return s;
}

struct Lane
{
    std::string key; // "pid\ntid" of a thread's lane, empty for an async id's
    std::string pid;
    std::string label;
    std::vector<Slice> slices;
};

class ChromeDocument final : public JsonRecordReader::Client
{
public:
    explicit ChromeDocument(ImportJob& job)
        : m_job(job)
    { }

    JsonRecordReader::Node open(int parent, const std::string& key, bool isArray) override
    {
        using Action = JsonRecordReader::Action;
        const JsonRecordReader::Node skip;
        if (parent == JsonRecordReader::DocumentRole) {
            m_array = isArray;
            return { Action::Walk, isArray ? int(Role::Events) : int(Role::Top) };
        }
        if (parent == int(Role::Top)) {
            if (key == "traceEvents" && isArray)
                return { Action::Walk, int(Role::Events) };
            if (key == "metadata" && !isArray)
                return { Action::Capture, int(Role::Metadata) };
            return skip;
        }
        if (parent == int(Role::Events) && !isArray)
            return { Action::Capture, int(Role::Event) };
        return skip;
    }

    void scalar(int parent, const std::string&, nlohmann::json&&) override
    {
        if (parent == JsonRecordReader::DocumentRole)
            throw ImportFailure(
                m_job.reader().location(), "expected trace events (an array or an object), found a bare value");
    }

    void record(int role, const std::string&, nlohmann::json&& value, std::int64_t) override
    {
        if (role == int(Role::Metadata)) {
            m_source = JsonField::text(value, { "source" });
            if (const auto start = IsoTime::parse(JsonField::text(value, { "startTime" })))
                m_wallStartNs = *start;
            return;
        }
        addEvent(value);
    }

    void close(int) override { }

    bool isArray() const { return m_array; }
    std::int64_t events() const { return m_seq; }

    // Turns what was read into steps: lanes, slices nested by time, a root for the file.
    void finish(const std::string& traceId, const std::string& fileName)
    {
        std::map<std::string, std::vector<Event>> byLane; // "pid\ntid" → events
        std::map<std::string, std::vector<Event>> byAsync; // "pid\ncat\nid" → b/e/n and S/F events
        for (Event& e : m_events) {
            const bool async = std::strchr("beSFn", e.ph) != nullptr;
            (async ? byAsync[e.pid + '\n' + e.cat + '\n' + e.id] : byLane[e.pid + '\n' + e.tid])
                .push_back(std::move(e));
        }
        m_events.clear();
        std::vector<Lane> lanes;
        for (auto& [key, events] : byLane) {
            lanes.push_back(threadLane(events));
            lanes.back().key = key;
        }
        for (auto& [key, events] : byAsync)
            lanes.push_back(asyncLane(events));
        warnCounts();

        double first = std::numeric_limits<double>::max();
        double last = std::numeric_limits<double>::lowest();
        for (const Lane& lane : lanes) {
            for (const Slice& s : lane.slices) {
                first = std::min(first, s.start);
                last = std::max(last, s.end);
            }
        }
        if (first > last)
            return; // no step at all: the caller says so
        // Timestamps are a monotonic clock; DevTools files say when it started in wall time.
        const std::int64_t anchor = m_wallStartNs ? *m_wallStartNs - nanos(first) : 0;
        if (m_wallStartNs)
            m_job.warn({},
                "times are anchored to metadata.startTime: the first event at its wall-clock time "
                "(approximate)");

        std::int64_t nextId = 1;
        const auto newId = [&] {
            char buffer[17];
            std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(nextId++));
            return std::string(buffer);
        };
        const std::string rootId = newId();
        const std::string rootName = !m_source.empty() ? m_source : fileName;
        addStep(traceId, rootId, {}, rootName, nanos(first) + anchor, nanos(last) + anchor, json::array(),
            resourceFor({}), StepKind::Agent);
        // Ids and nesting first, lane by lane; then the flows between slices; then the steps.
        std::vector<std::string> laneIds;
        for (Lane& lane : lanes) {
            laneIds.push_back(lane.slices.empty() ? std::string() : newId());
            // Nesting by time: sorted by start, the longer first, then file order; a slice's parent is the
            // innermost earlier one that contains it. A slice that starts where another ends follows it.
            std::sort(lane.slices.begin(), lane.slices.end(), [](const Slice& a, const Slice& b) {
                if (a.start != b.start)
                    return a.start < b.start;
                if (a.end != b.end)
                    return a.end > b.end;
                return a.seq < b.seq;
            });
            const auto contains = [](const Slice& p, const Slice& s) {
                return p.start <= s.start && s.end <= p.end && (s.start < p.end || p.start == p.end);
            };
            std::vector<const Slice*> open;
            for (Slice& s : lane.slices) {
                while (!open.empty() && !contains(*open.back(), s))
                    open.pop_back();
                s.spanId = newId();
                s.parentId = open.empty() ? laneIds.back() : open.back()->spanId;
                open.push_back(&s);
            }
        }
        const std::map<std::string, std::vector<std::string>> links = flowLinks(lanes);

        for (std::size_t l = 0; l < lanes.size(); ++l) {
            Lane& lane = lanes[l];
            if (lane.slices.empty())
                continue;
            const std::string& laneId = laneIds[l];
            double laneStart = std::numeric_limits<double>::max();
            double laneEnd = std::numeric_limits<double>::lowest();
            for (const Slice& s : lane.slices) {
                laneStart = std::min(laneStart, s.start);
                laneEnd = std::max(laneEnd, s.end);
            }
            const auto resource = resourceFor(lane.pid);
            addStep(traceId, laneId, rootId, lane.label, nanos(laneStart) + anchor, nanos(laneEnd) + anchor,
                json::array({ keyValue("chrome.lane", lane.label) }), resource, StepKind::Chain);
            for (Slice& s : lane.slices) {
                json attributes = json::array();
                if (s.args.is_object()) {
                    for (const auto& [key, value] : s.args.items())
                        attributes.push_back(keyValue(key, value));
                }
                if (!s.cat.empty())
                    attributes.push_back(keyValue("chrome.cat", s.cat));
                attributes.push_back(keyValue("chrome.ph", std::string(1, s.ph)));
                if (s.unclosed)
                    attributes.push_back(keyValue("chrome.unclosed", true));
                json spanLinks = json::array();
                if (const auto it = links.find(s.spanId); it != links.end()) {
                    for (const std::string& from : it->second)
                        spanLinks.push_back({ { "traceId", traceId }, { "spanId", from },
                            { "attributes", json::array({ keyValue("chrome.flow", true) }) } });
                }
                addStep(traceId, s.spanId, s.parentId, s.name.empty() ? std::string("(unnamed)") : s.name,
                    nanos(s.start) + anchor, nanos(s.end) + anchor, std::move(attributes), resource,
                    s.ph == 'i' ? StepKind::Event : kindOf(s.cat), std::move(spanLinks));
            }
        }
    }

private:
    enum class Role
    {
        Top,
        Events,
        Event,
        Metadata,
    };

    void addEvent(const json& value)
    {
        const std::string ph = JsonField::text(value, { "ph" });
        if (ph.size() != 1) {
            ++m_skipped["without a phase"];
            return;
        }
        Event e;
        e.ph = ph[0];
        e.name = JsonField::text(value, { "name" });
        e.pid = textOf(value.value("pid", json()));
        e.tid = textOf(value.value("tid", json()));
        if (e.ph == 'M') {
            const json* args = JsonField::member(value, { "args" });
            const std::string name = args ? JsonField::text(*args, { "name" }) : std::string();
            if (e.name == "process_name")
                m_processNames[e.pid] = name;
            else if (e.name == "thread_name")
                m_threadNames[e.pid + '\n' + e.tid] = name;
            return;
        }
        if (e.ph == 's' || e.ph == 't' || e.ph == 'f') {
            const auto ts = micros(JsonField::member(value, { "ts" }));
            const json* id = JsonField::member(value, { "id" });
            if (ts && id)
                m_flows.push_back(
                    { JsonField::text(value, { "cat" }) + '\n' + textOf(*id), e.pid + '\n' + e.tid, *ts });
            return;
        }
        if (!std::strchr("BEXiIbenSF", e.ph)) {
            ++m_skipped[std::string("of phase ") + e.ph];
            return;
        }
        const auto ts = micros(JsonField::member(value, { "ts" }));
        if (!ts) {
            ++m_skipped["without a time"];
            return;
        }
        e.ts = *ts;
        e.dur = micros(JsonField::member(value, { "dur" }));
        e.cat = JsonField::text(value, { "cat" });
        if (const json* id = JsonField::member(value, { "id" }))
            e.id = textOf(*id);
        else if (const json* id2 = JsonField::member(value, { "id2" }); id2 && id2->is_object() && !id2->empty())
            e.id = textOf(id2->begin().value());
        if (const json* args = JsonField::member(value, { "args" }); args && args->is_object())
            e.args = *args;
        e.seq = m_seq++;
        m_events.push_back(std::move(e));
    }

    // By the words of the category list ("llm", "gen_ai.tool", "agent,loop"), never inside one: "devtools" is
    // not a tool.
    // Flow events (s, t, f) bind to the slice that encloses them on their thread, else to the next one there; each
    // step of a flow links the slice of the step before it. → target span id: the span ids it follows.
    std::map<std::string, std::vector<std::string>> flowLinks(const std::vector<Lane>& lanes) const
    {
        std::map<std::string, std::vector<std::string>> out;
        if (m_flows.empty())
            return out;
        std::map<std::string, const Lane*> byKey;
        for (const Lane& lane : lanes) {
            if (!lane.key.empty())
                byKey[lane.key] = &lane;
        }
        const auto sliceAt = [&](const Flow& f) -> std::string {
            const auto lane = byKey.find(f.laneKey);
            if (lane == byKey.end())
                return {};
            const Slice* inner = nullptr;
            const Slice* next = nullptr;
            for (const Slice& s : lane->second->slices) { // sorted by start: the last container is the innermost
                if (s.start <= f.ts && f.ts <= s.end)
                    inner = &s;
                if (!next && s.start >= f.ts)
                    next = &s;
            }
            const Slice* bound = inner ? inner : next;
            return bound ? bound->spanId : std::string();
        };
        std::map<std::string, std::vector<const Flow*>> byId;
        for (const Flow& f : m_flows)
            byId[f.id].push_back(&f);
        for (auto& [id, flows] : byId) {
            std::stable_sort(flows.begin(), flows.end(), [](const Flow* a, const Flow* b) { return a->ts < b->ts; });
            std::string previous;
            for (const Flow* f : flows) {
                const std::string here = sliceAt(*f);
                if (!here.empty() && !previous.empty() && here != previous)
                    out[here].push_back(previous);
                if (!here.empty())
                    previous = here;
            }
        }
        return out;
    }

    static StepKind kindOf(const std::string& cat)
    {
        std::string word;
        const auto kindOfWord = [](const std::string& w) {
            if (w == "llm" || w == "llms")
                return StepKind::Llm;
            if (w == "tool" || w == "tools")
                return StepKind::Tool;
            if (w == "agent" || w == "agents")
                return StepKind::Agent;
            return StepKind::Other;
        };
        for (std::size_t i = 0; i <= cat.size(); ++i) {
            if (i < cat.size() && std::isalnum(static_cast<unsigned char>(cat[i]))) {
                word += char(std::tolower(static_cast<unsigned char>(cat[i])));
                continue;
            }
            if (const StepKind kind = kindOfWord(word); kind != StepKind::Other)
                return kind;
            word.clear();
        }
        return StepKind::Other;
    }

    static void mergeArgs(json& into, const json& more)
    {
        if (!more.is_object())
            return;
        if (!into.is_object())
            into = json::object();
        for (const auto& [key, value] : more.items())
            into[key] = value;
    }

    static void byTime(std::vector<Event>& events)
    {
        std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.ts < b.ts; });
    }

    Lane threadLane(std::vector<Event>& events)
    {
        Lane lane;
        lane.pid = events.front().pid;
        const std::string process = !m_processNames[lane.pid].empty() ? m_processNames[lane.pid] : "pid " + lane.pid;
        const std::string threadKey = lane.pid + '\n' + events.front().tid;
        const std::string thread
            = !m_threadNames[threadKey].empty() ? m_threadNames[threadKey] : "tid " + events.front().tid;
        lane.label = process + " / " + thread;
        byTime(events);
        double lastTs = events.back().ts;
        std::vector<Slice> open;
        for (Event& e : events) {
            switch (e.ph) {
            case 'B':
                open.push_back(sliceOf(e, 'B', e.ts, e.ts));
                break;
            case 'E':
                if (open.empty()) {
                    ++m_unmatchedEnds;
                    break;
                }
                if (!e.name.empty() && e.name != open.back().name)
                    ++m_mismatchedEnds;
                open.back().end = e.ts;
                mergeArgs(open.back().args, e.args);
                lane.slices.push_back(std::move(open.back()));
                open.pop_back();
                break;
            case 'X':
                lastTs = std::max(lastTs, e.ts + e.dur.value_or(0));
                lane.slices.push_back(sliceOf(e, 'X', e.ts, e.ts + std::max(0.0, e.dur.value_or(0))));
                break;
            default: // i, I
                lane.slices.push_back(sliceOf(e, 'i', e.ts, e.ts));
                break;
            }
        }
        // A B never closed ends at the lane's last time.
        for (Slice& s : open) {
            s.end = std::max(s.start, lastTs);
            s.unclosed = true;
            ++m_unclosed;
            lane.slices.push_back(std::move(s));
        }
        return lane;
    }

    Lane asyncLane(std::vector<Event>& events)
    {
        Lane lane;
        lane.pid = events.front().pid;
        const Event& head = events.front();
        // Named after its first event and id: categories run long ("cc,benchmark,disabled-by-default-…").
        lane.label = (head.name.empty() ? std::string("async") : head.name) + " (" + head.id + ")";
        byTime(events);
        const double first = events.front().ts;
        const double last = events.back().ts;
        std::vector<Slice> open;
        for (Event& e : events) {
            if (e.ph == 'b' || e.ph == 'S') {
                open.push_back(sliceOf(e, e.ph, e.ts, e.ts));
            } else if (e.ph == 'n') {
                lane.slices.push_back(sliceOf(e, 'i', e.ts, e.ts));
            } else { // e, F: the innermost open begin of the same name
                auto it = std::find_if(open.rbegin(), open.rend(), [&](const Slice& s) { return s.name == e.name; });
                if (it == open.rend()) {
                    // An end without its begin starts at the key's first event (catapult).
                    lane.slices.push_back(sliceOf(e, e.ph == 'e' ? 'b' : 'S', first, e.ts));
                    ++m_unmatchedAsync;
                    continue;
                }
                it->end = e.ts;
                mergeArgs(it->args, e.args);
                lane.slices.push_back(std::move(*it));
                open.erase(std::next(it).base());
            }
        }
        for (Slice& s : open) {
            s.end = std::max(s.start, last);
            s.unclosed = true;
            ++m_unclosed;
            lane.slices.push_back(std::move(s));
        }
        return lane;
    }

    void warnCounts()
    {
        const auto count = [this](std::int64_t n, const std::string& what) {
            if (n > 0)
                m_job.warn({}, std::to_string(n) + " " + what);
        };
        count(m_unmatchedEnds, "end (E) events with no open begin were dropped");
        count(m_mismatchedEnds, "end (E) events closed a begin of another name (the latest open one, as Chrome does)");
        count(m_unclosed, "begins never closed end at the last time of their lane (flagged chrome.unclosed)");
        count(m_unmatchedAsync, "async ends without their begin start at their id's first event");
        for (const auto& [what, n] : m_skipped)
            count(n, "events " + what + " were skipped (counters, samples and objects are not steps)");
    }

    std::shared_ptr<const Resource> resourceFor(const std::string& pid)
    {
        auto& shared = m_resources[pid];
        if (!shared) {
            json attributes = json::array();
            if (!pid.empty()) {
                const auto name = m_processNames.find(pid);
                attributes.push_back(keyValue("service.name",
                    name != m_processNames.end() && !name->second.empty() ? name->second : "pid " + pid));
                attributes.push_back(keyValue("process.pid", pid));
            } else {
                attributes.push_back(
                    keyValue("service.name", m_source.empty() ? std::string("chrome-trace") : m_source));
            }
            shared = std::make_shared<const Resource>(Otlp::resourceFrom(json { { "attributes", attributes } }));
        }
        return shared;
    }

    void addStep(const std::string& traceId, const std::string& spanId, const std::string& parentId,
        const std::string& name, std::int64_t startNs, std::int64_t endNs, json attributes,
        std::shared_ptr<const Resource> resource, StepKind fallbackKind, json links = json::array())
    {
        json span = { { "traceId", traceId }, { "spanId", spanId }, { "name", name },
            { "startTimeUnixNano", std::to_string(startNs) }, { "endTimeUnixNano", std::to_string(endNs) },
            { "attributes", std::move(attributes) } };
        if (!links.empty())
            span["links"] = std::move(links);
        if (!parentId.empty())
            span["parentSpanId"] = parentId;
        Step step;
        std::string reason;
        std::vector<std::string> warnings;
        if (!Otlp::stepFrom(span, step, reason, warnings)) {
            m_job.warn("step " + spanId, reason);
            return;
        }
        for (auto& warning : warnings)
            m_job.warn("step " + spanId, std::move(warning));
        // The category says what an event is when its args do not (no gen_ai.operation.name).
        if (step.kind == StepKind::Other)
            step.kind = fallbackKind;
        step.resource = std::move(resource);
        step.scope = m_scope;
        m_job.addStep(std::move(step));
    }

    ImportJob& m_job;
    bool m_array = false;
    std::string m_source;
    std::optional<std::int64_t> m_wallStartNs;
    std::vector<Event> m_events;
    struct Flow
    {
        std::string id; // category and id
        std::string laneKey;
        double ts = 0;
    };
    std::vector<Flow> m_flows;
    std::int64_t m_seq = 0;
    std::map<std::string, std::string> m_processNames;
    std::map<std::string, std::string> m_threadNames;
    std::map<std::string, std::shared_ptr<const Resource>> m_resources;
    const std::shared_ptr<const Scope> m_scope = std::make_shared<const Scope>();
    std::map<std::string, std::int64_t> m_skipped;
    std::int64_t m_unmatchedEnds = 0;
    std::int64_t m_mismatchedEnds = 0;
    std::int64_t m_unclosed = 0;
    std::int64_t m_unmatchedAsync = 0;
};

} // namespace

int ChromeTraceImporter::probe(std::string_view head) const
{
    std::size_t i = 0;
    while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i])))
        ++i;
    if (i == head.size() || (head[i] != '{' && head[i] != '['))
        return 0;
    if (head[i] == '{' && head.find("\"traceEvents\"") != std::string_view::npos)
        return 85;
    if (head[i] == '[' && head.find("\"ph\"") != std::string_view::npos
        && head.find("\"ts\"") != std::string_view::npos)
        return 70;
    if (head[i] == '{' && head.find("\"metadata\"") != std::string_view::npos
        && head.find("\"dataOrigin\"") != std::string_view::npos)
        return 60; // a DevTools trace whose metadata comes first
    return 0;
}

void ChromeTraceImporter::read(ImportJob& job)
{
    ChromeDocument document(job);
    try {
        JsonRecordReader::read(job, document);
    } catch (const ImportFailure& failure) {
        // Chrome accepts an array cut short (a trailing comma, no "]", a last event cut mid-record): so do we, with
        // the events read before the cut.
        const std::string what = failure.what();
        if (!document.isArray() || document.events() == 0 || what.find("end of input") == std::string::npos)
            throw;
        job.warn(failure.where(),
            "the file ends inside its event array (a truncated trace, which Chrome accepts); "
            "the events before the cut were read");
    }
    if (job.context().cancelled())
        return;
    const std::string sha = job.reader().sha256Hex();
    document.finish(sha.substr(0, 32), QFileInfo(QString::fromStdString(job.file())).fileName().toStdString());
    job.flush();
    if (job.spans() == 0)
        throw ImportFailure({}, "no trace events that make steps (slices, instants or async pairs) in the file");
}

} // namespace Tracelight
