#include "checkcommand.h"

#include "clisupport.h"
#include "statscommand.h"

#include <findingsindex.h>
#include <format.h>

#include <QFile>
#include <QSaveFile>
#include <QXmlStreamWriter>

#include <nlohmann/json.hpp>

#include <iostream>
#include <set>

namespace Tracelight::Cli {

namespace {

QString kindList()
{
    QStringList names;
    for (int i = 0; i < FindingKindCount; ++i)
        names << QString::fromLatin1(findingKindName(static_cast<FindingKind>(i)));
    return names.join(QStringLiteral(", "));
}

bool writeJunit(const QString& path, const std::vector<TraceSummary>& runs,
    const std::map<std::string, std::vector<Finding>>& found, const std::set<FindingKind>& failOn, QString& error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        error = file.errorString();
        return false;
    }
    int failures = 0;
    for (const TraceSummary& run : runs)
        for (const Finding& f : found.at(run.traceId))
            failures += failOn.count(f.kind) ? 1 : 0;
    QXmlStreamWriter xml(&file);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(QStringLiteral("testsuites"));
    xml.writeStartElement(QStringLiteral("testsuite"));
    xml.writeAttribute(QStringLiteral("name"), QStringLiteral("tracelight check"));
    xml.writeAttribute(QStringLiteral("tests"), QString::number(runs.size()));
    xml.writeAttribute(QStringLiteral("failures"), QString::number(failures));
    for (const TraceSummary& run : runs) {
        xml.writeStartElement(QStringLiteral("testcase"));
        xml.writeAttribute(QStringLiteral("classname"),
            Format::fromUtf8(run.agent.empty() ? run.service : run.agent)
                + (run.version.empty() ? QString() : QStringLiteral(" ") + Format::fromUtf8(run.version)));
        xml.writeAttribute(
            QStringLiteral("name"), Format::fromUtf8(run.traceId) + QStringLiteral(" ") + Format::fromUtf8(run.name));
        xml.writeAttribute(QStringLiteral("time"), QString::number(run.durationMs() / 1000.0, 'f', 3));
        QString others;
        for (const Finding& f : found.at(run.traceId)) {
            const QString kind = QString::fromLatin1(findingKindName(f.kind));
            if (failOn.count(f.kind)) {
                xml.writeStartElement(QStringLiteral("failure"));
                xml.writeAttribute(QStringLiteral("type"), kind);
                xml.writeAttribute(QStringLiteral("message"), Format::fromUtf8(f.message));
                xml.writeCharacters(Format::fromUtf8(findingToJson(f)));
                xml.writeEndElement();
            } else {
                others += kind + QStringLiteral(": ") + Format::fromUtf8(f.message) + QLatin1Char('\n');
            }
        }
        if (!others.isEmpty())
            xml.writeTextElement(QStringLiteral("system-out"), others);
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeEndDocument();
    if (!file.commit()) {
        error = file.errorString();
        return false;
    }
    return true;
}

} // namespace

int checkCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOption(jsonOption());
    parser.addOption(pricesOption());
    const QCommandLineOption all(QStringLiteral("all"), QStringLiteral("Check every run in the cache (the default)."));
    const QCommandLineOption baseline(QStringLiteral("baseline"),
        QStringLiteral("Measure runs against the runs of this version of their agent instead of their own version."),
        QStringLiteral("VERSION"));
    const QCommandLineOption failOn(QStringLiteral("fail-on"),
        QStringLiteral("Exit 1 when a finding of one of these kinds is present (comma-separated: %1, or any).")
            .arg(kindList()),
        QStringLiteral("KIND"));
    const QCommandLineOption junit(QStringLiteral("junit"),
        QStringLiteral("Also write a JUnit XML report (a test case a run)."), QStringLiteral("FILE"));
    const QCommandLineOption thresholds(QStringLiteral("thresholds"),
        QStringLiteral("Finding settings to use instead of the user's findings.json (README \"Findings\")."),
        QStringLiteral("FILE"));
    parser.addOptions({ all, baseline, failOn, junit, thresholds });
    if (!parse(parser, arguments,
            QStringLiteral("Find what went wrong in runs: loops, runaways, cost and latency regressions, the failing "
                           "cause,\nungrounded tool arguments, context pressure. Reads the cache, never writes it."),
            QStringLiteral("TRACE_ID"), QStringLiteral("Runs to check (unique prefixes are enough); default: all.")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;

    std::set<FindingKind> failKinds;
    for (const QString& name :
        parser.values(failOn).join(QLatin1Char(',')).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString trimmed = name.trimmed();
        if (trimmed == QLatin1String("any")) {
            for (int i = 0; i < FindingKindCount; ++i)
                failKinds.insert(static_cast<FindingKind>(i));
            continue;
        }
        const auto kind = findingKindFromName(trimmed.toStdString());
        if (!kind) {
            err(QStringLiteral("tracelight check: unknown finding kind \"%1\" (kinds: %2, any)")
                    .arg(trimmed, kindList()));
            return ExitUsage;
        }
        failKinds.insert(*kind);
    }
    if (parser.isSet(all) && !parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("tracelight check: give TRACE_IDs or --all, not both"));
        return ExitUsage;
    }

    FindingThresholds settings;
    try {
        settings = parser.isSet(thresholds) ? FindingThresholds::fromFile(parser.value(thresholds).toStdString())
                                            : FindingThresholds::withUserFile(FindingThresholds::userFilePath());
    } catch (const std::exception& error) {
        std::cerr << "tracelight check: " << error.what() << '\n';
        return ExitFailure;
    }
    TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
    store.setCostModel(costModelFor(parser.value(QStringLiteral("prices"))));

    std::vector<TraceSummary> runs;
    if (parser.positionalArguments().isEmpty()) {
        runs = store.traces();
        std::reverse(runs.begin(), runs.end()); // oldest first, as they happened
    } else {
        for (const QString& id : parser.positionalArguments()) {
            std::string error;
            const auto trace = findTrace(store, id.toStdString(), error);
            if (!trace) {
                std::cerr << "tracelight check: " << error << '\n';
                return ExitFailure;
            }
            runs.push_back(*trace);
        }
    }
    const std::optional<std::string> baselineVersion
        = parser.isSet(baseline) ? std::optional<std::string>(parser.value(baseline).toStdString()) : std::nullopt;
    const std::vector<RunMetrics> metrics = FindingsIndex::metrics(store, std::nullopt, std::nullopt);
    std::map<std::string, std::vector<Finding>> found;
    std::map<FindingKind, int> failedKinds;
    std::int64_t total = 0;
    for (const TraceSummary& run : runs) {
        auto& findings = found[run.traceId];
        findings = FindingsIndex::compute(store, run.traceId, settings, baselineVersion, &metrics);
        total += static_cast<std::int64_t>(findings.size());
        for (const Finding& f : findings)
            if (failKinds.count(f.kind))
                ++failedKinds[f.kind];
    }
    const bool failed = !failedKinds.empty();

    if (parser.isSet(junit)) {
        QString error;
        if (!writeJunit(parser.value(junit), runs, found, failKinds, error)) {
            err(QStringLiteral("tracelight check: cannot write %1: %2").arg(parser.value(junit), error));
            return ExitFailure;
        }
    }
    if (parser.isSet(QStringLiteral("json"))) {
        nlohmann::ordered_json out;
        out["runs"] = runs.size();
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const TraceSummary& run : runs)
            for (const Finding& f : found[run.traceId])
                list.push_back(nlohmann::ordered_json::parse(findingToJson(f)));
        out["findings"] = list;
        nlohmann::ordered_json failing = nlohmann::ordered_json::array();
        for (const auto& [kind, count] : failedKinds)
            failing.push_back(findingKindName(kind));
        out["failed_kinds"] = failing;
        out["failed"] = failed;
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return failed ? ExitFailure : ExitOk;
    }
    for (const TraceSummary& run : runs) {
        const auto& findings = found[run.traceId];
        if (findings.empty())
            continue;
        out(QStringLiteral("%1  %2").arg(Format::fromUtf8(run.traceId), Format::fromUtf8(run.name)));
        for (const Finding& f : findings) {
            QString waste;
            if (f.wastedCostUsd && *f.wastedCostUsd > 0)
                waste += QStringLiteral(", wasted ") + Format::cost(f.wastedCostUsd);
            if (f.wastedTokens && *f.wastedTokens > 0)
                waste += QStringLiteral(", %1 tokens").arg(Format::tokens(*f.wastedTokens));
            if (f.wastedNs && *f.wastedNs > 0)
                waste += QStringLiteral(", %1").arg(Format::duration(*f.wastedNs));
            out(QStringLiteral("  %1 %2  %3%4")
                    .arg(QString::fromLatin1(findingSeverityName(f.severity)).toUpper(), -6)
                    .arg(QString::fromLatin1(findingKindName(f.kind)), -19)
                    .arg(Format::fromUtf8(f.message), waste));
            QStringList spans;
            for (const std::string& id : f.spanIds)
                spans << Format::fromUtf8(id);
            if (!spans.isEmpty())
                out(QStringLiteral("         steps: %1").arg(spans.join(QStringLiteral(" "))));
        }
    }
    out(QStringLiteral("%1 in %2%3")
            .arg(Format::count(total, QStringLiteral("finding"), QStringLiteral("findings")),
                Format::count(static_cast<std::int64_t>(runs.size()), QStringLiteral("run"), QStringLiteral("runs")),
                failed ? QStringLiteral("; failing: ") +
                        [&] {
                            QStringList names;
                            for (const auto& [kind, count] : failedKinds)
                                names << QStringLiteral("%1 %2").arg(count).arg(
                                    QString::fromLatin1(findingKindName(kind)));
                            return names.join(QStringLiteral(", "));
                        }()
                       : QString()));
    return failed ? ExitFailure : ExitOk;
}

} // namespace Tracelight::Cli
