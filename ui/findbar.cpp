#include "findbar.h"

#include <tracesearch.h>
#include <tracestore.h>

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace Tracelight {

FindBar::FindBar(const QString& databasePath, QWidget* parent)
    : QWidget(parent)
    , m_databasePath(databasePath)
{
    m_edit = new QLineEdit;
    m_edit->setPlaceholderText(tr("Find in this run: step names, models, tools, errors, prompts and results"));
    m_edit->setClearButtonEnabled(true);
    m_status = new QLabel;
    m_status->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("1,234 of 12,345")) + 8);
    m_status->setAlignment(Qt::AlignCenter);
    auto* previousButton = new QToolButton;
    previousButton->setText(QStringLiteral("▲"));
    previousButton->setToolTip(tr("Previous match (Shift+Enter, Shift+F3)"));
    auto* nextButton = new QToolButton;
    nextButton->setText(QStringLiteral("▼"));
    nextButton->setToolTip(tr("Next match (Enter, F3)"));
    auto* closeButton = new QToolButton;
    closeButton->setText(QStringLiteral("✕"));
    closeButton->setToolTip(tr("Close (Esc)"));
    closeButton->setAutoRaise(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_status);
    layout->addWidget(previousButton);
    layout->addWidget(nextButton);
    layout->addWidget(closeButton);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150);
    connect(m_debounce, &QTimer::timeout, this, &FindBar::search);
    connect(m_edit, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(previousButton, &QToolButton::clicked, this, &FindBar::previous);
    connect(nextButton, &QToolButton::clicked, this, &FindBar::next);
    connect(closeButton, &QToolButton::clicked, this, [this] {
        hide();
        emit closed();
    });
}

void FindBar::setTrace(TraceSnapshotPtr snapshot)
{
    m_snapshot = std::move(snapshot);
    m_current = -1;
    m_position.clear();
    if (m_snapshot) {
        m_position.assign(std::size_t(m_snapshot->size()), 0);
        const std::vector<int>& causal = m_snapshot->causalOrder();
        for (std::size_t r = 0; r < causal.size(); ++r)
            m_position[std::size_t(causal[r])] = int(r);
    }
    search();
}

void FindBar::activate()
{
    show();
    m_edit->setFocus();
    m_edit->selectAll();
}

void FindBar::setText(const QString& text)
{
    m_edit->setText(text);
    m_debounce->stop();
    search();
}

QString FindBar::statusText() const
{
    return m_status->text();
}

void FindBar::search()
{
    m_searchJob.cancel(); // the texts of an older search must not land on this one
    const QString text = m_edit->text().trimmed();
    if (!m_snapshot || text.isEmpty()) {
        m_order.clear();
        m_status->clear();
        emit matchesChanged(nullptr);
        return;
    }
    // The light fields first, at once; the texts in the cache follow from a worker thread.
    std::vector<std::uint8_t> flags(std::size_t(m_snapshot->size()), 0);
    const auto contains = [&](const std::string& haystack) {
        return !haystack.empty() && QString::fromUtf8(haystack).contains(text, Qt::CaseInsensitive);
    };
    for (int i = 0; i < m_snapshot->size(); ++i) {
        const StepRecord& s = m_snapshot->step(i);
        flags[std::size_t(i)] = contains(s.name) || contains(s.model) || contains(s.toolName)
            || contains(s.statusMessage) || contains(s.agentName) || s.spanId == text.toStdString();
    }
    setMatches(flags);
    m_searchJob.run(
        [traceId = m_snapshot->summary().traceId, query = text.toStdString()](
            const JobContext& job) { return TraceSearch::matchingSteps(job.store().database(), traceId, query); },
        [this, flags = std::move(flags)](const std::vector<std::string>& spans) mutable {
            if (!m_snapshot)
                return;
            for (const std::string& span : spans) {
                const int i = m_snapshot->indexOf(span);
                if (i >= 0)
                    flags[std::size_t(i)] = 1;
            }
            setMatches(std::move(flags));
        },
        [this](const QString& error) {
            // The names, models and tools matched already; say that prompts and results were not searched.
            m_status->setToolTip(tr("Prompts and results were not searched: %1").arg(error));
        });
}

void FindBar::setMatches(std::vector<std::uint8_t> flags)
{
    m_order.clear();
    for (const int i : m_snapshot->causalOrder()) {
        if (flags[std::size_t(i)])
            m_order.push_back(i);
    }
    if (m_order.empty())
        m_status->setText(tr("No match"));
    else
        m_status->setText(tr("%n match(es)", nullptr, int(m_order.size())));
    emit matchesChanged(std::make_shared<const std::vector<std::uint8_t>>(std::move(flags)));
}

void FindBar::go(int direction)
{
    if (m_order.empty())
        return;
    // The first match after (or before) the current step in causal order, wrapping around.
    const int here = m_current >= 0 && m_current < int(m_position.size()) ? m_position[std::size_t(m_current)] : -1;
    std::size_t target;
    if (direction > 0) {
        const auto it = std::find_if(
            m_order.begin(), m_order.end(), [&](int step) { return m_position[std::size_t(step)] > here; });
        target = it == m_order.end() ? 0 : std::size_t(it - m_order.begin());
    } else {
        const auto it = std::find_if(m_order.rbegin(), m_order.rend(),
            [&](int step) { return here < 0 || m_position[std::size_t(step)] < here; });
        target = it == m_order.rend() ? m_order.size() - 1 : std::size_t(m_order.rend() - it - 1);
    }
    m_current = m_order[target];
    m_status->setText(tr("%1 of %2").arg(target + 1).arg(m_order.size()));
    emit stepRequested(m_current);
}

void FindBar::next()
{
    go(1);
}

void FindBar::previous()
{
    go(-1);
}

void FindBar::keyPressEvent(QKeyEvent* event)
{
    const bool back = event->modifiers() & Qt::ShiftModifier;
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_F3:
        back ? previous() : next();
        return;
    case Qt::Key_Escape:
        hide();
        emit closed();
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}
} // namespace Tracelight
