#include "phoenixjsonlimporter.h"

#include <jsonfield.h>

#include "phoenixspan.h"
#include "spanlinks.h"

#include <nlohmann/json.hpp>

namespace Tracelight {

using nlohmann::json;

namespace {

bool isBlank(std::string_view line)
{
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

std::string typeName(const json& value)
{
    return std::string(value.is_array() ? "an array" : value.is_string() ? "a string" : value.type_name());
}

} // namespace

int PhoenixJsonlImporter::probe(std::string_view head) const
{
    const std::size_t start = head.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || head[start] != '{')
        return 0;
    const std::string_view firstLine = head.substr(start, head.find('\n', start) - start);
    if (firstLine.find("\"resourceSpans\"") != std::string_view::npos)
        return 0;
    const bool kind = firstLine.find("\"span_kind\"") != std::string_view::npos;
    const bool context = firstLine.find("\"context\"") != std::string_view::npos
        || firstLine.find("\"context.span_id\"") != std::string_view::npos;
    return kind && context ? 80 : 0;
}

void PhoenixJsonlImporter::read(ImportJob& job)
{
    ChunkReader& reader = job.reader();
    SpanLinks links;
    std::string line;
    std::int64_t lineNumber = 0;
    std::int64_t records = 0;
    while (!reader.atEnd()) {
        if (job.context().cancelled())
            return;
        const std::int64_t lineStart = reader.offset();
        reader.readLine(line);
        ++lineNumber;
        if (isBlank(line))
            continue;
        ++records;
        const std::string where = "line " + std::to_string(lineNumber) + " (byte " + std::to_string(lineStart) + ")";

        json record;
        if (JsonField::nestedDeeperThan(line))
            throw ImportFailure(
                where, "the JSON nests deeper than " + std::to_string(JsonField::MaxNesting) + " levels");
        try {
            record = json::parse(line);
        } catch (const json::parse_error& error) {
            std::string message = jsonParseErrorText(error.what());
            if (message.size() > 240) // nlohmann quotes what it last read, which can be a whole prompt
                message = message.substr(0, 240) + "…'";
            const std::string place = "line " + std::to_string(lineNumber) + ", column " + std::to_string(error.byte)
                + " (byte " + std::to_string(lineStart + std::int64_t(error.byte) - 1) + ")";
            if (error.byte >= line.size() && line.find_last_not_of(" \t\r") != std::string::npos)
                message = (reader.atEnd() ? "the file ends in the middle of a span (truncated?): "
                                          : "the line ends in the middle of its JSON (truncated?): ")
                    + message;
            throw ImportFailure(place, message);
        }
        if (!record.is_object())
            throw ImportFailure(where, "expected one span object per line, found " + typeName(record));

        Step step;
        std::string reason;
        std::vector<std::string> warnings;
        if (!Phoenix::stepFrom(record, step, reason, warnings)) {
            job.warn(where, reason);
            continue;
        }
        for (auto& warning : warnings)
            job.warn(where, std::move(warning));
        if (!links.add(step.traceId, step.spanId, step.parentId))
            job.warn(where,
                "duplicate span id " + step.spanId + " in trace " + step.traceId + "; the more complete copy is kept");
        job.addStep(std::move(step));
    }
    if (records == 0)
        throw ImportFailure({}, "the file is empty");
    if (job.spans() == 0)
        throw ImportFailure({}, "no span in the file could be read (see the warnings)");
    links.warnCycles(job);
}

} // namespace Tracelight
