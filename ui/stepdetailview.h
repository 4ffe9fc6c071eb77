#pragma once

#include <tracesummary.h>

#include <QTextBrowser>

#include <optional>

namespace Tracelight {

// What the selected step holds: header figures, then the conversation and tool data as plain text. Every
// string from a trace is escaped: a prompt holding HTML or a script shows literally, and no link opens.
class StepDetailView final : public QTextBrowser
{
    Q_OBJECT
public:
    explicit StepDetailView(QWidget* parent = nullptr);
    void showStep(const std::optional<StepDetail>& detail);
    void showTrace(const TraceSummary& trace);
    void showPlaceholder(const QString& text);
    // The HTML built for a step, for tests.
    static QString stepHtml(const StepDetail& detail, bool dark);
};

} // namespace Tracelight
