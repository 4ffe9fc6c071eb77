#include "langfuseimporter.h"

#include "jsonrecordreader.h"
#include "langfuseobservation.h"
#include "stepmerge.h"

#include <algorithm>
#include <unordered_map>

namespace Tracelight {

using nlohmann::json;

namespace {

enum Role
{
    Root = 1,
    Trace,
    ObservationList,
    ScoreList,
    ItemList,
    RootMember,
    TraceMember,
    ObservationRecord,
    ScoreRecord,
    ItemRecord,
};

bool has(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && !it->is_null();
}

bool looksLikeObservation(const json& record)
{
    return has(record, "startTime") || has(record, "parentObservationId") || has(record, "type");
}

bool looksLikeTrace(const json& record)
{
    return has(record, "id") && !looksLikeObservation(record)
        && (has(record, "timestamp") || has(record, "observations") || has(record, "sessionId"));
}

// The records of one trace export (one JSON document, or one item of a {"data": […]} list).
struct Unit
{
    json trace = json::object();
    bool hasTrace = false;
    std::int64_t traceOffset = 0;
    std::vector<LangfuseRecord::Observation> observations;
    std::unordered_map<std::string, std::size_t> index;
    std::vector<json> scores;

    bool empty() const { return !hasTrace && observations.empty() && scores.empty(); }
};

class Reader final : public JsonRecordReader::Client
{
public:
    explicit Reader(ImportJob& job)
        : m_job(job)
    { }

    JsonRecordReader::Node open(int parent, const std::string& key, bool isArray) override
    {
        using Action = JsonRecordReader::Action;
        switch (parent) {
        case JsonRecordReader::DocumentRole:
            if (isArray)
                return { Action::Walk, ItemList };
            m_inRoot = true;
            m_root = json::object();
            m_rootOffset = m_job.reader().offset() - 1;
            return { Action::Walk, Root };
        case Root:
            if (key == "trace") {
                expect(!isArray, "\"trace\" must be an object");
                m_unit.hasTrace = true;
                m_unit.traceOffset = m_job.reader().offset() - 1;
                return { Action::Walk, Trace };
            }
            if (key == "observations" || key == "data") {
                expect(isArray, "\"" + key + "\" must be an array");
                return { Action::Walk, key == "data" ? ItemList : ObservationList };
            }
            if (key == "scores" && isArray)
                return { Action::Walk, ScoreList };
            if (key == "meta")
                return { Action::Skip, 0 };
            return { Action::Capture, RootMember };
        case Trace:
            if (key == "observations") {
                expect(isArray, "\"observations\" must be an array");
                return { Action::Walk, ObservationList };
            }
            if (key == "scores" && isArray)
                return { Action::Walk, ScoreList };
            return { Action::Capture, TraceMember };
        case ObservationList:
        case ScoreList:
        case ItemList:
            if (isArray) {
                m_job.warn(m_job.reader().location(), "a list entry must be a JSON object; skipped");
                return { Action::Skip, 0 };
            }
            return { Action::Capture,
                parent == ObservationList ? ObservationRecord
                    : parent == ScoreList ? ScoreRecord
                                          : ItemRecord };
        default:
            return { Action::Skip, 0 };
        }
    }

    void scalar(int parent, const std::string& key, json&& value) override
    {
        switch (parent) {
        case JsonRecordReader::DocumentRole:
            throw ImportFailure(m_job.reader().location(),
                "expected a Langfuse export (a trace with its observations, or a list of them), found a bare value");
        case Root:
            expect(value.is_null() || (key != "trace" && key != "observations" && key != "data"),
                "\"" + key + "\" must be " + (key == "trace" ? "an object" : "an array"));
            m_root[key] = std::move(value);
            break;
        case Trace:
            expect(value.is_null() || key != "observations", "\"observations\" must be an array");
            m_unit.trace[key] = std::move(value);
            break;
        case ObservationList:
        case ScoreList:
        case ItemList:
            m_job.warn(m_job.reader().location(), "a list entry must be a JSON object; skipped");
            break;
        default:
            break;
        }
    }

    void record(int role, const std::string& key, json&& value, std::int64_t offset) override
    {
        switch (role) {
        case RootMember:
            m_root[key] = std::move(value);
            break;
        case TraceMember:
            m_unit.trace[key] = std::move(value);
            break;
        case ObservationRecord:
            addObservation(m_unit, std::move(value), offset);
            break;
        case ScoreRecord:
            m_unit.scores.push_back(std::move(value));
            break;
        case ItemRecord:
            item(std::move(value), offset);
            break;
        default:
            break;
        }
    }

    void close(int role) override
    {
        if (role == Root) {
            m_inRoot = false;
            rootClosed();
            finish(m_unit);
        } else if (role == ItemList && !m_inRoot) {
            finish(m_unit);
        }
    }

    std::int64_t records() const { return m_records; }

private:
    void expect(bool condition, const std::string& message)
    {
        if (!condition)
            throw ImportFailure(m_job.reader().location(), message);
    }

    // What the members of a top-level object were, once it closes: a whole trace, or one observation (JSON Lines).
    void rootClosed()
    {
        if (!m_unit.hasTrace && looksLikeTrace(m_root)) {
            m_unit.trace = std::move(m_root);
            m_unit.hasTrace = true;
            m_unit.traceOffset = m_rootOffset;
        } else if (has(m_root, "id") && looksLikeObservation(m_root)) {
            addObservation(m_unit, std::move(m_root), m_rootOffset);
        } else if (m_unit.empty()) {
            m_job.warn("byte " + std::to_string(m_rootOffset),
                "an object that is neither a Langfuse trace nor an observation; skipped");
        }
        m_root = json::object();
    }

    // One entry of a {"data": […]} list or a top-level array.
    void item(json&& record, std::int64_t offset)
    {
        if (looksLikeTrace(record)) {
            Unit unit;
            unit.hasTrace = true;
            unit.traceOffset = offset;
            json observations = record.contains("observations") ? std::move(record["observations"]) : json();
            json scores = record.contains("scores") ? std::move(record["scores"]) : json();
            record.erase("observations");
            record.erase("scores");
            unit.trace = std::move(record);
            for (json& observation : observations.is_array() ? observations : json::array())
                addObservation(unit, std::move(observation), offset);
            for (json& score : scores.is_array() ? scores : json::array())
                unit.scores.push_back(std::move(score));
            finish(unit);
        } else if (looksLikeObservation(record)) {
            addObservation(m_unit, std::move(record), offset);
        } else if (has(record, "value") && (has(record, "observationId") || has(record, "traceId"))) {
            m_unit.scores.push_back(std::move(record));
        } else {
            m_job.warn("byte " + std::to_string(offset),
                "an entry that is neither a trace, an observation nor a score; skipped");
        }
    }

    void addObservation(Unit& unit, json&& record, std::int64_t offset)
    {
        if (!record.is_object())
            return;
        auto observation = LangfuseRecord::observation(std::move(record), m_interner, m_job, offset);
        if (!observation)
            return;
        ++m_records;
        const auto [it, inserted] = unit.index.emplace(observation->step.spanId, unit.observations.size());
        if (inserted) {
            unit.observations.push_back(std::move(*observation));
            return;
        }
        // Exports list each observation twice (inside the trace and beside it, one copy with less metadata):
        // one step, merged field by field, the more complete copy leading.
        LangfuseRecord::Observation& held = unit.observations[it->second];
        if (observation->step.completeness() > held.step.completeness())
            std::swap(held.step, observation->step);
        if (held.input.is_null())
            held.input = std::move(observation->input);
        if (held.output.is_null())
            held.output = std::move(observation->output);
        for (std::string& tool : observation->calledTools) {
            if (std::find(held.calledTools.begin(), held.calledTools.end(), tool) == held.calledTools.end())
                held.calledTools.push_back(std::move(tool));
        }
        mergeStep(held.step, std::move(observation->step));
        held.pending = held.pending && held.step.kind == StepKind::Other;
    }

    void finish(Unit& unit)
    {
        if (unit.empty())
            return;
        std::string traceId = unit.hasTrace ? StepBuilder::rawText(unit.trace.value("id", json())) : std::string();
        if (unit.hasTrace && traceId.empty()) {
            m_job.warn(
                "byte " + std::to_string(unit.traceOffset), "a trace without an id; only its observations are kept");
            unit.hasTrace = false;
        }
        std::vector<std::string> calledTools;
        for (const auto& o : unit.observations)
            calledTools.insert(calledTools.end(), o.calledTools.begin(), o.calledTools.end());

        // A GENERATION that contains another one wraps it (an SDK span around the client's span, Vercel's
        // ai.generateText around doGenerate): only the innermost is the model call; the wrapper repeats its usage.
        std::vector<bool> wrapper(unit.observations.size(), false);
        for (const auto& o : unit.observations) {
            if (o.step.kind != StepKind::Llm)
                continue;
            std::string parent = o.step.parentId;
            for (std::size_t hops = 0; !parent.empty() && hops < unit.observations.size(); ++hops) {
                const auto it = unit.index.find(parent);
                if (it == unit.index.end())
                    break;
                if (unit.observations[it->second].step.kind == StepKind::Llm)
                    wrapper[it->second] = true;
                parent = unit.observations[it->second].step.parentId;
            }
        }
        std::int64_t lastEnd = 0;
        for (std::size_t i = 0; i < unit.observations.size(); ++i) {
            auto& o = unit.observations[i];
            if (wrapper[i])
                o.step.kind = StepKind::Chain;
            // A SPAN named after a tool a model of this trace called is that tool's execution.
            if (o.pending) {
                const bool tool = std::find(calledTools.begin(), calledTools.end(), o.step.name) != calledTools.end();
                LangfuseRecord::resolve(o, tool ? StepKind::Tool : StepKind::Chain, m_job);
            }
            if (o.step.traceId.empty())
                o.step.traceId = traceId;
            if (unit.hasTrace && o.step.parentId.empty() && o.step.traceId == traceId)
                o.step.parentId = traceId;
            lastEnd = std::max(lastEnd, o.step.endNs);
        }

        std::optional<Step> root;
        if (unit.hasTrace) {
            root = LangfuseRecord::trace(unit.trace, m_interner, m_job, unit.traceOffset);
            if (root->endNs == 0 && lastEnd >= root->startNs)
                root->endNs = lastEnd;
        }
        for (const json& score : unit.scores) {
            const std::string observationId = StepBuilder::rawText(score.value("observationId", json()));
            if (const auto it = unit.index.find(observationId); !observationId.empty() && it != unit.index.end())
                LangfuseRecord::addScore(unit.observations[it->second].step, score);
            else if (root)
                LangfuseRecord::addScore(*root, score);
            else
                m_job.warn("score " + StepBuilder::rawText(score.value("id", json())),
                    "the score's trace or observation is not in the file; skipped");
        }
        if (root) {
            ++m_records;
            m_job.addStep(std::move(*root));
        }
        for (auto& o : unit.observations) {
            if (o.step.traceId.empty()) {
                m_job.warn(o.where, "the observation has no traceId and no trace around it; skipped");
                continue;
            }
            m_job.addStep(std::move(o.step));
        }
        unit = Unit();
    }

    ImportJob& m_job;
    ResourceInterner m_interner;
    Unit m_unit;
    json m_root = json::object();
    std::int64_t m_rootOffset = 0;
    bool m_inRoot = false;
    std::int64_t m_records = 0;
};

} // namespace

int LangfuseImporter::probe(std::string_view head) const
{
    const auto first = head.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || (head[first] != '{' && head[first] != '['))
        return 0;
    if (head.find("\"parentObservationId\"") != std::string_view::npos)
        return 90;
    if (head.find("\"observations\"") != std::string_view::npos
        && (head.find("\"projectId\"") != std::string_view::npos || head.find("\"traceId\"") != std::string_view::npos))
        return 80;
    return 0;
}

void LangfuseImporter::read(ImportJob& job)
{
    Reader reader(job);
    const std::int64_t values = JsonRecordReader::read(job, reader);
    if (job.context().cancelled())
        return;
    if (values == 0)
        throw ImportFailure({}, "the file is empty");
    if (reader.records() == 0)
        throw ImportFailure({}, "no Langfuse traces or observations in the file");
}

} // namespace Tracelight
