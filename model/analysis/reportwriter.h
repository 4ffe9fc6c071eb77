#pragma once

#include "auditreport.h"

#include <QByteArray>

#include <nlohmann/json.hpp>

#include <string>

namespace Tracelight {

// Formats an AuditReport. Every text from the trace is untrusted: HTML escapes it (control characters shown as
// \xNN), Markdown escapes it in running text and fences it in code blocks longer than any backtick run inside.
// Each output is sealed (ReportIntegrity) so that `tracelight verify` detects an edit of the report itself.
namespace ReportWriter {

nlohmann::json json(const AuditReport& report);
std::string markdown(const AuditReport& report);
// A single self-contained file: inline CSS, the timeline as a data: URL (timelinePng may be empty), no script.
std::string html(const AuditReport& report, const QByteArray& timelinePng = {});

// Shared with the PDF writer. escapeHtml escapes & < > " ' and shows control characters as \xNN.
std::string escapeHtml(const std::string& text);
std::string utcTime(std::int64_t unixNs);
// "wrong 2/5 (alice, step 1a2b…): the note": an annotation on one line, the parts that are set.
std::string annotationLine(const Annotation& annotation);
std::string stepTitle(const AuditReport::Step& step);
std::string stepFacts(const AuditReport& report, const AuditReport::Step& step);

} // namespace ReportWriter

} // namespace Tracelight
