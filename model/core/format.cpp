#include "format.h"

#include "utf8.h"

#include <QDateTime>
#include <QLocale>

#include <cmath>

namespace Tracelight::Format {

QString duration(std::int64_t ns)
{
    if (ns <= 0)
        return QStringLiteral("0 ms");
    const double ms = double(ns) / 1e6;
    if (ms < 1.0)
        return QString::number(double(ns) / 1e3, 'f', ns < 10000 ? 1 : 0) + QStringLiteral(" µs");
    if (ms < 1000.0)
        return QString::number(ms, 'f', ms < 10 ? 2 : ms < 100 ? 1 : 0) + QStringLiteral(" ms");
    const double seconds = ms / 1000.0;
    if (seconds < 60.0)
        return QString::number(seconds, 'f', seconds < 10 ? 2 : 1) + QStringLiteral(" s");
    const auto total = static_cast<std::int64_t>(std::llround(seconds));
    if (total < 3600)
        return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(total / 3600).arg((total % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString tokens(std::int64_t count)
{
    return QLocale(QLocale::English).toString(static_cast<qlonglong>(count));
}

QString count(std::int64_t n, const QString& singular, const QString& plural)
{
    return tokens(n) + QLatin1Char(' ') + (n == 1 ? singular : plural);
}

QString cost(const std::optional<double>& usd)
{
    if (!usd)
        return QStringLiteral("unknown");
    const double value = *usd;
    if (value == 0.0)
        return QStringLiteral("$0");
    if (value < 0.01)
        return QStringLiteral("$") + QString::number(value, 'f', 5);
    if (value < 10)
        return QStringLiteral("$") + QString::number(value, 'f', 4);
    return QStringLiteral("$") + QString::number(value, 'f', 2);
}

QString timestamp(std::int64_t unixNs)
{
    if (unixNs <= 0)
        return QString();
    return QDateTime::fromMSecsSinceEpoch(unixNs / 1000000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString bytes(std::int64_t count)
{
    const double value = double(count);
    if (value < 1024)
        return QString::number(count) + QStringLiteral(" B");
    if (value < 1024.0 * 1024)
        return QString::number(value / 1024, 'f', 1) + QStringLiteral(" KB");
    if (value < 1024.0 * 1024 * 1024)
        return QString::number(value / 1024 / 1024, 'f', 1) + QStringLiteral(" MB");
    return QString::number(value / 1024 / 1024 / 1024, 'f', 2) + QStringLiteral(" GB");
}

QString kindLabel(StepKind kind)
{
    switch (kind) {
    case StepKind::Agent:
        return QStringLiteral("Agent");
    case StepKind::Llm:
        return QStringLiteral("LLM");
    case StepKind::Tool:
        return QStringLiteral("Tool");
    case StepKind::Retriever:
        return QStringLiteral("Retriever");
    case StepKind::Embedding:
        return QStringLiteral("Embedding");
    case StepKind::Chain:
        return QStringLiteral("Chain");
    case StepKind::Guardrail:
        return QStringLiteral("Guardrail");
    case StepKind::Handoff:
        return QStringLiteral("Handoff");
    case StepKind::Human:
        return QStringLiteral("Human");
    case StepKind::Evaluator:
        return QStringLiteral("Evaluator");
    case StepKind::Event:
        return QStringLiteral("Event");
    case StepKind::Other:
        break;
    }
    return QStringLiteral("Span");
}

QString fromUtf8(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString plainToolTip(const QString& text)
{
    if (text.isEmpty())
        return {};
    return QStringLiteral("<qt><p style='white-space:pre-wrap'>%1</p></qt>")
        .arg(fromUtf8(Utf8::visible(text.toStdString()))
                 .toHtmlEscaped()
                 .replace(QLatin1Char('\n'), QStringLiteral("<br>")));
}

} // namespace Tracelight::Format
