#include "kindstyle.h"

namespace Tracelight::KindStyle {

QColor color(StepKind kind, bool dark)
{
    // Light theme colours are saturated enough for white text; dark theme ones are lifted for contrast.
    switch (kind) {
    case StepKind::Agent:
        return dark ? QColor(0xa7, 0x8b, 0xfa) : QColor(0x6d, 0x28, 0xd9);
    case StepKind::Llm:
        return dark ? QColor(0x60, 0xa5, 0xfa) : QColor(0x1d, 0x4e, 0xd8);
    case StepKind::Tool:
        return dark ? QColor(0xfb, 0xbf, 0x24) : QColor(0xb4, 0x53, 0x09);
    case StepKind::Retriever:
        return dark ? QColor(0x34, 0xd3, 0x99) : QColor(0x04, 0x78, 0x57);
    case StepKind::Embedding:
        return dark ? QColor(0x22, 0xd3, 0xee) : QColor(0x0e, 0x74, 0x90);
    case StepKind::Chain:
        return dark ? QColor(0x94, 0xa3, 0xb8) : QColor(0x47, 0x55, 0x69);
    case StepKind::Guardrail:
        return dark ? QColor(0xf4, 0x72, 0xb6) : QColor(0xbe, 0x18, 0x5d);
    case StepKind::Handoff:
        return dark ? QColor(0xe8, 0x79, 0xf9) : QColor(0xa2, 0x1c, 0xaf);
    case StepKind::Human:
        return dark ? QColor(0xfb, 0x92, 0x3c) : QColor(0xc2, 0x41, 0x0c);
    case StepKind::Evaluator:
        return dark ? QColor(0x81, 0x8c, 0xf8) : QColor(0x43, 0x38, 0xca);
    case StepKind::Event:
        return dark ? QColor(0xcb, 0xd5, 0xe1) : QColor(0x64, 0x74, 0x8b);
    case StepKind::Other:
        break;
    }
    return dark ? QColor(0x9c, 0xa3, 0xaf) : QColor(0x6b, 0x72, 0x80);
}

QColor errorColor(bool dark)
{
    return dark ? QColor(0xf8, 0x71, 0x71) : QColor(0xdc, 0x26, 0x26);
}

QColor findingColor(int severity, bool dark)
{
    switch (severity) {
    case 2:
        return errorColor(dark);
    case 1:
        return dark ? QColor(0xfb, 0xbf, 0x24) : QColor(0xd9, 0x77, 0x06);
    default:
        return dark ? QColor(0x9c, 0xa3, 0xaf) : QColor(0x6b, 0x72, 0x80);
    }
}

QString badge(StepKind kind)
{
    switch (kind) {
    case StepKind::Agent:
        return QStringLiteral("AGENT");
    case StepKind::Llm:
        return QStringLiteral("LLM");
    case StepKind::Tool:
        return QStringLiteral("TOOL");
    case StepKind::Retriever:
        return QStringLiteral("RAG");
    case StepKind::Embedding:
        return QStringLiteral("EMB");
    case StepKind::Chain:
        return QStringLiteral("CHAIN");
    case StepKind::Guardrail:
        return QStringLiteral("GUARD");
    case StepKind::Handoff:
        return QStringLiteral("HAND");
    case StepKind::Human:
        return QStringLiteral("HUMAN");
    case StepKind::Evaluator:
        return QStringLiteral("EVAL");
    case StepKind::Event:
        return QStringLiteral("EVENT");
    case StepKind::Other:
        break;
    }
    return QStringLiteral("SPAN");
}

} // namespace Tracelight::KindStyle
