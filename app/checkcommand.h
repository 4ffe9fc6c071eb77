#pragma once

#include <QStringList>

namespace Tracelight::Cli {

// `tracelight check`: the findings of runs, computed afresh from the cache (read only), as text, JSON or JUnit XML;
// exits 1 when a finding of a --fail-on kind is present, so that a CI job can gate a release on it.
int checkCommand(const QStringList& arguments);

} // namespace Tracelight::Cli
