#include "langsmithimporter.h"

#include "jsonrecordreader.h"
#include "langsmithrun.h"

#include <unordered_map>
#include <unordered_set>

namespace Tracelight {

using nlohmann::json;

namespace {

enum Role
{
    Root = 1,
    RunList,
    RootMember,
    Run,
};

bool isRunList(const std::string& key)
{
    return key == "post" || key == "patch" || key == "runs" || key == "data";
}

class RunReader final : public JsonRecordReader::Client
{
public:
    explicit RunReader(ImportJob& job)
        : m_job(job)
    { }

    JsonRecordReader::Node open(int parent, const std::string& key, bool isArray) override
    {
        using Action = JsonRecordReader::Action;
        switch (parent) {
        case JsonRecordReader::DocumentRole:
            if (isArray)
                return { Action::Walk, RunList };
            m_root = json::object();
            m_rootHasLists = false;
            m_rootOffset = m_job.reader().offset() - 1;
            return { Action::Walk, Root };
        case Root:
            if (isRunList(key)) {
                if (!isArray)
                    throw ImportFailure(m_job.reader().location(), "\"" + key + "\" must be an array of runs");
                m_rootHasLists = true;
                return { Action::Walk, RunList };
            }
            return { Action::Capture, RootMember };
        case RunList:
            if (isArray) {
                m_job.warn(m_job.reader().location(), "a run must be a JSON object; skipped");
                return { Action::Skip, 0 };
            }
            return { Action::Capture, Run };
        default:
            return { Action::Skip, 0 };
        }
    }

    void scalar(int parent, const std::string& key, json&& value) override
    {
        if (parent == JsonRecordReader::DocumentRole)
            throw ImportFailure(m_job.reader().location(),
                "expected LangSmith runs (a run, an array of runs or {\"post\": […], \"patch\": […]}), found a bare "
                "value");
        if (parent == Root) {
            if (isRunList(key) && !value.is_null())
                throw ImportFailure(m_job.reader().location(), "\"" + key + "\" must be an array of runs");
            m_root[key] = std::move(value);
        } else if (parent == RunList) {
            m_job.warn(m_job.reader().location(), "a run must be a JSON object; skipped");
        }
    }

    void record(int role, const std::string& key, json&& value, std::int64_t offset) override
    {
        if (role == RootMember)
            m_root[key] = std::move(value);
        else if (role == Run)
            handleRun(std::move(value), offset);
    }

    void close(int role) override
    {
        if (role != Root || m_rootHasLists)
            return;
        // A top-level object that is not a batch: one run per document (a single-run file, or JSON Lines of runs).
        if (m_root.contains("id") || m_root.contains("dotted_order") || m_root.contains("run_type"))
            handleRun(std::move(m_root), m_rootOffset);
        else
            m_job.warn("byte " + std::to_string(m_rootOffset), "an object that is neither a run nor a batch; skipped");
        m_root = json::object();
    }

    // Runs that never got their patch are kept as they are: still running, or their end was lost.
    void finish()
    {
        for (const std::string& id : m_openOrder) {
            const auto it = m_open.find(id);
            if (it != m_open.end())
                emitRun(it->second.run, id, it->second.offset);
        }
        m_open.clear();
        if (m_runs == 0)
            throw ImportFailure({}, "no LangSmith runs in the file");
    }

private:
    struct Open
    {
        json run;
        std::int64_t offset;
    };

    static bool finished(const json& run)
    {
        const auto end = run.find("end_time");
        if (end != run.end() && !end->is_null())
            return true;
        const auto status = run.find("status");
        return status != run.end() && (*status == "success" || *status == "error");
    }

    void handleRun(json&& run, std::int64_t offset)
    {
        if (!run.is_object())
            return;
        const std::string id = LangSmithRun::idOf(run);
        if (id.empty()) {
            m_job.warn("byte " + std::to_string(offset), "a run without an id or a dotted_order; skipped");
            return;
        }
        ++m_runs;
        json children;
        if (const auto it = run.find("child_runs"); it != run.end() && it->is_array() && !it->empty()) {
            children = std::move(*it);
            run.erase("child_runs");
        }
        const std::string traceId = run.value("trace_id", json()).is_string() ? run["trace_id"].get<std::string>() : "";

        if (const auto open = m_open.find(id); open != m_open.end()) {
            LangSmithRun::merge(open->second.run, std::move(run));
            run = std::move(open->second.run);
            offset = open->second.offset;
            m_open.erase(open);
        } else if (m_done.count(id) != 0) {
            m_job.warn("run " + id + " (byte " + std::to_string(offset) + ")",
                "another record for a run that was already complete; the copy with more data is kept");
        }
        if (finished(run)) {
            emitRun(run, id, offset);
        } else {
            m_openOrder.push_back(id);
            m_open.emplace(id, Open { std::move(run), offset });
        }

        // Child runs nested in an exported run (read_run with load_child_runs).
        for (json& child : children) {
            if (!child.is_object())
                continue;
            if (!child.contains("parent_run_id") || child["parent_run_id"].is_null())
                child["parent_run_id"] = id;
            if (!traceId.empty() && (!child.contains("trace_id") || child["trace_id"].is_null()))
                child["trace_id"] = traceId;
            handleRun(std::move(child), offset);
        }
    }

    void emitRun(const json& run, const std::string& id, std::int64_t offset)
    {
        m_job.addStep(LangSmithRun::toStep(run, id, m_job, offset));
        m_done.insert(id);
    }

    ImportJob& m_job;
    json m_root = json::object();
    bool m_rootHasLists = false;
    std::int64_t m_rootOffset = 0;
    std::unordered_map<std::string, Open> m_open;
    std::vector<std::string> m_openOrder;
    std::unordered_set<std::string> m_done;
    std::int64_t m_runs = 0;
};

} // namespace

int LangSmithImporter::probe(std::string_view head) const
{
    const auto first = head.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || (head[first] != '{' && head[first] != '['))
        return 0;
    if (head.find("\"dotted_order\"") != std::string_view::npos)
        return 88;
    if (head.find("\"run_type\"") != std::string_view::npos && head.find("\"trace_id\"") != std::string_view::npos)
        return 75;
    return 0;
}

void LangSmithImporter::read(ImportJob& job)
{
    RunReader reader(job);
    const std::int64_t values = JsonRecordReader::read(job, reader);
    if (job.context().cancelled())
        return;
    if (values == 0)
        throw ImportFailure({}, "the file is empty");
    reader.finish();
}

} // namespace Tracelight
