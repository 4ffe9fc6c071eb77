#include "commandjson.h"

#include "jsonoutput.h"

#include <annotationstore.h>
#include <findingsindex.h>
#include <runcomparison.h>
#include <statsquery.h>
#include <tracesnapshot.h>

#include <QDateTime>
#include <QRegularExpression>
#include <QString>
#include <QTimeZone>

namespace Tracelight::CommandJson {

namespace {

nlohmann::json findingList(const std::vector<Finding>& findings)
{
    nlohmann::json array = nlohmann::json::array();
    for (const Finding& f : findings)
        array.push_back(nlohmann::json::parse(findingToJson(f)));
    return array;
}

} // namespace

nlohmann::json show(TraceStore& store, const TraceSummary& trace)
{
    const auto snapshot = TraceSnapshot::build(trace, store.steps(trace.traceId));
    nlohmann::json shown = JsonOutput::traceSteps(*snapshot);
    // The findings the cache holds for the run (tracelight check computes them afresh).
    shown["findings"] = findingList(FindingsIndex::stored(store, trace.traceId));
    // What people found in it (tracelight annotate), as `annotations export` writes them.
    shown["annotations"] = nlohmann::json::array();
    for (const Annotation& a : AnnotationStore::forTrace(store.database(), trace.traceId))
        shown["annotations"].push_back(nlohmann::json::parse(annotationToJson(a)));
    return shown;
}

nlohmann::json compare(TraceStore& store, const TraceSummary& a, const TraceSummary& b)
{
    const RunComparison c = RunComparison::compute(
        TraceSnapshot::build(a, store.steps(a.traceId)), TraceSnapshot::build(b, store.steps(b.traceId)));
    nlohmann::json out = JsonOutput::comparison(c);
    // What each run does wrong, and what B does wrong that A did not.
    const FindingThresholds thresholds = FindingThresholds::withUserFile(FindingThresholds::userFilePath());
    const std::vector<Finding> fa = FindingsIndex::compute(store, a.traceId, thresholds);
    const std::vector<Finding> fb = FindingsIndex::compute(store, b.traceId, thresholds);
    out["findings"]
        = { { "a", findingList(fa) }, { "b", findingList(fb) }, { "new_in_b", findingList(findingsNewIn(fa, fb)) } };
    return out;
}

nlohmann::json stats(TraceStore& store, const StatsFilter& filter, const StatsOptions& options)
{
    StatsQuery query(store);
    nlohmann::json out = JsonOutput::cacheStats(query.compute(filter, options));
    // The stored findings of the selected runs, by kind and version.
    out["findings"] = nlohmann::json::array();
    for (const StatsQuery::FindingCount& c : query.findingCounts(filter))
        out["findings"].push_back(
            { { "kind", c.kind }, { "version", c.version }, { "runs", c.runs }, { "findings", c.findings },
                { "wasted_cost_usd", c.wastedCostUsd ? nlohmann::json(*c.wastedCostUsd) : nlohmann::json() },
                { "wasted_tokens", c.wastedTokens } });
    return out;
}

std::optional<std::int64_t> parseTime(std::string_view input)
{
    const QString text = QString::fromUtf8(input.data(), qsizetype(input.size()));
    static const QRegularExpression age(QStringLiteral("^(\\d+)([mhdw])$"));
    if (const QRegularExpressionMatch m = age.match(text); m.hasMatch()) {
        const QChar unit = m.captured(2).front();
        const qint64 unitSeconds = unit == QLatin1Char('m') ? 60
            : unit == QLatin1Char('h')                      ? 3600
            : unit == QLatin1Char('d')                      ? 86400
                                                            : 604800;
        const qint64 seconds = m.captured(1).toLongLong() * unitSeconds;
        return (QDateTime::currentMSecsSinceEpoch() - seconds * 1000) * 1000000;
    }
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid()) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        time = QDateTime(date, QTime(0, 0), QTimeZone::utc());
    } else if (time.timeSpec() == Qt::LocalTime) {
        time.setTimeZone(QTimeZone::utc());
    }
    return time.toMSecsSinceEpoch() * 1000000;
}

} // namespace Tracelight::CommandJson
