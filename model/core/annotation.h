#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// What a person found in a run or a step: a label from a small set the user can edit (correct, wrong, root cause,
// …), a rating from 1 to 5, a note. Kept in the cache apart from the imported data (table annotations, keyed by
// trace id, span id and author), so re-importing a file keeps them and the integrity hashes of the data do not
// change; one annotation per author on a step (or on the run, span id empty).
struct Annotation
{
    std::string traceId;
    std::string spanId; // empty: the run itself
    std::string label; // empty: none
    std::optional<int> rating; // 1–5
    std::string note;
    std::string author;
    std::int64_t createdMs = 0;
    std::int64_t updatedMs = 0;

    bool empty() const { return label.empty() && !rating && note.empty(); }
    bool operator==(const Annotation&) const = default;
};

// The labels offered until the user edits the set.
std::vector<std::string> defaultAnnotationLabels();

// A line of `tracelight annotations export` (JSON Lines): {trace_id, span_id, label, rating, note, created, author,
// updated}; span_id, label, rating and note are null when absent, created and updated are ISO 8601 (UTC).
std::string annotationToJson(const Annotation& annotation);
// One such line back; nullopt with error (what is wrong with it) otherwise.
std::optional<Annotation> annotationFromJson(std::string_view line, std::string& error);

// Why an annotation cannot be stored (an empty label is fine, a rating of 7 or a label of 500 characters are not);
// empty when it can.
std::string annotationProblem(const Annotation& annotation);

// The user's name for new annotations: $TRACELIGHT_AUTHOR, else the login name, else "unknown".
std::string defaultAnnotationAuthor();

} // namespace Tracelight
