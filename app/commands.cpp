#include "commands.h"

#include "annotatecommand.h"
#include "checkcommand.h"
#include "clisupport.h"
#include "commandjson.h"
#include "graphcommand.h"
#include "jsonoutput.h"
#include "mcptools.h"
#include "reportcommands.h"
#include "servecommand.h"
#include "sessionscommand.h"
#include "statscommand.h"

#include <agentgraph.h>
#include <fileimport.h>
#include <findingsindex.h>
#include <format.h>
#include <importsession.h>
#include <otlpjsonwriter.h>
#include <runcomparison.h>
#include <runoutline.h>
#include <searchindex.h>
#include <sessiondiscovery.h>
#include <stepexport.h>
#include <themepalette.h>
#include <timelinelayout.h>
#include <timelinerenderer.h>
#include <tracesearch.h>
#include <tracesnapshot.h>
#include <tracestore.h>
#include <tracewriter.h>
#include <utf8.h>
#include <versioncomparison.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFontDatabase>
#include <QImage>
#include <QPainter>
#include <QSaveFile>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace Tracelight::Cli {

namespace {

const QStringList commandNames = { QStringLiteral("import"), QStringLiteral("list"), QStringLiteral("show"),
    QStringLiteral("render"), QStringLiteral("search"), QStringLiteral("compare"), QStringLiteral("export"),
    QStringLiteral("report"), QStringLiteral("verify"), QStringLiteral("stats"), QStringLiteral("serve"),
    QStringLiteral("check"), QStringLiteral("mcp"), QStringLiteral("annotate"), QStringLiteral("annotations"),
    QStringLiteral("graph"), QStringLiteral("sessions") };

// Text from a trace, for a terminal: on one line, with controls, escape sequences and bidi overrides made visible,
// so that no trace can make the command line's output lie.
QString shown(const std::string& text)
{
    return Format::fromUtf8(Utf8::inertLine(text, 240));
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
    if (!parse(parser, arguments,
            QStringLiteral("Import trace files and coding-agent sessions into the cache, one transaction per file.\n"
                           "A folder is walked recursively and each file in it recognized by content; a session's\n"
                           "sub-agent logs are imported with it."),
            QStringLiteral("PATH"), QStringLiteral("Trace files, session logs or folders to import.")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    if (parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("tracelight import: no file given (see tracelight import --help)"));
        return ExitUsage;
    }
    std::vector<std::string> paths;
    for (const QString& path : parser.positionalArguments())
        paths.push_back(path.toStdString());
    ImportSession session(databasePath(parser));
    session.setForcedFormat(parser.value(formatOption).toStdString());
    ImportSession::Callbacks callbacks;
    callbacks.planned = [](const ImportIssue& note) { std::cerr << "note: " << issueLine(note) << '\n'; };
    bool anyFailed = false;
    callbacks.fileFinished = [&anyFailed](const ImportOutcome& outcome) {
        for (const ImportIssue& warning : outcome.warnings)
            std::cerr << "warning: " << issueLine(warning) << '\n';
        if (!outcome.ok()) {
            anyFailed = true;
            std::cerr << "error: " << issueLine(outcome.error) << '\n';
            return;
        }
        std::printf("%s: %lld traces, %lld spans (%lld new), %.2f s%s\n",
            QString::fromStdString(outcome.file).toLocal8Bit().constData(), static_cast<long long>(outcome.traces),
            static_cast<long long>(outcome.spans), static_cast<long long>(outcome.newSpans), outcome.seconds,
            outcome.alreadyImported && outcome.newSpans == 0 ? " (already imported)" : "");
    };
    // The files are browsable once their lines above are printed; the search index follows.
    QElapsedTimer indexing;
    std::int64_t pendingAtStart = -1;
    callbacks.indexing = [&](const SearchIndexState& state) {
        if (pendingAtStart < 0) {
            pendingAtStart = state.total - state.indexed;
            indexing.start();
            std::fflush(stdout);
        }
        if (state.complete() && pendingAtStart > 0) {
            std::fprintf(stderr, "search index: %lld steps, %.2f s\n", static_cast<long long>(pendingAtStart),
                double(indexing.nsecsElapsed()) / 1e9);
            pendingAtStart = 0;
        }
    };
    callbacks.indexingFailed = [](const std::string& error) {
        std::cerr << "warning: the search index is not complete (" << error
                  << "); the next import or search completes it\n";
    };
    QElapsedTimer findingsTimer;
    std::int64_t findingsPending = -1;
    callbacks.findings = [&](const FindingsState& state) {
        if (findingsPending < 0) {
            findingsPending = state.total - state.current;
            findingsTimer.start();
        }
        if (state.complete() && findingsPending > 0) {
            std::fprintf(stderr, "findings: %lld runs, %.2f s\n", static_cast<long long>(findingsPending),
                double(findingsTimer.nsecsElapsed()) / 1e9);
            findingsPending = 0;
        }
    };
    callbacks.findingsFailed
        = [](const std::string& error) { std::cerr << "warning: the findings are not up to date (" << error << ")\n"; };
    session.run(paths, callbacks);
    std::fflush(stdout);
    return anyFailed ? ExitFailure : ExitOk;
}

int listCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOption(jsonOption());
    parser.addOption(pricesOption());
    if (!parse(parser, arguments, QStringLiteral("List the traces in the cache, newest first."), {}, {}))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    TraceStore store(databasePath(parser));
    store.setCostModel(costModelFor(parser.value(QStringLiteral("prices"))));
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
                .arg(Format::tokens(t.tokens.total()), 9)
                .arg(t.costUsd ? Format::cost(t.costUsd) : QStringLiteral("-"), 9)
                .arg(t.errors, 4)
                .arg(shown(t.name)));
    }
    return ExitOk;
}

int showCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOption(jsonOption());
    parser.addOption(pricesOption());
    const QCommandLineOption outline(QStringLiteral("outline"),
        QStringLiteral("Print a compact outline for a language model: a line a step, repeated rounds folded to fit "
                       "the budget."));
    const QCommandLineOption budget(QStringLiteral("budget"),
        QStringLiteral("With --outline: at most about N tokens (default 4000; 0 for no limit)."), QStringLiteral("N"),
        QStringLiteral("4000"));
    const QCommandLineOption session(QStringLiteral("session"),
        QStringLiteral("Show a session (see tracelight sessions) as one transcript, turn by turn, instead of a trace."),
        QStringLiteral("ID"));
    parser.addOptions({ outline, budget, session });
    if (!parse(parser, arguments, QStringLiteral("Show a trace's steps in start order."), QStringLiteral("TRACE_ID"),
            QStringLiteral("The trace to show (a unique prefix is enough).")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    if (parser.isSet(session)) {
        if (!parser.positionalArguments().isEmpty() || parser.isSet(outline)) {
            err(QStringLiteral("tracelight show: --session ID goes without a TRACE_ID and --outline"));
            return ExitUsage;
        }
        TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
        store.setCostModel(costModelFor(parser.value(QStringLiteral("prices"))));
        return showSession(store, parser.value(session).toStdString(), parser.isSet(QStringLiteral("json")));
    }
    if (parser.positionalArguments().size() != 1) {
        err(QStringLiteral("tracelight show: give exactly one TRACE_ID (see tracelight show --help)"));
        return ExitUsage;
    }
    bool budgetOk = false;
    const qlonglong budgetTokens = parser.value(budget).toLongLong(&budgetOk);
    if (!budgetOk || budgetTokens < 0 || (parser.isSet(budget) && !parser.isSet(outline))
        || (parser.isSet(outline) && parser.isSet(QStringLiteral("json")))) {
        err(QStringLiteral("tracelight show: --budget takes a number of tokens (0 or more) and goes with --outline, "
                           "which does not go with --json"));
        return ExitUsage;
    }
    TraceStore store(databasePath(parser));
    store.setCostModel(costModelFor(parser.value(QStringLiteral("prices"))));
    std::string error;
    const auto trace = findTrace(store, parser.positionalArguments().front().toStdString(), error);
    if (!trace) {
        std::cerr << "tracelight show: " << error << '\n';
        return ExitFailure;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        std::cout << CommandJson::show(store, *trace).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << '\n';
        return ExitOk;
    }
    const auto snapshot = TraceSnapshot::build(*trace, store.steps(trace->traceId));
    if (parser.isSet(outline)) {
        RunOutline::Options options;
        options.budgetTokens = budgetTokens;
        std::cout << RunOutline::build(store, *snapshot, FindingsIndex::stored(store, trace->traceId), options).text;
        return ExitOk;
    }
    out(QStringLiteral("%1  %2  %3, %4 steps, %5 LLM calls, %6 tool calls, %7 tokens, %8 errors")
            .arg(Format::fromUtf8(trace->traceId), shown(trace->name), Format::duration(trace->endNs - trace->startNs))
            .arg(trace->spans)
            .arg(trace->llmCalls)
            .arg(trace->toolCalls)
            .arg(Format::tokens(trace->tokens.total()))
            .arg(trace->errors));
    for (const int i : snapshot->causalOrder()) {
        const StepRecord& s = snapshot->step(i);
        QString detail = shown(!s.toolName.empty() ? s.toolName : s.model);
        if (s.tokens.input || s.tokens.output)
            detail += QStringLiteral("  %1→%2 tokens")
                          .arg(Format::tokens(s.tokens.input.value_or(0)), Format::tokens(s.tokens.output.value_or(0)));
        if (s.status == StepStatus::Error)
            detail += QStringLiteral("  ERROR ") + shown(s.statusMessage);
        out(QStringLiteral("%1  %2%3  %4  %5  %6")
                .arg(shown(s.spanId), -16)
                .arg(QString(snapshot->depth(i) * 2, QLatin1Char(' ')))
                .arg(Format::kindLabel(s.kind), -9)
                .arg(shown(s.name))
                .arg(s.endNs > 0 ? Format::duration(s.durationNs()) : QStringLiteral("open"))
                .arg(detail));
    }
    return ExitOk;
}

QString signedNumber(double value, int decimals = 0)
{
    return (value > 0 ? QStringLiteral("+") : QString()) + QString::number(value, 'f', decimals);
}

// Two runs aligned step by step, or two agent versions side by side.
int compareCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOption(jsonOption());
    const QCommandLineOption versionsOption(QStringLiteral("versions"), QStringLiteral("Compare two agent versions."));
    const QCommandLineOption serviceOption(
        QStringLiteral("service"), QStringLiteral("With --versions: only runs of this service."), QStringLiteral("S"));
    parser.addOptions({ versionsOption, serviceOption, pricesOption() });
    if (!parse(parser, arguments,
            QStringLiteral("Compare two runs (TRACE_A TRACE_B) or two versions (--versions V1 V2)."),
            QStringLiteral("A B"), QStringLiteral("Two trace ids (unique prefixes are enough), or two versions.")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    if (parser.positionalArguments().size() != 2) {
        err(QStringLiteral(
            "tracelight compare: give TRACE_A TRACE_B, or --versions V1 V2 (see tracelight compare --help)"));
        return ExitUsage;
    }
    TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
    store.setCostModel(costModelFor(parser.value(QStringLiteral("prices"))));
    const bool json = parser.isSet(QStringLiteral("json"));
    const std::string first = parser.positionalArguments().at(0).toStdString();
    const std::string second = parser.positionalArguments().at(1).toStdString();

    if (parser.isSet(versionsOption)) {
        const std::string service = parser.value(serviceOption).toStdString();
        const VersionStats v1 = VersionComparison::stats(store, first, service);
        const VersionStats v2 = VersionComparison::stats(store, second, service);
        for (const VersionStats* v : { &v1, &v2 }) {
            if (v->runs == 0) {
                std::cerr << "tracelight compare: no run of version \"" << v->version << '"'
                          << (service.empty() ? std::string() : " of service \"" + service + '"') << " in the cache\n";
                return ExitFailure;
            }
        }
        if (json) {
            std::cout << JsonOutput::versionComparison(v1, v2).dump(
                2, ' ', false, nlohmann::json::error_handler_t::replace)
                      << '\n';
            return ExitOk;
        }
        const auto line = [](const QString& label, const QString& a, const QString& b, const QString& delta) {
            out(QStringLiteral("%1 %2 %3 %4").arg(label, -22).arg(a, 14).arg(b, 14).arg(delta, 12));
        };
        line(QString(), shown(v1.version), shown(v2.version), QStringLiteral("delta"));
        line(QStringLiteral("runs"), QString::number(v1.runs), QString::number(v2.runs),
            signedNumber(v2.runs - v1.runs));
        line(QStringLiteral("error rate"), QStringLiteral("%1 %").arg(v1.errorRate * 100, 0, 'f', 1),
            QStringLiteral("%1 %").arg(v2.errorRate * 100, 0, 'f', 1),
            signedNumber((v2.errorRate - v1.errorRate) * 100, 1));
        line(QStringLiteral("p50 duration"), Format::duration(std::int64_t(v1.p50DurationMs * 1e6)),
            Format::duration(std::int64_t(v2.p50DurationMs * 1e6)),
            signedNumber(v2.p50DurationMs - v1.p50DurationMs) + QStringLiteral(" ms"));
        line(QStringLiteral("p95 duration"), Format::duration(std::int64_t(v1.p95DurationMs * 1e6)),
            Format::duration(std::int64_t(v2.p95DurationMs * 1e6)),
            signedNumber(v2.p95DurationMs - v1.p95DurationMs) + QStringLiteral(" ms"));
        line(QStringLiteral("median cost"), Format::cost(v1.medianCostUsd), Format::cost(v2.medianCostUsd), QString());
        line(QStringLiteral("median tokens"), Format::tokens(std::int64_t(v1.medianTokens)),
            Format::tokens(std::int64_t(v2.medianTokens)), signedNumber(v2.medianTokens - v1.medianTokens));
        line(QStringLiteral("llm calls per run"), QString::number(v1.llmCallsPerRun, 'f', 1),
            QString::number(v2.llmCallsPerRun, 'f', 1), signedNumber(v2.llmCallsPerRun - v1.llmCallsPerRun, 1));
        line(QStringLiteral("tool calls per run"), QString::number(v1.toolCallsPerRun, 'f', 1),
            QString::number(v2.toolCallsPerRun, 'f', 1), signedNumber(v2.toolCallsPerRun - v1.toolCallsPerRun, 1));
        return ExitOk;
    }

    std::string error;
    const auto a = findTrace(store, first, error);
    const auto b = a ? findTrace(store, second, error) : std::nullopt;
    if (!a || !b) {
        std::cerr << "tracelight compare: " << error << '\n';
        return ExitFailure;
    }
    if (json) {
        std::cout << CommandJson::compare(store, *a, *b).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << '\n';
        return ExitOk;
    }
    const RunComparison c = RunComparison::compute(
        TraceSnapshot::build(*a, store.steps(a->traceId)), TraceSnapshot::build(*b, store.steps(b->traceId)));
    out(QStringLiteral("a: %1  %2  %3").arg(Format::fromUtf8(a->traceId), shown(a->name), shown(a->version)));
    out(QStringLiteral("b: %1  %2  %3").arg(Format::fromUtf8(b->traceId), shown(b->name), shown(b->version)));
    out(QStringLiteral("duration %1 ms, llm calls %2, tool calls %3, tokens in %4 / out %5, errors %6 (b − a)")
            .arg(signedNumber(b->durationMs() - a->durationMs(), 1), signedNumber(double(b->llmCalls - a->llmCalls)),
                signedNumber(double(b->toolCalls - a->toolCalls)),
                signedNumber(double(b->tokens.input - a->tokens.input)),
                signedNumber(double(b->tokens.output - a->tokens.output)),
                signedNumber(double(b->errors - a->errors))));
    out(QStringLiteral("%1 same, %2 changed, %3 added, %4 removed")
            .arg(c.count(RunComparison::Op::Same))
            .arg(c.count(RunComparison::Op::Changed))
            .arg(c.count(RunComparison::Op::Added))
            .arg(c.count(RunComparison::Op::Removed)));
    static const char* marks[] = { " ", "~", "+", "-" };
    for (std::size_t k = 0; k < c.alignment().size(); ++k) {
        const RunComparison::Pair& p = c.alignment()[k];
        const StepRecord& step = p.b >= 0 ? c.b().step(p.b) : c.a().step(p.a);
        out(QStringLiteral("%1 %2  %3  %4%5")
                .arg(QLatin1String(marks[int(p.op)]))
                .arg(Format::kindLabel(step.kind), -9)
                .arg(Format::fromUtf8(p.a >= 0 ? c.a().step(p.a).spanId : std::string("-")), -16)
                .arg(shown(step.name))
                .arg(int(k) == c.firstDivergence() ? QStringLiteral("   <- first divergence") : QString()));
    }
    return ExitOk;
}

// Full-text search over prompts, completions, tool arguments and results of every cached trace.
int searchCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOption(jsonOption());
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("At most N hits (default 50)."),
        QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption trace(
        QStringLiteral("trace"), QStringLiteral("Search one trace only."), QStringLiteral("TRACE_ID"));
    parser.addOptions({ limit, trace });
    if (!parse(parser, arguments,
            QStringLiteral("Search prompts, completions, tool arguments and results. Every word must appear; "
                           "\"quote a phrase\"; a word ending in * matches as a prefix."),
            QStringLiteral("QUERY"), QStringLiteral("What to look for.")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    bool limitOk = false;
    const int maxHits = parser.value(limit).toInt(&limitOk);
    if (parser.positionalArguments().isEmpty() || !limitOk || maxHits < 1) {
        err(QStringLiteral("tracelight search: give a QUERY and a positive --limit (see tracelight search --help)"));
        return ExitUsage;
    }
    TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
    if (const SearchIndexState index = SearchIndex::state(store.database()); !index.complete()) {
        // An import was cancelled while indexing, or the cache was just upgraded: finish the index first, so that
        // the answer is never partial.
        std::cerr << "note: indexing " << index.total - index.indexed << " steps for search first\n";
        TraceStore writable(databasePath(parser));
        SearchIndex::catchUp(writable.database());
    }
    std::string traceId;
    if (parser.isSet(trace)) {
        std::string error;
        const auto found = findTrace(store, parser.value(trace).toStdString(), error);
        if (!found) {
            std::cerr << "tracelight search: " << error << '\n';
            return ExitFailure;
        }
        traceId = found->traceId;
    }
    const std::vector<SearchHit> hits = TraceSearch::search(
        store.database(), parser.positionalArguments().join(QLatin1Char(' ')).toStdString(), maxHits, traceId);
    if (parser.isSet(QStringLiteral("json"))) {
        std::cout << JsonOutput::searchHits(hits).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return ExitOk;
    }
    for (const SearchHit& hit : hits) {
        // The pieces between the match markers made inert one by one, the markers shown as **.
        QString snippet;
        std::size_t from = 0;
        for (std::size_t i = 0; i <= hit.snippet.size(); ++i) {
            if (i < hit.snippet.size() && hit.snippet[i] != TraceSearch::SnippetOpen
                && hit.snippet[i] != TraceSearch::SnippetClose)
                continue;
            std::string piece = hit.snippet.substr(from, i - from);
            std::replace_if(
                piece.begin(), piece.end(), [](char ch) { return ch == '\n' || ch == '\r' || ch == '\t'; }, ' ');
            snippet += Format::fromUtf8(Utf8::visible(piece));
            if (i < hit.snippet.size())
                snippet += QStringLiteral("**");
            from = i + 1;
        }
        snippet = snippet.simplified();
        out(QStringLiteral("%1  %2  %3  %4  %5: %6")
                .arg(Format::fromUtf8(hit.traceId), Format::fromUtf8(hit.spanId), Format::kindLabel(hit.kind),
                    shown(hit.stepName), Format::fromUtf8(hit.field), snippet));
    }
    if (hits.empty())
        err(QStringLiteral("tracelight search: no step matches"));
    return ExitOk;
}

// Draws the timeline of a trace into a PNG without a display, with the same renderer as the window.
int renderCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption view(QStringLiteral("view"),
        QStringLiteral("waterfall (default), flame, or graph (the agent graph: who called whom)."),
        QStringLiteral("VIEW"), QStringLiteral("waterfall"));
    const QCommandLineOption output(QStringList { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The PNG to write (the graph: .png or .svg)."), QStringLiteral("FILE"));
    const QCommandLineOption sizeBy(QStringLiteral("size-by"),
        QStringLiteral("The graph: node size by time (default) or cost."), QStringLiteral("time|cost"),
        QStringLiteral("time"));
    const QCommandLineOption width(QStringLiteral("width"), QStringLiteral("Image width in pixels (default 1600)."),
        QStringLiteral("W"), QStringLiteral("1600"));
    const QCommandLineOption height(QStringLiteral("height"),
        QStringLiteral("Image height in pixels (default: tall enough for every row, at most 4000)."),
        QStringLiteral("H"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("light (default) or dark."),
        QStringLiteral("THEME"), QStringLiteral("light"));
    const QCommandLineOption critical(
        QStringLiteral("critical-path"), QStringLiteral("Highlight the critical path, with self times."));
    const QCommandLineOption step(
        QStringLiteral("step"), QStringLiteral("Select a step (span id)."), QStringLiteral("SPAN_ID"));
    parser.addOptions({ view, output, width, height, theme, critical, step, sizeBy });
    if (!parse(parser, arguments, QStringLiteral("Draw a trace's timeline into a PNG file."),
            QStringLiteral("TRACE_ID"), QStringLiteral("The trace to draw (a unique prefix is enough).")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    const QString viewName = parser.value(view);
    if (parser.positionalArguments().size() != 1 || !parser.isSet(output)
        || (viewName != QLatin1String("waterfall") && viewName != QLatin1String("flame")
            && viewName != QLatin1String("graph"))) {
        err(QStringLiteral("tracelight render: give one TRACE_ID, --view waterfall|flame|graph and -o FILE.png "
                           "(see tracelight render --help)"));
        return ExitUsage;
    }
    bool widthOk = false;
    bool heightOk = true;
    const int w = parser.value(width).toInt(&widthOk);
    const int requestedHeight = parser.isSet(height) ? parser.value(height).toInt(&heightOk) : 0;
    if (!widthOk || !heightOk || w < 200 || w > 16384
        || (parser.isSet(height) && (requestedHeight < 120 || requestedHeight > 16384))) {
        err(QStringLiteral("tracelight render: --width must be 200–16384 and --height 120–16384 pixels"));
        return ExitUsage;
    }

    TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
    std::string error;
    const auto trace = findTrace(store, parser.positionalArguments().front().toStdString(), error);
    if (!trace) {
        std::cerr << "tracelight render: " << error << '\n';
        return ExitFailure;
    }
    const TraceSnapshotPtr snapshot = TraceSnapshot::build(*trace, store.steps(trace->traceId));
    if (viewName == QLatin1String("graph")) {
        AgentGraph graph;
        graph.add(*snapshot);
        return writeGraphPicture(GraphLayout::Input::of(graph), parser.value(output), parser.value(theme),
            parser.value(sizeBy), parser.isSet(width) ? w : 0, QStringLiteral("tracelight render"));
    }
    const TimelineLayoutPtr layout = TimelineLayout::build(*snapshot);
    const TimelineRenderer renderer(snapshot, layout);
    TimelineState state;
    state.mode = viewName == QLatin1String("flame") ? TimelineMode::Flame : TimelineMode::Waterfall;
    state.criticalPath = parser.isSet(critical);
    if (parser.isSet(step)) {
        state.current = snapshot->indexOf(parser.value(step).toStdString());
        if (state.current < 0) {
            err(QStringLiteral("tracelight render: no step %1 in trace %2")
                    .arg(parser.value(step), Format::fromUtf8(trace->traceId)));
            return ExitFailure;
        }
    }
    const int chrome = TimelineRenderer::OverviewHeight + TimelineRenderer::RulerHeight;
    const int h = requestedHeight > 0 ? requestedHeight
                                      : std::clamp(chrome + renderer.contentHeight(state.mode) + 8, 160, 4000);
    QImage image(w, h, QImage::Format_ARGB32_Premultiplied);
    const QRect area(0, 0, w, h);
    state.axis = renderer.fitAxis(area, state.mode);
    {
        QPainter painter(&image);
        const QFont font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
        renderer.paint(painter, area, state, Theme::palette(parser.value(theme) == QLatin1String("dark")), font);
    }
    const QString file = parser.value(output);
    if (!image.save(file, "PNG")) {
        err(QStringLiteral("tracelight render: cannot write %1").arg(file));
        return ExitFailure;
    }
    out(QStringLiteral("%1: %2 view of %3 (%4 steps), %5×%6 pixels")
            .arg(file, viewName, Format::fromUtf8(trace->traceId))
            .arg(snapshot->size())
            .arg(w)
            .arg(h));
    return ExitOk;
}

int exportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption formatOption(QStringList { QStringLiteral("format") },
        QStringLiteral(
            "The format to write: otlp-json (the default), chrome (trace event JSON for Perfetto and "
            "chrome://tracing), csv (one row per step) or tool-csv (one row per tool call, arguments and results "
            "in full)."),
        QStringLiteral("NAME"), QStringLiteral("otlp-json"));
    const QCommandLineOption outputOption(QStringList { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The file to write (default: standard output)."), QStringLiteral("FILE"));
    parser.addOption(formatOption);
    parser.addOption(outputOption);
    if (!parse(parser, arguments,
            QStringLiteral(
                "Export a trace as an OTLP JSON ExportTraceServiceRequest (other OpenTelemetry tools read it, "
                "and tracelight import reads it back exactly), as Chrome trace events or as CSV."),
            QStringLiteral("TRACE_ID"), QStringLiteral("The trace to export (a unique prefix is enough).")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    if (parser.positionalArguments().size() != 1) {
        err(QStringLiteral("tracelight export: give exactly one TRACE_ID (see tracelight export --help)"));
        return ExitUsage;
    }
    const QString formatName = parser.value(formatOption);
    if (formatName != QLatin1String("otlp-json") && formatName != QLatin1String("chrome")
        && formatName != QLatin1String("csv") && formatName != QLatin1String("tool-csv")) {
        err(QStringLiteral("tracelight export: unknown format \"%1\"; known formats: otlp-json, chrome, csv, tool-csv")
                .arg(formatName));
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
    if (formatName != QLatin1String("otlp-json")) {
        const TraceSnapshotPtr snapshot = TraceSnapshot::build(*trace, store.steps(trace->traceId));
        const QByteArray bytes = formatName == QLatin1String("csv") ? StepExport::stepsCsv(*snapshot).toUtf8()
            : formatName == QLatin1String("tool-csv")
            ? StepExport::toolCallsCsv(store, *snapshot).toUtf8()
            : QByteArray::fromStdString(
                StepExport::chromeTrace(*snapshot).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                + '\n');
        if (toStdout) {
            std::cout.write(bytes.constData(), bytes.size());
            std::cout.flush();
            return std::cout ? ExitOk : ExitFailure;
        }
        file.write(bytes);
        if (!file.commit()) {
            err(QStringLiteral("tracelight export: cannot write %1: %2").arg(path, file.errorString()));
            return ExitFailure;
        }
        out(QStringLiteral("%1: %2 steps of trace %3 as %4")
                .arg(path)
                .arg(snapshot->size())
                .arg(Format::fromUtf8(trace->traceId), formatName));
        return ExitOk;
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
        if (command == QLatin1String("render"))
            return renderCommand(arguments);
        if (command == QLatin1String("stats"))
            return statsCommand(arguments);
        if (command == QLatin1String("search"))
            return searchCommand(arguments);
        if (command == QLatin1String("compare"))
            return compareCommand(arguments);
        if (command == QLatin1String("export"))
            return exportCommand(arguments);
        if (command == QLatin1String("report"))
            return reportCommand(arguments);
        if (command == QLatin1String("verify"))
            return verifyCommand(arguments);
        if (command == QLatin1String("serve"))
            return serveCommand(arguments);
        if (command == QLatin1String("check"))
            return checkCommand(arguments);
        if (command == QLatin1String("mcp"))
            return mcpCommand(arguments);
        if (command == QLatin1String("annotate"))
            return annotateCommand(arguments);
        if (command == QLatin1String("annotations"))
            return annotationsCommand(arguments);
        if (command == QLatin1String("graph"))
            return graphCommand(arguments);
        if (command == QLatin1String("sessions"))
            return sessionsCommand(arguments);
    } catch (const std::exception& error) {
        std::cerr << "tracelight " << command.toStdString() << ": " << error.what() << '\n';
        return ExitFailure;
    }
    return ExitUsage;
}

} // namespace Tracelight::Cli
