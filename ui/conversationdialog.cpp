#include "conversationdialog.h"

#include "stephtml.h"
#include "theme.h"

#include <format.h>
#include <kindstyle.h>
#include <utf8.h>

#include <QDialogButtonBox>
#include <QLabel>
#include <QScrollBar>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace Tracelight {

namespace {

QString text(const std::string& value)
{
    QString html = Format::fromUtf8(Utf8::visible(value)).toHtmlEscaped();
    html.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return html;
}

} // namespace

ConversationDialog::ConversationDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Conversation"));
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel;
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    m_view = new QTextBrowser;
    m_view->setOpenLinks(false);
    connect(m_view, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        // tracelight:turn/TRACE/SPAN opens a step, tracelight:steps/N folds turn N's steps out or in.
        const QStringList parts = url.path().split(QLatin1Char('/'));
        if (url.scheme() != QLatin1String("tracelight"))
            return;
        if (parts.size() == 3 && parts.front() == QLatin1String("turn"))
            emit stepRequested(
                QUrl::fromPercentEncoding(parts.at(1).toUtf8()), QUrl::fromPercentEncoding(parts.at(2).toUtf8()));
        else if (parts.size() == 2 && parts.front() == QLatin1String("steps"))
            toggleSteps(parts.at(1).toInt());
    });
    layout->addWidget(m_view, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 680);
}

void ConversationDialog::setLoading(const QString& sessionId)
{
    m_title->setText(tr("Session %1").arg(sessionId));
    m_view->setHtml(QStringLiteral("<p>%1</p>").arg(tr("Reading the session…")));
}

void ConversationDialog::setTranscript(const QString& sessionId, const std::vector<Sessions::Turn>& turns)
{
    std::int64_t runs = 0;
    std::string last;
    for (const Sessions::Turn& t : turns) {
        runs += t.traceId != last ? 1 : 0;
        last = t.traceId;
    }
    m_title->setText(tr("Session %1: %2 in %3")
                         .arg(sessionId, Format::count(std::int64_t(turns.size()), tr("turn"), tr("turns")),
                             Format::count(runs, tr("run"), tr("runs"))));
    m_sessionId = sessionId;
    m_turns = turns;
    m_unfolded.clear();
    render();
}

void ConversationDialog::toggleSteps(int turn)
{
    if (!m_unfolded.erase(turn))
        m_unfolded.insert(turn);
    render();
}

void ConversationDialog::render()
{
    const int scroll = m_view->verticalScrollBar()->value();
    m_view->setHtml(transcriptHtml(m_sessionId, m_turns, Theme::isDark(), m_unfolded));
    m_view->verticalScrollBar()->setValue(scroll);
}

QString ConversationDialog::html() const
{
    return m_view->toHtml();
}

QString ConversationDialog::transcriptHtml(
    const QString& sessionId, const std::vector<Sessions::Turn>& turns, bool dark, const std::set<int>& unfolded)
{
    const QString user = dark ? QStringLiteral("#1e3a5f") : QStringLiteral("#e0ecff");
    const QString answer = dark ? QStringLiteral("#2a2a2a") : QStringLiteral("#f3f4f6");
    QString html = StepHtml::style(dark);
    if (turns.empty())
        return html
            + QStringLiteral("<p>%1</p>")
                  .arg(tr("No run of session %1 is in the cache.").arg(sessionId.toHtmlEscaped()));
    for (const Sessions::Turn& t : turns) {
        QString facts
            = QStringLiteral("%1 · %2 · %3 · %4")
                  .arg(Format::timestamp(t.startNs), Format::duration(t.endNs - t.startNs),
                      Format::count(t.steps, tr("step"), tr("steps")), tr("%1 tokens").arg(Format::tokens(t.tokens)));
        if (t.costUsd)
            facts += QStringLiteral(" · ") + Format::cost(t.costUsd);
        if (t.errors)
            facts += QStringLiteral(" · <span class='err'>%1</span>")
                         .arg(Format::count(t.errors, tr("error"), tr("errors")));
        html += QStringLiteral("<h3>%1 <span class='note'>%2 · <a href='tracelight:turn/%3/%4'>%5</a></span></h3>")
                    .arg(tr("Turn %1").arg(t.number), facts,
                        QString::fromUtf8(QUrl::toPercentEncoding(Format::fromUtf8(t.traceId))),
                        QString::fromUtf8(QUrl::toPercentEncoding(Format::fromUtf8(t.spanId))), tr("open"));
        html += QStringLiteral("<table width='100%' cellpadding='6'><tr><td bgcolor='%1'><b>%2</b><br>%3</td></tr>")
                    .arg(user, tr("User"), t.user.empty() ? tr("(no message recorded)") : text(t.user));
        html += QStringLiteral("<tr><td bgcolor='%1'><b>%2</b><br>%3</td></tr></table>")
                    .arg(answer, tr("Answer"), t.answer.empty() ? tr("(no answer recorded)") : text(t.answer));
        for (const Finding& f : t.findings)
            html += QStringLiteral("<p class='finding'>● %1: %2</p>")
                        .arg(QString::fromLatin1(findingKindName(f.kind)).replace(QLatin1Char('_'), QLatin1Char(' ')),
                            text(f.message));
        // The turn's steps, folded until asked for; each opens in the window.
        const bool open = unfolded.count(t.number) > 0;
        html += QStringLiteral("<p class='note'><a href='tracelight:steps/%1'>%2 %3</a></p>")
                    .arg(t.number)
                    .arg(open ? QStringLiteral("▾") : QStringLiteral("▸"),
                        Format::count(t.steps, tr("step"), tr("steps")));
        if (!open)
            continue;
        const QString trace = QString::fromUtf8(QUrl::toPercentEncoding(Format::fromUtf8(t.traceId)));
        html += QStringLiteral("<table cellspacing='0' cellpadding='1'>");
        for (const Sessions::Turn::Step& s : t.outline) {
            html
                += QStringLiteral("<tr><td>%1<span style='color:%2'>■</span> <a href='tracelight:turn/%3/%4'>%5</a>"
                                  "</td><td align='right' class='note'>&nbsp;&nbsp;%6</td><td>%7</td></tr>")
                       .arg(QStringLiteral("&nbsp;&nbsp;&nbsp;").repeated(s.depth),
                           KindStyle::color(s.kind, dark).name(), trace,
                           QString::fromUtf8(QUrl::toPercentEncoding(Format::fromUtf8(s.spanId))),
                           text(Utf8::oneLine(s.name, 120)), Format::duration(s.durationNs),
                           s.failed ? QStringLiteral("&nbsp;<span class='err'>%1</span>").arg(tr("error")) : QString());
        }
        html += QStringLiteral("</table>");
        if (t.steps > std::int64_t(t.outline.size()))
            html += QStringLiteral("<p class='note'>%1</p>")
                        .arg(tr("The first %1 of %2 steps; open the turn for all of them.")
                                 .arg(t.outline.size())
                                 .arg(t.steps));
    }
    return html;
}

} // namespace Tracelight
