#include "diffhtml.h"

#include "kindstyle.h"

#include <format.h>
#include <messagetext.h>

#include <QCoreApplication>

namespace Tracelight::DiffHtml {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("DiffHtml", text);
}

QString signedDelta(std::int64_t delta, const QString& text)
{
    return delta > 0 ? QStringLiteral("+") + text : delta < 0 ? QStringLiteral("−") + text : text;
}

} // namespace

QString messagesText(const std::string& messagesJson)
{
    return Format::fromUtf8(MessageText::plain(messagesJson));
}

QString diff(const QString& oldText, const QString& newText, bool dark)
{
    const QString removed = dark ? QStringLiteral("#7f1d1d") : QStringLiteral("#fecaca");
    const QString added = dark ? QStringLiteral("#14532d") : QStringLiteral("#bbf7d0");
    QString html = QStringLiteral("<pre>");
    for (const TextDiff::Segment& segment : TextDiff::words(oldText, newText)) {
        const QString text = segment.text.toHtmlEscaped();
        switch (segment.op) {
        case TextDiff::Op::Equal:
            html += text;
            break;
        case TextDiff::Op::Delete:
            html += QStringLiteral("<span style='background:%1;text-decoration:line-through'>%2</span>")
                        .arg(removed, text);
            break;
        case TextDiff::Op::Insert:
            html += QStringLiteral("<span style='background:%1'>%2</span>").arg(added, text);
            break;
        }
    }
    return html + QStringLiteral("</pre>");
}

QString pair(const StepDetail* a, const StepDetail* b, bool dark)
{
    const QString muted = dark ? QStringLiteral("#9ca3af") : QStringLiteral("#6b7280");
    const QString box = dark ? QStringLiteral("#1f232b") : QStringLiteral("#f3f4f6");
    QString html = QStringLiteral("<style>pre{background:%1;padding:6px;white-space:pre-wrap;} h3{margin:10px 0 4px 0;}"
                                  " td.k{color:%2;padding-right:10px;} td{padding:1px 8px 1px 0;}</style>")
                       .arg(box, muted);
    const auto name = [&](const StepDetail* d) {
        if (!d)
            return QStringLiteral("<i>%1</i>").arg(tr("(not in this run)"));
        return QStringLiteral("<b style='color:%1'>%2</b> %3")
            .arg(KindStyle::color(d->record.kind, dark).name(), Format::kindLabel(d->record.kind).toHtmlEscaped(),
                Format::fromUtf8(d->record.name).toHtmlEscaped());
    };
    html += QStringLiteral(
        "<table><tr><td class='k'>A</td><td>%1</td></tr><tr><td class='k'>B</td><td>%2</td></tr></table>")
                .arg(name(a), name(b));
    if (a && b) {
        const StepRecord& x = a->record;
        const StepRecord& y = b->record;
        QString figures = QStringLiteral("<table>");
        const auto row = [&](const QString& label, const QString& av, const QString& bv, const QString& delta) {
            figures += QStringLiteral("<tr><td class='k'>%1</td><td>%2</td><td>%3</td><td><b>%4</b></td></tr>")
                           .arg(label.toHtmlEscaped(), av.toHtmlEscaped(), bv.toHtmlEscaped(), delta.toHtmlEscaped());
        };
        const std::int64_t dd = y.durationNs() - x.durationNs();
        row(tr("Duration"), Format::duration(x.durationNs()), Format::duration(y.durationNs()),
            signedDelta(dd, Format::duration(std::abs(dd))));
        if (x.tokens.input || y.tokens.input) {
            const std::int64_t d = y.tokens.input.value_or(0) - x.tokens.input.value_or(0);
            row(tr("Input tokens"), Format::tokens(x.tokens.input.value_or(0)),
                Format::tokens(y.tokens.input.value_or(0)), signedDelta(d, Format::tokens(std::abs(d))));
        }
        if (x.tokens.output || y.tokens.output) {
            const std::int64_t d = y.tokens.output.value_or(0) - x.tokens.output.value_or(0);
            row(tr("Output tokens"), Format::tokens(x.tokens.output.value_or(0)),
                Format::tokens(y.tokens.output.value_or(0)), signedDelta(d, Format::tokens(std::abs(d))));
        }
        if (x.costUsd || y.costUsd)
            row(tr("Cost"), Format::cost(x.costUsd), Format::cost(y.costUsd), QString());
        if (x.model != y.model)
            row(tr("Model"), Format::fromUtf8(x.model), Format::fromUtf8(y.model), tr("changed"));
        if (x.status != y.status)
            row(tr("Status"), QString::fromLatin1(stepStatusName(x.status).data()),
                QString::fromLatin1(stepStatusName(y.status).data()), tr("changed"));
        html += figures + QStringLiteral("</table>");
    }
    const StepDetail empty;
    const StepDetail& x = a ? *a : empty;
    const StepDetail& y = b ? *b : empty;
    const auto section = [&](const QString& title, const QString& oldText, const QString& newText) {
        if (oldText.isEmpty() && newText.isEmpty())
            return;
        html += QStringLiteral("<h3>%1%2</h3>")
                    .arg(title.toHtmlEscaped(),
                        oldText == newText
                            ? QStringLiteral(" <span style='color:%1'>(%2)</span>").arg(muted, tr("identical"))
                            : QString());
        html += diff(oldText, newText, dark);
    };
    section(
        tr("System instructions"), messagesText(x.step.systemInstructions), messagesText(y.step.systemInstructions));
    section(tr("Input"), messagesText(x.step.inputMessages), messagesText(y.step.inputMessages));
    section(tr("Output"), messagesText(x.step.outputMessages), messagesText(y.step.outputMessages));
    section(tr("Tool arguments"), Format::fromUtf8(x.step.toolArguments), Format::fromUtf8(y.step.toolArguments));
    section(tr("Tool result"), Format::fromUtf8(x.step.toolResult), Format::fromUtf8(y.step.toolResult));
    if (!a || !b) {
        if (x.record.statusMessage != y.record.statusMessage)
            section(tr("Error"), Format::fromUtf8(x.record.statusMessage), Format::fromUtf8(y.record.statusMessage));
    }
    return html;
}

} // namespace Tracelight::DiffHtml
