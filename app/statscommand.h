#pragma once

#include <costmodel.h>

#include <QCommandLineOption>
#include <QStringList>

namespace Tracelight::Cli {

// --prices FILE: price overrides to use instead of the user's prices.json.
QCommandLineOption pricesOption();
// The shipped prices merged with pricesFile, else with the user's prices.json (throws PriceTableError).
CostModelPtr costModelFor(const QString& pricesFile);

// `tracelight stats`: the dashboard's figures for the runs the filters select, as text or JSON.
int statsCommand(const QStringList& arguments);

} // namespace Tracelight::Cli
