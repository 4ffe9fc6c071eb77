#include "stepdetailview.h"

#include "theme.h"

#include "uilogging.h"

#include <QImage>
#include <QScrollBar>
#include <QTextDocument>
#include <QUrl>

namespace Tracelight {

StepDetailView::StepDetailView(QWidget* parent)
    : QTextBrowser(parent)
{
    // Trace content is untrusted: nothing opens by itself; our own links (fold, tool call) are handled here.
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setReadOnly(true);
    connect(this, &QTextBrowser::anchorClicked, this, &StepDetailView::onAnchor);
    showPlaceholder(tr("Select a step to see what the model saw and said."));
}

void StepDetailView::showPlaceholder(const QString& text)
{
    m_detail.reset();
    setHtml(QStringLiteral("<p style='color:gray'>%1</p>").arg(text.toHtmlEscaped()));
}

void StepDetailView::showTrace(const TraceSummary& trace)
{
    m_detail.reset();
    setHtml(StepHtml::traceHtml(trace, Theme::isDark()));
}

void StepDetailView::showStep(const std::optional<StepDetail>& detail, std::optional<std::int64_t> selfTimeNs,
    const QString& agent, StepHtml::StepFindings findings)
{
    if (!detail) {
        showPlaceholder(tr("This step is no longer in the cache."));
        return;
    }
    m_detail = detail;
    m_options.expanded.clear();
    m_options.selfTimeNs = selfTimeNs;
    m_options.agent = agent;
    m_options.findings = std::move(findings);
    render();
    verticalScrollBar()->setValue(0);
}

void StepDetailView::setMode(StepHtml::Mode mode)
{
    m_options.mode = mode;
    if (m_detail) {
        m_options.expanded.clear();
        render();
    }
}

void StepDetailView::render()
{
    if (!m_detail)
        return;
    const int scroll = verticalScrollBar()->value();
    m_options.dark = Theme::isDark();
    StepHtml::Result result;
    try {
        result = StepHtml::render(*m_detail, m_options);
    } catch (const std::exception& error) {
        // Malformed content must never take the window down: say so and show nothing half-built.
        qCWarning(lcUi) << "cannot render step" << m_detail->record.spanId.c_str() << error.what();
        result.html = QStringLiteral("<p>%1</p>")
                          .arg(tr("This step's content could not be shown: %1")
                                   .arg(QString::fromUtf8(error.what()))
                                   .toHtmlEscaped());
    }
    m_images = std::move(result.images);
    setHtml(result.html);
    verticalScrollBar()->setValue(scroll);
}

void StepDetailView::onAnchor(const QUrl& url)
{
    if (url.scheme() != QLatin1String("tracelight"))
        return; // a link from the trace: inert
    const QString path = url.path();
    if (path.startsWith(QLatin1String("expand/"))) {
        bool ok = false;
        const int block = path.mid(7).toInt(&ok);
        if (ok) {
            m_options.expanded.insert(block);
            render();
        }
    } else if (path.startsWith(QLatin1String("toolcall/"))) {
        emit toolCallRequested(QUrl::fromPercentEncoding(path.mid(9).toUtf8()));
    }
}

QVariant StepDetailView::loadResource(int type, const QUrl& name)
{
    if (type == QTextDocument::ImageResource && name.scheme() == QLatin1String("tracelight-image")) {
        bool ok = false;
        const int index = name.path().toInt(&ok);
        if (ok && index >= 0 && index < int(m_images.size())) {
            QImage image;
            if (image.loadFromData(m_images[std::size_t(index)].data))
                return image.scaledToWidth(std::min(160, image.width()), Qt::SmoothTransformation);
        }
    }
    // Anything else (a remote or local image named by a trace's Markdown) is never loaded.
    return {};
}

QString StepDetailView::stepHtml(const StepDetail& detail, bool dark)
{
    StepHtml::Options options;
    options.dark = dark;
    return StepHtml::build(detail, options);
}

} // namespace Tracelight
