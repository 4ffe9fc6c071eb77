#pragma once

#include <annotation.h>
#include <findings.h>
#include <tracesummary.h>

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

namespace Tracelight {

// Builds the inspector's document for one step: header figures, then the conversation as the model saw it, tool
// data, retrieval documents. Pure string building, so tests check it without a widget.
//
// Everything from the trace is untrusted and escaped. Long texts are folded behind a "Show all" link
// (tracelight:expand/N) so that a 5 MB prompt costs a few kilobytes of HTML until the user asks for it.
class StepHtml
{
public:
    enum class Mode
    {
        Pretty, // JSON pretty-printed with colours, text wrapped
        Raw, // texts exactly as the source gave them
        Markdown, // text parts rendered as Markdown (no HTML, no remote images, links inert)
    };

    // What the findings say about a step, where a tool call's arguments came from, and what people noted on it.
    struct StepFindings
    {
        std::vector<Finding> findings;
        std::vector<ArgumentSource> sources;
        std::vector<Annotation> annotations;
    };

    struct Options
    {
        bool dark = false;
        Mode mode = Mode::Pretty;
        std::set<int> expanded; // fold blocks the user opened
        std::optional<std::int64_t> selfTimeNs;
        QString agent; // the owning agent's name, when the step does not name one
        StepFindings findings;
    };

    // A base64 image found in a message part, shown as a thumbnail (resource tracelight-image:N).
    struct Image
    {
        QString mimeType;
        QByteArray data;
    };
    struct Result
    {
        QString html;
        std::vector<Image> images;
    };

    static constexpr int FoldCharacters = 3000;
    static constexpr int FoldLines = 40;
    static constexpr int ReasoningLines = 4;
    static constexpr qsizetype MaxImageBytes = 8 * 1024 * 1024;

    static Result render(const StepDetail& detail, const Options& options);
    static QString build(const StepDetail& detail, const Options& options) { return render(detail, options).html; }
    static QString traceHtml(const TraceSummary& trace, bool dark);
    static QString style(bool dark);

private:
    struct Builder;
};

} // namespace Tracelight
