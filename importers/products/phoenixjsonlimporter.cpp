#include "phoenixjsonlimporter.h"

#include "phoenixspan.h"
#include "spanlinks.h"

#include <nlohmann/json.hpp>

namespace Tracelight {

using nlohmann::json;

namespace {

std::size_t utf8SequenceLength(std::string_view text, std::size_t i)
{
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned minimum = 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
        minimum = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        minimum = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        minimum = 0x10000;
    } else {
        return 0;
    }
    if (i + length > text.size())
        return 0;
    unsigned codePoint = c & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        const auto continuation = static_cast<unsigned char>(text[i + k]);
        if ((continuation & 0xC0) != 0x80)
            return 0;
        codePoint = (codePoint << 6) | (continuation & 0x3F);
    }
    if (codePoint < minimum || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
        return 0;
    return length;
}

bool isHighSurrogateEscape(std::string_view text, std::size_t i)
{
    return i + 6 <= text.size() && text[i] == '\\' && text[i + 1] == 'u' && (text[i + 2] == 'd' || text[i + 2] == 'D')
        && std::string_view("89abAB").find(text[i + 3]) != std::string_view::npos;
}

bool isLowSurrogateEscape(std::string_view text, std::size_t i)
{
    return i + 6 <= text.size() && text[i] == '\\' && text[i + 1] == 'u' && (text[i + 2] == 'd' || text[i + 2] == 'D')
        && std::string_view("cdefCDEF").find(text[i + 3]) != std::string_view::npos;
}

// Replaces bytes that are not UTF-8, and \u escapes of lone surrogates, with U+FFFD (trace-formats.md section 9:
// show bad text replaced rather than reject the data). Returns how many were replaced.
std::size_t repairText(std::string& line)
{
    static constexpr std::string_view replacement = "\xEF\xBF\xBD";
    static constexpr std::string_view escapedReplacement = "\\ufffd";
    std::string out;
    out.reserve(line.size());
    std::size_t replaced = 0;
    for (std::size_t i = 0; i < line.size();) {
        if (line[i] == '\\' && i + 1 < line.size()) {
            // Outside strings a backslash is a syntax error anyway, so every backslash starts an escape here.
            if (isHighSurrogateEscape(line, i) && isLowSurrogateEscape(line, i + 6)) {
                out.append(line, i, 12);
                i += 12;
            } else if (isHighSurrogateEscape(line, i) || isLowSurrogateEscape(line, i)) {
                out += escapedReplacement;
                ++replaced;
                i += 6;
            } else {
                out.append(line, i, 2);
                i += 2;
            }
            continue;
        }
        if (const std::size_t length = utf8SequenceLength(line, i)) {
            out.append(line, i, length);
            i += length;
        } else {
            out += replacement;
            ++replaced;
            ++i;
        }
    }
    line = std::move(out);
    return replaced;
}

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
        for (bool repaired = false;;) {
            try {
                record = json::parse(line);
                break;
            } catch (const json::parse_error& error) {
                if (!repaired) {
                    repaired = true;
                    if (const std::size_t count = repairText(line)) {
                        job.warn(where,
                            std::to_string(count)
                                + " invalid UTF-8 sequence(s) or lone surrogate escape(s) replaced "
                                  "with U+FFFD");
                        continue;
                    }
                }
                std::string message = jsonParseErrorText(error.what());
                if (message.size() > 240) // nlohmann quotes what it last read, which can be a whole prompt
                    message = message.substr(0, 240) + "…'";
                const std::string place = "line " + std::to_string(lineNumber) + ", column "
                    + std::to_string(error.byte) + " (byte " + std::to_string(lineStart + std::int64_t(error.byte) - 1)
                    + ")";
                if (error.byte >= line.size() && line.find_last_not_of(" \t\r") != std::string::npos)
                    message = (reader.atEnd() ? "the file ends in the middle of a span (truncated?): "
                                              : "the line ends in the middle of its JSON (truncated?): ")
                        + message;
                throw ImportFailure(place, message);
            }
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
