#include "reportwriter.h"

#include "format.h"
#include "reportintegrity.h"
#include "utf8.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>

namespace Tracelight::ReportWriter {

namespace {

nlohmann::json optional(const std::optional<std::int64_t>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
nlohmann::json optional(const std::optional<double>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string str(const QString& text)
{
    return text.toStdString();
}

std::string tokens(std::int64_t n)
{
    return str(Format::tokens(n));
}

std::string cost(const std::optional<double>& usd)
{
    return usd ? str(Format::cost(usd)) : std::string("unknown");
}

std::string duration(const AuditReport::Step& s)
{
    return s.endNs > 0 ? str(Format::duration(s.endNs > s.startNs ? s.endNs - s.startNs : 0)) : std::string("open");
}

std::string offset(const AuditReport& report, const AuditReport::Step& s)
{
    // Appended, not "+" + std::string&&: GCC 12 at -O3 reports a false -Wrestrict on the latter.
    std::string text = "+";
    text += str(Format::duration(std::max<std::int64_t>(0, s.startNs - report.startNs)));
    return text;
}

std::string tokensCell(const AuditReport::Step& s)
{
    if (!s.tokens.input && !s.tokens.output)
        return {};
    return tokens(s.tokens.input.value_or(0)) + " → " + tokens(s.tokens.output.value_or(0));
}

struct Section
{
    const char* title;
    const std::string AuditReport::Step::*field;
};
const Section sections[] = {
    { "System instructions", &AuditReport::Step::systemInstructions },
    { "Prompt", &AuditReport::Step::prompt },
    { "Completion", &AuditReport::Step::completion },
    { "Arguments", &AuditReport::Step::arguments },
    { "Result", &AuditReport::Step::result },
};

// --- Markdown ---

// Every text from the trace goes through Utf8::visible first: a bidi override, a zero-width character or an escape
// sequence is shown as "[U+202E]", so that a reviewer reads what the model read.
std::string mdInline(const std::string& raw)
{
    const std::string text = Utf8::visible(raw);
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '\n':
        case '\r':
        case '\t':
            out += ' ';
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '|':
        case '#':
        case '!':
            out += '\\';
            out += c;
            break;
        default:
            out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
        }
    }
    return out;
}

std::string mdFence(const std::string& raw)
{
    const std::string text = Utf8::visible(raw);
    std::size_t longest = 0;
    std::size_t run = 0;
    for (const char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
    std::string body = text;
    if (!body.empty() && body.back() != '\n')
        body += '\n';
    return fence + "text\n" + body + fence + "\n\n";
}

// --- HTML ---

// The annotations as `tracelight annotations export` writes them.
nlohmann::json annotationsJson(const AuditReport& r)
{
    nlohmann::json out = nlohmann::json::array();
    for (const Annotation& a : r.annotations)
        out.push_back(nlohmann::json::parse(annotationToJson(a)));
    return out;
}

// The findings as `check --json` prints them, or {"error": why} when they could not be computed.
nlohmann::json findingsJson(const AuditReport& r)
{
    nlohmann::json out = nlohmann::json::array();
    for (const Finding& f : r.findings)
        out.push_back(nlohmann::json::parse(findingToJson(f)));
    if (r.findings.empty() && !r.findingsError.empty())
        out.push_back({ { "error", r.findingsError } });
    return out;
}

} // namespace

std::string escapeHtml(const std::string& raw)
{
    const std::string text = Utf8::visible(raw);
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f) {
                static const char hex[] = "0123456789abcdef";
                out += "\\x";
                out += hex[u >> 4];
                out += hex[u & 15];
            } else {
                out += c;
            }
        }
    }
    return out;
}

namespace {

std::string esc(const std::string& text)
{
    return escapeHtml(text);
}

const char* css = R"(body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;
vertical-align:top}th{background:#f0f0f0}pre{white-space:pre-wrap;word-wrap:break-word;background:#f7f7f7;
border:1px solid #ddd;padding:6px;font-size:90%}.err{color:#b00020}.hash{font-family:monospace;word-break:break-all}
img{max-width:100%;border:1px solid #ddd}h3{margin-top:1.5em;border-bottom:1px solid #eee}
)";

} // namespace

std::string annotationLine(const Annotation& a)
{
    std::string line = a.label.empty() ? std::string("note") : a.label;
    if (a.rating)
        line += ' ' + std::to_string(*a.rating) + "/5";
    line += " (" + a.author + (a.spanId.empty() ? ", the run" : ", step " + a.spanId) + ")";
    if (!a.note.empty())
        line += ": " + a.note;
    return line;
}

std::string utcTime(std::int64_t unixNs)
{
    if (unixNs == 0)
        return "unknown";
    return QDateTime::fromMSecsSinceEpoch(unixNs / 1'000'000, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz 'UTC'"))
        .toStdString();
}

std::string stepTitle(const AuditReport::Step& s)
{
    std::string title = std::to_string(s.index) + ". " + str(Format::kindLabel(s.kind)) + ": " + s.name;
    if (!s.toolName.empty() && s.toolName != s.name)
        title += " (" + s.toolName + ")";
    return title;
}

std::string stepFacts(const AuditReport& report, const AuditReport::Step& s)
{
    std::string facts = "span " + s.spanId + ", status " + std::string(stepStatusName(s.status)) + ", at "
        + offset(report, s) + ", " + duration(s);
    if (!s.agent.empty())
        facts += ", agent " + s.agent;
    if (!s.model.empty())
        facts += ", model " + s.model + (s.provider.empty() ? "" : " (" + s.provider + ")");
    if (s.tokens.input || s.tokens.output)
        facts += ", tokens " + tokensCell(s);
    if (s.costUsd)
        facts += ", cost " + cost(s.costUsd);
    if (!s.toolCallId.empty())
        facts += ", call id " + s.toolCallId;
    return facts;
}

nlohmann::json json(const AuditReport& r)
{
    nlohmann::json steps = nlohmann::json::array();
    for (const AuditReport::Step& s : r.steps) {
        steps.push_back(
            { { "index", s.index }, { "depth", s.depth }, { "span_id", s.spanId }, { "parent_id", s.parentId },
                { "kind", std::string(stepKindName(s.kind)) }, { "status", std::string(stepStatusName(s.status)) },
                { "status_message", s.statusMessage }, { "name", s.name }, { "start_ns", s.startNs },
                { "end_ns", s.endNs }, { "duration_ms", s.endNs > s.startNs ? double(s.endNs - s.startNs) / 1e6 : 0.0 },
                { "agent", s.agent }, { "model", s.model }, { "provider", s.provider }, { "tool_name", s.toolName },
                { "tool_call_id", s.toolCallId }, { "system_instructions", s.systemInstructions },
                { "prompt", s.prompt }, { "completion", s.completion }, { "arguments", s.arguments },
                { "result", s.result }, { "input_tokens", optional(s.tokens.input) },
                { "output_tokens", optional(s.tokens.output) }, { "cache_read_tokens", optional(s.tokens.cacheRead) },
                { "reasoning_tokens", optional(s.tokens.reasoning) }, { "cost_usd", optional(s.costUsd) } });
    }
    nlohmann::json errors = nlohmann::json::array();
    for (const AuditReport::Step& s : r.steps) {
        if (s.status == StepStatus::Error)
            errors.push_back(
                { { "index", s.index }, { "span_id", s.spanId }, { "name", s.name }, { "message", s.statusMessage } });
    }
    nlohmann::json sources = nlohmann::json::array();
    for (const AuditReport::Source& s : r.sources)
        sources.push_back({ { "path", s.path }, { "sha256", s.sha256 }, { "format", s.format }, { "size", s.size },
            { "imported_at", utcTime(s.importedAtMs * 1'000'000) } });
    nlohmann::json out = { { "report", "tracelight audit report" }, { "generator", r.generator },
        { "generated_at", utcTime(r.generatedAtMs * 1'000'000) },
        { "context",
            { { "trace_id", r.traceId }, { "name", r.name }, { "agent", r.agent }, { "version", r.version },
                { "service", r.service }, { "user", r.user }, { "session", r.session }, { "start_ns", r.startNs },
                { "start", utcTime(r.startNs) },
                { "duration_ms", r.endNs > r.startNs ? double(r.endNs - r.startNs) / 1e6 : 0.0 },
                { "outcome", r.outcome } } },
        { "totals",
            { { "steps", r.steps.size() }, { "llm_calls", r.llmCalls }, { "tool_calls", r.toolCalls },
                { "input_tokens", r.tokens.input }, { "output_tokens", r.tokens.output },
                { "cache_read_tokens", r.tokens.cacheRead }, { "reasoning_tokens", r.tokens.reasoning },
                { "cost_usd", optional(r.costUsd) }, { "errors", r.errors } } },
        { "models", r.models }, { "sources", sources }, { "steps", steps }, { "errors", errors },
        { "findings", findingsJson(r) }, { "annotations", annotationsJson(r) },
        { "integrity", ReportIntegrity::toJson(r) },
        { "redaction", { { "applied", r.redacted }, { "rules", r.redactionRules } } } };
    if (r.comparison) {
        const AuditReport::Comparison& c = *r.comparison;
        nlohmann::json alignment = nlohmann::json::array();
        for (const AuditReport::Aligned& a : c.alignment)
            alignment.push_back({ { "op", a.op }, { "a", a.a }, { "b", a.b } });
        out["comparison"] = { { "other_trace_id", c.otherTraceId }, { "other_name", c.otherName },
            { "counts",
                { { "same", c.same }, { "changed", c.changed }, { "added", c.added }, { "removed", c.removed } } },
            { "first_divergence", c.firstDivergence >= 0 ? nlohmann::json(c.firstDivergence) : nlohmann::json() },
            { "delta",
                { { "duration_ms", c.durationDeltaMs }, { "llm_calls", c.llmCallsDelta },
                    { "tool_calls", c.toolCallsDelta }, { "tokens", c.tokensDelta }, { "errors", c.errorsDelta } } },
            { "alignment", alignment } };
    }
    return ReportIntegrity::seal(std::move(out));
}

std::string markdown(const AuditReport& r)
{
    std::string md;
    md += "# Audit report: " + mdInline(r.name.empty() ? r.traceId : r.name) + "\n\n";
    const auto fact = [&md](const char* label, const std::string& value) {
        if (!value.empty())
            md += std::string("- **") + label + ":** " + value + "\n";
    };
    fact("Trace id", "`" + r.traceId + "`");
    fact("Agent", mdInline(r.agent));
    fact("Version", mdInline(r.version));
    fact("Service", mdInline(r.service));
    fact("User", mdInline(r.user));
    fact("Session", mdInline(r.session));
    fact("Start", utcTime(r.startNs));
    fact("Duration", str(Format::duration(r.endNs > r.startNs ? r.endNs - r.startNs : 0)));
    fact("Outcome", mdInline(r.outcome));
    fact("Generated", utcTime(r.generatedAtMs * 1'000'000) + " by " + mdInline(r.generator));
    std::string rules;
    for (const std::string& rule : r.redactionRules)
        rules += (rules.empty() ? "" : ", ") + mdInline(rule);
    fact("Redaction", r.redacted ? "applied (" + rules + ")" : std::string("none"));
    fact("Integrity",
        "SHA-256 `" + r.integrity.hash() + "` over the " + std::to_string(r.steps.size())
            + " steps (tracelight-steps-v1, computed before redaction)");

    md += "\n## Totals\n\n| Steps | LLM calls | Tool calls | Input tokens | Output tokens | Cached | Reasoning | Cost "
          "| Errors |\n|---|---|---|---|---|---|---|---|---|\n";
    md += "| " + std::to_string(r.steps.size()) + " | " + std::to_string(r.llmCalls) + " | "
        + std::to_string(r.toolCalls) + " | " + tokens(r.tokens.input) + " | " + tokens(r.tokens.output) + " | "
        + tokens(r.tokens.cacheRead) + " | " + tokens(r.tokens.reasoning) + " | " + cost(r.costUsd) + " | "
        + std::to_string(r.errors) + " |\n";
    md += "\n## Findings\n\n";
    for (const Finding& f : r.findings) {
        md += "- **" + std::string(findingSeverityName(f.severity)) + "** " + std::string(findingKindName(f.kind))
            + ": " + mdInline(f.message);
        if (!f.spanIds.empty()) {
            md += " (steps";
            for (const std::string& id : f.spanIds)
                md += " `" + mdInline(id) + "`";
            md += ")";
        }
        md += "\n";
    }
    if (r.findings.empty())
        md += r.findingsError.empty() ? "None found.\n" : "Not computed: " + mdInline(r.findingsError) + "\n";
    if (!r.annotations.empty()) {
        md += "\n## Annotations\n\n";
        for (const Annotation& a : r.annotations)
            md += "- " + mdInline(annotationLine(a)) + "\n";
    }
    md += "\n## Models\n\n";
    for (const std::string& model : r.models)
        md += "- " + mdInline(model) + "\n";
    if (r.models.empty())
        md += "None recorded.\n";
    md += "\n## Sources\n\n| File | SHA-256 | Format | Imported |\n|---|---|---|---|\n";
    for (const AuditReport::Source& s : r.sources)
        md += "| " + mdInline(s.path) + " | `" + s.sha256 + "` | " + mdInline(s.format) + " | "
            + utcTime(s.importedAtMs * 1'000'000) + " |\n";

    md += "\n## Steps\n\n| # | Kind | Name | Status | Start | Duration | Tokens | Cost |\n"
          "|---|---|---|---|---|---|---|---|\n";
    for (const AuditReport::Step& s : r.steps) {
        md += "| " + std::to_string(s.index) + " | " + str(Format::kindLabel(s.kind)) + " | "
            + std::string(std::size_t(s.depth) * 2, '.') + mdInline(s.name) + " | "
            + std::string(stepStatusName(s.status)) + " | " + offset(r, s) + " | " + duration(s) + " | " + tokensCell(s)
            + " | " + (s.costUsd ? cost(s.costUsd) : std::string()) + " |\n";
    }

    md += "\n## Decisions\n\nEvery step in causal order, with its texts in full.\n";
    for (const AuditReport::Step& s : r.steps) {
        md += "\n### " + mdInline(stepTitle(s)) + "\n\n" + mdInline(stepFacts(r, s)) + "\n\n";
        if (s.status == StepStatus::Error)
            md += "**Error:** " + mdInline(s.statusMessage.empty() ? std::string("(no message)") : s.statusMessage)
                + "\n\n";
        for (const Section& section : sections) {
            const std::string& text = s.*section.field;
            if (!text.empty())
                md += std::string("**") + section.title + "**\n\n" + mdFence(text);
        }
    }

    md += "\n## Errors\n\n";
    bool anyError = false;
    for (const AuditReport::Step& s : r.steps) {
        if (s.status != StepStatus::Error)
            continue;
        anyError = true;
        md += "- step " + std::to_string(s.index) + " " + mdInline(s.name) + ": " + mdInline(s.statusMessage) + "\n";
    }
    if (!anyError)
        md += "None.\n";

    if (r.comparison) {
        const AuditReport::Comparison& c = *r.comparison;
        md += "\n## Comparison with `" + c.otherTraceId + "` " + mdInline(c.otherName) + "\n\n";
        md += "- same " + std::to_string(c.same) + ", changed " + std::to_string(c.changed) + ", added "
            + std::to_string(c.added) + ", removed " + std::to_string(c.removed) + "\n";
        md += "- first divergence: "
            + (c.firstDivergence >= 0 ? "alignment row " + std::to_string(c.firstDivergence + 1) : std::string("none"))
            + "\n\n| Op | This run | Other run |\n|---|---|---|\n";
        for (const AuditReport::Aligned& a : c.alignment)
            md += "| " + a.op + " | " + mdInline(a.a) + " | " + mdInline(a.b) + " |\n";
    }
    md += "\n" + ReportIntegrity::commentLine(r);
    return ReportIntegrity::seal(md);
}

std::string html(const AuditReport& r, const QByteArray& timelinePng)
{
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
    h += "<meta name=\"generator\" content=\"" + esc(r.generator) + "\">\n";
    h += "<meta name=\"tracelight-trace-id\" content=\"" + esc(r.traceId) + "\">\n";
    h += "<meta name=\"tracelight-integrity-sha256\" content=\"" + r.integrity.hash() + "\">\n";
    // No script, no remote resource: the file reads the same offline and runs nothing.
    h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src "
         "'unsafe-inline'\">\n";
    h += "<title>Audit report: " + esc(r.name.empty() ? r.traceId : r.name) + "</title>\n<style>" + css
        + "</style></head><body>\n";
    h += "<h1>Audit report: " + esc(r.name.empty() ? r.traceId : r.name) + "</h1>\n<table>\n";
    const auto row = [&h](const char* label, const std::string& valueHtml) {
        if (!valueHtml.empty())
            h += std::string("<tr><th>") + label + "</th><td>" + valueHtml + "</td></tr>\n";
    };
    row("Trace id", "<span class=\"hash\">" + esc(r.traceId) + "</span>");
    row("Agent", esc(r.agent));
    row("Version", esc(r.version));
    row("Service", esc(r.service));
    row("User", esc(r.user));
    row("Session", esc(r.session));
    row("Start", utcTime(r.startNs));
    row("Duration", esc(str(Format::duration(r.endNs > r.startNs ? r.endNs - r.startNs : 0))));
    row("Outcome", esc(r.outcome));
    row("Generated", utcTime(r.generatedAtMs * 1'000'000) + " by " + esc(r.generator));
    std::string rules;
    for (const std::string& rule : r.redactionRules)
        rules += (rules.empty() ? "" : ", ") + rule;
    row("Redaction", r.redacted ? "applied (" + esc(rules) + ")" : std::string("none"));
    row("Integrity",
        "SHA-256 <span class=\"hash\">" + r.integrity.hash() + "</span> over the " + std::to_string(r.steps.size())
            + " steps (tracelight-steps-v1, computed before redaction)");
    h += "</table>\n";
    if (!timelinePng.isEmpty())
        h += "<h2>Timeline</h2>\n<img alt=\"Timeline of the trace\" src=\"data:image/png;base64,"
            + timelinePng.toBase64().toStdString() + "\">\n";

    h += "<h2>Totals</h2>\n<table><tr><th>Steps</th><th>LLM calls</th><th>Tool calls</th><th>Input tokens</th>"
         "<th>Output tokens</th><th>Cached</th><th>Reasoning</th><th>Cost</th><th>Errors</th></tr>\n<tr><td>"
        + std::to_string(r.steps.size()) + "</td><td>" + std::to_string(r.llmCalls) + "</td><td>"
        + std::to_string(r.toolCalls) + "</td><td>" + tokens(r.tokens.input) + "</td><td>" + tokens(r.tokens.output)
        + "</td><td>" + tokens(r.tokens.cacheRead) + "</td><td>" + tokens(r.tokens.reasoning) + "</td><td>"
        + esc(cost(r.costUsd)) + "</td><td>" + std::to_string(r.errors) + "</td></tr></table>\n";
    h += "<h2>Findings</h2>\n";
    if (r.findings.empty())
        h += "<p>" + (r.findingsError.empty() ? std::string("None found.") : "Not computed: " + esc(r.findingsError))
            + "</p>\n";
    else {
        h += "<ul>\n";
        for (const Finding& f : r.findings) {
            h += "<li><b>" + std::string(findingSeverityName(f.severity)) + "</b> "
                + std::string(findingKindName(f.kind)) + ": " + esc(f.message);
            if (!f.spanIds.empty()) {
                h += " <span class=\"hash\">(steps";
                for (const std::string& id : f.spanIds)
                    h += " " + esc(id);
                h += ")</span>";
            }
            h += "</li>\n";
        }
        h += "</ul>\n";
    }
    if (!r.annotations.empty()) {
        h += "<h2>Annotations</h2>\n<ul>\n";
        for (const Annotation& a : r.annotations)
            h += "<li>" + esc(annotationLine(a)) + "</li>\n";
        h += "</ul>\n";
    }
    h += "<h2>Models</h2>\n<ul>\n";
    for (const std::string& model : r.models)
        h += "<li>" + esc(model) + "</li>\n";
    h += "</ul>\n<h2>Sources</h2>\n<table><tr><th>File</th><th>SHA-256</th><th>Format</th><th>Imported</th></tr>\n";
    for (const AuditReport::Source& s : r.sources)
        h += "<tr><td>" + esc(s.path) + "</td><td class=\"hash\">" + esc(s.sha256) + "</td><td>" + esc(s.format)
            + "</td><td>" + utcTime(s.importedAtMs * 1'000'000) + "</td></tr>\n";
    h += "</table>\n<h2>Steps</h2>\n<table><tr><th>#</th><th>Kind</th><th>Name</th><th>Status</th><th>Start</th>"
         "<th>Duration</th><th>Tokens</th><th>Cost</th></tr>\n";
    for (const AuditReport::Step& s : r.steps) {
        h += std::string(s.status == StepStatus::Error ? "<tr class=\"err\">" : "<tr>") + "<td>"
            + std::to_string(s.index) + "</td><td>" + esc(str(Format::kindLabel(s.kind))) + "</td><td>"
            + std::string(std::size_t(s.depth) * 2, '.') + esc(s.name) + "</td><td>"
            + std::string(stepStatusName(s.status)) + "</td><td>" + esc(offset(r, s)) + "</td><td>" + esc(duration(s))
            + "</td><td>" + esc(tokensCell(s)) + "</td><td>" + (s.costUsd ? esc(cost(s.costUsd)) : std::string())
            + "</td></tr>\n";
    }
    h += "</table>\n<h2>Decisions</h2>\n<p>Every step in causal order, with its texts in full.</p>\n";
    for (const AuditReport::Step& s : r.steps) {
        h += "<h3>" + esc(stepTitle(s)) + "</h3>\n<p>" + esc(stepFacts(r, s)) + "</p>\n";
        if (s.status == StepStatus::Error)
            h += "<p class=\"err\"><b>Error:</b> " + esc(s.statusMessage) + "</p>\n";
        for (const Section& section : sections) {
            const std::string& text = s.*section.field;
            if (!text.empty())
                h += std::string("<p><b>") + section.title + "</b></p>\n<pre>" + esc(text) + "</pre>\n";
        }
    }
    h += "<h2>Errors</h2>\n<ul>\n";
    for (const AuditReport::Step& s : r.steps) {
        if (s.status == StepStatus::Error)
            h += "<li>step " + std::to_string(s.index) + " " + esc(s.name) + ": " + esc(s.statusMessage) + "</li>\n";
    }
    h += "</ul>\n";
    if (r.comparison) {
        const AuditReport::Comparison& c = *r.comparison;
        h += "<h2>Comparison with " + esc(c.otherTraceId) + " " + esc(c.otherName) + "</h2>\n<p>same "
            + std::to_string(c.same) + ", changed " + std::to_string(c.changed) + ", added " + std::to_string(c.added)
            + ", removed " + std::to_string(c.removed) + "</p>\n<table><tr><th>Op</th><th>This run</th>"
            + "<th>Other run</th></tr>\n";
        for (const AuditReport::Aligned& a : c.alignment)
            h += "<tr><td>" + esc(a.op) + "</td><td>" + esc(a.a) + "</td><td>" + esc(a.b) + "</td></tr>\n";
        h += "</table>\n";
    }
    h += "</body></html>\n" + ReportIntegrity::commentLine(r);
    return ReportIntegrity::seal(h);
}

} // namespace Tracelight::ReportWriter
