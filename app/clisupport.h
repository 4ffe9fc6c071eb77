#pragma once

#include <tracestore.h>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>

// What every headless command shares: exit codes, output, option parsing, finding a trace.
namespace Tracelight::Cli {

constexpr int ExitOk = 0;
constexpr int ExitFailure = 1;
constexpr int ExitUsage = 2;

void out(const QString& text);
void err(const QString& text);
QCommandLineOption dbOption();
QCommandLineOption jsonOption();
// Parses a command's options; returns false (after printing) on a usage error or --help.
bool parse(QCommandLineParser& parser, const QStringList& arguments, const QString& description,
    const QString& positional, const QString& positionalHelp);
std::string databasePath(const QCommandLineParser& parser);
// A trace id, or an unambiguous prefix of one.
std::optional<TraceSummary> findTrace(TraceStore& store, const std::string& id, std::string& error);

} // namespace Tracelight::Cli
