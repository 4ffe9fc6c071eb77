#include "reportdocument.h"

#include "themepalette.h"
#include "timelinerenderer.h"

#include <format.h>
#include <reportintegrity.h>
#include <reportwriter.h>
#include <timelinelayout.h>

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QFontDatabase>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>
#include <QUrl>

#include <algorithm>

namespace Tracelight::ReportDocument {

namespace {

QString esc(const std::string& text)
{
    return QString::fromStdString(ReportWriter::escapeHtml(text));
}

// Wrapped monospace: prompts and tool payloads keep their line breaks and never run off the page.
QString block(const std::string& text)
{
    return QStringLiteral("<p style=\"font-family:'DejaVu Sans Mono',monospace; font-size:7.5pt; "
                          "white-space:pre-wrap; background-color:#f4f4f4;\">")
        + esc(text) + QStringLiteral("</p>");
}

QString documentHtml(const AuditReport& r, bool haveTimeline)
{
    const QString title = esc(r.name.empty() ? r.traceId : r.name);
    QString h = QStringLiteral("<html><body style=\"font-size:9.5pt;\">");
    // Title page.
    h += QStringLiteral("<h1 style=\"font-size:22pt;\">Audit report</h1><h2>") + title + QStringLiteral("</h2>");
    h += QStringLiteral("<table cellpadding=\"3\" border=\"1\" cellspacing=\"0\" width=\"100%\">");
    const auto row = [&h](const QString& label, const QString& value) {
        if (!value.isEmpty())
            h += QStringLiteral("<tr><td width=\"22%\"><b>") + label + QStringLiteral("</b></td><td>") + value
                + QStringLiteral("</td></tr>");
    };
    row(QStringLiteral("Trace id"), esc(r.traceId));
    row(QStringLiteral("Agent"), esc(r.agent));
    row(QStringLiteral("Version"), esc(r.version));
    row(QStringLiteral("Service"), esc(r.service));
    row(QStringLiteral("User"), esc(r.user));
    row(QStringLiteral("Session"), esc(r.session));
    row(QStringLiteral("Start"), esc(ReportWriter::utcTime(r.startNs)));
    row(QStringLiteral("Duration"), Format::duration(r.endNs > r.startNs ? r.endNs - r.startNs : 0));
    row(QStringLiteral("Outcome"), esc(r.outcome));
    row(QStringLiteral("Steps"),
        QStringLiteral("%1 (%2 LLM calls, %3 tool calls, %4 errors)")
            .arg(r.steps.size())
            .arg(r.llmCalls)
            .arg(r.toolCalls)
            .arg(r.errors));
    row(QStringLiteral("Generated"),
        esc(ReportWriter::utcTime(r.generatedAtMs * 1'000'000)) + QStringLiteral(" by ") + esc(r.generator));
    QString rules;
    for (const std::string& rule : r.redactionRules)
        rules += (rules.isEmpty() ? QString() : QStringLiteral(", ")) + esc(rule);
    row(QStringLiteral("Redaction"),
        r.redacted ? QStringLiteral("applied (") + rules + QStringLiteral(")") : QStringLiteral("none"));
    row(QStringLiteral("Integrity"),
        QStringLiteral("SHA-256 over the %1 steps (tracelight-steps-v1), computed before redaction; check it with "
                       "<i>tracelight verify</i>.")
            .arg(r.steps.size()));
    h += QStringLiteral("</table><p style=\"font-family:'DejaVu Sans Mono',monospace; font-size:7pt;\">")
        + esc(ReportIntegrity::pdfLine(r)) + QStringLiteral("</p>");
    h += QStringLiteral("<p style=\"page-break-after:always;\"></p>");

    // Totals, models, sources.
    h += QStringLiteral("<h2>Totals</h2><table cellpadding=\"3\" border=\"1\" cellspacing=\"0\"><tr><th>Input "
                        "tokens</th><th>Output tokens</th><th>Cached</th><th>Reasoning</th><th>Cost</th></tr><tr><td>")
        + Format::tokens(r.tokens.input) + QStringLiteral("</td><td>") + Format::tokens(r.tokens.output)
        + QStringLiteral("</td><td>") + Format::tokens(r.tokens.cacheRead) + QStringLiteral("</td><td>")
        + Format::tokens(r.tokens.reasoning) + QStringLiteral("</td><td>")
        + (r.costUsd ? Format::cost(r.costUsd) : QStringLiteral("unknown")) + QStringLiteral("</td></tr></table>");
    h += QStringLiteral("<h2>Findings</h2>");
    if (r.findings.empty()) {
        h += QStringLiteral("<p>")
            + (r.findingsError.empty() ? QStringLiteral("None found.")
                                       : QStringLiteral("Not computed: ") + esc(r.findingsError))
            + QStringLiteral("</p>");
    } else {
        h += QStringLiteral("<ul>");
        for (const Finding& f : r.findings)
            h += QStringLiteral("<li><b>") + QString::fromLatin1(findingSeverityName(f.severity))
                + QStringLiteral("</b> ") + QString::fromLatin1(findingKindName(f.kind)) + QStringLiteral(": ")
                + esc(f.message) + QStringLiteral("</li>");
        h += QStringLiteral("</ul>");
    }
    if (!r.annotations.empty()) {
        h += QStringLiteral("<h2>Annotations</h2><ul>");
        for (const Annotation& a : r.annotations)
            h += QStringLiteral("<li>") + esc(ReportWriter::annotationLine(a)) + QStringLiteral("</li>");
        h += QStringLiteral("</ul>");
    }
    h += QStringLiteral("<h2>Models</h2><p>");
    for (const std::string& model : r.models)
        h += esc(model) + QStringLiteral("<br>");
    h += QStringLiteral("</p><h2>Sources</h2><table cellpadding=\"3\" border=\"1\" cellspacing=\"0\" width=\"100%\">"
                        "<thead><tr><th>File</th><th>SHA-256</th><th>Format</th><th>Imported</th></tr></thead>");
    for (const AuditReport::Source& s : r.sources)
        h += QStringLiteral("<tr><td>") + esc(s.path) + QStringLiteral("</td><td style=\"font-size:6.5pt;\">")
            + esc(s.sha256) + QStringLiteral("</td><td>") + esc(s.format) + QStringLiteral("</td><td>")
            + esc(ReportWriter::utcTime(s.importedAtMs * 1'000'000)) + QStringLiteral("</td></tr>");
    h += QStringLiteral("</table>");
    if (haveTimeline)
        h += QStringLiteral("<h2>Timeline</h2><p><img src=\"tracelight:timeline.png\" width=\"640\"></p>");

    // Steps: a thead row repeats on every page the table spans.
    h += QStringLiteral("<h2>Steps</h2><table cellpadding=\"2\" border=\"1\" cellspacing=\"0\" width=\"100%\" "
                        "style=\"font-size:8pt;\"><thead><tr><th>#</th><th>Kind</th><th>Name</th><th>Status</th>"
                        "<th>Duration</th><th>Tokens</th><th>Cost</th></tr></thead>");
    for (const AuditReport::Step& s : r.steps) {
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td></tr>")
                 .arg(s.index)
                 .arg(Format::kindLabel(s.kind), QString(s.depth * 2, QChar(0x00b7)) + esc(s.name),
                     QString::fromLatin1(stepStatusName(s.status).data(), qsizetype(stepStatusName(s.status).size())),
                     s.endNs > 0 ? Format::duration(std::max<std::int64_t>(0, s.endNs - s.startNs))
                                 : QStringLiteral("open"),
                     s.tokens.input || s.tokens.output ? Format::tokens(s.tokens.input.value_or(0))
                             + QStringLiteral(" → ") + Format::tokens(s.tokens.output.value_or(0))
                                                       : QString(),
                     s.costUsd ? Format::cost(s.costUsd) : QString());
    }
    h += QStringLiteral("</table>");

    h += QStringLiteral("<h2>Decisions</h2>");
    for (const AuditReport::Step& s : r.steps) {
        h += QStringLiteral("<h3>") + esc(ReportWriter::stepTitle(s))
            + QStringLiteral("</h3><p style=\"font-size:8pt;\">") + esc(ReportWriter::stepFacts(r, s))
            + QStringLiteral("</p>");
        if (s.status == StepStatus::Error)
            h += QStringLiteral("<p style=\"color:#b00020;\"><b>Error:</b> ") + esc(s.statusMessage)
                + QStringLiteral("</p>");
        const std::pair<const char*, const std::string*> sections[]
            = { { "System instructions", &s.systemInstructions }, { "Prompt", &s.prompt },
                  { "Completion", &s.completion }, { "Arguments", &s.arguments }, { "Result", &s.result } };
        for (const auto& [label, text] : sections) {
            if (!text->empty())
                h += QStringLiteral("<p><b>") + QString::fromLatin1(label) + QStringLiteral("</b></p>") + block(*text);
        }
    }
    if (r.comparison) {
        const AuditReport::Comparison& c = *r.comparison;
        h += QStringLiteral("<h2>Comparison with ") + esc(c.otherTraceId) + QStringLiteral("</h2><p>")
            + QStringLiteral("same %1, changed %2, added %3, removed %4</p>")
                  .arg(c.same)
                  .arg(c.changed)
                  .arg(c.added)
                  .arg(c.removed)
            + QStringLiteral("<table cellpadding=\"2\" border=\"1\" cellspacing=\"0\" width=\"100%\" "
                             "style=\"font-size:8pt;\"><thead><tr><th>Op</th><th>This run</th><th>Other run</th></tr>"
                             "</thead>");
        for (const AuditReport::Aligned& a : c.alignment)
            h += QStringLiteral("<tr><td>") + esc(a.op) + QStringLiteral("</td><td>") + esc(a.a)
                + QStringLiteral("</td><td>") + esc(a.b) + QStringLiteral("</td></tr>");
        h += QStringLiteral("</table>");
    }
    h += QStringLiteral("</body></html>");
    return h;
}

} // namespace

QByteArray timelinePng(const TraceSnapshotPtr& snapshot, int width)
{
    const TimelineLayoutPtr layout = TimelineLayout::build(*snapshot);
    const TimelineRenderer renderer(snapshot, layout);
    TimelineState state;
    state.mode = TimelineMode::Waterfall;
    const int chrome = TimelineRenderer::OverviewHeight + TimelineRenderer::RulerHeight;
    const int height = std::clamp(chrome + renderer.contentHeight(state.mode) + 8, 160, 3000);
    QImage image(width, height, QImage::Format_ARGB32_Premultiplied);
    const QRect area(0, 0, width, height);
    state.axis = renderer.fitAxis(area, state.mode);
    {
        QPainter painter(&image);
        renderer.paint(
            painter, area, state, Theme::palette(false), QFontDatabase::systemFont(QFontDatabase::GeneralFont));
    }
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

bool writePdf(const AuditReport& report, const QByteArray& timelinePng, const QString& path, QString& error)
{
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    writer.setResolution(96);
    writer.setTitle(QStringLiteral("Audit report ") + QString::fromStdString(report.traceId));
    writer.setCreator(QString::fromStdString(report.generator));

    QPainter painter;
    if (!painter.begin(&writer)) {
        error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    const QRect page = writer.pageLayout()
                           .paintRectPixels(writer.resolution())
                           .translated(-writer.pageLayout().paintRectPixels(writer.resolution()).topLeft());
    const int headerHeight = 28;
    const int footerHeight = 24;
    const QSizeF body(page.width(), page.height() - headerHeight - footerHeight);

    QTextDocument document;
    document.documentLayout()->setPaintDevice(&writer);
    QFont font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    font.setPointSizeF(9.5);
    document.setDefaultFont(font);
    document.setPageSize(body);
    const QImage image = QImage::fromData(timelinePng, "PNG");
    if (!image.isNull())
        document.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("tracelight:timeline.png")), image);
    document.setHtml(documentHtml(report, !image.isNull()));

    const int pages = document.pageCount();
    QFont small = font;
    small.setPointSizeF(7.5);
    const QString header = QString::fromStdString(report.name.empty() ? report.traceId : report.name)
        + QStringLiteral("  ·  trace ") + QString::fromStdString(report.traceId);
    for (int i = 0; i < pages; ++i) {
        if (i > 0)
            writer.newPage();
        painter.save();
        if (i > 0) {
            painter.setFont(small);
            painter.setPen(Qt::darkGray);
            const QRect headerRect(0, 0, page.width(), headerHeight - 8);
            painter.drawText(headerRect, Qt::AlignLeft | Qt::AlignBottom,
                painter.fontMetrics().elidedText(header, Qt::ElideRight, page.width() - 120));
            painter.drawText(headerRect, Qt::AlignRight | Qt::AlignBottom, QStringLiteral("Tracelight audit report"));
            painter.drawLine(0, headerHeight - 4, page.width(), headerHeight - 4);
        }
        painter.drawText(QRect(0, page.height() - footerHeight + 6, page.width(), footerHeight - 6), Qt::AlignCenter,
            QStringLiteral("Page %1 of %2").arg(i + 1).arg(pages));
        painter.restore();

        painter.save();
        painter.translate(0, headerHeight - i * body.height());
        const QRectF clip(0, i * body.height(), body.width(), body.height());
        document.drawContents(&painter, clip);
        painter.restore();
    }
    if (!painter.end()) {
        error = QStringLiteral("cannot finish %1").arg(path);
        return false;
    }
    return true;
}

bool write(const AuditReport& report, const QByteArray& timelinePng, const QString& format, const QString& path,
    QString& error)
{
    if (format == QLatin1String("pdf"))
        return writePdf(report, timelinePng, path, error);
    std::string bytes;
    if (format == QLatin1String("json"))
        bytes = ReportWriter::json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
    else if (format == QLatin1String("md"))
        bytes = ReportWriter::markdown(report);
    else if (format == QLatin1String("html"))
        bytes = ReportWriter::html(report, timelinePng);
    else {
        error = QStringLiteral("unknown report format \"%1\"").arg(format);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size())
        || !file.commit()) {
        error = file.errorString();
        return false;
    }
    return true;
}

} // namespace Tracelight::ReportDocument
