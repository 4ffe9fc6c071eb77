#include "reportintegrity.h"

#include "auditreport.h"

#include <QRegularExpression>

namespace Tracelight {

namespace {

constexpr std::string_view CommentOpen = "<!-- tracelight-integrity ";
constexpr std::string_view SealOpen = "<!-- tracelight-report-sha256 ";
constexpr std::string_view CommentClose = " -->";

std::string dumpReport(const nlohmann::json& json)
{
    return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool fromJson(const nlohmann::json& integrity, ReportIntegrity& out, std::string& error)
{
    if (!integrity.is_object() || integrity.value("algorithm", "") != IntegrityHash::Algorithm
        || integrity.value("canonical", "") != IntegrityHash::Canonical || !integrity.contains("hash")
        || !integrity["hash"].is_string()) {
        error = "the integrity data is not sha256 over tracelight-steps-v1";
        return false;
    }
    out.hash = integrity["hash"].get<std::string>();
    out.traceId = integrity.value("trace_id", "");
    if (integrity.contains("steps") && integrity["steps"].is_array()) {
        for (const auto& step : integrity["steps"]) {
            if (step.is_array() && step.size() == 2 && step[0].is_string() && step[1].is_string())
                out.steps.push_back({ step[0].get<std::string>(), step[1].get<std::string>() });
        }
    }
    return true;
}

} // namespace

nlohmann::json ReportIntegrity::toJson(const AuditReport& report)
{
    nlohmann::json steps = nlohmann::json::array();
    for (const IntegrityHash::StepHash& s : report.integrity.steps())
        steps.push_back({ s.spanId, s.sha256 });
    return { { "algorithm", std::string(IntegrityHash::Algorithm) },
        { "canonical", std::string(IntegrityHash::Canonical) }, { "hash", report.integrity.hash() },
        { "trace_id", report.traceId }, { "over", "the unredacted steps in the cache" }, { "steps", steps } };
}

std::string ReportIntegrity::commentLine(const AuditReport& report)
{
    const std::string json = toJson(report).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
    return std::string(CommentOpen) + QByteArray::fromStdString(json).toBase64().toStdString()
        + std::string(CommentClose) + '\n';
}

std::string ReportIntegrity::pdfLine(const AuditReport& report)
{
    return "tracelight-integrity sha256 " + report.integrity.hash() + " trace " + report.traceId;
}

std::string ReportIntegrity::seal(std::string text)
{
    if (!text.empty() && text.back() != '\n')
        text += '\n';
    text += std::string(SealOpen) + IntegrityHash::sha256Hex(text) + std::string(CommentClose) + '\n';
    return text;
}

nlohmann::json ReportIntegrity::seal(nlohmann::json report)
{
    report.erase("report_sha256");
    report["report_sha256"] = IntegrityHash::sha256Hex(dumpReport(report));
    return report;
}

std::optional<ReportIntegrity> ReportIntegrity::read(const QByteArray& content, std::string& error)
{
    ReportIntegrity out;
    const std::string text = content.toStdString();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '{') {
        out.format = "json";
        nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
        if (json.is_discarded() || !json.is_object()) {
            error = "not a JSON report: the file does not parse as JSON";
            return std::nullopt;
        }
        if (!json.contains("integrity")) {
            error = "the JSON report has no integrity object";
            return std::nullopt;
        }
        if (!fromJson(json["integrity"], out, error))
            return std::nullopt;
        if (json.contains("report_sha256") && json["report_sha256"].is_string()) {
            const std::string claimed = json["report_sha256"].get<std::string>();
            json.erase("report_sha256");
            out.self = IntegrityHash::sha256Hex(dumpReport(json)) == claimed ? SelfCheck::Match : SelfCheck::Mismatch;
        }
        return out;
    }

    out.format = "text";
    const auto comment = text.rfind(CommentOpen);
    if (comment == std::string::npos) {
        error = "no tracelight-integrity line in the report";
        return std::nullopt;
    }
    const auto begin = comment + CommentOpen.size();
    const auto end = text.find(CommentClose, begin);
    if (end == std::string::npos) {
        error = "the tracelight-integrity line is cut short";
        return std::nullopt;
    }
    const QByteArray decoded = QByteArray::fromBase64(QByteArray::fromStdString(text.substr(begin, end - begin)));
    const nlohmann::json json = nlohmann::json::parse(decoded.toStdString(), nullptr, false);
    if (json.is_discarded() || !fromJson(json, out, error)) {
        if (error.empty())
            error = "the tracelight-integrity line does not decode";
        return std::nullopt;
    }
    const auto seal = text.rfind(SealOpen);
    if (seal != std::string::npos) {
        const auto sealEnd = text.find(CommentClose, seal);
        const std::string claimed = sealEnd == std::string::npos
            ? std::string()
            : text.substr(seal + SealOpen.size(), sealEnd - seal - SealOpen.size());
        out.self = IntegrityHash::sha256Hex(std::string_view(text).substr(0, seal)) == claimed ? SelfCheck::Match
                                                                                               : SelfCheck::Mismatch;
    }
    return out;
}

std::optional<ReportIntegrity> ReportIntegrity::readPdfText(const QString& text, std::string& error)
{
    static const QRegularExpression line(
        QStringLiteral("tracelight-integrity\\s+sha256\\s+([0-9a-f]{64})\\s+trace\\s+(\\S+)"));
    const QRegularExpressionMatch m = line.match(text);
    if (!m.hasMatch()) {
        error = "no tracelight-integrity line in the PDF's text";
        return std::nullopt;
    }
    ReportIntegrity out;
    out.format = "pdf";
    out.hash = m.captured(1).toStdString();
    out.traceId = m.captured(2).toStdString();
    return out;
}

} // namespace Tracelight
