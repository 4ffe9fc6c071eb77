#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

class PriceTableError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// USD per million tokens. Cache and reasoning rates fall back to the input and output rates when the provider
// has no separate price for them.
struct ModelPrice
{
    double input = 0.0; // uncached input
    double output = 0.0;
    std::optional<double> cacheRead;
    std::optional<double> cacheWrite;
    std::optional<double> reasoning;

    double cacheReadRate() const { return cacheRead.value_or(input); }
    double cacheWriteRate() const { return cacheWrite.value_or(input); }
    double reasoningRate() const { return reasoning.value_or(output); }
};

// One row of a price file: a price for the models matching any of the patterns, for calls started in
// [fromNs, untilNs), optionally only through some providers (`via`, e.g. Llama through Groq).
struct PriceEntry
{
    std::vector<std::string> patterns; // lowercase
    std::vector<std::string> via; // lowercase provider names; empty: any provider
    std::string provider; // who sells it (informational)
    ModelPrice price;
    // The model's context window in tokens (input and output together), when known: what a conversation grows
    // toward (the context_pressure finding).
    std::optional<std::int64_t> contextWindow;
    std::string from; // YYYY-MM-DD as written, inclusive (UTC); empty: no start
    std::string until; // exclusive; empty: no end
    std::string source;
    std::string note;
    bool user = false; // from the user's own file

    std::int64_t fromNs() const;
    std::int64_t untilNs() const;
};

struct PriceMatch
{
    const PriceEntry* entry = nullptr;
    std::string pattern;
};

// The model price table: the one shipped in resources/prices/models.json, merged with the user's overrides.
// Immutable once built and shared between threads; lookups are memoized.
class PriceTable
{
public:
    PriceTable() = default;
    PriceTable(const PriceTable& other);
    PriceTable& operator=(const PriceTable& other);

    // Parses a price file; origin names it in errors ("prices.json: models[3]: …").
    static PriceTable fromJson(std::string_view json, const std::string& origin, bool user);
    static PriceTable fromFile(const std::string& path, bool user);
    // The table compiled into the program.
    static const PriceTable& builtIn();
    // AppConfigLocation/prices.json: where the window's price editor saves the user's overrides.
    static std::string userFilePath();
    // The built-in table merged with the user file at path, when it exists (throws PriceTableError on a bad file).
    static PriceTable withUserFile(const std::string& path);

    // Adds the overrides' entries; an override replaces the shipped prices of the patterns it names (for the same
    // `via` providers), and wins ties.
    void merge(const PriceTable& overrides);

    // The price of a model called through provider at time atNs (0: now). The longest matching pattern wins, then
    // an entry restricted to the call's provider, then the user's entry, then the first in the file.
    std::optional<PriceMatch> find(std::string_view model, std::string_view provider, std::int64_t atNs) const;

    const std::vector<PriceEntry>& entries() const { return m_entries; }
    std::vector<PriceEntry> userEntries() const;
    void setEntries(std::vector<PriceEntry> entries);
    // The file form, as read by fromJson.
    std::string toJson() const;

    const std::string& compiled() const { return m_compiled; }
    const std::string& note() const { return m_note; }
    const std::map<std::string, std::string>& sources() const { return m_sources; }

    // Whether pattern names model: it appears in it, starting the name or after '/', '.', ':', '@' or '_', and ends
    // it or is followed by '-', ':', '@', '/' or '_'. So gpt-4o matches gpt-4o-2024-08-06 and openai/gpt-4o but not
    // gpt-4o1 or gpt-4.1, and claude-3-5-sonnet matches anthropic.claude-3-5-sonnet-20240620-v1:0.
    static bool patternMatches(std::string_view model, std::string_view pattern);

private:
    struct Candidate
    {
        std::size_t entry;
        std::size_t pattern;
    };
    const std::vector<Candidate>& candidates(const std::string& model, const std::string& provider) const;

    std::vector<PriceEntry> m_entries;
    std::string m_compiled;
    std::string m_note;
    std::map<std::string, std::string> m_sources;

    mutable std::mutex m_cacheMutex;
    mutable std::map<std::pair<std::string, std::string>, std::vector<Candidate>> m_cache;
};

using PriceTablePtr = std::shared_ptr<const PriceTable>;

} // namespace Tracelight
