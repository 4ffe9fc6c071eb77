#pragma once

#include <string>
#include <unordered_map>

namespace Tracelight {

class ImportJob;
struct Step;

// The (trace, span) → parent links of the spans of one file, for the checks every span format needs: duplicate
// span ids and cycles of parent links (both are reported as warnings; the cache and the tree cope with them).
class SpanLinks
{
public:
    // Records a span; false when the same (trace, span) was already recorded.
    bool add(const std::string& trace, const std::string& span, const std::string& parent);
    // Records a step and warns on job when the file had this (trace, span) before; where names the place.
    void addChecked(ImportJob& job, const Step& step, const std::string& where);
    // Warns once per cycle found.
    void warnCycles(ImportJob& job) const;

private:
    struct Key
    {
        std::string trace;
        std::string span;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash
    {
        std::size_t operator()(const Key& key) const
        {
            return std::hash<std::string>()(key.trace) * 31 + std::hash<std::string>()(key.span);
        }
    };
    std::unordered_map<Key, std::string, KeyHash> m_parents;
};

} // namespace Tracelight
