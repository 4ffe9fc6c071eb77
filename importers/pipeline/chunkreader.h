#pragma once

#include <utf8.h>

#include <QCryptographicHash>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// Reads a file in large chunks and hands it to a parser one character at a time through an input iterator,
// hashing (SHA-256) and reporting progress as it goes. Memory stays at one chunk whatever the file's size.
class ChunkReader
{
public:
    class Iterator
    {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = char;
        using difference_type = std::ptrdiff_t;
        using pointer = const char*;
        using reference = const char&;

        Iterator() = default;
        explicit Iterator(ChunkReader* reader)
            : m_reader(reader)
        { }
        reference operator*() const { return m_reader->m_buffer[m_reader->m_pos]; }
        Iterator& operator++()
        {
            m_reader->advance();
            return *this;
        }
        Iterator operator++(int)
        {
            Iterator previous = *this;
            m_reader->advance();
            return previous;
        }
        bool operator==(const Iterator& other) const { return atEnd() == other.atEnd(); }

    private:
        bool atEnd() const { return !m_reader || m_reader->atEnd(); }
        ChunkReader* m_reader = nullptr;
    };

    ChunkReader() = default;
    ~ChunkReader();
    ChunkReader(const ChunkReader&) = delete;
    ChunkReader& operator=(const ChunkReader&) = delete;

    // Returns an error message, empty on success.
    std::string open(const std::string& path);
    // Reads from a copy of data instead of a file (an OTLP/HTTP body, a line the collector follows).
    void openMemory(std::string_view data);
    std::int64_t size() const { return m_size; }
    // Absolute offset of the current character in the source (before any repair).
    std::int64_t offset() const
    {
        return m_chunkStart + static_cast<std::int64_t>(m_pos) - (m_shifts.empty() ? 0 : addedBefore(m_pos));
    }
    bool atEnd() const { return m_pos >= m_length; }
    char peek() const { return m_buffer[m_pos]; }
    // True while the buffer holds the whole file (a small file, right after open()).
    bool holdsWholeFile() const
    {
        return m_chunkStart == 0 && static_cast<std::int64_t>(m_length + m_tail.size()) - m_added >= m_size;
    }
    // What is buffered from the current position on (the first chunk right after open(): the file's head).
    std::string_view buffered() const { return { m_buffer.data() + m_pos, m_length - m_pos }; }
    void advance()
    {
        if (++m_pos >= m_length)
            refill();
    }
    Iterator begin() { return Iterator(this); }
    Iterator end() { return Iterator(); }

    void skipWhitespace();
    // Reads up to the next '\n' (excluded) into line. Returns false at the end of the file.
    bool readLine(std::string& line);
    // Binary formats: copies the next count bytes to out (fewer at the end of the file); returns how many it copied.
    std::size_t read(char* out, std::size_t count);
    // Skips count bytes (fewer at the end of the file); returns how many it skipped.
    std::uint64_t skip(std::uint64_t count);
    // Reads the rest of the file so the hash covers every byte; true when it held only white space.
    bool drainIsBlank();
    // Stops reading: the parser sees the end of the input (used to cancel).
    void stop() { m_stopped = true; }
    // For text formats: from the current position on, bytes that are not UTF-8 are replaced by U+FFFD and JSON escapes
    // of lone surrogates by \ufffd (Utf8::repairJsonChunk), so that a parser sees valid text; offsets and locations
    // still name the source's bytes. onRepair hears of every line with repairs. Binary formats must not call this.
    void repairText(std::function<void(const Utf8::RepairPlace&)> onRepair);
    // Called after every chunk with the absolute offset read so far.
    void setChunkCallback(std::function<void(std::int64_t)> callback) { m_onChunk = std::move(callback); }
    std::string sha256Hex();
    // 1-based line of the current character (counted incrementally, so asking often is cheap).
    std::int64_t line();
    // "line 12 (byte 3456)" for the current position, or at an absolute offset inside the current chunk.
    std::string location();

private:
    void refill();
    void repairBuffer(bool final);
    std::int64_t addedBefore(std::size_t pos) const;

    std::FILE* m_file = nullptr;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_length = 0;
    std::int64_t m_chunkStart = 0;
    std::int64_t m_size = 0;
    bool m_stopped = false;
    std::int64_t m_newlines = 0; // '\n' seen before m_countedPos
    std::size_t m_countedPos = 0;
    QCryptographicHash m_hash { QCryptographicHash::Sha256 };
    std::function<void(std::int64_t)> m_onChunk;
    // Text repair: the held-back end of the last chunk, where the buffer grew, and who hears of repairs.
    std::function<void(const Utf8::RepairPlace&)> m_onRepair;
    std::string m_tail;
    std::optional<Utf8::RepairPlace> m_pendingRepair;
    std::vector<Utf8::RepairShift> m_shifts;
    std::int64_t m_added = 0;
};

} // namespace Tracelight
