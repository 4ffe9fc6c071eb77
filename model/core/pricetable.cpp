#include "pricetable.h"

#include "corelogging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>

namespace Tracelight {

namespace {

std::string lower(std::string_view text)
{
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

bool isStartBoundary(char c)
{
    return c == '/' || c == '.' || c == ':' || c == '@' || c == '_';
}

bool isEndBoundary(char c)
{
    return c == '-' || c == ':' || c == '@' || c == '/' || c == '_';
}

// Midnight UTC of a YYYY-MM-DD date, in ns; nullopt when text is not such a date. Cheap: lookups call it.
std::optional<std::int64_t> dateNs(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    int parts[3] = { 0, 0, 0 };
    const std::size_t starts[3] = { 0, 5, 8 };
    const std::size_t lengths[3] = { 4, 2, 2 };
    for (int i = 0; i < 3; ++i) {
        for (std::size_t c = starts[i]; c < starts[i] + lengths[i]; ++c) {
            if (text[c] < '0' || text[c] > '9')
                return std::nullopt;
            parts[i] = parts[i] * 10 + (text[c] - '0');
        }
    }
    const std::chrono::year_month_day day { std::chrono::year(parts[0]),
        std::chrono::month(static_cast<unsigned>(parts[1])), std::chrono::day(static_cast<unsigned>(parts[2])) };
    if (!day.ok())
        return std::nullopt;
    return std::int64_t(std::chrono::sys_days(day).time_since_epoch().count()) * 86400 * 1000000000;
}

std::string lineAndColumn(std::string_view text, int offset)
{
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < static_cast<int>(text.size()); ++i) {
        if (text[static_cast<std::size_t>(i)] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::vector<std::string> stringList(const QJsonValue& value, const std::string& where, const char* field)
{
    std::vector<std::string> result;
    if (value.isUndefined() || value.isNull())
        return result;
    if (value.isString()) {
        result.push_back(lower(value.toString().trimmed().toStdString()));
    } else if (value.isArray()) {
        for (const QJsonValue item : value.toArray()) {
            if (!item.isString() || item.toString().trimmed().isEmpty())
                throw PriceTableError(where + ": \"" + field + "\" must hold non-empty strings");
            result.push_back(lower(item.toString().trimmed().toStdString()));
        }
    } else {
        throw PriceTableError(where + ": \"" + field + "\" must be a string or a list of strings");
    }
    return result;
}

std::optional<double> rate(const QJsonObject& object, const char* field, const std::string& where, bool required)
{
    const QJsonValue value = object.value(QLatin1String(field));
    if (value.isUndefined() || value.isNull()) {
        if (required)
            throw PriceTableError(where + ": \"" + field + "\" (USD per million tokens) is missing");
        return std::nullopt;
    }
    if (!value.isDouble() || value.toDouble() < 0.0)
        throw PriceTableError(where + ": \"" + field + "\" must be a number ≥ 0 (USD per million tokens)");
    return value.toDouble();
}

std::string date(const QJsonObject& object, const char* field, const std::string& where)
{
    const QJsonValue value = object.value(QLatin1String(field));
    if (value.isUndefined() || value.isNull() || (value.isString() && value.toString().isEmpty()))
        return {};
    const std::string text = value.toString().toStdString();
    if (!value.isString() || !dateNs(text))
        throw PriceTableError(where + ": \"" + field + "\" must be a date written YYYY-MM-DD");
    return text;
}

void putRate(QJsonObject& object, const char* field, const std::optional<double>& value)
{
    if (value)
        object.insert(QLatin1String(field), *value);
}

QJsonValue toJsonList(const std::vector<std::string>& values)
{
    if (values.size() == 1)
        return QString::fromStdString(values.front());
    QJsonArray array;
    for (const std::string& value : values)
        array.append(QString::fromStdString(value));
    return array;
}

} // namespace

std::int64_t PriceEntry::fromNs() const
{
    return from.empty() ? std::numeric_limits<std::int64_t>::min() : dateNs(from).value_or(0);
}

std::int64_t PriceEntry::untilNs() const
{
    return until.empty() ? std::numeric_limits<std::int64_t>::max() : dateNs(until).value_or(0);
}

PriceTable::PriceTable(const PriceTable& other)
    : m_entries(other.m_entries)
    , m_compiled(other.m_compiled)
    , m_note(other.m_note)
    , m_sources(other.m_sources)
{ }

PriceTable& PriceTable::operator=(const PriceTable& other)
{
    if (this == &other)
        return *this;
    m_entries = other.m_entries;
    m_compiled = other.m_compiled;
    m_note = other.m_note;
    m_sources = other.m_sources;
    const std::lock_guard lock(m_cacheMutex);
    m_cache.clear();
    return *this;
}

PriceTable PriceTable::fromJson(std::string_view json, const std::string& origin, bool user)
{
    QJsonParseError error {};
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray(json.data(), static_cast<qsizetype>(json.size())), &error);
    if (error.error != QJsonParseError::NoError)
        throw PriceTableError(
            origin + ": " + lineAndColumn(json, error.offset) + ": " + error.errorString().toStdString());
    if (!document.isObject())
        throw PriceTableError(origin + ": the file must hold a JSON object with a \"models\" list");
    const QJsonObject root = document.object();
    const QJsonValue models = root.value(QLatin1String("models"));
    if (!models.isArray())
        throw PriceTableError(origin + ": \"models\" must be a list of prices");
    PriceTable table;
    table.m_compiled = root.value(QLatin1String("compiled")).toString().toStdString();
    table.m_note = root.value(QLatin1String("note")).toString().toStdString();
    const QJsonObject sources = root.value(QLatin1String("sources")).toObject();
    for (auto it = sources.begin(); it != sources.end(); ++it)
        table.m_sources.emplace(it.key().toStdString(), it.value().toString().toStdString());
    const QJsonArray list = models.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const std::string where = origin + ": models[" + std::to_string(i) + "]";
        if (!list.at(i).isObject())
            throw PriceTableError(where + ": each price must be a JSON object");
        const QJsonObject object = list.at(i).toObject();
        PriceEntry entry;
        entry.patterns = stringList(object.value(QLatin1String("models")), where, "models");
        if (entry.patterns.empty())
            throw PriceTableError(where + ": \"models\" must name at least one model pattern");
        entry.via = stringList(object.value(QLatin1String("via")), where, "via");
        entry.provider = object.value(QLatin1String("provider")).toString().toStdString();
        entry.price.input = *rate(object, "input", where, true);
        entry.price.output = *rate(object, "output", where, true);
        entry.price.cacheRead = rate(object, "cache_read", where, false);
        entry.price.cacheWrite = rate(object, "cache_write", where, false);
        entry.price.reasoning = rate(object, "reasoning", where, false);
        if (object.contains(QLatin1String("context_window"))) {
            const double window = object.value(QLatin1String("context_window")).toDouble(-1);
            if (window < 1 || window > 1e9 || window != std::floor(window))
                throw PriceTableError(where + ": \"context_window\" must be a whole number of tokens");
            entry.contextWindow = static_cast<std::int64_t>(window);
        }
        entry.from = date(object, "from", where);
        entry.until = date(object, "until", where);
        if (!entry.from.empty() && !entry.until.empty() && entry.fromNs() >= entry.untilNs())
            throw PriceTableError(where + ": \"from\" must come before \"until\"");
        entry.source = object.value(QLatin1String("source")).toString().toStdString();
        entry.note = object.value(QLatin1String("note")).toString().toStdString();
        entry.user = user;
        table.m_entries.push_back(std::move(entry));
    }
    return table;
}

PriceTable PriceTable::fromFile(const std::string& path, bool user)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        throw PriceTableError(path + ": cannot read the price file (" + file.errorString().toStdString() + ")");
    const QByteArray bytes = file.readAll();
    return fromJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())), path, user);
}

const PriceTable& PriceTable::builtIn()
{
    static const PriceTable table = [] {
        try {
            return fromFile(":/prices/models.json", false);
        } catch (const PriceTableError& error) {
            qCWarning(lcCore, "%s", error.what());
            return PriceTable();
        }
    }();
    return table;
}

std::string PriceTable::userFilePath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.config/tracelight");
    return QString(dir + QStringLiteral("/prices.json")).toStdString();
}

PriceTable PriceTable::withUserFile(const std::string& path)
{
    PriceTable table = builtIn();
    if (!path.empty() && QFile::exists(QString::fromStdString(path)))
        table.merge(fromFile(path, true));
    return table;
}

void PriceTable::merge(const PriceTable& overrides)
{
    for (const PriceEntry& override : overrides.m_entries) {
        std::vector<std::string> via = override.via;
        std::sort(via.begin(), via.end());
        for (PriceEntry& entry : m_entries) {
            std::vector<std::string> entryVia = entry.via;
            std::sort(entryVia.begin(), entryVia.end());
            if (entryVia != via)
                continue;
            std::erase_if(entry.patterns, [&](const std::string& pattern) {
                return std::find(override.patterns.begin(), override.patterns.end(), pattern)
                    != override.patterns.end();
            });
        }
        std::erase_if(m_entries, [](const PriceEntry& entry) { return entry.patterns.empty(); });
        m_entries.push_back(override);
    }
    const std::lock_guard lock(m_cacheMutex);
    m_cache.clear();
}

std::vector<PriceEntry> PriceTable::userEntries() const
{
    std::vector<PriceEntry> result;
    std::copy_if(
        m_entries.begin(), m_entries.end(), std::back_inserter(result), [](const PriceEntry& e) { return e.user; });
    return result;
}

void PriceTable::setEntries(std::vector<PriceEntry> entries)
{
    m_entries = std::move(entries);
    const std::lock_guard lock(m_cacheMutex);
    m_cache.clear();
}

std::string PriceTable::toJson() const
{
    QJsonArray models;
    for (const PriceEntry& entry : m_entries) {
        QJsonObject object;
        object.insert(QStringLiteral("models"), toJsonList(entry.patterns));
        if (!entry.via.empty())
            object.insert(QStringLiteral("via"), toJsonList(entry.via));
        if (!entry.provider.empty())
            object.insert(QStringLiteral("provider"), QString::fromStdString(entry.provider));
        object.insert(QStringLiteral("input"), entry.price.input);
        object.insert(QStringLiteral("output"), entry.price.output);
        putRate(object, "cache_read", entry.price.cacheRead);
        putRate(object, "cache_write", entry.price.cacheWrite);
        putRate(object, "reasoning", entry.price.reasoning);
        if (entry.contextWindow)
            object.insert(QStringLiteral("context_window"), static_cast<double>(*entry.contextWindow));
        if (!entry.from.empty())
            object.insert(QStringLiteral("from"), QString::fromStdString(entry.from));
        if (!entry.until.empty())
            object.insert(QStringLiteral("until"), QString::fromStdString(entry.until));
        if (!entry.source.empty())
            object.insert(QStringLiteral("source"), QString::fromStdString(entry.source));
        if (!entry.note.empty())
            object.insert(QStringLiteral("note"), QString::fromStdString(entry.note));
        models.append(object);
    }
    QJsonObject root;
    root.insert(QStringLiteral("schema"), 1);
    root.insert(QStringLiteral("currency"), QStringLiteral("USD"));
    root.insert(QStringLiteral("unit"), QStringLiteral("per million tokens"));
    root.insert(QStringLiteral("models"), models);
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

bool PriceTable::patternMatches(std::string_view model, std::string_view pattern)
{
    if (pattern.empty())
        return false;
    for (std::size_t at = model.find(pattern); at != std::string_view::npos; at = model.find(pattern, at + 1)) {
        const std::size_t end = at + pattern.size();
        const bool startOk = at == 0 || isStartBoundary(model[at - 1]);
        const bool endOk = end == model.size() || isEndBoundary(model[end]);
        if (startOk && endOk)
            return true;
    }
    return false;
}

const std::vector<PriceTable::Candidate>& PriceTable::candidates(
    const std::string& model, const std::string& provider) const
{
    const std::lock_guard lock(m_cacheMutex);
    const auto key = std::make_pair(model, provider);
    if (const auto it = m_cache.find(key); it != m_cache.end())
        return it->second;
    std::vector<Candidate> found;
    for (std::size_t e = 0; e < m_entries.size(); ++e) {
        const PriceEntry& entry = m_entries[e];
        if (!entry.via.empty() && std::none_of(entry.via.begin(), entry.via.end(), [&](const std::string& via) {
                return patternMatches(provider, via);
            }))
            continue;
        // The longest of the entry's matching patterns speaks for it.
        std::optional<std::size_t> best;
        for (std::size_t p = 0; p < entry.patterns.size(); ++p) {
            if (patternMatches(model, entry.patterns[p])
                && (!best || entry.patterns[p].size() > entry.patterns[*best].size()))
                best = p;
        }
        if (best)
            found.push_back({ e, *best });
    }
    std::stable_sort(found.begin(), found.end(), [this](const Candidate& a, const Candidate& b) {
        const PriceEntry& ea = m_entries[a.entry];
        const PriceEntry& eb = m_entries[b.entry];
        const std::size_t la = ea.patterns[a.pattern].size();
        const std::size_t lb = eb.patterns[b.pattern].size();
        if (la != lb)
            return la > lb;
        if (ea.via.empty() != eb.via.empty())
            return !ea.via.empty();
        if (ea.user != eb.user)
            return ea.user;
        return a.entry < b.entry;
    });
    // std::map nodes are stable: the reference stays valid while the table lives and is not changed.
    return m_cache.emplace(key, std::move(found)).first->second;
}

std::optional<PriceMatch> PriceTable::find(std::string_view model, std::string_view provider, std::int64_t atNs) const
{
    if (model.empty())
        return std::nullopt;
    if (atNs == 0)
        atNs = QDateTime::currentMSecsSinceEpoch() * 1000000;
    for (const Candidate& candidate : candidates(lower(model), lower(provider))) {
        const PriceEntry& entry = m_entries[candidate.entry];
        if (atNs >= entry.fromNs() && atNs < entry.untilNs())
            return PriceMatch { &entry, entry.patterns[candidate.pattern] };
    }
    return std::nullopt;
}

} // namespace Tracelight
