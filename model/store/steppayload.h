#pragma once

#include "step.h"

#include <array>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>

struct sqlite3;

namespace Tracelight {
namespace Sql {
class Database;
class Statement;
} // namespace Sql

// How the cache stores a step's large texts: its tool arguments and result, messages, search texts and every
// attribute, event and link of the source (Field). They are what makes a trace big, and they repeat: a prompt
// arrives as a source attribute, is normalized into messages and flattened into search text, and every llm call of
// a run sends the conversation so far again. So a step's fields are written as one container (each field
// length-prefixed), the containers of consecutive steps of one trace are gathered into a block of about
// BlockTarget bytes, and the block is compressed as one zstd frame: zstd stores each repetition as a reference to
// the first. The table `payloads` holds the blocks; a step names its block and its index in it.
//
// A block's first byte says how the rest is stored (Raw or Zstd). A container's fields come in Field order and a
// missing trailing field reads as empty, so fields can be appended in later versions.
namespace StepPayload {

enum Field : int
{
    ToolArguments,
    ToolResult,
    SystemInstructions,
    InputMessages,
    OutputMessages,
    InputText,
    OutputText,
    Attributes,
    Events,
    Links,
    // The part of InputText the search index holds: its lines less the long ones an earlier step of the trace had
    // (the conversation sent again, a tool result read back). Absent in blocks migrated from version 3, whose
    // index holds all of InputText.
    SearchInput,
    FieldCount
};

using Fields = std::array<std::string, FieldCount>;

// Plain block size at which a writer closes a block: large enough for a run's repeated prompts to be found in it,
// small enough that reading one step decompresses little (about a quarter of a millisecond).
inline constexpr std::size_t BlockTarget = 256 * 1024;

// One step's fields as a container.
std::string container(const Step& step, std::string_view searchInput);
std::string container(const Fields& fields);
// Throws StoreError on a container that is not one.
Fields fields(std::string_view container);
// What the index holds of a step's input: SearchInput where the container has it, else InputText.
std::string_view searchInput(std::string_view container, const Fields& fields);
void moveInto(std::string_view container, Step& step);

// Appends a container to a plain block; returns its index in the block.
void append(std::string& plainBlock, std::string_view container);
// The stored form of a plain block, and back. decompress throws StoreError on a corrupt block.
std::string compress(std::string_view plainBlock);
std::string decompress(std::string_view block);
// The container at index in a plain block (StoreError when the block has no such index).
std::string_view at(std::string_view plainBlock, std::int64_t index);

// Reads steps' containers from the payloads table of a connection, keeping the last few blocks decompressed, so
// that reading the steps of a block one after another decompresses it once.
class Reader
{
public:
    explicit Reader(const Sql::Database& db);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    // Valid until the next call. Throws StoreError when the block is missing or corrupt.
    std::string_view container(std::int64_t block, std::int64_t index);
    Fields fields(std::int64_t block, std::int64_t index) { return StepPayload::fields(container(block, index)); }

private:
    struct Cached
    {
        std::int64_t id;
        std::string plain;
    };
    const Sql::Database& m_db;
    std::unique_ptr<Sql::Statement> m_select;
    std::list<Cached> m_cache; // most recent first
};

// On a connection: tl_payload(f0, …) returns a one-step block of the fields given, tl_payload_field(block, index,
// field) a field as text (NULL when the step's container has no such field). The schema's migration, its search view
// and its triggers use them, so every connection registers them.
void registerFunctions(sqlite3* db);

} // namespace StepPayload
} // namespace Tracelight
