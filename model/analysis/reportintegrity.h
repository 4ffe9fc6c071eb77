#pragma once

#include "integrityhash.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace Tracelight {

struct AuditReport;

// How a report carries its integrity data, and how `tracelight verify` reads it back.
//
// Markdown and HTML carry two comment lines at their end: `<!-- tracelight-integrity BASE64 -->` (the trace hash
// and the hash of every step, JSON in base64 so that no trace text can close the comment) and, last,
// `<!-- tracelight-report-sha256 HEX -->`: the SHA-256 of every byte before that line, so that an edit of the
// report itself is detected. JSON reports carry `integrity` and `report_sha256`, the SHA-256 of the report dumped
// without that key. PDF reports print a line `tracelight-integrity sha256 HASH trace TRACE_ID` that pdftotext
// extracts (they carry no hash of themselves).
struct ReportIntegrity
{
    enum class SelfCheck
    {
        Absent,
        Match,
        Mismatch,
    };

    std::string format; // json, md/html (text), pdf
    std::string traceId;
    std::string hash;
    std::vector<IntegrityHash::StepHash> steps; // empty for PDF
    SelfCheck self = SelfCheck::Absent;

    static nlohmann::json toJson(const AuditReport& report);
    static std::string commentLine(const AuditReport& report);
    static std::string pdfLine(const AuditReport& report);
    // Appends the report-sha256 line.
    static std::string seal(std::string text);
    // Adds report_sha256.
    static nlohmann::json seal(nlohmann::json report);

    // Reads a JSON, HTML or Markdown report; nullopt with error when it carries no integrity data.
    static std::optional<ReportIntegrity> read(const QByteArray& content, std::string& error);
    // Reads the text pdftotext extracted from a PDF report.
    static std::optional<ReportIntegrity> readPdfText(const QString& text, std::string& error);
};

} // namespace Tracelight
