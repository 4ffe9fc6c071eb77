#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// Builds a step's attributesJson (an OTLP JSON KeyValue list) from a source record that is not OTLP: nested
// objects flatten to dotted keys, values stay strings, ints, doubles or bools, and arrays become their compact
// JSON text, so the raw attributes view shows every field. One value is stored up to maxValueBytes; a longer
// one is cut at a UTF-8 boundary, its full length kept under "<key>.original_bytes" and reported by cut()
// (trace-formats.md section 9, huge attribute strings).
class FlatAttributes
{
public:
    static constexpr std::size_t defaultMaxValueBytes = 1 << 20;
    static constexpr std::size_t maxKeys = 2000;
    static constexpr int maxDepth = 8;

    explicit FlatAttributes(std::size_t maxValueBytes = defaultMaxValueBytes)
        : m_maxValueBytes(maxValueBytes)
    { }

    // Adds value under key (objects: under "key.member"; an empty key adds an object's members at the top).
    // Null values and empty objects or arrays are skipped: they say nothing.
    void add(std::string_view key, const nlohmann::json& value);
    // value with the keys of an object left out.
    void addExcept(std::string_view key, const nlohmann::json& value, std::initializer_list<std::string_view> leaveOut);
    void addString(std::string_view key, std::string_view value);
    void addInt(std::string_view key, std::int64_t value);

    bool empty() const { return m_count == 0; }
    std::size_t size() const { return m_count; }
    // The KeyValue list; the builder is empty afterwards.
    std::string take();

    struct Cut
    {
        std::string key;
        std::size_t bytes = 0;
    };
    const std::vector<Cut>& cut() const { return m_cut; }

    // Appends text as a JSON string literal (quotes included). text must be valid UTF-8.
    static void appendJsonString(std::string& out, std::string_view text);

private:
    void flatten(std::string& key, const nlohmann::json& value, int depth);
    void open(std::string_view key);
    void addText(std::string_view key, std::string_view value);

    std::size_t m_maxValueBytes;
    std::string m_out;
    std::size_t m_count = 0;
    std::vector<Cut> m_cut;
};

} // namespace Tracelight
