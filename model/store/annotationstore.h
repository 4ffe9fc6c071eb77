#pragma once

#include "annotation.h"
#include "sqlite.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// The annotations of the cache (core: annotation.h, what they are): set, removed, listed and merged from another
// cache or an export. Writes need a writable connection; each call is one transaction.
class AnnotationStore
{
public:
    // Stores a's label, rating and note under (trace, span, author), replacing what that author had there; keeps
    // the creation time of an annotation that existed. a.updatedMs (and createdMs of a new one) are taken as given.
    static void set(Sql::Database& db, const Annotation& a);
    // Whether there was one to remove.
    static bool remove(Sql::Database& db, std::string_view traceId, std::string_view spanId, std::string_view author);

    static std::optional<Annotation> find(
        const Sql::Database& db, std::string_view traceId, std::string_view spanId, std::string_view author);
    // A run's annotations, the run's own first, then by step, then by author.
    static std::vector<Annotation> forTrace(const Sql::Database& db, std::string_view traceId);
    // Every annotation of the cache, by trace, step and author.
    static std::vector<Annotation> all(const Sql::Database& db);

    struct MergeResult
    {
        std::int64_t added = 0;
        std::int64_t updated = 0; // the incoming one was newer
        std::int64_t unchanged = 0; // ours was as new or newer
    };
    // Brings in annotations from elsewhere (another cache, an export): for each (trace, span, author), the one
    // updated last wins. One transaction.
    static MergeResult merge(Sql::Database& db, const std::vector<Annotation>& incoming);
};

} // namespace Tracelight
