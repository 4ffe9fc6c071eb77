#include "stepdetailview.h"

#include "kindstyle.h"
#include "theme.h"

#include <attributeview.h>
#include <format.h>

#include <nlohmann/json.hpp>

namespace Tracelight {

using nlohmann::json;

namespace {

constexpr qsizetype maxShown = 20000; // characters of one text shown before folding

QString esc(const QString& text)
{
    QString shown = text.size() > maxShown ? text.left(maxShown) : text;
    QString html = shown.toHtmlEscaped();
    if (text.size() > maxShown)
        html += QStringLiteral("<br><i>… %1 more characters</i>").arg(text.size() - maxShown);
    return html;
}

QString esc(const std::string& text)
{
    return esc(Format::fromUtf8(text));
}

QString pretty(const json& value)
{
    if (value.is_string()) {
        if (auto parsed = AttributeView::parseJsonText(value.get_ref<const std::string&>()))
            return Format::fromUtf8(parsed->dump(2, ' ', false, json::error_handler_t::replace));
        return Format::fromUtf8(value.get<std::string>());
    }
    return Format::fromUtf8(value.dump(2, ' ', false, json::error_handler_t::replace));
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

QString messagesHtml(const std::string& messagesJson)
{
    const json messages = json::parse(messagesJson, nullptr, false);
    if (!messages.is_array())
        return QStringLiteral("<pre>%1</pre>").arg(esc(messagesJson));
    QString html;
    for (const json& message : messages) {
        const QString role = Format::fromUtf8(message.value("role", std::string("?")));
        html += QStringLiteral("<div class='msg'><div class='role role-%1'>%2</div>")
                    .arg(role.toHtmlEscaped(), role.toUpper().toHtmlEscaped());
        const json parts = message.value("parts", json::array());
        for (const json& part : parts) {
            const std::string type = part.value("type", std::string());
            if (type == "text") {
                html += QStringLiteral("<pre>%1</pre>").arg(esc(pretty(part.value("content", json()))));
            } else if (type == "reasoning") {
                html += QStringLiteral("<div class='note'>Reasoning</div><pre class='reasoning'>%1</pre>")
                            .arg(esc(pretty(part.value("content", json()))));
            } else if (type == "tool_call") {
                html += QStringLiteral("<div class='note'>Tool call <b>%1</b> %2</div><pre>%3</pre>")
                            .arg(esc(part.value("name", std::string())), esc(part.value("id", std::string())),
                                esc(pretty(part.value("arguments", json()))));
            } else if (type == "tool_call_response") {
                const json response = part.contains("response") ? part["response"] : part.value("result", json());
                html += QStringLiteral("<div class='note'>Tool result %1</div><pre>%2</pre>")
                            .arg(esc(part.value("id", std::string())), esc(pretty(response)));
            } else {
                html
                    += QStringLiteral("<div class='note'>%1 part</div><pre>%2</pre>").arg(esc(type), esc(pretty(part)));
            }
        }
        if (message.contains("finish_reason"))
            html += QStringLiteral("<div class='note'>finish reason: %1</div>")
                        .arg(esc(pretty(message["finish_reason"])));
        html += QStringLiteral("</div>");
    }
    return html;
}

QString attributesHtml(const std::string& keyValueJson)
{
    const json list = json::parse(keyValueJson, nullptr, false);
    if (!list.is_array() || list.empty())
        return {};
    QString html = QStringLiteral("<table class='attrs'>");
    for (const json& entry : list) {
        if (!entry.is_object())
            continue;
        const json value = AttributeView::fromAnyValue(entry.value("value", json::object()));
        const QString text = value.is_string() ? Format::fromUtf8(value.get<std::string>()) : pretty(value);
        html += QStringLiteral("<tr><td class='k'>%1</td><td><code>%2</code></td></tr>")
                    .arg(esc(entry.value("key", std::string())), esc(text.left(2000)));
    }
    return html + QStringLiteral("</table>");
}

QString htmlStyle(bool dark)
{
    const QString muted = dark ? QStringLiteral("#9ca3af") : QStringLiteral("#6b7280");
    const QString box = dark ? QStringLiteral("#1f232b") : QStringLiteral("#f3f4f6");
    return QStringLiteral("<style>h2{margin:0 0 4px 0;} h3{margin:14px 0 4px 0;} td.k{color:%1;padding-right:12px;"
                          "white-space:nowrap;} pre{background:%2;padding:6px;white-space:pre-wrap;margin:2px 0 6px 0;}"
                          " .role{font-weight:bold;margin-top:8px;} .note{color:%1;} table.attrs td{padding:1px 4px;}"
                          " .err{color:%3;font-weight:bold;}</style>")
        .arg(muted, box, KindStyle::errorColor(dark).name());
}

QString tokensText(const StepRecord& s, const std::optional<std::int64_t>& cacheWrite)
{
    if (!s.inputTokens && !s.outputTokens)
        return {};
    QString text = QStringLiteral("%1 in → %2 out")
                       .arg(Format::tokens(s.inputTokens.value_or(0)), Format::tokens(s.outputTokens.value_or(0)));
    if (s.cacheReadTokens)
        text += QStringLiteral(", %1 cache read").arg(Format::tokens(*s.cacheReadTokens));
    if (cacheWrite)
        text += QStringLiteral(", %1 cache write").arg(Format::tokens(*cacheWrite));
    if (s.reasoningTokens)
        text += QStringLiteral(", %1 reasoning").arg(Format::tokens(*s.reasoningTokens));
    return text.toHtmlEscaped();
}

} // namespace

StepDetailView::StepDetailView(QWidget* parent)
    : QTextBrowser(parent)
{
    // Trace content is untrusted: nothing opens by itself, and no resource is ever fetched.
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setReadOnly(true);
    showPlaceholder(tr("Select a step to see what the model saw and said."));
}

void StepDetailView::showPlaceholder(const QString& text)
{
    setHtml(QStringLiteral("<p style='color:gray'>%1</p>").arg(text.toHtmlEscaped()));
}

void StepDetailView::showTrace(const TraceSummary& t)
{
    QString html = htmlStyle(Theme::isDark()) + QStringLiteral("<h2>%1</h2><table>").arg(esc(t.name));
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
        QStringLiteral("%1 in → %2 out").arg(Format::tokens(t.inputTokens), Format::tokens(t.outputTokens)));
    QString cost = Format::cost(t.costUsd);
    if (t.costSource != CostSource::None)
        cost += QStringLiteral(" (%1)").arg(QString::fromLatin1(costSourceName(t.costSource).data()));
    if (t.unknownCostCalls)
        cost += tr("; %n LLM call(s) of unknown cost not included", nullptr, int(t.unknownCostCalls));
    html += row(tr("Cost"), cost.toHtmlEscaped());
    if (t.errors)
        html += row(tr("Errors"), QStringLiteral("<span class='err'>%1</span>").arg(t.errors));
    setHtml(html + QStringLiteral("</table>"));
}

void StepDetailView::showStep(const std::optional<StepDetail>& detail)
{
    if (!detail) {
        showPlaceholder(tr("This step is no longer in the cache."));
        return;
    }
    setHtml(stepHtml(*detail, Theme::isDark()));
}

QString StepDetailView::stepHtml(const StepDetail& d, bool dark)
{
    const StepRecord& s = d.record;
    QString html = htmlStyle(dark);
    html += QStringLiteral("<h2><span style='color:%1'>%2</span> %3</h2>")
                .arg(KindStyle::color(s.kind, dark).name(), Format::kindLabel(s.kind).toHtmlEscaped(), esc(s.name));
    html += QStringLiteral("<table>");
    if (s.status == StepStatus::Error)
        html += row(tr("Status"), QStringLiteral("<span class='err'>error</span> %1").arg(esc(s.statusMessage)));
    else
        html += row(tr("Status"), QString::fromLatin1(stepStatusName(s.status).data()));
    html += row(tr("Duration"), s.endNs > 0 ? Format::duration(s.durationNs()).toHtmlEscaped() : tr("open"));
    html += row(tr("Started"), Format::timestamp(s.startNs).toHtmlEscaped());
    html += row(tr("Agent"), esc(s.agentName));
    html += row(tr("Model"), esc(s.model + (s.provider.empty() ? "" : " (" + s.provider + ")")));
    html += row(tr("Tokens"), tokensText(s, d.cacheWriteTokens));
    if (s.costSource == CostSource::Recorded)
        html += row(tr("Cost"), tr("%1 (recorded by the source)").arg(Format::cost(s.costUsd)).toHtmlEscaped());
    else if (s.costSource == CostSource::Computed)
        html += row(tr("Cost"),
            tr("%1 (computed from tokens and the price table)").arg(Format::cost(s.costUsd)).toHtmlEscaped());
    else if (s.costSource == CostSource::Unknown)
        html += row(tr("Cost"),
            (s.inputTokens || s.outputTokens ? tr("unknown: no price for this model (Tools → Model Prices)")
                                             : tr("unknown: the call reported no usage"))
                .toHtmlEscaped());
    html += row(tr("Tool"), esc(s.toolName + (d.toolCallId.empty() ? "" : "  (call " + d.toolCallId + ")")));
    html += row(tr("Operation"), esc(s.operation));
    html += row(tr("Service"), esc(s.service));
    html += row(tr("Span"), QStringLiteral("<code>%1</code>").arg(esc(s.spanId)));
    html += row(tr("Parent"), s.parentId.empty() ? QString() : QStringLiteral("<code>%1</code>").arg(esc(s.parentId)));
    html += row(tr("Source"), esc(d.sourcePath));
    html += QStringLiteral("</table>");

    if (!d.systemInstructions.empty())
        html += section(tr("System instructions")) + messagesHtml(d.systemInstructions);
    if (!d.inputMessages.empty())
        html += section(tr("Input")) + messagesHtml(d.inputMessages);
    if (!d.outputMessages.empty())
        html += section(tr("Output")) + messagesHtml(d.outputMessages);
    if (!d.toolArguments.empty())
        html += section(tr("Tool arguments")) + QStringLiteral("<pre>%1</pre>").arg(esc(pretty(json(d.toolArguments))));
    if (!d.toolResult.empty())
        html += section(tr("Tool result")) + QStringLiteral("<pre>%1</pre>").arg(esc(pretty(json(d.toolResult))));
    if (const QString attributes = attributesHtml(d.attributesJson); !attributes.isEmpty())
        html += section(tr("Attributes")) + attributes;
    if (const QString resource = attributesHtml(d.resourceJson); !resource.isEmpty())
        html += section(tr("Resource")) + resource;
    if (d.eventsJson.size() > 2)
        html += section(tr("Events")) + QStringLiteral("<pre>%1</pre>").arg(esc(pretty(json(d.eventsJson))));
    return html;
}

} // namespace Tracelight
