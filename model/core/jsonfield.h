#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

// Lenient access to the members of JSON records whose shape a source does not promise: what is absent, null or of
// another type reads as missing instead of throwing. The one set of such accessors every importer and view uses.
namespace Tracelight::JsonField {

// The member, or nullptr when object is no object or the member is absent or null. With several keys: the first
// one present.
const nlohmann::json* member(const nlohmann::json& object, const char* key);
const nlohmann::json* member(const nlohmann::json& object, std::string_view key);
const nlohmann::json* member(const nlohmann::json& object, std::initializer_list<const char*> keys);
// The same as a reference, a null value when missing: large members (tool outputs) are not copied.
const nlohmann::json& field(const nlohmann::json& object, const char* key);
const nlohmann::json& field(const nlohmann::json& object, std::string_view key);
const nlohmann::json& field(const nlohmann::json& object, std::initializer_list<const char*> keys);
// A string member, else "".
std::string text(const nlohmann::json& object, const char* key);
std::string text(const nlohmann::json& object, std::string_view key);
std::string text(const nlohmann::json& object, std::initializer_list<const char*> keys);
// A string value, else "".
std::string stringOf(const nlohmann::json& value);
// What a value shows as text: a string as it is, null as "", anything else as indented JSON (bad UTF-8 replaced).
std::string displayText(const nlohmann::json& value);
// An integer member (a JSON integer, an integral float, or a decimal string as OTLP writes 64-bit numbers).
std::optional<std::int64_t> integer(const nlohmann::json& object, const char* key);
// The member if it is an array, else an empty array (for range-for over optional members).
const nlohmann::json& array(const nlohmann::json& object, const char* key);

// How deep JSON from a trace may nest. Deeper values are refused where they are read (a record: an import error
// naming the place; JSON inside a text: the text stays text), so that no walk over them can exhaust the stack.
inline constexpr int MaxNesting = 256;
// Whether JSON text opens more than maxDepth arrays or objects inside each other (a scan, not a parse).
bool nestedDeeperThan(std::string_view text, int maxDepth = MaxNesting);
// JSON text parsed, or a discarded value when it is no JSON or nests deeper than MaxNesting.
nlohmann::json parse(std::string_view text);

} // namespace Tracelight::JsonField
