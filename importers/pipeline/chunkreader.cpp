#include "chunkreader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace Tracelight {

namespace {
constexpr std::size_t chunkSize = 1 << 20;
}

ChunkReader::~ChunkReader()
{
    if (m_file)
        std::fclose(m_file);
}

std::string ChunkReader::open(const std::string& path)
{
    m_file = std::fopen(path.c_str(), "rb");
    if (!m_file)
        return std::strerror(errno);
    struct stat info
    {
    };
    if (fstat(fileno(m_file), &info) == 0) {
        if (S_ISDIR(info.st_mode))
            return "is a folder, not a file";
        m_size = info.st_size;
    }
    m_buffer.resize(chunkSize);
    m_length = 0;
    m_pos = 0;
    refill();
    // A UTF-8 byte order mark is not part of the JSON.
    if (m_length >= 3 && std::memcmp(m_buffer.data(), "\xEF\xBB\xBF", 3) == 0)
        m_pos = 3;
    return {};
}

void ChunkReader::openMemory(std::string_view data)
{
    m_buffer.assign(data.begin(), data.end());
    m_size = static_cast<std::int64_t>(data.size());
    m_length = data.size();
    m_pos = 0;
    m_chunkStart = 0;
    if (m_length > 0)
        m_hash.addData(QByteArrayView(m_buffer.data(), static_cast<qsizetype>(m_length)));
}

void ChunkReader::refill()
{
    m_newlines += std::count(m_buffer.begin() + static_cast<std::ptrdiff_t>(m_countedPos),
        m_buffer.begin() + static_cast<std::ptrdiff_t>(std::max(m_length, m_countedPos)), '\n');
    m_countedPos = 0;
    // The source bytes of the last chunk; a held-back tail starts right after them.
    m_chunkStart += static_cast<std::int64_t>(m_length) - m_added;
    m_added = 0;
    m_shifts.clear();
    m_pos = 0;
    m_length = 0;
    const std::size_t held = m_tail.size();
    if (!m_file || m_stopped) {
        m_tail.clear();
        return;
    }
    if (m_buffer.size() < chunkSize)
        m_buffer.resize(chunkSize);
    std::memcpy(m_buffer.data(), m_tail.data(), held);
    m_tail.clear();
    const std::size_t wanted = chunkSize - held;
    const std::size_t got = std::fread(m_buffer.data() + held, 1, wanted, m_file);
    if (got > 0)
        m_hash.addData(QByteArrayView(m_buffer.data() + held, static_cast<qsizetype>(got)));
    m_length = held + got;
    if (m_onRepair && m_length > 0)
        repairBuffer(got < wanted);
    if (m_onChunk)
        m_onChunk(m_chunkStart + static_cast<std::int64_t>(held + got));
}

void ChunkReader::repairText(std::function<void(const Utf8::RepairPlace&)> onRepair)
{
    m_onRepair = std::move(onRepair);
    // The chunk open() read: repaired from the current position on (after a byte order mark).
    if (m_onRepair && m_pos < m_length)
        repairBuffer(!m_file || std::feof(m_file));
}

void ChunkReader::repairBuffer(bool final)
{
    std::vector<Utf8::RepairPlace> places;
    const std::size_t before = m_length;
    const std::int64_t sourceOffset = offset();
    const std::int64_t firstLine = line();
    m_tail = Utf8::repairJsonChunk(m_buffer, m_length, m_pos, sourceOffset, firstLine, final, places, m_shifts);
    m_added = static_cast<std::int64_t>(m_length + m_tail.size()) - static_cast<std::int64_t>(before);
    // A line's repairs are reported once, even when the line runs over a chunk boundary: the last place waits for
    // the next chunk, which may continue its line.
    for (Utf8::RepairPlace& place : places) {
        if (m_pendingRepair && m_pendingRepair->line == place.line) {
            m_pendingRepair->count += place.count;
            continue;
        }
        if (m_pendingRepair)
            m_onRepair(*m_pendingRepair);
        m_pendingRepair = place;
    }
    const bool lastChunk = final && m_tail.empty();
    const std::int64_t lastLine = firstLine
        + std::count(m_buffer.begin() + static_cast<std::ptrdiff_t>(m_pos),
            m_buffer.begin() + static_cast<std::ptrdiff_t>(m_length), '\n');
    if (m_pendingRepair && (lastChunk || lastLine > m_pendingRepair->line)) {
        m_onRepair(*m_pendingRepair);
        m_pendingRepair.reset();
    }
}

std::int64_t ChunkReader::addedBefore(std::size_t pos) const
{
    // The last shift at or before pos; shifts are in buffer order.
    auto it = std::upper_bound(m_shifts.begin(), m_shifts.end(), pos,
        [](std::size_t p, const Utf8::RepairShift& shift) { return p < shift.at; });
    return it == m_shifts.begin() ? 0 : std::prev(it)->added;
}

void ChunkReader::skipWhitespace()
{
    while (!atEnd()) {
        const char c = peek();
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            return;
        advance();
    }
}

bool ChunkReader::readLine(std::string& line)
{
    line.clear();
    if (atEnd())
        return false;
    while (!atEnd()) {
        const char* start = m_buffer.data() + m_pos;
        const std::size_t available = m_length - m_pos;
        if (const void* newline = std::memchr(start, '\n', available)) {
            const auto count = static_cast<std::size_t>(static_cast<const char*>(newline) - start);
            line.append(start, count);
            m_pos += count;
            advance(); // past the '\n'
            return true;
        }
        line.append(start, available);
        m_pos = m_length;
        refill();
    }
    return true;
}

std::size_t ChunkReader::read(char* out, std::size_t count)
{
    std::size_t copied = 0;
    while (copied < count && !atEnd()) {
        const std::size_t n = std::min(count - copied, m_length - m_pos);
        std::memcpy(out + copied, m_buffer.data() + m_pos, n);
        copied += n;
        m_pos += n;
        if (m_pos >= m_length)
            refill();
    }
    return copied;
}

std::uint64_t ChunkReader::skip(std::uint64_t count)
{
    std::uint64_t skipped = 0;
    while (skipped < count && !atEnd()) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(count - skipped, m_length - m_pos));
        skipped += n;
        m_pos += n;
        if (m_pos >= m_length)
            refill();
    }
    return skipped;
}

bool ChunkReader::drainIsBlank()
{
    bool blank = true;
    while (!atEnd()) {
        for (std::size_t i = m_pos; blank && i < m_length; ++i) {
            const char c = m_buffer[i];
            blank = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        }
        m_pos = m_length;
        refill();
    }
    return blank;
}

std::int64_t ChunkReader::line()
{
    const std::size_t upTo = std::min(m_pos, m_length);
    if (upTo > m_countedPos) {
        m_newlines += std::count(m_buffer.begin() + static_cast<std::ptrdiff_t>(m_countedPos),
            m_buffer.begin() + static_cast<std::ptrdiff_t>(upTo), '\n');
        m_countedPos = upTo;
    }
    return m_newlines + 1;
}

std::string ChunkReader::location()
{
    return "line " + std::to_string(line()) + " (byte " + std::to_string(offset()) + ")";
}

std::string ChunkReader::sha256Hex()
{
    return m_hash.result().toHex().toStdString();
}

} // namespace Tracelight
