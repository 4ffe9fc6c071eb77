#include "annotation.h"

#include "isotime.h"
#include "utf8.h"

#include <QByteArray>
#include <QtGlobal>

#include <nlohmann/json.hpp>

namespace Tracelight {

namespace {

using json = nlohmann::json;

constexpr std::size_t MaxLabelBytes = 64;
constexpr std::size_t MaxNoteBytes = 64 * 1024;

json nullable(const std::string& text)
{
    return text.empty() ? json() : json(text);
}

} // namespace

std::vector<std::string> defaultAnnotationLabels()
{
    return { "correct", "wrong", "root cause", "hallucination", "policy violation" };
}

std::string annotationToJson(const Annotation& a)
{
    nlohmann::ordered_json out;
    out["trace_id"] = a.traceId;
    out["span_id"] = nullable(a.spanId);
    out["label"] = nullable(a.label);
    out["rating"] = a.rating ? json(*a.rating) : json();
    out["note"] = nullable(a.note);
    out["created"] = IsoTime::format(a.createdMs * 1000000);
    out["author"] = a.author;
    out["updated"] = IsoTime::format(a.updatedMs * 1000000);
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<Annotation> annotationFromJson(std::string_view line, std::string& error)
{
    const json in = json::parse(line, nullptr, false);
    if (!in.is_object()) {
        error = "not a JSON object";
        return std::nullopt;
    }
    const auto text = [&](const char* key, bool required, std::string& target) {
        const auto it = in.find(key);
        if (it == in.end() || it->is_null()) {
            if (required)
                error = std::string("no \"") + key + '"';
            return !required;
        }
        if (!it->is_string()) {
            error = std::string("\"") + key + "\" is not a string";
            return false;
        }
        target = it->get<std::string>();
        return true;
    };
    Annotation a;
    std::string created;
    std::string updated;
    if (!text("trace_id", true, a.traceId) || !text("span_id", false, a.spanId) || !text("label", false, a.label)
        || !text("note", false, a.note) || !text("author", false, a.author) || !text("created", false, created)
        || !text("updated", false, updated))
        return std::nullopt;
    if (const auto rating = in.find("rating"); rating != in.end() && !rating->is_null()) {
        if (!rating->is_number_integer()) {
            error = "\"rating\" is not a whole number";
            return std::nullopt;
        }
        a.rating = rating->get<int>();
    }
    for (const auto& [value, target] : { std::pair { &created, &a.createdMs }, std::pair { &updated, &a.updatedMs } }) {
        if (value->empty())
            continue;
        const auto ns = IsoTime::parse(*value);
        if (!ns) {
            error = "\"" + *value + "\" is not an ISO 8601 time";
            return std::nullopt;
        }
        *target = *ns / 1000000;
    }
    if (a.updatedMs == 0)
        a.updatedMs = a.createdMs;
    if (a.traceId.empty()) {
        error = "\"trace_id\" is empty";
        return std::nullopt;
    }
    if (const std::string problem = annotationProblem(a); !problem.empty()) {
        error = problem;
        return std::nullopt;
    }
    return a;
}

std::string annotationProblem(const Annotation& a)
{
    if (a.rating && (*a.rating < 1 || *a.rating > 5))
        return "a rating is from 1 to 5, not " + std::to_string(*a.rating);
    if (a.label.size() > MaxLabelBytes)
        return "a label has at most " + std::to_string(MaxLabelBytes) + " bytes";
    if (a.note.size() > MaxNoteBytes)
        return "a note has at most 64 KiB";
    for (const std::string* text : { &a.traceId, &a.spanId, &a.label, &a.note, &a.author })
        if (!Utf8::isValid(*text))
            return "text that is not UTF-8";
    return {};
}

std::string defaultAnnotationAuthor()
{
    for (const char* name : { "TRACELIGHT_AUTHOR", "USER", "LOGNAME", "USERNAME" }) {
        const QByteArray value = qgetenv(name);
        if (!value.isEmpty())
            return value.toStdString();
    }
    return "unknown";
}

} // namespace Tracelight
