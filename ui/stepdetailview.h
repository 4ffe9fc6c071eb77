#pragma once

#include "stephtml.h"

#include <QTextBrowser>

#include <optional>

namespace Tracelight {

// The inspector's document view: what the selected step holds, built by StepHtml. Every string from a trace is
// escaped: a prompt holding HTML or a script shows literally, no link opens, and no resource is ever fetched
// (only the thumbnails of images the step itself carries are shown).
class StepDetailView final : public QTextBrowser
{
    Q_OBJECT
public:
    explicit StepDetailView(QWidget* parent = nullptr);
    void showStep(const std::optional<StepDetail>& detail, std::optional<std::int64_t> selfTimeNs = {},
        const QString& agent = {}, StepHtml::StepFindings findings = {});
    void showTrace(const TraceSummary& trace);
    void showPlaceholder(const QString& text);
    void setMode(StepHtml::Mode mode);
    StepHtml::Mode mode() const { return m_options.mode; }
    // The HTML built for a step, for tests.
    static QString stepHtml(const StepDetail& detail, bool dark);

    // Only the step's own image thumbnails load; anything a trace names (file or remote URL) never does.
    QVariant loadResource(int type, const QUrl& name) override;

signals:
    // An assistant's tool call was clicked: the step that ran it is wanted.
    void toolCallRequested(const QString& toolCallId);

private:
    void render();
    void onAnchor(const QUrl& url);

    std::optional<StepDetail> m_detail;
    StepHtml::Options m_options;
    std::vector<StepHtml::Image> m_images;
};

} // namespace Tracelight
