#include "sessionscommand.h"

#include "clisupport.h"
#include "statscommand.h"

#include <format.h>
#include <isotime.h>
#include <sessions.h>
#include <tracestore.h>
#include <utf8.h>

#include <nlohmann/json.hpp>

#include <iostream>

namespace Tracelight::Cli {

namespace {

nlohmann::json optionalCost(const std::optional<double>& usd)
{
    return usd ? nlohmann::json(*usd) : nlohmann::json();
}

std::string excerpt(const std::string& text, std::size_t chars)
{
    return Utf8::inertLine(text, chars);
}

} // namespace

int sessionsCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addOptions({ jsonOption(), pricesOption() });
    if (!parse(parser, arguments,
            QStringLiteral("The conversations in the cache: runs that share a session id, with their turns, cost and "
                           "errors, the most recent first. tracelight show --session ID prints one."),
            {}, {}))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
    store.setCostModel(costModelFor(parser.value(QStringLiteral("prices"))));
    const std::vector<Sessions::Row> rows = Sessions::list(store);
    if (parser.isSet(QStringLiteral("json"))) {
        nlohmann::json out = nlohmann::json::array();
        for (const Sessions::Row& r : rows)
            out.push_back({ { "session_id", r.sessionId }, { "runs", r.runs }, { "turns", r.turns },
                { "start_ns", r.startNs }, { "end_ns", r.endNs }, { "cost_usd", optionalCost(r.costUsd) },
                { "errors", r.errors }, { "name", r.name }, { "service", r.service }, { "trace_ids", r.traceIds } });
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return ExitOk;
    }
    if (rows.empty()) {
        out(QStringLiteral("No run in the cache names a session."));
        return ExitOk;
    }
    out(QStringLiteral("%1  %2  %3  %4  %5  %6  %7")
            .arg(QStringLiteral("SESSION"), -38)
            .arg(QStringLiteral("STARTED"), -23)
            .arg(QStringLiteral("RUNS"), 5)
            .arg(QStringLiteral("TURNS"), 6)
            .arg(QStringLiteral("COST"), 9)
            .arg(QStringLiteral("ERR"), 4)
            .arg(QStringLiteral("NAME")));
    for (const Sessions::Row& r : rows)
        out(QStringLiteral("%1  %2  %3  %4  %5  %6  %7")
                .arg(Format::fromUtf8(r.sessionId), -38)
                .arg(Format::timestamp(r.startNs), -23)
                .arg(r.runs, 5)
                .arg(r.turns, 6)
                .arg(r.costUsd ? Format::cost(r.costUsd) : QStringLiteral("-"), 9)
                .arg(r.errors, 4)
                .arg(Format::fromUtf8(excerpt(r.name, 60))));
    return ExitOk;
}

int showSession(TraceStore& store, const std::string& sessionId, bool json)
{
    const std::vector<Sessions::Turn> turns = Sessions::transcript(store, sessionId);
    if (turns.empty()) {
        std::cerr << "tracelight show: no session \"" << sessionId << "\" in the cache " << store.path() << '\n';
        return ExitFailure;
    }
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const Sessions::Turn& t : turns) {
            nlohmann::json findings = nlohmann::json::array();
            for (const Finding& f : t.findings)
                findings.push_back(nlohmann::json::parse(findingToJson(f)));
            list.push_back({ { "turn", t.number }, { "trace_id", t.traceId }, { "span_id", t.spanId },
                { "start_ns", t.startNs }, { "end_ns", t.endNs }, { "steps", t.steps }, { "llm_calls", t.llmCalls },
                { "tool_calls", t.toolCalls }, { "tokens", t.tokens }, { "cost_usd", optionalCost(t.costUsd) },
                { "errors", t.errors }, { "user", t.user }, { "answer", t.answer }, { "findings", findings } });
        }
        std::cout << nlohmann::json { { "session_id", sessionId }, { "turns", list } }.dump(
            2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << '\n';
        return ExitOk;
    }
    std::cout << "session " << sessionId << ": " << turns.size() << (turns.size() == 1 ? " turn\n" : " turns\n");
    for (const Sessions::Turn& t : turns) {
        std::cout << "\nturn " << t.number << "  " << IsoTime::format(t.startNs) << "  "
                  << Format::duration(t.endNs - t.startNs).toStdString() << "  " << t.steps << " steps (" << t.llmCalls
                  << " llm, " << t.toolCalls << " tool)  " << Format::tokens(t.tokens).toStdString() << " tokens  "
                  << (t.costUsd ? Format::cost(t.costUsd).toStdString() : std::string("cost unknown"))
                  << (t.errors ? "  " + std::to_string(t.errors) + " errors" : std::string()) << "  run " << t.traceId
                  << '\n';
        std::cout << "  user:   " << excerpt(t.user, 400) << '\n';
        std::cout << "  answer: " << excerpt(t.answer, 400) << '\n';
        for (const Finding& f : t.findings)
            std::cout << "  finding " << findingKindName(f.kind) << ": " << excerpt(f.message, 200) << '\n';
    }
    return ExitOk;
}

} // namespace Tracelight::Cli
