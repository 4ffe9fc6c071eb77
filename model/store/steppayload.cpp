#include "steppayload.h"

#include "sqlite.h"

#include <sqlite3.h>
#include <zstd.h>

#include <algorithm>
#include <memory>

namespace Tracelight::StepPayload {

namespace {

enum Encoding : unsigned char
{
    Raw = 0,
    Zstd = 1,
};

// Level 1: the repetitions that matter (a prompt stored three ways, a conversation sent again) are long, and every
// level finds them; higher levels cost import time for a few percent.
constexpr int CompressionLevel = 1;
constexpr std::size_t CachedBlocks = 4;

void appendVarint(std::string& out, std::size_t value)
{
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

bool readVarint(std::string_view& in, std::size_t& value)
{
    value = 0;
    for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
        const auto byte = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        value |= static_cast<std::size_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

// The next length-prefixed item of in, or false at its end; throws when the prefix or item is cut short.
bool next(std::string_view& in, std::string_view& item, const char* what)
{
    if (in.empty())
        return false;
    std::size_t length = 0;
    if (!readVarint(in, length) || length > in.size())
        throw StoreError(std::string("corrupt step payload (") + what + ")");
    item = in.substr(0, length);
    in.remove_prefix(length);
    return true;
}

struct ContextDeleter
{
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// One context per thread: creating one costs more than compressing a small block.
ZSTD_CCtx* compressor()
{
    thread_local std::unique_ptr<ZSTD_CCtx, ContextDeleter> context(ZSTD_createCCtx());
    return context.get();
}

ZSTD_DCtx* decompressor()
{
    thread_local std::unique_ptr<ZSTD_DCtx, ContextDeleter> context(ZSTD_createDCtx());
    return context.get();
}

template <typename Get> std::string containerWith(Get get, int count = FieldCount)
{
    std::size_t size = 0;
    for (int f = 0; f < count; ++f)
        size += get(f).size() + 5;
    std::string out;
    out.reserve(size);
    for (int f = 0; f < count; ++f) {
        const std::string_view field = get(f);
        appendVarint(out, field.size());
        out.append(field);
    }
    return out;
}

const std::string& stepField(const Step& s, int field)
{
    switch (static_cast<Field>(field)) {
    case ToolArguments:
        return s.toolArguments;
    case ToolResult:
        return s.toolResult;
    case SystemInstructions:
        return s.systemInstructions;
    case InputMessages:
        return s.inputMessages;
    case OutputMessages:
        return s.outputMessages;
    case InputText:
        return s.inputText;
    case OutputText:
        return s.outputText;
    case Attributes:
        return s.attributesJson;
    case Events:
        return s.eventsJson;
    case Links:
        return s.linksJson;
    case SearchInput:
    case FieldCount:
        break;
    }
    static const std::string none;
    return none;
}

// The step's own member for a field, nullptr for the fields a Step does not keep (SearchInput).
std::string* stepMember(Step& s, int field)
{
    const std::string& member = stepField(static_cast<const Step&>(s), field);
    return field < SearchInput ? &const_cast<std::string&>(member) : nullptr;
}

template <typename Put> void forEachField(std::string_view container, Put put)
{
    std::string_view field;
    for (int f = 0; f < FieldCount && next(container, field, "field"); ++f)
        put(f, field);
}

std::string_view argBytes(sqlite3_value* value)
{
    const auto* bytes = static_cast<const char*>(sqlite3_value_blob(value));
    return bytes ? std::string_view(bytes, static_cast<std::size_t>(sqlite3_value_bytes(value))) : std::string_view();
}

void packFunction(sqlite3_context* context, int argc, sqlite3_value** argv)
{
    try {
        std::string plain;
        append(plain,
            containerWith(
                [&](int f) {
                    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[f]));
                    return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(argv[f])))
                                : std::string_view();
                },
                std::min(argc, int(FieldCount))));
        const std::string block = compress(plain);
        sqlite3_result_blob64(context, block.data(), block.size(), SQLITE_TRANSIENT);
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    }
}

// tl_payload_field(block, index, field). Snippets ask for four fields of the same step in a row: the last block
// decompressed on this thread is kept, keyed by its stored bytes (a block id could name other bytes after a
// rollback).
void fieldFunction(sqlite3_context* context, int, sqlite3_value** argv)
{
    try {
        const std::string_view block = argBytes(argv[0]);
        if (block.empty())
            return sqlite3_result_null(context);
        thread_local std::string lastBlock;
        thread_local std::string lastPlain;
        if (block != lastBlock) {
            lastPlain = decompress(block);
            lastBlock.assign(block);
        }
        const std::int64_t index = sqlite3_value_int64(argv[1]);
        const int wanted = sqlite3_value_int(argv[2]);
        std::string_view result;
        bool found = false;
        forEachField(at(lastPlain, index), [&](int f, std::string_view text) {
            if (f == wanted) {
                result = text;
                found = true;
            }
        });
        if (!found)
            return sqlite3_result_null(context);
        sqlite3_result_text64(context, result.data(), result.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    }
}

} // namespace

std::string container(const Step& step, std::string_view searchInput)
{
    return containerWith(
        [&](int f) -> std::string_view { return f == SearchInput ? searchInput : stepField(step, f); });
}

std::string container(const Fields& fields)
{
    return containerWith([&](int f) -> std::string_view { return fields[static_cast<std::size_t>(f)]; });
}

Fields fields(std::string_view container)
{
    Fields out;
    forEachField(
        container, [&](int f, std::string_view text) { out[static_cast<std::size_t>(f)] = std::string(text); });
    return out;
}

std::string_view searchInput(std::string_view container, const Fields& fields)
{
    bool present = false;
    forEachField(container, [&](int f, std::string_view) { present = present || f == SearchInput; });
    return fields[present ? SearchInput : InputText];
}

void moveInto(std::string_view container, Step& step)
{
    for (int f = 0; f < SearchInput; ++f)
        stepMember(step, f)->clear();
    step.attributesJson = step.eventsJson = step.linksJson = "[]";
    forEachField(container, [&](int f, std::string_view text) {
        if (std::string* member = stepMember(step, f))
            member->assign(text);
    });
}

void append(std::string& plainBlock, std::string_view container)
{
    appendVarint(plainBlock, container.size());
    plainBlock.append(container);
}

std::string compress(std::string_view plain)
{
    std::string out(1 + ZSTD_compressBound(plain.size()), '\0');
    const std::size_t written
        = ZSTD_compressCCtx(compressor(), out.data() + 1, out.size() - 1, plain.data(), plain.size(), CompressionLevel);
    if (ZSTD_isError(written) || written >= plain.size()) {
        // Incompressible (or zstd failed): stored as it is.
        out.assign(1, static_cast<char>(Raw));
        out.append(plain);
        return out;
    }
    out[0] = static_cast<char>(Zstd);
    out.resize(1 + written);
    return out;
}

std::string decompress(std::string_view block)
{
    if (block.empty())
        throw StoreError("empty step payload block");
    const auto encoding = static_cast<unsigned char>(block.front());
    block.remove_prefix(1);
    if (encoding == Raw)
        return std::string(block);
    if (encoding != Zstd)
        throw StoreError("step payload block of unknown encoding " + std::to_string(encoding));
    const unsigned long long size = ZSTD_getFrameContentSize(block.data(), block.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 34))
        throw StoreError("corrupt step payload block (no frame size)");
    std::string plain(static_cast<std::size_t>(size), '\0');
    const std::size_t read
        = ZSTD_decompressDCtx(decompressor(), plain.data(), plain.size(), block.data(), block.size());
    if (ZSTD_isError(read) || read != plain.size())
        throw StoreError(
            std::string("corrupt step payload block: ") + (ZSTD_isError(read) ? ZSTD_getErrorName(read) : "short"));
    return plain;
}

std::string_view at(std::string_view plainBlock, std::int64_t index)
{
    std::string_view item;
    for (std::int64_t i = 0; next(plainBlock, item, "block"); ++i) {
        if (i == index)
            return item;
    }
    throw StoreError("step payload block has no step " + std::to_string(index));
}

Reader::Reader(const Sql::Database& db)
    : m_db(db)
{ }

Reader::~Reader() = default;

std::string_view Reader::container(std::int64_t block, std::int64_t index)
{
    for (auto it = m_cache.begin(); it != m_cache.end(); ++it) {
        if (it->id == block) {
            m_cache.splice(m_cache.begin(), m_cache, it);
            return at(m_cache.front().plain, index);
        }
    }
    if (!m_select)
        m_select = std::make_unique<Sql::Statement>(m_db.prepare("SELECT data FROM payloads WHERE id = ?"));
    m_select->bind(1, block);
    if (!m_select->step()) {
        m_select->reset();
        throw StoreError("the cache has lost the texts of a step (block " + std::to_string(block) + ")");
    }
    std::string plain = decompress(m_select->blob(0));
    m_select->reset();
    m_cache.push_front({ block, std::move(plain) });
    if (m_cache.size() > CachedBlocks)
        m_cache.pop_back();
    return at(m_cache.front().plain, index);
}

void registerFunctions(sqlite3* db)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    if (sqlite3_create_function_v2(db, "tl_payload", -1, flags, nullptr, packFunction, nullptr, nullptr, nullptr)
            != SQLITE_OK
        || sqlite3_create_function_v2(
               db, "tl_payload_field", 3, flags, nullptr, fieldFunction, nullptr, nullptr, nullptr)
            != SQLITE_OK)
        throw StoreError(std::string("cannot register the cache's SQL functions: ") + sqlite3_errmsg(db));
}

} // namespace Tracelight::StepPayload
