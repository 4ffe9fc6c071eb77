#include "findings.h"

#include "format.h"
#include "pricetable.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_set>

namespace Tracelight {

namespace {

// Raise when a change to the detectors changes what they find: caches recompute their findings.
constexpr std::int64_t EngineRevision = 1;

constexpr std::array<std::string_view, FindingKindCount> KindNames = { "loop", "runaway", "cost_regression",
    "latency_regression", "failure_cause", "failure_streak", "ungrounded_argument", "context_pressure" };
constexpr std::array<std::string_view, 3> SeverityNames = { "low", "medium", "high" };

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 1469598103934665603ULL)
{
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
bool isAlnum(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isTokenChar(char c)
{
    return isAlnum(c) || c == '_' || c == '-' || c == '.' || c == '@' || c == '/' || c == '+' || c == '#'
        || static_cast<unsigned char>(c) >= 0x80;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool containsAny(std::string_view text, std::initializer_list<std::string_view> words)
{
    const std::string low = lower(text);
    return std::any_of(
        words.begin(), words.end(), [&](std::string_view w) { return low.find(w) != std::string::npos; });
}

// The shortest text that reads back as the same double ("89.99", "12"): how an amount is compared.
std::string canonicalNumber(double value)
{
    std::array<char, 32> buffer {};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

std::optional<double> parseNumber(std::string_view text)
{
    if (text.empty() || text.size() > 24)
        return std::nullopt;
    double value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

bool isAmountKey(std::string_view key)
{
    return containsAny(key, { "amount", "total", "price", "cost", "balance", "fee", "subtotal", "refund_value" });
}

bool isEntityKey(std::string_view key)
{
    const std::string low = lower(key);
    return low == "id" || low.ends_with("_id") || low.ends_with("id") || low.ends_with("_number")
        || low.ends_with("_no") || low == "email";
}

enum class ValueClass
{
    None,
    Identifier,
    Email,
    Path,
    Amount,
};

bool looksLikeDate(std::string_view v)
{
    return v.size() >= 10 && isDigit(v[0]) && isDigit(v[1]) && isDigit(v[2]) && isDigit(v[3]) && v[4] == '-'
        && isDigit(v[5]) && isDigit(v[6]) && v[7] == '-';
}

// What kind of identifier a scalar argument value is, if any: what the provenance check looks for in the run.
ValueClass classify(std::string_view key, const nlohmann::json& value, int minLength, std::string& text)
{
    if (value.is_number()) {
        const double number = value.get<double>();
        text = canonicalNumber(number);
        if (isAmountKey(key))
            return number != 0 ? ValueClass::Amount : ValueClass::None;
        if (value.is_number_integer() && std::fabs(number) >= 10000)
            return ValueClass::Identifier;
        return ValueClass::None;
    }
    if (!value.is_string())
        return ValueClass::None;
    const std::string& s = value.get_ref<const std::string&>();
    text = s;
    if (static_cast<int>(s.size()) < minLength || s.size() > 512)
        return ValueClass::None;
    if (std::any_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t'; }))
        return ValueClass::None;
    if (s.find("://") != std::string::npos || looksLikeDate(s))
        return ValueClass::None;
    const auto at = s.find('@');
    if (at != std::string::npos && at > 0 && s.find('.', at) != std::string::npos)
        return ValueClass::Email;
    if (s.front() == '/' || s.starts_with("~/") || s.starts_with("./"))
        return ValueClass::Path;
    if (const auto number = parseNumber(s)) {
        if (isAmountKey(key)) {
            text = canonicalNumber(*number);
            return ValueClass::Amount;
        }
        return s.size() >= 5 && std::all_of(s.begin(), s.end(), isDigit) ? ValueClass::Identifier : ValueClass::None;
    }
    if (std::none_of(s.begin(), s.end(), isDigit))
        return ValueClass::None;
    const bool idChars = std::all_of(s.begin(), s.end(),
        [](char c) { return isAlnum(c) || c == '_' || c == '-' || c == '.' || c == '#' || c == '+' || c == ':'; });
    return idChars ? ValueClass::Identifier : ValueClass::None;
}

std::optional<nlohmann::json> parseJson(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        ++i;
    if (i == text.size() || (text[i] != '{' && text[i] != '['))
        return std::nullopt;
    nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
    if (value.is_discarded())
        return std::nullopt;
    return value;
}

struct Leaf
{
    std::string path;
    std::string key;
    std::string text;
    ValueClass cls = ValueClass::None;
};

void collectLeaves(const nlohmann::json& value, const std::string& path, const std::string& key, int minLength,
    std::vector<Leaf>& out, int depth = 0)
{
    if (out.size() >= 256 || depth > 16)
        return;
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it)
            collectLeaves(
                it.value(), path.empty() ? it.key() : path + "." + it.key(), it.key(), minLength, out, depth + 1);
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            collectLeaves(value[i], path + "[" + std::to_string(i) + "]", key, minLength, out, depth + 1);
    } else {
        Leaf leaf;
        leaf.cls = classify(key, value, minLength, leaf.text);
        if (leaf.cls != ValueClass::None) {
            leaf.path = path;
            leaf.key = key;
            out.push_back(std::move(leaf));
        }
    }
}

std::string formatUsd(double usd)
{
    char buffer[32];
    if (usd >= 1)
        std::snprintf(buffer, sizeof buffer, "$%.2f", usd);
    else if (usd >= 0.001 || usd == 0)
        std::snprintf(buffer, sizeof buffer, "$%.4f", usd);
    else
        std::snprintf(buffer, sizeof buffer, "$%.2g", usd);
    return buffer;
}

std::string formatCount(double value)
{
    char buffer[32];
    if (value == std::floor(value))
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
    else
        std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

std::string formatRatio(double ratio)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f×", ratio);
    return buffer;
}

std::string formatNs(std::int64_t ns)
{
    return Format::duration(ns).toStdString();
}

std::string shorten(std::string_view text, std::size_t max = 80)
{
    std::string out;
    for (const char c : text) {
        if (out.size() >= max) {
            while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
                out.pop_back();
            if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0)
                out.pop_back();
            return out + "…";
        }
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    return out;
}

} // namespace

std::string_view findingKindName(FindingKind kind)
{
    return KindNames[static_cast<std::size_t>(kind)];
}

std::optional<FindingKind> findingKindFromName(std::string_view name)
{
    for (std::size_t i = 0; i < KindNames.size(); ++i)
        if (KindNames[i] == name)
            return static_cast<FindingKind>(i);
    return std::nullopt;
}

std::string_view findingSeverityName(FindingSeverity severity)
{
    return SeverityNames[static_cast<std::size_t>(severity)];
}

std::optional<FindingSeverity> findingSeverityFromName(std::string_view name)
{
    for (std::size_t i = 0; i < SeverityNames.size(); ++i)
        if (SeverityNames[i] == name)
            return static_cast<FindingSeverity>(i);
    return std::nullopt;
}

std::string findingToJson(const Finding& finding)
{
    nlohmann::ordered_json out;
    out["trace_id"] = finding.traceId;
    out["kind"] = findingKindName(finding.kind);
    out["severity"] = findingSeverityName(finding.severity);
    out["span_ids"] = finding.spanIds;
    out["message"] = finding.message;
    if (finding.wastedTokens)
        out["wasted_tokens"] = *finding.wastedTokens;
    if (finding.wastedCostUsd)
        out["wasted_cost_usd"] = *finding.wastedCostUsd;
    if (finding.wastedNs)
        out["wasted_ns"] = *finding.wastedNs;
    const auto put = [&](const char* key, const std::string& value) {
        if (!value.empty())
            out[key] = value;
    };
    put("argument", finding.argument);
    put("value", finding.value);
    put("entity", finding.entity);
    put("source_span_id", finding.sourceSpanId);
    put("source_value", finding.sourceValue);
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Finding> findingFromJson(std::string_view json)
{
    const nlohmann::json in = nlohmann::json::parse(json, nullptr, false);
    if (!in.is_object())
        return std::nullopt;
    Finding finding;
    const auto kind = findingKindFromName(in.value("kind", std::string()));
    const auto severity = findingSeverityFromName(in.value("severity", std::string()));
    if (!kind || !severity)
        return std::nullopt;
    finding.kind = *kind;
    finding.severity = *severity;
    finding.traceId = in.value("trace_id", std::string());
    if (const auto ids = in.find("span_ids"); ids != in.end() && ids->is_array())
        for (const auto& id : *ids)
            if (id.is_string())
                finding.spanIds.push_back(id.get<std::string>());
    finding.message = in.value("message", std::string());
    if (const auto v = in.find("wasted_tokens"); v != in.end() && v->is_number())
        finding.wastedTokens = v->get<std::int64_t>();
    if (const auto v = in.find("wasted_cost_usd"); v != in.end() && v->is_number())
        finding.wastedCostUsd = v->get<double>();
    if (const auto v = in.find("wasted_ns"); v != in.end() && v->is_number())
        finding.wastedNs = v->get<std::int64_t>();
    finding.argument = in.value("argument", std::string());
    finding.value = in.value("value", std::string());
    finding.entity = in.value("entity", std::string());
    finding.sourceSpanId = in.value("source_span_id", std::string());
    finding.sourceValue = in.value("source_value", std::string());
    return finding;
}

std::string findingSignature(const Finding& finding)
{
    std::string out(findingKindName(finding.kind));
    out += '|';
    bool inNumber = false;
    for (const char c : finding.message) {
        if (isDigit(c)) {
            if (!inNumber)
                out += '#';
            inNumber = true;
            continue;
        }
        // "1.5" and "4,096" are one number.
        if (inNumber && (c == '.' || c == ','))
            continue;
        inNumber = false;
        out += c;
    }
    return out;
}

std::vector<Finding> findingsNewIn(const std::vector<Finding>& a, const std::vector<Finding>& b)
{
    std::set<std::string> known;
    for (const Finding& f : a)
        known.insert(findingSignature(f));
    std::vector<Finding> out;
    for (const Finding& f : b)
        if (!known.count(findingSignature(f)))
            out.push_back(f);
    return out;
}

// ---- thresholds ----

FindingThresholds FindingThresholds::fromJson(std::string_view json, const std::string& origin)
{
    const nlohmann::json in = nlohmann::json::parse(json, nullptr, false);
    if (!in.is_object())
        throw std::runtime_error(origin + ": the findings settings must be a JSON object");
    FindingThresholds t;
    for (auto it = in.begin(); it != in.end(); ++it) {
        const std::string& key = it.key();
        const nlohmann::json& value = it.value();
        const auto integer = [&](int& field, int min) {
            if (!value.is_number_integer() || value.get<std::int64_t>() < min || value.get<std::int64_t>() > 1000000)
                throw std::runtime_error(
                    origin + ": \"" + key + "\" must be a whole number of at least " + std::to_string(min));
            field = value.get<int>();
        };
        const auto real = [&](double& field, double min, double max) {
            if (!value.is_number() || value.get<double>() < min || value.get<double>() > max)
                throw std::runtime_error(
                    origin + ": \"" + key + "\" must be a number from " + formatCount(min) + " to " + formatCount(max));
            field = value.get<double>();
        };
        if (key == "loop_repeats")
            integer(t.loopRepeats, 2);
        else if (key == "same_result_repeats")
            integer(t.sameResultRepeats, 2);
        else if (key == "prompt_repeats")
            integer(t.promptRepeats, 2);
        else if (key == "failure_streak")
            integer(t.failureStreak, 2);
        else if (key == "baseline_min_runs")
            integer(t.baselineMinRuns, 2);
        else if (key == "baseline_mads")
            real(t.baselineMads, 0, 100);
        else if (key == "baseline_ratio")
            real(t.baselineRatio, 1, 1000);
        else if (key == "context_warning")
            real(t.contextWarning, 0.01, 1);
        else if (key == "context_high")
            real(t.contextHigh, 0.01, 1);
        else if (key == "min_identifier_length")
            integer(t.minIdentifierLength, 1);
        else if (key == "ungrounded_arguments") {
            if (!value.is_boolean())
                throw std::runtime_error(origin + ": \"ungrounded_arguments\" must be true or false");
            t.ungroundedArguments = value.get<bool>();
        } else if (key != "note")
            throw std::runtime_error(origin + ": unknown setting \"" + key + "\" (README \"Findings\" lists them)");
    }
    return t;
}

FindingThresholds FindingThresholds::fromFile(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(
            path + ": cannot read the findings settings (" + file.errorString().toStdString() + ")");
    const QByteArray bytes = file.readAll();
    return fromJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())), path);
}

std::string FindingThresholds::userFilePath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.config/tracelight");
    return QString(dir + QStringLiteral("/findings.json")).toStdString();
}

FindingThresholds FindingThresholds::withUserFile(const std::string& path)
{
    if (!path.empty() && QFile::exists(QString::fromStdString(path)))
        return fromFile(path);
    return {};
}

std::string FindingThresholds::toJson() const
{
    nlohmann::ordered_json out;
    out["loop_repeats"] = loopRepeats;
    out["same_result_repeats"] = sameResultRepeats;
    out["prompt_repeats"] = promptRepeats;
    out["failure_streak"] = failureStreak;
    out["baseline_min_runs"] = baselineMinRuns;
    out["baseline_mads"] = baselineMads;
    out["baseline_ratio"] = baselineRatio;
    out["context_warning"] = contextWarning;
    out["context_high"] = contextHigh;
    out["ungrounded_arguments"] = ungroundedArguments;
    out["min_identifier_length"] = minIdentifierLength;
    return out.dump(2);
}

std::int64_t FindingThresholds::fingerprint() const
{
    const std::uint64_t hash = fnv1a(toJson(), fnv1a(std::to_string(EngineRevision)));
    // Positive and never 0 (0 marks a run whose findings are pending).
    return static_cast<std::int64_t>(hash >> 2) + 1;
}

// ---- the per-run detectors ----

namespace {

enum class SourceKind : std::uint8_t
{
    Prompt,
    Input,
    ToolResult,
};

struct TokenSource
{
    std::int64_t at = 0;
    int step = -1;
    SourceKind kind = SourceKind::Prompt;
};

struct Fact
{
    std::int64_t at = 0;
    int step = -1;
    std::string value;
};

struct Compact
{
    std::string spanId;
    std::string parentId;
    std::string name;
    StepKind kind = StepKind::Other;
    StepStatus status = StepStatus::Unset;
    std::string statusMessage;
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::string toolName;
    std::string model;
    std::string provider;
    TokenUsage tokens;
    std::optional<double> cost;
    std::uint64_t argsHash = 0;
    std::uint64_t resultHash = 0;
    std::uint64_t promptHash = 0;
    std::uint64_t outputHash = 0;
    std::size_t resultSize = 0;
    bool hasPrompt = false;
    bool truncated = false;
    std::vector<Leaf> leaves; // identifier-like argument values
    std::vector<std::pair<std::string, std::string>> idArgs; // top-level identifier-like arguments
    std::int64_t duration() const { return end > start ? end - start : 0; }
};

// What repeated steps cost: their time, and the tokens and cost of the llm calls among them.
struct Waste
{
    std::int64_t ns = 0;
    std::optional<std::int64_t> tokens;
    std::optional<double> cost;

    void add(const Compact& step, bool countUsage)
    {
        ns += step.duration();
        if (!countUsage)
            return;
        if (!step.tokens.empty())
            tokens = tokens.value_or(0) + step.tokens.total();
        if (step.cost)
            cost = cost.value_or(0) + *step.cost;
    }
    void applyTo(Finding& finding) const
    {
        finding.wastedNs = ns;
        finding.wastedTokens = tokens;
        finding.wastedCostUsd = cost;
    }
};

} // namespace

struct RunFindingsBuilder::Private
{
    std::string traceId;
    FindingThresholds thresholds;
    std::shared_ptr<const PriceTable> prices;
    std::vector<Compact> steps;
    std::unordered_map<std::string, TokenSource> tokens;
    std::unordered_map<std::string, std::unordered_map<std::string, std::vector<Fact>>> facts;
    std::unordered_map<std::string, int> bySpan;
    std::vector<int> issuer; // per step: the llm call that issued a tool call, -1
    struct LastInput
    {
        std::int64_t start = 0;
        std::string text;
    };
    std::unordered_map<std::string, LastInput> lastInput; // per parent: the last llm input scanned
    bool finished = false;

    void addToken(std::string_view token, std::int64_t at, int step, SourceKind kind)
    {
        auto put = [&](std::string_view t) {
            if (t.size() < 3)
                return;
            auto [it, inserted] = tokens.try_emplace(std::string(t), TokenSource { at, step, kind });
            if (!inserted && at < it->second.at)
                it->second = TokenSource { at, step, kind };
        };
        put(token);
        if (token.find('@') != std::string_view::npos)
            put(lower(token));
        if (const auto number = parseNumber(token))
            put(canonicalNumber(*number));
        // Parts of a compound id (an order number inside "order-A-10442") and a path's folders and file name.
        if (token.find('/') != std::string_view::npos) {
            for (std::size_t slash = token.find('/', 1); slash != std::string_view::npos;
                 slash = token.find('/', slash + 1))
                put(token.substr(0, slash));
            put(token.substr(token.rfind('/') + 1));
        } else if (token.find_first_of("_-") != std::string_view::npos) {
            std::size_t begin = 0;
            for (std::size_t i = 0; i <= token.size(); ++i)
                if (i == token.size() || token[i] == '_' || token[i] == '-') {
                    const std::string_view part = token.substr(begin, i - begin);
                    if (static_cast<int>(part.size()) >= thresholds.minIdentifierLength
                        && std::any_of(part.begin(), part.end(), isDigit))
                        put(part);
                    begin = i + 1;
                }
        }
    }

    // The identifier-like tokens of a text (JSON or not): runs of id characters holding a digit, '@', '/' or an
    // inner '.'; JSON escapes separate tokens.
    void scan(std::string_view text, std::int64_t at, int step, SourceKind kind)
    {
        std::size_t i = 0;
        const std::size_t n = text.size();
        while (i < n) {
            if (text[i] == '\\') {
                i += (i + 1 < n && text[i + 1] == 'u') ? 6 : 2;
                continue;
            }
            if (!isTokenChar(text[i])) {
                ++i;
                continue;
            }
            std::size_t j = i;
            bool interesting = false;
            while (j < n && isTokenChar(text[j])) {
                const char c = text[j];
                interesting = interesting || isDigit(c) || c == '@' || c == '/' || c == '.';
                ++j;
            }
            std::string_view token = text.substr(i, j - i);
            i = j;
            if (!interesting)
                continue;
            while (!token.empty() && (token.back() == '.' || token.back() == '-' || token.back() == '/'))
                token.remove_suffix(1);
            while (!token.empty() && (token.front() == '.' || token.front() == '-') && !token.starts_with("./"))
                token.remove_prefix(1);
            if (token.size() >= 3)
                addToken(token, at, step, kind);
        }
    }

    void addFacts(const nlohmann::json& value, const Compact& call, int step, bool top, int depth = 0)
    {
        if (depth > 12)
            return;
        if (value.is_array()) {
            for (const auto& item : value)
                addFacts(item, call, step, false, depth + 1);
            return;
        }
        if (!value.is_object())
            return;
        std::vector<std::pair<std::string, std::string>> fields;
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (it.value().is_structured()) {
                addFacts(it.value(), call, step, false, depth + 1);
                continue;
            }
            std::string text;
            const ValueClass cls = classify(it.key(), it.value(), thresholds.minIdentifierLength, text);
            if (cls != ValueClass::None && cls != ValueClass::Path)
                fields.emplace_back(it.key(), std::move(text));
        }
        // What an object is about: its own identifying fields and, for the result's top object, the identifying
        // arguments the call asked about. What it states about them are its own fields only (an argument is not
        // a fact because the call was given it).
        std::vector<std::pair<std::string, std::string>> identity;
        for (const auto& field : fields)
            if (isEntityKey(field.first))
                identity.push_back(field);
        if (top)
            for (const auto& [key, text] : call.idArgs)
                if (isEntityKey(key)
                    && std::none_of(fields.begin(), fields.end(), [&](const auto& f) { return f.first == key; }))
                    identity.emplace_back(key, text);
        for (const auto& [k1, v1] : identity) {
            auto& entity = facts[k1 + "=" + v1];
            for (const auto& [k2, v2] : fields)
                if (k2 != k1)
                    entity[k2].push_back(Fact { call.end, step, v2 });
        }
    }

    void detectLoops(std::vector<Finding>& out, std::vector<bool>& inLoop);
    void detectPromptRepeats(std::vector<Finding>& out, const std::vector<bool>& inLoop);
    void detectFailures(std::vector<Finding>& out, const std::vector<bool>& inLoop);
    void detectProvenance(std::vector<Finding>& out);
    void detectContext(std::vector<Finding>& out);
    std::optional<ArgumentSource> sourceOf(int call, const Leaf& leaf) const;
    std::vector<ArgumentSource> conflictsOf(int call) const;

    std::string describe(int step) const
    {
        const Compact& s = steps[static_cast<std::size_t>(step)];
        return s.toolName.empty() ? s.name : s.toolName;
    }

    Finding make(FindingKind kind, FindingSeverity severity) const
    {
        Finding f;
        f.traceId = traceId;
        f.kind = kind;
        f.severity = severity;
        return f;
    }
};

RunFindingsBuilder::RunFindingsBuilder(
    std::string traceId, FindingThresholds thresholds, std::shared_ptr<const PriceTable> prices)
    : d(std::make_unique<Private>())
{
    d->traceId = std::move(traceId);
    d->thresholds = thresholds;
    d->prices = std::move(prices);
}

RunFindingsBuilder::~RunFindingsBuilder() = default;

void RunFindingsBuilder::add(const StepDetail& detail)
{
    const StepRecord& r = detail.record;
    const Step& s = detail.step;
    Compact c;
    c.spanId = r.spanId;
    c.parentId = r.parentId;
    c.name = r.name;
    c.kind = r.kind;
    c.status = r.status;
    c.statusMessage = r.statusMessage;
    c.start = r.startNs;
    c.end = r.endNs > r.startNs ? r.endNs : r.startNs;
    c.toolName = r.toolName.str();
    c.model = r.model.str();
    c.provider = r.provider.str();
    c.tokens = r.tokens;
    c.cost = r.costUsd;
    const int index = static_cast<int>(d->steps.size());

    if (!s.toolArguments.empty() || !s.toolResult.empty() || r.kind == StepKind::Tool) {
        const auto args = parseJson(s.toolArguments);
        c.argsHash = fnv1a(args ? args->dump() : s.toolArguments);
        c.resultHash = fnv1a(s.toolResult);
        c.resultSize = s.toolResult.size();
        if (args) {
            collectLeaves(*args, {}, {}, d->thresholds.minIdentifierLength, c.leaves);
            if (args->is_object())
                for (auto it = args->begin(); it != args->end(); ++it) {
                    std::string text;
                    const ValueClass cls = classify(it.key(), it.value(), d->thresholds.minIdentifierLength, text);
                    if (cls != ValueClass::None && cls != ValueClass::Path)
                        c.idArgs.emplace_back(it.key(), std::move(text));
                }
        }
        if (!s.toolResult.empty()) {
            d->scan(s.toolResult, c.end, index, SourceKind::ToolResult);
            if (s.toolResult.size() <= 4 * 1024 * 1024)
                if (const auto result = parseJson(s.toolResult))
                    d->addFacts(*result, c, index, true);
        }
    }
    const bool hasMessages = !s.inputMessages.empty() && s.inputMessages != "[]";
    if (hasMessages || !s.systemInstructions.empty()) {
        c.hasPrompt = true;
        c.promptHash = fnv1a(s.inputMessages, fnv1a(s.systemInstructions));
        d->scan(s.systemInstructions, c.start, index, SourceKind::Prompt);
        // A conversation sends its history again with every call: what the previous call of the same parent was
        // sent (and started no later) is scanned already, so only what follows the shared start is.
        std::string_view fresh = s.inputMessages;
        auto& previous = d->lastInput[r.parentId];
        if (previous.start <= c.start && !previous.text.empty()) {
            const std::size_t limit = std::min(previous.text.size(), fresh.size());
            std::size_t same = 0;
            while (same < limit && previous.text[same] == fresh[same])
                ++same;
            // Back to a separator, so that a token cut by the shared prefix is scanned whole.
            while (same > 0 && isTokenChar(fresh[same - 1]))
                --same;
            if (same > 0 && fresh[same - 1] == '\\') // and out of an escape ("\n", "\u00e9")
                --same;
            fresh.remove_prefix(same);
        }
        d->scan(fresh, c.start, index, r.kind == StepKind::Llm ? SourceKind::Prompt : SourceKind::Input);
        previous.start = c.start;
        previous.text = s.inputMessages;
    } else if (!s.inputText.empty()) {
        c.hasPrompt = r.kind == StepKind::Llm;
        if (c.hasPrompt)
            c.promptHash = fnv1a(s.inputText);
        d->scan(s.inputText, c.start, index, r.kind == StepKind::Llm ? SourceKind::Prompt : SourceKind::Input);
    }
    // The run's own context (its session or conversation id, its user) is known to whoever acts in it.
    for (const std::string* context : { &s.sessionId, &s.userId })
        if (!context->empty())
            d->scan(*context, c.start, index, SourceKind::Input);
    if (r.kind == StepKind::Llm)
        c.outputHash
            = fnv1a(s.outputMessages.empty() ? std::string_view(s.outputText) : std::string_view(s.outputMessages));
    if (r.kind == StepKind::Llm && !s.outputMessages.empty()) {
        const std::string_view out = s.outputMessages;
        for (const std::string_view reason :
            { "\"finish_reason\":\"length\"", "\"finish_reason\":\"max_tokens\"", "\"finish_reason\":\"MAX_TOKENS\"" })
            if (out.find(reason) != std::string_view::npos)
                c.truncated = true;
    }
    d->bySpan.emplace(c.spanId, index);
    d->steps.push_back(std::move(c));
}

std::vector<Finding> RunFindingsBuilder::finish()
{
    std::vector<Finding> out;
    auto& steps = d->steps;
    // Start order (ties: the earlier end, then the span id), so that every detector reads the run as it happened.
    std::vector<int> order(steps.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const Compact& x = steps[static_cast<std::size_t>(a)];
        const Compact& y = steps[static_cast<std::size_t>(b)];
        return std::tie(x.start, x.end, x.spanId) < std::tie(y.start, y.end, y.spanId);
    });
    std::vector<Compact> sorted;
    sorted.reserve(steps.size());
    std::vector<int> newIndex(steps.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        newIndex[static_cast<std::size_t>(order[i])] = static_cast<int>(i);
        sorted.push_back(std::move(steps[static_cast<std::size_t>(order[i])]));
    }
    steps = std::move(sorted);
    for (auto& [token, source] : d->tokens)
        source.step = newIndex[static_cast<std::size_t>(source.step)];
    for (auto& [entity, fields] : d->facts)
        for (auto& [field, list] : fields)
            for (Fact& fact : list)
                fact.step = newIndex[static_cast<std::size_t>(fact.step)];
    d->bySpan.clear();
    for (std::size_t i = 0; i < steps.size(); ++i)
        d->bySpan.emplace(steps[i].spanId, static_cast<int>(i));

    // The llm call that issued each tool call: its parent when that is an llm call, else the latest llm call of the
    // same parent that ended by the time the tool started, else the latest llm call anywhere that had.
    d->issuer.assign(steps.size(), -1);
    std::unordered_map<std::string, int> lastLlmOfParent;
    int lastLlm = -1;
    constexpr std::int64_t Slack = 1'000'000; // clocks of the same process disagree by less than a millisecond
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Compact& s = steps[i];
        if (s.kind == StepKind::Tool) {
            int who = -1;
            if (const auto parent = d->bySpan.find(s.parentId);
                parent != d->bySpan.end() && steps[static_cast<std::size_t>(parent->second)].kind == StepKind::Llm)
                who = parent->second;
            if (who < 0)
                if (const auto it = lastLlmOfParent.find(s.parentId);
                    it != lastLlmOfParent.end() && steps[static_cast<std::size_t>(it->second)].end <= s.start + Slack)
                    who = it->second;
            if (who < 0 && lastLlm >= 0 && steps[static_cast<std::size_t>(lastLlm)].end <= s.start + Slack)
                who = lastLlm;
            d->issuer[i] = who;
        }
        if (s.kind == StepKind::Llm) {
            lastLlmOfParent[s.parentId] = static_cast<int>(i);
            if (lastLlm < 0 || s.end >= steps[static_cast<std::size_t>(lastLlm)].end)
                lastLlm = static_cast<int>(i);
        }
    }

    std::vector<bool> inLoop(steps.size(), false);
    d->detectLoops(out, inLoop);
    d->detectPromptRepeats(out, inLoop);
    d->detectFailures(out, inLoop);
    if (d->thresholds.ungroundedArguments)
        d->detectProvenance(out);
    d->detectContext(out);
    d->finished = true;
    std::stable_sort(
        out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
    return out;
}

void RunFindingsBuilder::Private::detectLoops(std::vector<Finding>& out, std::vector<bool>& inLoop)
{
    // The same tool, the same arguments, the same outcome: a call that cannot tell the agent anything new.
    std::map<std::tuple<std::string, std::uint64_t, std::uint64_t, int, std::string>, std::vector<int>> same;
    // The same tool returning the same (substantial) result to different arguments, call after call of one parent
    // (reading a file again an hour later is not a loop; five searches in a row that all find the same is).
    std::vector<std::vector<int>> sameResult;
    std::map<std::string, std::vector<int>> streakOfParent;
    const auto endStreak = [&](std::vector<int>& streak) {
        if (static_cast<int>(streak.size()) >= thresholds.sameResultRepeats)
            sameResult.push_back(streak);
        streak.clear();
    };
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Compact& s = steps[i];
        if (s.kind != StepKind::Tool || s.toolName.empty())
            continue;
        same[{ s.toolName, s.argsHash, s.resultHash, static_cast<int>(s.status), s.statusMessage }].push_back(
            static_cast<int>(i));
        auto& streak = streakOfParent[s.parentId];
        if (!streak.empty()) {
            const Compact& previous = steps[static_cast<std::size_t>(streak.back())];
            if (previous.toolName != s.toolName || previous.resultHash != s.resultHash)
                endStreak(streak);
        }
        if (s.status != StepStatus::Error && s.resultSize >= 64)
            streak.push_back(static_cast<int>(i));
        else
            endStreak(streak);
    }
    for (auto& [parent, streak] : streakOfParent)
        endStreak(streak);
    const auto waste = [&](Finding& f, const std::vector<int>& calls) {
        Waste waste;
        std::set<int> issuers;
        for (std::size_t k = 1; k < calls.size(); ++k) {
            const int call = calls[k];
            waste.add(steps[static_cast<std::size_t>(call)], false);
            const int who = issuer[static_cast<std::size_t>(call)];
            if (who >= 0 && issuers.insert(who).second)
                waste.add(steps[static_cast<std::size_t>(who)], true);
        }
        waste.applyTo(f);
        for (const int call : calls) {
            inLoop[static_cast<std::size_t>(call)] = true;
            if (const int who = issuer[static_cast<std::size_t>(call)]; who >= 0)
                inLoop[static_cast<std::size_t>(who)] = true;
        }
    };
    std::set<int> looped;
    for (const auto& [key, calls] : same) {
        if (static_cast<int>(calls.size()) < thresholds.loopRepeats)
            continue;
        const Compact& first = steps[static_cast<std::size_t>(calls.front())];
        Finding f = make(FindingKind::Loop,
            static_cast<int>(calls.size()) >= 2 * thresholds.loopRepeats ? FindingSeverity::High
                                                                         : FindingSeverity::Medium);
        for (const int call : calls) {
            f.spanIds.push_back(steps[static_cast<std::size_t>(call)].spanId);
            looped.insert(call);
        }
        f.message = first.toolName + " was called " + std::to_string(calls.size())
            + " times with the same arguments and got the same "
            + (first.status == StepStatus::Error ? "error each time"
                        + (first.statusMessage.empty() ? std::string() : " (" + shorten(first.statusMessage) + ")")
                                                 : std::string("result each time"));
        waste(f, calls);
        out.push_back(std::move(f));
    }
    for (const std::vector<int>& all : sameResult) {
        std::vector<int> calls;
        std::set<std::uint64_t> args;
        for (const int call : all)
            if (!looped.count(call)) {
                calls.push_back(call);
                args.insert(steps[static_cast<std::size_t>(call)].argsHash);
            }
        if (static_cast<int>(calls.size()) < thresholds.sameResultRepeats || args.size() < 2)
            continue;
        const Compact& first = steps[static_cast<std::size_t>(calls.front())];
        Finding f = make(FindingKind::Loop, FindingSeverity::Medium);
        for (const int call : calls)
            f.spanIds.push_back(steps[static_cast<std::size_t>(call)].spanId);
        f.message = first.toolName + " returned the same result to " + std::to_string(calls.size())
            + " different calls: the rounds after the first brought no new information";
        waste(f, calls);
        out.push_back(std::move(f));
    }
}

void RunFindingsBuilder::Private::detectPromptRepeats(std::vector<Finding>& out, const std::vector<bool>& inLoop)
{
    std::vector<std::int64_t> toolEnds;
    for (const Compact& s : steps)
        if (s.kind == StepKind::Tool)
            toolEnds.push_back(s.end);
    std::sort(toolEnds.begin(), toolEnds.end());
    const auto toolEndedBetween = [&](std::int64_t after, std::int64_t upTo) {
        const auto it = std::upper_bound(toolEnds.begin(), toolEnds.end(), after);
        return it != toolEnds.end() && *it <= upTo;
    };
    std::map<std::uint64_t, std::vector<int>> byPrompt;
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i].kind == StepKind::Llm && steps[i].hasPrompt)
            byPrompt[steps[i].promptHash].push_back(static_cast<int>(i));
    for (const auto& [hash, calls] : byPrompt) {
        if (static_cast<int>(calls.size()) < thresholds.promptRepeats)
            continue;
        // A retry after a failed call is what a client should do; a prompt sent again after it was answered is
        // paid for twice.
        // A tool that returned between two calls changed what the model was sent, whatever the source recorded
        // of the prompt (some record only the user's message), and a different answer shows that the model was sent
        // more than what was recorded: only the same answer to the same prompt with no tool result between counts.
        std::vector<int> wasted;
        bool answered = false;
        int previous = -1;
        for (const int call : calls) {
            const Compact& s = steps[static_cast<std::size_t>(call)];
            const Compact* before = previous >= 0 ? &steps[static_cast<std::size_t>(previous)] : nullptr;
            if (answered && before && before->outputHash == s.outputHash && !toolEndedBetween(before->start, s.start))
                wasted.push_back(call);
            answered = s.status != StepStatus::Error;
            previous = call;
        }
        if (wasted.empty() || std::all_of(wasted.begin(), wasted.end(), [&](int call) {
                return inLoop[static_cast<std::size_t>(call)];
            }))
            continue;
        const Compact& first = steps[static_cast<std::size_t>(calls.front())];
        Finding f = make(FindingKind::Loop, wasted.size() >= 3 ? FindingSeverity::Medium : FindingSeverity::Low);
        for (const int call : calls)
            f.spanIds.push_back(steps[static_cast<std::size_t>(call)].spanId);
        Waste waste;
        for (const int call : wasted)
            waste.add(steps[static_cast<std::size_t>(call)], true);
        waste.applyTo(f);
        f.message = "the same prompt was sent " + std::to_string(calls.size()) + " times"
            + (first.model.empty() ? std::string() : " to " + first.model) + ", " + std::to_string(wasted.size())
            + (wasted.size() == 1 ? " time" : " times") + " after it had been answered";
        out.push_back(std::move(f));
    }
}

void RunFindingsBuilder::Private::detectFailures(std::vector<Finding>& out, const std::vector<bool>& inLoop)
{
    std::unordered_map<std::string, std::vector<int>> children;
    std::vector<int> roots;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Compact& s = steps[i];
        if (!s.parentId.empty() && bySpan.count(s.parentId) && s.parentId != s.spanId)
            children[s.parentId].push_back(static_cast<int>(i));
        else
            roots.push_back(static_cast<int>(i));
    }
    std::set<int> explained;
    for (const int root : roots) {
        if (steps[static_cast<std::size_t>(root)].status != StepStatus::Error)
            continue;
        // Down from the failed root: at each level the first child that failed (in start order) is what the
        // parent failed of; where no child failed, the step failed on its own.
        int at = root;
        std::vector<int> path { root };
        std::vector<int> retries;
        std::set<int> seen { root };
        for (;;) {
            const auto it = children.find(steps[static_cast<std::size_t>(at)].spanId);
            if (it == children.end())
                break;
            int next = -1;
            for (const int child : it->second)
                if (steps[static_cast<std::size_t>(child)].status == StepStatus::Error && !seen.count(child)) {
                    next = child;
                    break;
                }
            if (next < 0)
                break;
            // Retries of the same tool (or call) under the same parent are one cause.
            retries.clear();
            const Compact& n = steps[static_cast<std::size_t>(next)];
            for (const int child : it->second)
                if (child != next && steps[static_cast<std::size_t>(child)].status == StepStatus::Error
                    && steps[static_cast<std::size_t>(child)].name == n.name
                    && steps[static_cast<std::size_t>(child)].toolName == n.toolName)
                    retries.push_back(child);
            seen.insert(next);
            path.push_back(next);
            at = next;
        }
        const Compact& cause = steps[static_cast<std::size_t>(at)];
        Finding f = make(FindingKind::FailureCause, FindingSeverity::High);
        f.spanIds.push_back(cause.spanId);
        for (const int r : retries)
            f.spanIds.push_back(steps[static_cast<std::size_t>(r)].spanId);
        if (at != root)
            f.spanIds.push_back(steps[static_cast<std::size_t>(root)].spanId);
        explained.insert(at);
        const std::string what
            = (cause.kind == StepKind::Other ? std::string() : std::string(stepKindName(cause.kind)) + " ")
            + describe(at);
        f.message = at == root ? "the run failed in " + what : "the run failed because " + what + " failed";
        if (!retries.empty())
            f.message += " (" + std::to_string(retries.size() + 1) + " attempts)";
        if (!cause.statusMessage.empty())
            f.message += ": " + shorten(cause.statusMessage, 160);
        out.push_back(std::move(f));
    }
    // A guardrail that tripped, or a person who stopped the run.
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Compact& s = steps[i];
        if ((s.kind != StepKind::Guardrail && s.kind != StepKind::Human) || s.status != StepStatus::Error
            || explained.count(static_cast<int>(i)))
            continue;
        Finding f = make(FindingKind::FailureCause, FindingSeverity::High);
        f.spanIds.push_back(s.spanId);
        f.message = std::string(s.kind == StepKind::Guardrail ? "guardrail " : "human step ") + s.name
            + " stopped the run" + (s.statusMessage.empty() ? std::string() : ": " + shorten(s.statusMessage, 160));
        out.push_back(std::move(f));
    }
    // Failure streaks: the same tool failing again and again (with different arguments: the same arguments are a
    // loop), in the same parent.
    std::map<std::pair<std::string, std::string>, std::vector<int>> streak;
    const auto flush = [&](const std::vector<int>& calls) {
        if (static_cast<int>(calls.size()) < thresholds.failureStreak)
            return;
        const Compact& last = steps[static_cast<std::size_t>(calls.back())];
        Finding f = make(FindingKind::FailureStreak, FindingSeverity::Medium);
        std::int64_t ns = 0;
        for (const int call : calls) {
            f.spanIds.push_back(steps[static_cast<std::size_t>(call)].spanId);
            ns += steps[static_cast<std::size_t>(call)].duration();
        }
        f.wastedNs = ns;
        f.message = last.toolName + " failed " + std::to_string(calls.size()) + " times in a row"
            + (last.statusMessage.empty() ? std::string() : ": " + shorten(last.statusMessage, 120));
        out.push_back(std::move(f));
    };
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Compact& s = steps[i];
        if (s.kind != StepKind::Tool || s.toolName.empty() || inLoop[i])
            continue;
        auto& run = streak[{ s.parentId, s.toolName }];
        if (s.status == StepStatus::Error) {
            run.push_back(static_cast<int>(i));
        } else {
            flush(run);
            run.clear();
        }
    }
    for (const auto& [key, run] : streak)
        flush(run);
}

std::optional<ArgumentSource> RunFindingsBuilder::Private::sourceOf(int call, const Leaf& leaf) const
{
    const Compact& c = steps[static_cast<std::size_t>(call)];
    const auto find = [&](const std::string& token) -> const TokenSource* {
        const auto it = tokens.find(token);
        if (it == tokens.end() || it->second.at > c.start || it->second.step == call)
            return nullptr;
        return &it->second;
    };
    const TokenSource* source = nullptr;
    if (leaf.cls == ValueClass::Email)
        source = find(leaf.text) ? find(leaf.text) : find(lower(leaf.text));
    else if (leaf.cls == ValueClass::Path) {
        std::string path = leaf.text;
        while (path.size() > 1 && path.back() == '/')
            path.pop_back();
        source = find(path);
        if (!source && path.find('/') != std::string::npos) {
            const std::string name = path.substr(path.rfind('/') + 1);
            const std::string folder = path.substr(0, path.rfind('/'));
            source = name.size() >= 3 ? find(name) : nullptr;
            if (!source && folder.size() >= 2)
                source = find(folder);
        }
    } else
        source = find(leaf.text);
    ArgumentSource result;
    result.argument = leaf.path;
    result.value = leaf.text;
    if (source) {
        const Compact& s = steps[static_cast<std::size_t>(source->step)];
        result.sourceSpanId = s.spanId;
        result.sourceName = s.toolName.empty() ? s.name : s.toolName;
        result.sourceKind = source->kind == SourceKind::Prompt ? "prompt"
            : source->kind == SourceKind::Input                ? "input"
                                                               : "tool result";
    }
    return result;
}

std::vector<ArgumentSource> RunFindingsBuilder::Private::conflictsOf(int call) const
{
    std::vector<ArgumentSource> out;
    const Compact& c = steps[static_cast<std::size_t>(call)];
    for (const auto& [k1, v1] : c.idArgs) {
        if (!isEntityKey(k1))
            continue;
        const auto entity = facts.find(k1 + "=" + v1);
        if (entity == facts.end())
            continue;
        for (const auto& [k2, v2] : c.idArgs) {
            if (k2 == k1)
                continue;
            const auto field = entity->second.find(k2);
            if (field == entity->second.end())
                continue;
            const Fact* latest = nullptr;
            bool agrees = false;
            for (const Fact& fact : field->second) {
                if (fact.at > c.start || fact.step == call)
                    continue;
                agrees = agrees || fact.value == v2;
                if (!latest || fact.at > latest->at)
                    latest = &fact;
            }
            if (!latest || agrees)
                continue;
            ArgumentSource conflict;
            conflict.argument = k2;
            conflict.value = v2;
            conflict.entity = k1 + "=" + v1;
            conflict.conflictSpanId = steps[static_cast<std::size_t>(latest->step)].spanId;
            conflict.conflictName = describe(latest->step);
            conflict.conflictValue = latest->value;
            out.push_back(std::move(conflict));
        }
    }
    return out;
}

void RunFindingsBuilder::Private::detectProvenance(std::vector<Finding>& out)
{
    // A write-like tool acting on a value from nowhere is worse than a lookup with one.
    // The tool's first word says whether it acts (issue_refund, sendEmail) or looks (get_order, search_orders).
    const auto acts = [](const std::string& tool) {
        std::string verb;
        for (std::size_t i = 0; i < tool.size(); ++i) {
            const char c = tool[i];
            if (c == '_' || c == '-' || c == '.' || c == ' ' || (i > 0 && c >= 'A' && c <= 'Z'))
                break;
            verb += c;
        }
        verb = lower(verb);
        static const std::set<std::string> verbs { "refund", "pay", "transfer", "charge", "send", "delete", "remove",
            "cancel", "update", "create", "write", "issue", "book", "approve", "grant", "post", "submit", "place",
            "execute", "run", "deploy", "drop", "set", "edit", "move", "close", "reject", "escalate", "email" };
        return verbs.count(verb) > 0;
    };
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> conflicts; // (entity, arg, value)
    std::map<std::string, std::size_t> ungrounded; // value
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Compact& c = steps[i];
        if (c.kind != StepKind::Tool)
            continue;
        const int call = static_cast<int>(i);
        std::set<std::pair<std::string, std::string>> contradicted; // said once, as the contradiction it is
        for (const ArgumentSource& conflict : conflictsOf(call)) {
            contradicted.emplace(conflict.argument, conflict.value);
            const auto key = std::make_tuple(conflict.entity, conflict.argument, conflict.value);
            if (const auto it = conflicts.find(key); it != conflicts.end()) {
                out[it->second].spanIds.push_back(c.spanId);
                continue;
            }
            Finding f = make(FindingKind::UngroundedArgument, FindingSeverity::High);
            f.spanIds.push_back(c.spanId);
            f.argument = conflict.argument;
            f.value = conflict.value;
            f.entity = conflict.entity;
            f.sourceSpanId = conflict.conflictSpanId;
            f.sourceValue = conflict.conflictValue;
            const auto source = bySpan.find(conflict.conflictSpanId);
            const std::string sourceName = source == bySpan.end() ? conflict.conflictSpanId : describe(source->second);
            const auto eq = conflict.entity.find('=');
            f.message = describe(call) + " was called with " + conflict.argument + " = " + conflict.value + " for "
                + conflict.entity.substr(0, eq) + " " + conflict.entity.substr(eq + 1) + ", but " + sourceName
                + " had returned " + conflict.argument + " " + conflict.conflictValue + " for it";
            conflicts.emplace(key, out.size());
            out.push_back(std::move(f));
        }
        // Whether a value came from nowhere can only be told of a call a model made from a prompt we have.
        const int who = issuer[i];
        const bool checkable = who >= 0 && steps[static_cast<std::size_t>(who)].hasPrompt;
        for (const Leaf& leaf : c.leaves) {
            if (contradicted.count({ leaf.path, leaf.text }))
                continue;
            if (const auto it = ungrounded.find(leaf.text); it != ungrounded.end()) {
                auto& ids = out[it->second].spanIds;
                if (std::find(ids.begin(), ids.end(), c.spanId) == ids.end())
                    ids.push_back(c.spanId);
                continue;
            }
            if (!checkable)
                continue;
            const auto source = sourceOf(call, leaf);
            if (!source || !source->sourceSpanId.empty())
                continue;
            Finding f = make(FindingKind::UngroundedArgument,
                acts(describe(call)) ? FindingSeverity::High : FindingSeverity::Medium);
            f.spanIds.push_back(c.spanId);
            f.argument = leaf.path;
            f.value = leaf.text;
            f.message = describe(call) + " was called with " + leaf.path + " = " + shorten(leaf.text)
                + ", which appears nowhere earlier in the run (not in the prompts, the inputs or any tool result)";
            ungrounded.emplace(leaf.text, out.size());
            out.push_back(std::move(f));
        }
    }
}

void RunFindingsBuilder::Private::detectContext(std::vector<Finding>& out)
{
    if (prices) {
        struct Pressed
        {
            double fraction;
            int step;
            std::int64_t window;
        };
        std::vector<Pressed> pressed;
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const Compact& s = steps[i];
            if (s.kind != StepKind::Llm || !s.tokens.input || s.model.empty())
                continue;
            const auto match = prices->find(s.model, s.provider, s.start);
            if (!match || !match->entry->contextWindow)
                continue;
            const std::int64_t window = *match->entry->contextWindow;
            const double fraction = double(*s.tokens.input + s.tokens.output.value_or(0)) / double(window);
            if (fraction >= thresholds.contextWarning)
                pressed.push_back({ fraction, static_cast<int>(i), window });
        }
        if (!pressed.empty()) {
            std::stable_sort(pressed.begin(), pressed.end(),
                [](const Pressed& a, const Pressed& b) { return a.fraction > b.fraction; });
            const Pressed& most = pressed.front();
            const Compact& top = steps[static_cast<std::size_t>(most.step)];
            Finding f = make(FindingKind::ContextPressure,
                most.fraction >= thresholds.contextHigh ? FindingSeverity::High : FindingSeverity::Medium);
            for (const Pressed& p : pressed)
                f.spanIds.push_back(steps[static_cast<std::size_t>(p.step)].spanId);
            const std::int64_t used = *top.tokens.input + top.tokens.output.value_or(0);
            f.message = top.model + "'s context window was " + std::to_string(int(std::lround(most.fraction * 100)))
                + "% full (" + std::to_string(used) + " of " + std::to_string(most.window) + " tokens) at " + top.name;
            if (pressed.size() > 1)
                f.message += "; " + std::to_string(pressed.size()) + " calls above "
                    + std::to_string(int(std::lround(thresholds.contextWarning * 100))) + "%";
            out.push_back(std::move(f));
        }
    }
    std::vector<int> cut;
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i].truncated)
            cut.push_back(static_cast<int>(i));
    if (!cut.empty()) {
        Finding f = make(FindingKind::ContextPressure, FindingSeverity::Low);
        for (const int i : cut)
            f.spanIds.push_back(steps[static_cast<std::size_t>(i)].spanId);
        f.message = cut.size() == 1
            ? "the output of " + steps[static_cast<std::size_t>(cut.front())].name + " was cut at the token limit"
            : "the output of " + std::to_string(cut.size()) + " llm calls was cut at the token limit";
        out.push_back(std::move(f));
    }
}

std::vector<ArgumentSource> RunFindingsBuilder::argumentSources(std::string_view spanId) const
{
    std::vector<ArgumentSource> out;
    if (!d->finished)
        return out;
    const auto it = d->bySpan.find(std::string(spanId));
    if (it == d->bySpan.end())
        return out;
    const int call = it->second;
    const std::vector<ArgumentSource> conflicts = d->conflictsOf(call);
    for (const Leaf& leaf : d->steps[static_cast<std::size_t>(call)].leaves) {
        auto source = d->sourceOf(call, leaf);
        if (!source)
            continue;
        for (const ArgumentSource& conflict : conflicts)
            if (conflict.argument == leaf.path && conflict.value == leaf.text) {
                source->entity = conflict.entity;
                source->conflictSpanId = conflict.conflictSpanId;
                source->conflictName = conflict.conflictName;
                source->conflictValue = conflict.conflictValue;
            }
        out.push_back(std::move(*source));
    }
    return out;
}

// ---- baselines ----

RobustSpread robustSpread(std::vector<double> values)
{
    RobustSpread spread;
    if (values.empty())
        return spread;
    const auto median = [](std::vector<double>& v) {
        const std::size_t mid = v.size() / 2;
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
        double m = v[mid];
        if (v.size() % 2 == 0) {
            const double lowerMax = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
            m = (m + lowerMax) / 2;
        }
        return m;
    };
    spread.median = median(values);
    for (double& v : values)
        v = std::fabs(v - spread.median);
    spread.mad = median(values) * 1.4826;
    return spread;
}

namespace {

struct Excess
{
    bool far = false;
    double value = 0;
    double median = 0;
};

Excess excess(double value, std::vector<double> baseline, double minExcess, const FindingThresholds& t)
{
    const RobustSpread spread = robustSpread(std::move(baseline));
    Excess e;
    e.value = value;
    e.median = spread.median;
    e.far = value > spread.median + t.baselineMads * spread.mad && value >= t.baselineRatio * spread.median
        && value - spread.median >= minExcess;
    return e;
}

template <typename Get> std::vector<double> column(const std::vector<RunMetrics>& runs, Get get)
{
    std::vector<double> out;
    out.reserve(runs.size());
    for (const RunMetrics& run : runs)
        out.push_back(get(run));
    return out;
}

} // namespace

std::vector<Finding> baselineFindings(
    const RunMetrics& run, const std::vector<RunMetrics>& allBaseline, const FindingThresholds& t)
{
    std::vector<Finding> out;
    std::vector<RunMetrics> baseline;
    for (const RunMetrics& other : allBaseline)
        if (other.traceId != run.traceId)
            baseline.push_back(other);
    // Runs that name neither an agent nor a service are not known to be the same system: no baseline for them.
    if (static_cast<int>(baseline.size()) < t.baselineMinRuns || run.agent.empty())
        return out;
    const std::string who = (run.agent.empty() ? std::string("this agent") : run.agent)
        + (run.version.empty() ? std::string() : " " + run.version);
    const std::string of = " (median of " + std::to_string(baseline.size()) + " runs of " + who + ")";
    const auto make = [&](FindingKind kind, double ratio) {
        Finding f;
        f.traceId = run.traceId;
        f.kind = kind;
        f.severity = ratio >= 5 ? FindingSeverity::High : FindingSeverity::Medium;
        if (!run.rootSpanId.empty())
            f.spanIds.push_back(run.rootSpanId);
        return f;
    };
    const auto ratioOf = [](const Excess& e) { return e.median > 0 ? e.value / e.median : e.value; };

    // Runaway: the work the run did.
    const Excess llm
        = excess(double(run.llmCalls), column(baseline, [](const RunMetrics& r) { return double(r.llmCalls); }), 3, t);
    const Excess tools = excess(
        double(run.toolCalls), column(baseline, [](const RunMetrics& r) { return double(r.toolCalls); }), 3, t);
    const Excess tokens
        = excess(double(run.tokens), column(baseline, [](const RunMetrics& r) { return double(r.tokens); }), 1000, t);
    if (llm.far || tools.far || tokens.far) {
        std::vector<std::string> parts;
        double ratio = 0;
        if (llm.far) {
            parts.push_back(
                std::to_string(run.llmCalls) + " llm calls where the baseline makes " + formatCount(llm.median));
            ratio = std::max(ratio, ratioOf(llm));
        }
        if (tools.far) {
            parts.push_back(std::to_string(run.toolCalls) + " tool calls where it makes " + formatCount(tools.median));
            ratio = std::max(ratio, ratioOf(tools));
        }
        if (tokens.far) {
            parts.push_back(std::to_string(run.tokens) + " tokens where it uses " + formatCount(tokens.median));
            ratio = std::max(ratio, ratioOf(tokens));
        }
        Finding f = make(FindingKind::Runaway, ratio);
        f.message = "runaway: ";
        for (std::size_t i = 0; i < parts.size(); ++i)
            f.message += (i ? "; " : "") + parts[i];
        f.message += of;
        if (tokens.median < double(run.tokens))
            f.wastedTokens = run.tokens - static_cast<std::int64_t>(std::llround(tokens.median));
        out.push_back(std::move(f));
    }

    // What made an excess: more rounds, longer prompts, another model, a slower tool.
    const auto attribution = [&](bool forCost) {
        std::vector<std::string> parts;
        const double llmMedian
            = robustSpread(column(baseline, [](const RunMetrics& r) { return double(r.llmCalls); })).median;
        if (double(run.llmCalls) > llmMedian)
            parts.push_back(formatCount(double(run.llmCalls) - llmMedian) + " more llm calls (extra rounds)");
        std::vector<double> perCall;
        for (const RunMetrics& r : baseline)
            if (r.llmCalls > 0 && r.inputTokens > 0)
                perCall.push_back(double(r.inputTokens) / double(r.llmCalls));
        if (run.llmCalls > 0 && run.inputTokens > 0 && !perCall.empty()) {
            const double mine = double(run.inputTokens) / double(run.llmCalls);
            const double median = robustSpread(perCall).median;
            if (median > 0 && mine >= 1.5 * median)
                parts.push_back("input tokens per call " + formatRatio(mine / median) + " (context growth)");
        }
        std::set<std::string> known;
        for (const RunMetrics& r : baseline)
            known.insert(r.models.begin(), r.models.end());
        for (const std::string& model : run.models)
            if (!known.count(model))
                parts.push_back("model " + model + ", which the baseline does not use");
        if (!forCost) {
            const double llmNs
                = robustSpread(column(baseline, [](const RunMetrics& r) { return double(r.llmNs); })).median;
            const double toolNs
                = robustSpread(column(baseline, [](const RunMetrics& r) { return double(r.toolNs); })).median;
            const double moreLlm = double(run.llmNs) - llmNs;
            const double moreTool = double(run.toolNs) - toolNs;
            if (moreLlm > 0 && moreLlm >= moreTool)
                parts.push_back("llm time +" + formatNs(static_cast<std::int64_t>(moreLlm)));
            if (moreTool > 0 && moreTool > moreLlm)
                parts.push_back("tool time +" + formatNs(static_cast<std::int64_t>(moreTool))
                    + (run.slowestTool.empty()
                            ? std::string()
                            : ", most in " + run.slowestTool + " (" + formatNs(run.slowestToolNs) + ")"));
        }
        std::string text;
        for (std::size_t i = 0; i < parts.size(); ++i)
            text += (i ? "; " : "") + parts[i];
        return text;
    };

    if (run.costUsd) {
        std::vector<double> costs;
        for (const RunMetrics& r : baseline)
            if (r.costUsd)
                costs.push_back(*r.costUsd);
        if (static_cast<int>(costs.size()) >= t.baselineMinRuns) {
            const Excess cost = excess(*run.costUsd, costs, 0.001, t);
            if (cost.far) {
                Finding f = make(FindingKind::CostRegression, ratioOf(cost));
                f.wastedCostUsd = *run.costUsd - cost.median;
                f.message = "cost " + formatUsd(*run.costUsd) + ", " + formatRatio(ratioOf(cost)) + " the median "
                    + formatUsd(cost.median) + of;
                if (const std::string why = attribution(true); !why.empty())
                    f.message += ": " + why;
                out.push_back(std::move(f));
            }
        }
    }
    const Excess duration = excess(
        double(run.durationNs), column(baseline, [](const RunMetrics& r) { return double(r.durationNs); }), 1e9, t);
    if (duration.far) {
        Finding f = make(FindingKind::LatencyRegression, ratioOf(duration));
        f.wastedNs = run.durationNs - static_cast<std::int64_t>(std::llround(duration.median));
        f.message = "took " + formatNs(run.durationNs) + ", " + formatRatio(ratioOf(duration)) + " the median "
            + formatNs(static_cast<std::int64_t>(duration.median)) + of;
        if (const std::string why = attribution(false); !why.empty())
            f.message += ": " + why;
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace Tracelight
