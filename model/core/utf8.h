#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The one UTF-8 policy of Tracelight (trace-formats.md section 9: never reject data for its encoding). Text that is
// not UTF-8 is repaired, each bad byte replaced by U+FFFD, and the importer warns naming the place; the same holds
// for every format, JSON or protobuf. Cuts (capped texts, excerpts) never split a character.
namespace Tracelight::Utf8 {

inline constexpr std::string_view Replacement = "\xEF\xBF\xBD"; // U+FFFD

inline bool isContinuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Length of the valid sequence that starts at text[i]: 1 to 4, or 0 when none does (a stray byte, an overlong form,
// a surrogate, above U+10FFFF, or a sequence cut by the end of text). The rules of protobuf's and nlohmann's checks.
std::size_t sequenceLength(std::string_view text, std::size_t i);

bool isValid(std::string_view text);

// text with every byte that starts no valid sequence replaced by U+FFFD; valid text comes back unchanged.
std::string repaired(std::string_view text);

// The longest prefix of at most maxBytes that ends on a character boundary.
std::size_t boundary(std::string_view text, std::size_t maxBytes);

// Characters (code points) in valid text.
std::size_t characters(std::string_view text);

// One line of at most maxChars characters (not bytes): white space runs collapsed to one space, "…" when cut.
std::string oneLine(std::string_view text, std::size_t maxChars);

// Text made inert for a reader (a terminal, a model, a report): characters that are invisible or change how the
// rest is shown are written as "[U+202E]" — controls other than tab (and line feed when keepLineBreaks), bidi
// overrides and isolates, zero-width characters, the invisible tag characters, line and paragraph separators. Text
// that is not UTF-8 is repaired first.
std::string visible(std::string_view text, bool keepLineBreaks = true);
// visible() on one line of at most maxChars characters (oneLine()): line breaks and tabs become spaces.
std::string inertLine(std::string_view text, std::size_t maxChars);

// Where JSON text was repaired: the first repair of one line (a byte offset in the source, before any repair) and
// how many repairs that line had.
struct RepairPlace
{
    std::int64_t offset = 0;
    std::int64_t line = 0;
    std::int64_t count = 0;
};

// Where repaired text grew: from buffer position `at` on, the text is `added` bytes longer than its source.
struct RepairShift
{
    std::size_t at = 0;
    std::int64_t added = 0;
};

// Repairs JSON text as it streams by, chunk after chunk: bytes that are not UTF-8 become U+FFFD (two bytes longer
// each), and \u escapes of lone surrogates, which JSON parsers refuse, become \ufffd (the same length).
// buffer[from, length) is the chunk; sourceOffset is the source offset of buffer[from] and line its 1-based line.
// Unless final, an end that could be a sequence or an escape cut in two is taken off the chunk and returned, to go
// before the next one. buffer and length are updated; places and shifts (buffer positions) are appended to.
std::string repairJsonChunk(std::vector<char>& buffer, std::size_t& length, std::size_t from, std::int64_t sourceOffset,
    std::int64_t line, bool final, std::vector<RepairPlace>& places, std::vector<RepairShift>& shifts);

} // namespace Tracelight::Utf8
