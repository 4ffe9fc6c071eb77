#include "spanlinks.h"

#include "importer.h"

#include <unordered_set>
#include <vector>

namespace Tracelight {

bool SpanLinks::add(const std::string& trace, const std::string& span, const std::string& parent)
{
    return m_parents.try_emplace(Key { trace, span }, parent).second;
}

void SpanLinks::addChecked(ImportJob& job, const Step& step, const std::string& where)
{
    if (!add(step.traceId, step.spanId, step.parentId)) {
        job.warn("span " + step.spanId + " (" + where + ")",
            "duplicate span id in trace " + step.traceId + "; the more complete copy is kept");
    }
}

void SpanLinks::warnCycles(ImportJob& job) const
{
    // Colour walk: 0 unvisited, 1 on the current path, 2 done. Each span is visited once.
    std::unordered_map<const Key*, int> colour;
    std::unordered_set<std::string> reported;
    for (const auto& [key, parent] : m_parents) {
        std::vector<const Key*> path;
        const Key* current = &key;
        while (current) {
            int& c = colour[current];
            if (c == 2)
                break;
            if (c == 1) {
                if (reported.insert(current->trace + current->span).second)
                    job.warn("span " + current->span,
                        "cyclic parent links in trace " + current->trace + "; the cycle is broken and shown as roots");
                break;
            }
            c = 1;
            path.push_back(current);
            const std::string& parentId = m_parents.find(*current)->second;
            if (parentId.empty())
                break;
            const auto parentIt = m_parents.find(Key { current->trace, parentId });
            current = parentIt == m_parents.end() ? nullptr : &parentIt->first;
        }
        for (const Key* visited : path)
            colour[visited] = 2;
    }
}

} // namespace Tracelight
