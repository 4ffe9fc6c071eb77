#include "stephtml.h"

#include "kindstyle.h"

#include <attributeview.h>
#include <format.h>
#include <jsonfield.h>
#include <utf8.h>

#include <QCoreApplication>
#include <QLocale>
#include <QTextDocument>
#include <QUrl>

#include <nlohmann/json.hpp>

namespace Tracelight {

using nlohmann::json;

namespace {

// Escaped, and made unambiguous: characters that are invisible or change how the rest reads (bidi overrides, zero-width
// characters, controls) are shown as "[U+202E]" (Utf8::visible), so a reviewer reads what the model read.
QString esc(const std::string& text)
{
    return Format::fromUtf8(Utf8::visible(text)).toHtmlEscaped();
}

QString esc(const QString& text)
{
    return esc(text.toStdString());
}

QString row(const QString& label, const QString& valueHtml)
{
    if (valueHtml.isEmpty())
        return {};
    return QStringLiteral("<tr><td class='k'>%1</td><td>%2</td></tr>").arg(label.toHtmlEscaped(), valueHtml);
}

QString section(const QString& title)
{
    return QStringLiteral("<h3>%1</h3>").arg(title.toHtmlEscaped());
}

struct Palette
{
    QString key, string, number, literal;
};

Palette jsonColours(bool dark)
{
    if (dark)
        return { QStringLiteral("#93c5fd"), QStringLiteral("#86efac"), QStringLiteral("#fcd34d"),
            QStringLiteral("#f0abfc") };
    return { QStringLiteral("#1d4ed8"), QStringLiteral("#047857"), QStringLiteral("#b45309"),
        QStringLiteral("#a21caf") };
}

// Pretty-printed JSON with syntax colours; every string escaped.
void colourJson(const json& value, const Palette& p, int indent, QString& out)
{
    const QString pad(indent * 2, QLatin1Char(' '));
    const QString inner((indent + 1) * 2, QLatin1Char(' '));
    const auto span = [](const QString& colour, const QString& text) {
        return QStringLiteral("<span style='color:%1'>%2</span>").arg(colour, text);
    };
    const auto quoted = [](const std::string& s) {
        return esc(Format::fromUtf8(json(s).dump(-1, ' ', false, json::error_handler_t::replace)));
    };
    switch (value.type()) {
    case json::value_t::object: {
        if (value.empty()) {
            out += QStringLiteral("{}");
            return;
        }
        out += QStringLiteral("{\n");
        std::size_t n = 0;
        for (auto it = value.begin(); it != value.end(); ++it) {
            out += inner + span(p.key, quoted(it.key())) + QStringLiteral(": ");
            colourJson(it.value(), p, indent + 1, out);
            out += ++n < value.size() ? QStringLiteral(",\n") : QStringLiteral("\n");
        }
        out += pad + QLatin1Char('}');
        return;
    }
    case json::value_t::array: {
        if (value.empty()) {
            out += QStringLiteral("[]");
            return;
        }
        out += QStringLiteral("[\n");
        std::size_t n = 0;
        for (const json& item : value) {
            out += inner;
            colourJson(item, p, indent + 1, out);
            out += ++n < value.size() ? QStringLiteral(",\n") : QStringLiteral("\n");
        }
        out += pad + QLatin1Char(']');
        return;
    }
    case json::value_t::string:
        out += span(p.string, quoted(value.get_ref<const std::string&>()));
        return;
    case json::value_t::boolean:
    case json::value_t::null:
        out += span(p.literal, esc(Format::fromUtf8(value.dump())));
        return;
    default:
        out += span(p.number, esc(Format::fromUtf8(value.dump())));
        return;
    }
}

QString tokensText(const StepRecord& s, const std::optional<std::int64_t>& cacheWrite)
{
    if (!s.tokens.input && !s.tokens.output)
        return {};
    QString text = QStringLiteral("%1 in → %2 out")
                       .arg(Format::tokens(s.tokens.input.value_or(0)), Format::tokens(s.tokens.output.value_or(0)));
    if (s.tokens.cacheRead)
        text += QStringLiteral(", %1 cache read").arg(Format::tokens(*s.tokens.cacheRead));
    if (cacheWrite)
        text += QStringLiteral(", %1 cache write").arg(Format::tokens(*cacheWrite));
    if (s.tokens.reasoning)
        text += QStringLiteral(", %1 reasoning").arg(Format::tokens(*s.tokens.reasoning));
    return text.toHtmlEscaped();
}

} // namespace

struct StepHtml::Builder
{
    const Options& options;
    Result result;
    int block = 0;

    // A fold block: the first part of a long text with a link that opens the rest.
    bool folded(int id) const { return !options.expanded.count(id); }
    QString expandLink(int id, qsizetype hiddenCharacters) const
    {
        return QStringLiteral("<div class='more'><a href='tracelight:expand/%1'>%2</a></div>")
            .arg(id)
            .arg(tr("Show all (%1 more characters)").arg(QLocale().toString(hiddenCharacters)));
    }
    static QString tr(const char* text) { return QCoreApplication::translate("StepHtml", text); }

    // Plain text: escaped, folded after FoldLines lines or FoldCharacters characters.
    QString text(const QString& content, const QString& cssClass = {}, int foldLines = FoldLines)
    {
        const int id = block++;
        qsizetype cut = content.size();
        if (folded(id)) {
            qsizetype lines = 0;
            for (qsizetype i = 0; i < content.size() && i < cut; ++i) {
                if (content.at(i) == QLatin1Char('\n') && ++lines >= foldLines)
                    cut = i;
            }
            cut = std::min<qsizetype>(cut, FoldCharacters);
        }
        QString html = QStringLiteral("<pre%1>%2</pre>")
                           .arg(cssClass.isEmpty() ? QString() : QStringLiteral(" class='%1'").arg(cssClass),
                               esc(content.left(cut)));
        if (cut < content.size())
            html += expandLink(id, content.size() - cut);
        return html;
    }

    // A value that may be JSON (an object, or a string holding JSON): coloured and indented in Pretty mode.
    QString jsonOrText(const json& value)
    {
        if (options.mode == Mode::Raw)
            return text(Format::fromUtf8(JsonField::displayText(value)));
        std::optional<json> parsed;
        if (value.is_string())
            parsed = AttributeView::parseJsonText(value.get_ref<const std::string&>());
        else if (!value.is_null())
            parsed = value;
        if (!parsed || !(parsed->is_object() || parsed->is_array()))
            return options.mode == Mode::Markdown ? markdown(Format::fromUtf8(JsonField::displayText(value)))
                                                  : text(Format::fromUtf8(JsonField::displayText(value)));
        const std::string dumped = parsed->dump(2, ' ', false, json::error_handler_t::replace);
        const int id = block;
        // Colour only what is shown: a folded block is shown as plain text, so folding stays cheap.
        if (dumped.size() > std::size_t(FoldCharacters) && folded(id))
            return text(Format::fromUtf8(dumped));
        ++block;
        QString coloured;
        colourJson(*parsed, jsonColours(options.dark), 0, coloured);
        return QStringLiteral("<pre>") + coloured + QStringLiteral("</pre>");
    }

    // Markdown through Qt's own parser with HTML disabled; the result is re-exported by Qt, so no trace markup
    // survives. Links stay inert (the view opens nothing), images are never fetched (the view loads none).
    QString markdown(const QString& content)
    {
        const int id = block;
        if (content.size() > FoldCharacters && folded(id))
            return text(content);
        ++block;
        QTextDocument document;
        document.setMarkdown(content,
            QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML));
        QString html = document.toHtml();
        const qsizetype body = html.indexOf(QStringLiteral("<body"));
        const qsizetype open = body >= 0 ? html.indexOf(QLatin1Char('>'), body) : -1;
        const qsizetype close = html.lastIndexOf(QStringLiteral("</body>"));
        if (open < 0 || close < open)
            return text(content);
        return QStringLiteral("<div class='md'>") + html.mid(open + 1, close - open - 1) + QStringLiteral("</div>");
    }

    QString image(const json& part)
    {
        std::string data = part.value("content", std::string());
        if (data.empty())
            data = part.value("data", std::string());
        std::string mime = part.value("mime_type", std::string());
        if (mime.empty())
            mime = part.value("media_type", std::string());
        if (data.rfind("data:", 0) == 0) {
            const std::size_t comma = data.find(',');
            if (comma != std::string::npos) {
                mime = data.substr(5, data.find(';') - 5);
                data = data.substr(comma + 1);
            }
        }
        const qsizetype approxBytes = qsizetype(data.size() / 4 * 3);
        const QString label = QStringLiteral("%1, %2").arg(
            esc(mime.empty() ? std::string("image") : mime), Format::bytes(approxBytes).toHtmlEscaped());
        if (data.empty() || approxBytes > MaxImageBytes)
            return QStringLiteral("<div class='note'>[%1]</div>").arg(label);
        const QByteArray bytes = QByteArray::fromBase64(QByteArray::fromStdString(data));
        const int index = int(result.images.size());
        result.images.push_back({ Format::fromUtf8(mime), bytes });
        return QStringLiteral("<div class='note'>[%1]</div><img src='tracelight-image:%2' width='160'>")
            .arg(label)
            .arg(index);
    }

    QString part(const json& part)
    {
        const std::string type = part.value("type", std::string());
        if (type == "text")
            return options.mode == Mode::Markdown
                ? markdown(Format::fromUtf8(JsonField::displayText(part.value("content", json()))))
                : jsonOrText(part.value("content", json()));
        if (type == "reasoning" || type == "thinking")
            return QStringLiteral("<div class='note'>%1</div>").arg(tr("Reasoning"))
                + text(Format::fromUtf8(JsonField::displayText(part.value("content", json()))),
                    QStringLiteral("reasoning"), ReasoningLines);
        if (type == "tool_call") {
            const std::string id = part.value("id", std::string());
            QString head = QStringLiteral("<div class='note'>%1 <b>%2</b>")
                               .arg(tr("Tool call"), esc(part.value("name", std::string())));
            if (!id.empty())
                head += QStringLiteral(" <a href='tracelight:toolcall/%1'>%2</a>")
                            .arg(QString::fromUtf8(QUrl::toPercentEncoding(Format::fromUtf8(id))), esc(id));
            return head + QStringLiteral("</div>") + jsonOrText(part.value("arguments", json()));
        }
        if (type == "tool_call_response") {
            const json response = part.contains("response") ? part["response"] : part.value("result", json());
            return QStringLiteral("<div class='note'>%1 %2</div>")
                       .arg(tr("Tool result"), esc(part.value("id", std::string())))
                + jsonOrText(response);
        }
        if (type == "document") {
            QString head = QStringLiteral("<div class='note'>%1 <b>%2</b>")
                               .arg(tr("Document"), esc(JsonField::displayText(part.value("id", json()))));
            if (part.contains("score"))
                head += QStringLiteral(" · ") + tr("score %1").arg(esc(JsonField::displayText(part["score"])));
            return head + QStringLiteral("</div>") + jsonOrText(part.value("content", json()));
        }
        if (type == "image" || type == "blob" || type == "image_url" || type == "uri") {
            if (part.contains("content") || part.contains("data"))
                return image(part);
            return QStringLiteral("<div class='note'>[%1 %2]</div>")
                .arg(esc(type), esc(JsonField::displayText(part.value("uri", json()))));
        }
        return QStringLiteral("<div class='note'>%1</div>").arg(tr("%1 part").arg(esc(type))) + jsonOrText(part);
    }

    QString messages(const std::string& messagesJson)
    {
        const json list = json::parse(messagesJson, nullptr, false);
        if (!list.is_array())
            return text(Format::fromUtf8(messagesJson));
        QString html;
        for (const json& message : list) {
            if (!message.is_object())
                continue;
            const QString role = Format::fromUtf8(message.value("role", std::string("?")));
            QString safeRole = role.toLower();
            safeRole.removeIf([](QChar c) { return !c.isLetter(); });
            html += QStringLiteral("<table class='msg role-%1' width='100%' cellspacing='0'><tr><td>"
                                   "<div class='role r-%1'>%2</div>")
                        .arg(safeRole, esc(role.toUpper()));
            if (message.contains("name") && message["name"].is_string())
                html += QStringLiteral("<div class='note'>%1</div>").arg(esc(message["name"].get<std::string>()));
            for (const json& p : message.value("parts", json::array()))
                html += part(p);
            if (message.contains("finish_reason"))
                html += QStringLiteral("<div class='note'>%1</div>")
                            .arg(tr("finish reason: %1").arg(esc(JsonField::displayText(message["finish_reason"]))));
            html += QStringLiteral("</td></tr></table>");
        }
        return html;
    }
};

QString StepHtml::style(bool dark)
{
    const QString muted = dark ? QStringLiteral("#9ca3af") : QStringLiteral("#6b7280");
    const QString box = dark ? QStringLiteral("#1f232b") : QStringLiteral("#f3f4f6");
    const auto roleColour = [&](StepKind kind) { return KindStyle::color(kind, dark).name(); };
    return QStringLiteral(
        "<style>h2{margin:0 0 4px 0;} h3{margin:14px 0 4px 0;} td.k{color:%1;padding-right:12px;"
        "white-space:nowrap;} pre{background:%2;padding:6px;white-space:pre-wrap;margin:2px 0 6px 0;}"
        " .role{font-weight:bold;margin-top:2px;} .note{color:%1;} .more{margin:0 0 8px 0;}"
        " table.attrs td{padding:1px 4px;} .err{color:%3;font-weight:bold;}"
        " table.msg{margin:6px 0;border-left:3px solid %1;} table.msg td{padding:0 0 0 8px;}"
        " .r-system{color:%4;} .r-user{color:%5;} .r-assistant{color:%6;} .r-tool{color:%7;}"
        " pre.reasoning{font-style:italic;} p.finding{margin:2px 0;} .sev-high{color:%3;font-weight:bold;}"
        " .sev-medium{color:%8;font-weight:bold;} .sev-low{color:%1;font-weight:bold;}</style>")
        .arg(muted, box, KindStyle::errorColor(dark).name(), roleColour(StepKind::Chain), roleColour(StepKind::Human),
            roleColour(StepKind::Llm), roleColour(StepKind::Tool),
            dark ? QStringLiteral("#ffb347") : QStringLiteral("#c76a00"));
}

StepHtml::Result StepHtml::render(const StepDetail& d, const Options& options)
{
    Builder b { options, {}, 0 };
    const StepRecord& s = d.record;
    QString html = style(options.dark);
    html += QStringLiteral("<h2><span style='color:%1'>%2</span> %3</h2>")
                .arg(KindStyle::color(s.kind, options.dark).name(), Format::kindLabel(s.kind).toHtmlEscaped(),
                    esc(s.name));
    html += QStringLiteral("<table>");
    if (s.status == StepStatus::Error)
        html += row(
            Builder::tr("Status"), QStringLiteral("<span class='err'>error</span> %1").arg(esc(s.statusMessage)));
    else
        html += row(Builder::tr("Status"), QString::fromLatin1(stepStatusName(s.status).data()));
    QString duration = s.endNs > 0 ? Format::duration(s.durationNs()).toHtmlEscaped() : Builder::tr("open");
    if (options.selfTimeNs && s.endNs > 0)
        duration += QStringLiteral(" (") + Builder::tr("self %1").arg(Format::duration(*options.selfTimeNs))
            + QLatin1Char(')');
    html += row(Builder::tr("Duration"), duration);
    html += row(Builder::tr("Started"), Format::timestamp(s.startNs).toHtmlEscaped());
    html += row(Builder::tr("Agent"), s.agentName.empty() ? esc(options.agent) : esc(s.agentName));
    html += row(Builder::tr("Model"), esc(s.model + (s.provider.empty() ? "" : " (" + s.provider + ")")));
    html += row(Builder::tr("Tokens"), tokensText(s, d.record.tokens.cacheWrite));
    if (s.costSource == CostSource::Recorded)
        html += row(Builder::tr("Cost"),
            Builder::tr("%1 (recorded by the source)").arg(Format::cost(s.costUsd)).toHtmlEscaped());
    else if (s.costSource == CostSource::Computed)
        html += row(Builder::tr("Cost"),
            Builder::tr("%1 (computed from tokens and the price table)").arg(Format::cost(s.costUsd)).toHtmlEscaped());
    else if (s.costSource == CostSource::Unknown)
        html += row(Builder::tr("Cost"),
            (s.tokens.input || s.tokens.output ? Builder::tr("unknown: no price for this model (Tools → Model Prices)")
                                               : Builder::tr("unknown: the call reported no usage"))
                .toHtmlEscaped());
    html += row(
        Builder::tr("Tool"), esc(s.toolName + (d.step.toolCallId.empty() ? "" : "  (call " + d.step.toolCallId + ")")));
    html += row(Builder::tr("Operation"), esc(s.operation));
    html += row(Builder::tr("Service"), esc(s.service));
    html += row(Builder::tr("Span"), QStringLiteral("<code>%1</code>").arg(esc(s.spanId)));
    html += row(
        Builder::tr("Parent"), s.parentId.empty() ? QString() : QStringLiteral("<code>%1</code>").arg(esc(s.parentId)));
    html += row(Builder::tr("Source"), esc(d.sourcePath));
    html += QStringLiteral("</table>");

    // What people noted on this step (tracelight annotate, Review → Annotate…).
    if (!options.findings.annotations.empty()) {
        html += section(Builder::tr("Annotations"));
        for (const Annotation& a : options.findings.annotations) {
            QString head = a.label.empty() ? QString() : QStringLiteral("<b>%1</b> ").arg(esc(a.label));
            if (a.rating)
                head += QStringLiteral("<span class='note'>%1</span> ")
                            .arg(QString(*a.rating, QChar(0x2605)) + QString(5 - *a.rating, QChar(0x2606)));
            head += QStringLiteral("<span class='note'>— %1, %2</span>")
                        .arg(esc(a.author), Format::timestamp(a.updatedMs * 1000000).toHtmlEscaped());
            html += QStringLiteral("<p class='annotation'>%1</p>").arg(head);
            if (!a.note.empty())
                html += QStringLiteral("<p class='annotation-note'>%1</p>")
                            .arg(esc(Utf8::visible(a.note)).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
        }
    }
    // What the findings say about this step, then where each identifier-like argument came from.
    if (!options.findings.findings.empty()) {
        html += section(Builder::tr("Findings"));
        for (const Finding& f : options.findings.findings) {
            const QString severity = QString::fromLatin1(findingSeverityName(f.severity));
            html += QStringLiteral("<p class='finding'><span class='sev-%1'>● %2</span> %3</p>")
                        .arg(severity,
                            QString::fromLatin1(findingKindName(f.kind)).replace(QLatin1Char('_'), QLatin1Char(' ')),
                            esc(f.message));
        }
    }
    if (!options.findings.sources.empty()) {
        html += section(Builder::tr("Where the arguments came from")) + QStringLiteral("<table>");
        for (const ArgumentSource& a : options.findings.sources) {
            QString from;
            if (!a.conflictSpanId.empty())
                from = QStringLiteral("<span class='err'>%1</span>")
                           .arg(Builder::tr("contradicts %1 = %2, which %3 (%4) returned for %5")
                                    .arg(esc(a.argument), esc(a.conflictValue), esc(a.conflictName),
                                        esc(a.conflictSpanId), esc(a.entity)));
            else if (a.sourceSpanId.empty())
                from = QStringLiteral("<span class='err'>%1</span>")
                           .arg(Builder::tr("appears nowhere earlier in the run"));
            else
                from = Builder::tr("the %1 of %2 <code>%3</code>")
                           .arg(esc(a.sourceKind), esc(a.sourceName), esc(a.sourceSpanId));
            html += QStringLiteral("<tr><td class='k'><code>%1</code></td><td><code>%2</code> ← %3</td></tr>")
                        .arg(esc(a.argument), esc(a.value), from);
        }
        html += QStringLiteral("</table>");
    }

    if (!d.step.systemInstructions.empty())
        html += section(Builder::tr("System instructions")) + b.messages(d.step.systemInstructions);
    if (!d.step.inputMessages.empty())
        html += section(Builder::tr("Input")) + b.messages(d.step.inputMessages);
    if (!d.step.outputMessages.empty())
        html += section(Builder::tr("Output")) + b.messages(d.step.outputMessages);
    if (!d.step.toolArguments.empty())
        html += section(Builder::tr("Tool arguments")) + b.jsonOrText(json(d.step.toolArguments));
    if (!d.step.toolResult.empty())
        html += section(Builder::tr("Tool result")) + b.jsonOrText(json(d.step.toolResult));
    if (d.step.eventsJson.size() > 2) {
        // Events read as {name, time, attributes: {key: value}}, not as the OTLP KeyValue lists they are stored in.
        json events = json::parse(d.step.eventsJson, nullptr, false);
        if (events.is_array()) {
            for (json& event : events) {
                if (!event.is_object() || !event.contains("attributes") || !event["attributes"].is_array())
                    continue;
                json attributes = json::object();
                for (const json& entry : event["attributes"]) {
                    if (entry.is_object() && entry.contains("key") && entry["key"].is_string())
                        attributes[entry["key"].get<std::string>()]
                            = AttributeView::fromAnyValue(entry.value("value", json()));
                }
                event["attributes"] = std::move(attributes);
            }
            html += section(Builder::tr("Events")) + b.jsonOrText(events);
        } else {
            html += section(Builder::tr("Events")) + b.jsonOrText(json(d.step.eventsJson));
        }
    }
    html += QStringLiteral("<p class='note'>%1</p>")
                .arg(Builder::tr("Every attribute, event, link, resource and scope is in the Attributes tab."));
    b.result.html = html;
    return std::move(b.result);
}

QString StepHtml::traceHtml(const TraceSummary& t, bool dark)
{
    const auto tr = &Builder::tr;
    QString html = style(dark) + QStringLiteral("<h2>%1</h2><table>").arg(esc(t.name));
    html += row(tr("Trace"), QStringLiteral("<code>%1</code>").arg(esc(t.traceId)));
    html += row(tr("Service"), esc(t.service + (t.version.empty() ? "" : " " + t.version)));
    html += row(tr("Agent"), esc(t.agent));
    html += row(tr("Session"), esc(t.sessionId));
    html += row(tr("User"), esc(t.userId));
    html += row(tr("Started"), Format::timestamp(t.startNs).toHtmlEscaped());
    html += row(tr("Duration"), Format::duration(t.endNs - t.startNs).toHtmlEscaped());
    html += row(tr("Steps"),
        QStringLiteral("%1 (%2 LLM calls, %3 tool calls)")
            .arg(Format::tokens(t.spans), Format::tokens(t.llmCalls), Format::tokens(t.toolCalls)));
    html += row(tr("Tokens"),
        QStringLiteral("%1 in → %2 out").arg(Format::tokens(t.tokens.input), Format::tokens(t.tokens.output)));
    QString cost = Format::cost(t.costUsd);
    if (t.costSource != CostSource::None)
        cost += QStringLiteral(" (%1)").arg(QString::fromLatin1(costSourceName(t.costSource).data()));
    if (t.unknownCostCalls)
        cost += tr("; LLM calls of unknown cost not included: %1").arg(t.unknownCostCalls);
    html += row(tr("Cost"), cost.toHtmlEscaped());
    if (t.errors)
        html += row(tr("Errors"), QStringLiteral("<span class='err'>%1</span>").arg(t.errors));
    return html + QStringLiteral("</table>");
}

} // namespace Tracelight
