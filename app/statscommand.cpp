#include "statscommand.h"

#include "commandjson.h"

#include <format.h>
#include <statsquery.h>
#include <tracestore.h>

#include <QCommandLineParser>
#include <QFile>

#include <iostream>

namespace Tracelight::Cli {

namespace {

constexpr int ExitOk = 0;
constexpr int ExitUsage = 2;

void out(const QString& text)
{
    std::cout << text.toStdString() << '\n';
}

void err(const QString& text)
{
    std::cerr << text.toStdString() << '\n';
}

QString percent(double share)
{
    return QString::number(share * 100.0, 'f', 1) + QStringLiteral(" %");
}

QString milliseconds(double ms)
{
    return Format::duration(static_cast<std::int64_t>(ms * 1e6));
}

QString costText(const CostTotal& cost)
{
    QString text = Format::cost(cost.usd);
    if (cost.usd && cost.unknownCalls > 0)
        text += QStringLiteral("+");
    return text;
}

void printText(const CacheStats& s)
{
    if (s.runs == 0) {
        out(QStringLiteral("No runs match. (tracelight list shows what the cache holds.)"));
        return;
    }
    const auto line = [](const QString& label, const QString& text) { out(label.leftJustified(13) + text); };
    line(QStringLiteral("Runs"),
        QStringLiteral("%1 (%2 with errors, %3), started %4 → %5")
            .arg(Format::tokens(s.runs), Format::tokens(s.runsWithErrors), percent(s.errorRate()),
                Format::timestamp(s.firstStartNs), Format::timestamp(s.lastStartNs)));
    line(QStringLiteral("Steps"),
        QStringLiteral("%1: %2 LLM calls, %3 tool calls (%4 failed, %5 success)")
            .arg(Format::tokens(s.steps), Format::tokens(s.llmCalls), Format::tokens(s.toolCalls),
                Format::tokens(s.toolErrors), percent(s.toolSuccessRate())));
    line(QStringLiteral("Tokens"),
        QStringLiteral("%1 in (%2 cache read, %3 cache write), %4 out (%5 reasoning)")
            .arg(Format::tokens(s.tokens.input), Format::tokens(s.tokens.cacheRead),
                Format::tokens(s.tokens.cacheWrite), Format::tokens(s.tokens.output),
                Format::tokens(s.tokens.reasoning)));
    QString cost = QStringLiteral("%1 total, median %2 a run").arg(costText(s.cost), Format::cost(s.medianRunCostUsd));
    if (s.cost.unknownCalls > 0)
        cost += QStringLiteral("; %1 LLM calls of unknown cost").arg(Format::tokens(s.cost.unknownCalls));
    line(QStringLiteral("Cost"), cost);
    line(QStringLiteral("Latency"),
        QStringLiteral("p50 %1, p95 %2, p99 %3, max %4 a run")
            .arg(milliseconds(s.runLatency.p50Ms), milliseconds(s.runLatency.p95Ms), milliseconds(s.runLatency.p99Ms),
                milliseconds(s.runLatency.maxMs)));
    line(QStringLiteral("Escalations"),
        QStringLiteral("%1 runs with a human step (%2)")
            .arg(Format::tokens(s.runsWithHuman), percent(s.escalationRate())));
    line(QStringLiteral("Handoffs"),
        QStringLiteral("%1 runs handed work to another agent (%2)")
            .arg(Format::tokens(s.runsWithHandoff), percent(s.handoffRate())));
    line(QStringLiteral("Retrievals"),
        QStringLiteral("%1 in %2 runs").arg(Format::tokens(s.retrievals), Format::tokens(s.runsWithRetrieval)));
    if (!s.cost.unpricedModels.empty()) {
        QStringList names;
        for (const std::string& name : s.cost.unpricedModels)
            names << (name.empty() ? QStringLiteral("(no model name)") : Format::fromUtf8(name));
        line(QStringLiteral("No price"),
            names.join(QStringLiteral(", "))
                + QStringLiteral("  (add prices with --prices FILE or Tools → Model Prices)"));
    }
    if (s.grouping == StatsGrouping::None)
        return;
    out(QString());
    const QString key = QString::fromLatin1(statsGroupingName(s.grouping).data()).toUpper();
    const bool runsOnly = s.grouping == StatsGrouping::Version || s.grouping == StatsGrouping::Day;
    out(QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9")
            .arg(key, -28)
            .arg(QStringLiteral("RUNS"), 6)
            .arg(runsOnly ? QStringLiteral("FAILED") : QStringLiteral("CALLS"), 7)
            .arg(QStringLiteral("ERRORS"), 7)
            .arg(QStringLiteral("P50"), 9)
            .arg(QStringLiteral("P95"), 9)
            .arg(QStringLiteral("P99"), 9)
            .arg(QStringLiteral("TOKENS"), 11)
            .arg(QStringLiteral("COST"), 10));
    for (const StatsGroup& g : s.groups) {
        out(QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9")
                .arg(g.key.empty() ? QStringLiteral("(none)") : Format::fromUtf8(g.key), -28)
                .arg(g.runs, 6)
                .arg(runsOnly ? g.runsWithErrors : g.calls, 7)
                .arg(g.errors, 7)
                .arg(milliseconds(g.latency.p50Ms), 9)
                .arg(milliseconds(g.latency.p95Ms), 9)
                .arg(milliseconds(g.latency.p99Ms), 9)
                .arg(Format::tokens(g.tokens.total()), 11)
                .arg(g.cost.source() == CostSource::None ? QStringLiteral("-") : costText(g.cost), 10));
    }
}

} // namespace

QCommandLineOption pricesOption()
{
    return QCommandLineOption(QStringList { QStringLiteral("prices") },
        QStringLiteral("Model prices (JSON) to use instead of your prices.json, over the shipped table."),
        QStringLiteral("FILE"));
}

CostModelPtr costModelFor(const QString& pricesFile)
{
    const std::string overrides = pricesFile.isEmpty() ? PriceTable::userFilePath() : pricesFile.toStdString();
    if (!pricesFile.isEmpty() && !QFile::exists(pricesFile))
        throw PriceTableError(overrides + ": no such price file");
    return std::make_shared<const CostModel>(std::make_shared<const PriceTable>(PriceTable::withUserFile(overrides)));
}

int statsCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Cost, latency and error figures of the runs in the cache (all of them, or those the filters select)."));
    parser.addHelpOption();
    const QCommandLineOption db(QStringList { QStringLiteral("db") },
        QStringLiteral("The cache file (default: $TRACELIGHT_DB, else the user's data folder)."), QStringLiteral("DB"));
    const QCommandLineOption json(QStringList { QStringLiteral("json") }, QStringLiteral("Print JSON."));
    const QCommandLineOption by(QStringList { QStringLiteral("by") },
        QStringLiteral("Break the figures down by model, tool, agent, version or day (UTC)."), QStringLiteral("KEY"));
    const QCommandLineOption since(QStringList { QStringLiteral("since") },
        QStringLiteral("Runs started at or after TIME: 2025-10-14, 2025-10-14T09:30 (UTC unless a zone is given), "
                       "or an age such as 24h, 7d."),
        QStringLiteral("TIME"));
    const QCommandLineOption until(
        QStringList { QStringLiteral("until") }, QStringLiteral("Runs started before TIME."), QStringLiteral("TIME"));
    const QCommandLineOption service(
        QStringList { QStringLiteral("service") }, QStringLiteral("Runs of this service."), QStringLiteral("NAME"));
    const QCommandLineOption version(QStringList { QStringLiteral("version") },
        QStringLiteral("Runs of this service version."), QStringLiteral("VERSION"));
    const QCommandLineOption agent(QStringList { QStringLiteral("agent") },
        QStringLiteral("Runs in which this agent worked."), QStringLiteral("NAME"));
    const QCommandLineOption model(QStringList { QStringLiteral("model") },
        QStringLiteral("Runs that called this model (a glob such as 'gpt-4o*' works)."), QStringLiteral("MODEL"));
    const QCommandLineOption tool(
        QStringList { QStringLiteral("tool") }, QStringLiteral("Runs that called this tool."), QStringLiteral("NAME"));
    parser.addOptions({ db, json, by, since, until, service, version, agent, model, tool, pricesOption() });
    QStringList commandArguments = arguments;
    commandArguments.removeAt(1);
    if (!parser.parse(commandArguments)) {
        err(QStringLiteral("tracelight: ") + parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out(parser.helpText());
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("tracelight stats: unexpected argument %1 (see tracelight stats --help)")
                .arg(parser.positionalArguments().front()));
        return ExitUsage;
    }
    StatsOptions options;
    if (parser.isSet(by)) {
        const auto grouping = statsGroupingFromName(parser.value(by).toStdString());
        if (!grouping) {
            err(QStringLiteral("tracelight stats: --by takes model, tool, agent, version or day, not \"%1\"")
                    .arg(parser.value(by)));
            return ExitUsage;
        }
        options.grouping = *grouping;
    }
    StatsFilter filter;
    for (const auto& [option, target] :
        { std::pair { &since, &filter.sinceNs }, std::pair { &until, &filter.untilNs } }) {
        if (!parser.isSet(*option))
            continue;
        const auto time = CommandJson::parseTime(parser.value(*option).toStdString());
        if (!time) {
            err(QStringLiteral(
                "tracelight stats: --%1 takes a date (2025-10-14), a date-time (2025-10-14T09:30Z) or an "
                "age (24h, 7d), not \"%2\"")
                    .arg(option->names().front(), parser.value(*option)));
            return ExitUsage;
        }
        *target = *time;
    }
    filter.service = parser.value(service).toStdString();
    filter.version = parser.value(version).toStdString();
    filter.agent = parser.value(agent).toStdString();
    filter.model = parser.value(model).toStdString();
    filter.tool = parser.value(tool).toStdString();

    const std::string path = parser.isSet(db) ? parser.value(db).toStdString() : TraceStore::defaultPath();
    TraceStore store(path, TraceStore::Mode::ReadOnly);
    store.setCostModel(costModelFor(parser.value(QStringLiteral("prices"))));
    if (parser.isSet(json)) {
        std::cout
            << CommandJson::stats(store, filter, options).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
            << '\n';
        return ExitOk;
    }
    const CacheStats stats = StatsQuery(store).compute(filter, options);
    printText(stats);
    return ExitOk;
}

} // namespace Tracelight::Cli
