#include "utf8.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace Tracelight::Utf8 {

namespace {

// How long the sequence a lead byte starts would be; 0 for a byte that starts none.
std::size_t expectedLength(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

bool isSurrogateEscape(std::string_view text, std::size_t i, std::string_view thirdDigits)
{
    return i + 6 <= text.size() && text[i] == '\\' && text[i + 1] == 'u' && (text[i + 2] == 'd' || text[i + 2] == 'D')
        && thirdDigits.find(text[i + 3]) != std::string_view::npos;
}

bool isHighSurrogateEscape(std::string_view text, std::size_t i)
{
    return isSurrogateEscape(text, i, "89abAB");
}

bool isLowSurrogateEscape(std::string_view text, std::size_t i)
{
    return isSurrogateEscape(text, i, "cdefCDEF");
}

} // namespace

std::size_t sequenceLength(std::string_view text, std::size_t i)
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + i;
    const std::size_t left = text.size() - i;
    const std::size_t n = expectedLength(p[0]);
    if (n <= 1)
        return n;
    if (n > left)
        return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    }
    if (n == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0)))
        return 0; // overlong, surrogate
    if (n == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90)))
        return 0; // overlong, above U+10FFFF
    return n;
}

bool isValid(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            ++i;
            continue;
        }
        const std::size_t n = sequenceLength(text, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

std::string repaired(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t n = sequenceLength(text, i);
        if (n == 0) {
            out += Replacement;
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::size_t boundary(std::string_view text, std::size_t maxBytes)
{
    if (text.size() <= maxBytes)
        return text.size();
    std::size_t cut = maxBytes;
    while (cut > 0 && isContinuation(text[cut]))
        --cut;
    return cut;
}

std::size_t characters(std::string_view text)
{
    std::size_t count = 0;
    for (const char c : text)
        count += isContinuation(c) ? 0 : 1;
    return count;
}

std::string oneLine(std::string_view text, std::size_t maxChars)
{
    std::string out;
    out.reserve(std::min(text.size(), maxChars * 2));
    std::size_t count = 0;
    bool space = false;
    for (const char c : text) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (!isContinuation(c)) { // continuation bytes belong to the character before them
            if (count + (space ? 1 : 0) >= maxChars) {
                out += "…";
                return out;
            }
            if (space) {
                out += ' ';
                ++count;
                space = false;
            }
            ++count;
        }
        out += c;
    }
    return out;
}

namespace {

bool isHidden(char32_t c, bool keepLineBreaks)
{
    if (c < 0x20)
        return c != U'\t' && !(keepLineBreaks && c == U'\n');
    return (c >= 0x7F && c <= 0x9F) || c == 0x00AD || c == 0x061C || c == 0x180E || (c >= 0x200B && c <= 0x200F)
        || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF
        || (c >= 0xE0000 && c <= 0xE007F);
}

} // namespace

std::string visible(std::string_view input, bool keepLineBreaks)
{
    const std::string repairedText = isValid(input) ? std::string() : repaired(input);
    const std::string_view text = repairedText.empty() ? input : std::string_view(repairedText);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = std::max<std::size_t>(1, sequenceLength(text, i));
        const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
        char32_t c = byte(0);
        if (length == 2)
            c = ((c & 0x1F) << 6) | (byte(1) & 0x3F);
        else if (length == 3)
            c = ((c & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
        else if (length == 4)
            c = ((c & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
        if (isHidden(c, keepLineBreaks)) {
            char name[16];
            std::snprintf(name, sizeof name, "[U+%04X]", static_cast<unsigned>(c));
            out += name;
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
    return out;
}

std::string inertLine(std::string_view text, std::size_t maxChars)
{
    return oneLine(visible(text, true), maxChars);
}

std::string repairJsonChunk(std::vector<char>& buffer, std::size_t& length, std::size_t from, std::int64_t sourceOffset,
    std::int64_t line, bool final, std::vector<RepairPlace>& places, std::vector<RepairShift>& shifts)
{
    const std::string_view text(buffer.data(), length);
    std::string out; // text[from, copied) repaired, once a byte had to be replaced
    std::size_t copied = from;
    std::int64_t added = 0;
    std::size_t end = length;
    const auto note = [&](std::size_t at) {
        if (!places.empty() && places.back().line == line)
            ++places.back().count;
        else
            places.push_back({ sourceOffset + static_cast<std::int64_t>(at - from), line, 1 });
    };
    std::size_t i = from;
    while (i < length) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c == '\n') {
                ++line;
            } else if (c == '\\') {
                if (!final && i + 12 > length) {
                    end = i;
                    break;
                }
                if (isHighSurrogateEscape(text, i) && isLowSurrogateEscape(text, i + 6)) {
                    i += 12;
                    continue;
                }
                if (isHighSurrogateEscape(text, i) || isLowSurrogateEscape(text, i)) {
                    std::memcpy(buffer.data() + i + 2, "fffd", 4);
                    note(i);
                    i += 6;
                    continue;
                }
                // Any other escape (outside strings a backslash is a syntax error anyway); a byte that is no ASCII
                // after it is checked as any other.
                // (A raw newline after it is still counted as one.)
                i += i + 1 < length && static_cast<unsigned char>(text[i + 1]) < 0x80 && text[i + 1] != '\n' ? 2 : 1;
                continue;
            }
            ++i;
            continue;
        }
        if (const std::size_t n = sequenceLength(text, i)) {
            i += n;
            continue;
        }
        if (!final && i + expectedLength(c) > length) {
            end = i; // perhaps the start of a sequence the next chunk completes
            break;
        }
        note(i);
        out.append(text.substr(copied, i - copied));
        out += Replacement;
        added += static_cast<std::int64_t>(Replacement.size()) - 1;
        shifts.push_back({ from + out.size(), added });
        copied = ++i;
    }
    std::string tail(text.substr(end));
    if (copied == from) {
        length = end;
        return tail;
    }
    out.append(text.substr(copied, end - copied));
    if (buffer.size() < from + out.size())
        buffer.resize(from + out.size());
    std::memcpy(buffer.data() + from, out.data(), out.size());
    length = from + out.size();
    return tail;
}

} // namespace Tracelight::Utf8
