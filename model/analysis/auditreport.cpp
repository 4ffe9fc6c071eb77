#include "auditreport.h"

#include "annotationstore.h"
#include "findingsindex.h"
#include "format.h"
#include "redactor.h"
#include "runcomparison.h"
#include "tracesnapshot.h"
#include "tracestore.h"

#include <QDateTime>

#include <set>

namespace Tracelight {

namespace {

std::string stepLabel(const StepRecord& s)
{
    std::string label = Format::kindLabel(s.kind).toStdString() + ' ' + s.name;
    if (!s.toolName.empty() && s.toolName != s.name)
        label += " (" + s.toolName + ')';
    else if (!s.model.empty())
        label += " (" + s.model + ')';
    return label;
}

} // namespace

std::optional<AuditReport> AuditReport::build(
    TraceStore& store, std::string_view traceId, Redactor* redactor, std::string_view compareWith)
{
    const auto summary = store.trace(traceId);
    if (!summary)
        return std::nullopt;
    const auto r = [redactor](const std::string& text) { return redactor ? redactor->redact(text) : text; };

    AuditReport report;
    report.generatedAtMs = QDateTime::currentMSecsSinceEpoch();
    report.traceId = summary->traceId;
    report.name = r(summary->name);
    report.agent = r(summary->agent);
    report.version = r(summary->version);
    report.service = r(summary->service);
    report.user = r(summary->userId);
    report.session = r(summary->sessionId);
    report.startNs = summary->startNs;
    report.endNs = summary->endNs;
    report.llmCalls = summary->llmCalls;
    report.toolCalls = summary->toolCalls;
    report.tokens = summary->tokens;
    report.costUsd = summary->costUsd;
    report.errors = summary->errors;

    const auto snapshot = TraceSnapshot::build(*summary, store.steps(traceId));
    std::vector<StepDetail> details = IntegrityHash::causalDetails(store, traceId);
    report.integrity = IntegrityHash::compute(traceId, details);

    std::set<std::string> models;
    std::set<std::string> sourcePaths;
    bool open = false;
    int index = 0;
    for (const StepDetail& d : details) {
        const StepRecord& s = d.record;
        Step step;
        step.index = ++index;
        const int at = snapshot->indexOf(s.spanId);
        step.depth = at >= 0 ? snapshot->depth(at) : 0;
        step.spanId = s.spanId;
        step.parentId = s.parentId;
        step.kind = s.kind;
        step.status = s.status;
        step.name = r(s.name);
        step.statusMessage = r(s.statusMessage);
        step.startNs = s.startNs;
        step.endNs = s.endNs;
        step.agent = r(s.agentName);
        step.model = r(s.model);
        step.provider = r(s.provider);
        step.toolName = r(s.toolName);
        step.toolCallId = r(d.step.toolCallId);
        step.systemInstructions = r(d.step.systemInstructions);
        step.prompt = r(d.step.inputText);
        step.completion = r(d.step.outputText);
        step.arguments = r(d.step.toolArguments);
        step.result = r(d.step.toolResult);
        step.tokens = s.tokens;
        step.costUsd = s.costUsd;
        if (s.kind == StepKind::Llm && !s.model.empty())
            models.insert(step.model);
        if (!d.sourcePath.empty())
            sourcePaths.insert(d.sourcePath);
        open = open || s.endNs == 0;
        report.steps.push_back(std::move(step));
    }
    report.models.assign(models.begin(), models.end());
    for (const SourceRecord& source : store.sources()) {
        if (sourcePaths.count(source.path))
            report.sources.push_back(
                { r(source.path), source.sha256, source.format, source.size, source.importedAtMs });
    }
    report.outcome = report.errors > 0
        ? "failed: " + std::to_string(report.errors) + (report.errors == 1 ? " error" : " errors")
        : open ? "incomplete"
               : "ok";
    try {
        for (Finding f : FindingsIndex::compute(
                 store, traceId, FindingThresholds::withUserFile(FindingThresholds::userFilePath()))) {
            f.message = r(f.message);
            f.value = r(f.value);
            f.sourceValue = r(f.sourceValue);
            f.entity = r(f.entity);
            report.findings.push_back(std::move(f));
        }
    } catch (const std::exception& error) {
        // A bad findings.json must not stop an audit report: the report says the findings are missing.
        report.findingsError = error.what();
    }
    for (Annotation a : AnnotationStore::forTrace(store.database(), traceId)) {
        a.note = r(a.note);
        report.annotations.push_back(std::move(a));
    }
    if (redactor) {
        report.redacted = true;
        for (const QString& rule : redactor->rules())
            report.redactionRules.push_back(rule.toStdString());
    }

    if (!compareWith.empty()) {
        const auto other = store.trace(compareWith);
        if (!other)
            return std::nullopt;
        const auto b = TraceSnapshot::build(*other, store.steps(other->traceId));
        const RunComparison c = RunComparison::compute(snapshot, b);
        Comparison out;
        out.otherTraceId = other->traceId;
        out.otherName = r(other->name);
        out.same = c.count(RunComparison::Op::Same);
        out.changed = c.count(RunComparison::Op::Changed);
        out.added = c.count(RunComparison::Op::Added);
        out.removed = c.count(RunComparison::Op::Removed);
        out.firstDivergence = c.firstDivergence();
        out.durationDeltaMs = other->durationMs() - summary->durationMs();
        out.llmCallsDelta = other->llmCalls - summary->llmCalls;
        out.toolCallsDelta = other->toolCalls - summary->toolCalls;
        out.tokensDelta = (other->tokens.total()) - (summary->tokens.total());
        out.errorsDelta = other->errors - summary->errors;
        for (const RunComparison::Pair& p : c.alignment()) {
            out.alignment.push_back({ RunComparison::opName(p.op), p.a >= 0 ? r(stepLabel(c.a().step(p.a))) : "",
                p.b >= 0 ? r(stepLabel(c.b().step(p.b))) : "" });
        }
        report.comparison = std::move(out);
    }
    return report;
}

} // namespace Tracelight
