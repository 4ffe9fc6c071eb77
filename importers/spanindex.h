#pragma once

#include <string>
#include <unordered_map>

namespace Tracelight {

class ImportJob;
struct Step;

// The parent links of every span of one file, for the checks that need the whole file: duplicate span ids and cyclic
// parent links. Both are warnings; the import goes on (the cache keeps the more complete copy of a duplicate, and the
// tree breaks cycles).
class SpanIndex
{
public:
    // Records the step; warns on job when the file had this (trace, span) before. where names the place in the file.
    void add(ImportJob& job, const Step& step, const std::string& where);
    // Warns once per cycle of parent links.
    void reportCycles(ImportJob& job) const;

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
    std::unordered_map<Key, std::string, KeyHash> m_parents; // (trace, span) → parent span id
};

} // namespace Tracelight
