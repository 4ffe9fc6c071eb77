#include "clisupport.h"

#include <iostream>

namespace Tracelight::Cli {

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

} // namespace Tracelight::Cli
