#include "commands.h"

#include "jsonoutput.h"

#include <fileimport.h>
#include <format.h>
#include <otlpjsonwriter.h>
#include <tracesnapshot.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>
#include <iostream>

namespace Tracelight::Cli {

namespace {

constexpr int ExitOk = 0;
constexpr int ExitFailure = 1;
constexpr int ExitUsage = 2;

const QStringList commandNames
    = { QStringLiteral("import"), QStringLiteral("list"), QStringLiteral("show"), QStringLiteral("export") };

void out(const QString& text)
{
    std::cout << text.toStdString() << '\n';
}
void err(const QString& text)
{
    std::cerr << text.toStdString() << '\n';
}

QCommandLineOption dbOption()
{
    return QCommandLineOption(QStringList { QStringLiteral("db") },
        QStringLiteral("The cache file (default: $TRACELIGHT_DB, else the user's data folder)."), QStringLiteral("DB"));
}

QCommandLineOption jsonOption()
{
    return QCommandLineOption(QStringList { QStringLiteral("json") }, QStringLiteral("Print JSON."));
}

// Parses a command's options; returns false (after printing) on a usage error.
bool parse(QCommandLineParser& parser, const QStringList& arguments, const QString& description,
    const QString& positional, const QString& positionalHelp)
{
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    parser.addOption(dbOption());
    if (!positional.isEmpty())
        parser.addPositionalArgument(positional, positionalHelp);
    // The command name is the first positional argument of the command line; drop it.
    QStringList commandArguments = arguments;
    commandArguments.removeAt(1);
    if (!parser.parse(commandArguments)) {
        err(QStringLiteral("tracelight: ") + parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out(parser.helpText());
        return false;
    }
    return true;
}

std::string databasePath(const QCommandLineParser& parser)
{
    return parser.isSet(QStringLiteral("db")) ? parser.value(QStringLiteral("db")).toStdString()
                                              : TraceStore::defaultPath();
}

std::string issueLine(const ImportIssue& issue)
{
    return issue.toString();
}

int importCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption formatOption(QStringList { QStringLiteral("format") },
        QStringLiteral("Read the files as this format instead of recognizing it: %1.").arg(QString::fromStdString([] {
            std::string names;
            for (const auto& name : formatNames())
                names += (names.empty() ? "" : ", ") + name;
            return names;
        }())),
        QStringLiteral("NAME"));
    parser.addOption(formatOption);
    if (!parse(parser, arguments, QStringLiteral("Import trace files into the cache, one transaction per file."),
            QStringLiteral("FILE"), QStringLiteral("Trace files to import.")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        err(QStringLiteral("tracelight import: no file given (see tracelight import --help)"));
        return ExitUsage;
    }
    TraceStore store(databasePath(parser));
    TraceWriter writer(store);
    ImportContext context;
    context.forcedFormat = parser.value(formatOption).toStdString();
    bool anyFailed = false;
    for (const QString& file : files) {
        const ImportOutcome outcome = importFile(file.toStdString(), writer, context);
        for (const ImportIssue& warning : outcome.warnings)
            std::cerr << "warning: " << issueLine(warning) << '\n';
        if (!outcome.ok()) {
            anyFailed = true;
            std::cerr << "error: " << issueLine(outcome.error) << '\n';
            continue;
        }
        std::printf("%s: %lld traces, %lld spans (%lld new), %.2f s%s\n", file.toLocal8Bit().constData(),
            static_cast<long long>(outcome.traces), static_cast<long long>(outcome.spans),
            static_cast<long long>(outcome.newSpans), outcome.seconds,
            outcome.alreadyImported && outcome.newSpans == 0 ? " (already imported)" : "");
    }
    std::fflush(stdout);
    return anyFailed ? ExitFailure : ExitOk;
}

int listCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOption(jsonOption());
    if (!parse(parser, arguments, QStringLiteral("List the traces in the cache, newest first."), {}, {}))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    TraceStore store(databasePath(parser));
    const std::vector<TraceSummary> traces = store.traces();
    if (parser.isSet(QStringLiteral("json"))) {
        nlohmann::json array = nlohmann::json::array();
        for (const TraceSummary& trace : traces)
            array.push_back(JsonOutput::traceSummary(trace));
        std::cout << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return ExitOk;
    }
    if (traces.empty()) {
        out(QStringLiteral("The cache is empty. Import traces with: tracelight import FILE…"));
        return ExitOk;
    }
    out(QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8")
            .arg(QStringLiteral("TRACE ID"), -32)
            .arg(QStringLiteral("STARTED"), -23)
            .arg(QStringLiteral("DURATION"), 10)
            .arg(QStringLiteral("STEPS"), 6)
            .arg(QStringLiteral("TOKENS"), 9)
            .arg(QStringLiteral("COST"), 9)
            .arg(QStringLiteral("ERR"), 4)
            .arg(QStringLiteral("NAME")));
    for (const TraceSummary& t : traces) {
        out(QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8")
                .arg(Format::fromUtf8(t.traceId), -32)
                .arg(Format::timestamp(t.startNs), -23)
                .arg(Format::duration(t.endNs - t.startNs), 10)
                .arg(t.spans, 6)
                .arg(Format::tokens(t.inputTokens + t.outputTokens), 9)
                .arg(t.costUsd ? Format::cost(t.costUsd) : QStringLiteral("-"), 9)
                .arg(t.errors, 4)
                .arg(Format::fromUtf8(t.name)));
    }
    return ExitOk;
}

// A trace id, or an unambiguous prefix of one.
std::optional<TraceSummary> findTrace(TraceStore& store, const std::string& id, std::string& error)
{
    if (auto trace = store.trace(id))
        return trace;
    std::optional<TraceSummary> match;
    for (TraceSummary& trace : store.traces()) {
        if (trace.traceId.rfind(id, 0) != 0)
            continue;
        if (match) {
            error = "trace id prefix \"" + id + "\" is ambiguous";
            return std::nullopt;
        }
        match = std::move(trace);
    }
    if (!match)
        error = "no trace \"" + id + "\" in the cache " + store.path();
    return match;
}

int showCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOption(jsonOption());
    if (!parse(parser, arguments, QStringLiteral("Show a trace's steps in start order."), QStringLiteral("TRACE_ID"),
            QStringLiteral("The trace to show (a unique prefix is enough).")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    if (parser.positionalArguments().size() != 1) {
        err(QStringLiteral("tracelight show: give exactly one TRACE_ID (see tracelight show --help)"));
        return ExitUsage;
    }
    TraceStore store(databasePath(parser));
    std::string error;
    const auto trace = findTrace(store, parser.positionalArguments().front().toStdString(), error);
    if (!trace) {
        std::cerr << "tracelight show: " << error << '\n';
        return ExitFailure;
    }
    const auto snapshot = TraceSnapshot::build(*trace, store.steps(trace->traceId));
    if (parser.isSet(QStringLiteral("json"))) {
        std::cout << JsonOutput::traceSteps(*snapshot).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << '\n';
        return ExitOk;
    }
    out(QStringLiteral("%1  %2  %3, %4 steps, %5 LLM calls, %6 tool calls, %7 tokens, %8 errors")
            .arg(Format::fromUtf8(trace->traceId), Format::fromUtf8(trace->name),
                Format::duration(trace->endNs - trace->startNs))
            .arg(trace->spans)
            .arg(trace->llmCalls)
            .arg(trace->toolCalls)
            .arg(Format::tokens(trace->inputTokens + trace->outputTokens))
            .arg(trace->errors));
    for (const int i : snapshot->causalOrder()) {
        const StepRecord& s = snapshot->step(i);
        QString detail = Format::fromUtf8(!s.toolName.empty() ? s.toolName : s.model);
        if (s.inputTokens || s.outputTokens)
            detail += QStringLiteral("  %1→%2 tokens")
                          .arg(Format::tokens(s.inputTokens.value_or(0)), Format::tokens(s.outputTokens.value_or(0)));
        if (s.status == StepStatus::Error)
            detail += QStringLiteral("  ERROR ") + Format::fromUtf8(s.statusMessage);
        out(QStringLiteral("%1  %2%3  %4  %5  %6")
                .arg(Format::fromUtf8(s.spanId), -16)
                .arg(QString(snapshot->depth(i) * 2, QLatin1Char(' ')))
                .arg(Format::kindLabel(s.kind), -9)
                .arg(Format::fromUtf8(s.name))
                .arg(s.endNs > 0 ? Format::duration(s.durationNs()) : QStringLiteral("open"))
                .arg(detail));
    }
    return ExitOk;
}

int exportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption formatOption(QStringList { QStringLiteral("format") },
        QStringLiteral("The format to write: otlp-json (the default)."), QStringLiteral("NAME"),
        QStringLiteral("otlp-json"));
    const QCommandLineOption outputOption(QStringList { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The file to write (default: standard output)."), QStringLiteral("FILE"));
    parser.addOption(formatOption);
    parser.addOption(outputOption);
    if (!parse(parser, arguments,
            QStringLiteral(
                "Export a trace as an OTLP JSON ExportTraceServiceRequest: other OpenTelemetry tools read it, "
                "and tracelight import reads it back exactly."),
            QStringLiteral("TRACE_ID"), QStringLiteral("The trace to export (a unique prefix is enough).")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    if (parser.positionalArguments().size() != 1) {
        err(QStringLiteral("tracelight export: give exactly one TRACE_ID (see tracelight export --help)"));
        return ExitUsage;
    }
    if (parser.value(formatOption) != QLatin1String("otlp-json")) {
        err(QStringLiteral("tracelight export: unknown format \"%1\"; known formats: otlp-json")
                .arg(parser.value(formatOption)));
        return ExitUsage;
    }
    TraceStore store(databasePath(parser));
    std::string error;
    const auto trace = findTrace(store, parser.positionalArguments().front().toStdString(), error);
    if (!trace) {
        std::cerr << "tracelight export: " << error << '\n';
        return ExitFailure;
    }

    const QString path = parser.value(outputOption);
    const bool toStdout = path.isEmpty() || path == QLatin1String("-");
    // The file appears whole or not at all: nothing half-written is left behind a failure.
    QSaveFile file(path);
    if (!toStdout && !file.open(QIODevice::WriteOnly)) {
        err(QStringLiteral("tracelight export: cannot write %1: %2").arg(path, file.errorString()));
        return ExitFailure;
    }
    OtlpJsonWriter writer([&](std::string_view text) {
        if (toStdout)
            std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
        else
            file.write(text.data(), static_cast<qint64>(text.size()));
    });
    store.forEachStepDetail(trace->traceId, [&](StepDetail&& step) { writer.add(step); });
    writer.finish();
    for (const std::string& warning : writer.warnings())
        std::cerr << "warning: " << warning << '\n';
    if (toStdout) {
        std::cout.flush();
        return std::cout ? ExitOk : ExitFailure;
    }
    if (!file.commit()) {
        err(QStringLiteral("tracelight export: cannot write %1: %2").arg(path, file.errorString()));
        return ExitFailure;
    }
    std::printf("%s: %lld spans of trace %s, %lld resources\n", path.toLocal8Bit().constData(),
        static_cast<long long>(writer.spans()), trace->traceId.c_str(), static_cast<long long>(writer.resources()));
    return ExitOk;
}

} // namespace

bool isCommand(const QStringList& arguments)
{
    return arguments.size() > 1 && commandNames.contains(arguments.at(1));
}

int run(const QStringList& arguments)
{
    const QString command = arguments.at(1);
    try {
        if (command == QLatin1String("import"))
            return importCommand(arguments);
        if (command == QLatin1String("list"))
            return listCommand(arguments);
        if (command == QLatin1String("show"))
            return showCommand(arguments);
        if (command == QLatin1String("export"))
            return exportCommand(arguments);
    } catch (const std::exception& error) {
        std::cerr << "tracelight " << command.toStdString() << ": " << error.what() << '\n';
        return ExitFailure;
    }
    return ExitUsage;
}

} // namespace Tracelight::Cli
