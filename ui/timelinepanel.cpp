#include "timelinepanel.h"

#include "kindstyle.h"
#include "timelineview.h"

#include <format.h>

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QToolBar>
#include <QVBoxLayout>

#include <array>

namespace Tracelight {

// A row of colour chips for the kinds present in the trace, plus the error marker: the timeline's legend.
class TimelineLegend final : public QWidget
{
public:
    explicit TimelineLegend(QWidget* parent = nullptr)
        : QWidget(parent)
    {
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }

    void setTrace(const TraceSnapshot* snapshot)
    {
        m_kinds.fill(false);
        m_errors = false;
        if (snapshot) {
            for (const StepRecord& s : snapshot->steps()) {
                m_kinds[std::size_t(s.kind)] = true;
                m_errors = m_errors || s.status == StepStatus::Error;
            }
        }
        update();
    }

    QSize sizeHint() const override { return { 200, fontMetrics().height() + 8 }; }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter painter(this);
        const bool dark = palette().color(QPalette::Base).lightness() < 128;
        int x = 8;
        const int h = height();
        const auto chip = [&](const QColor& colour, const QString& label, bool frame) {
            const QRect box(x, h / 2 - 5, 10, 10);
            if (frame) {
                painter.setPen(QPen(colour, 2));
                painter.setBrush(Qt::NoBrush);
                painter.drawRect(box.adjusted(1, 1, -1, -1));
            } else {
                painter.fillRect(box, colour);
            }
            painter.setPen(palette().color(QPalette::WindowText));
            const int w = fontMetrics().horizontalAdvance(label);
            painter.drawText(QRect(x + 15, 0, w + 2, h), Qt::AlignVCenter | Qt::AlignLeft, label);
            x += 15 + w + 16;
        };
        for (int k = 0; k < StepKindCount; ++k) {
            if (m_kinds[std::size_t(k)])
                chip(KindStyle::color(StepKind(k), dark), Format::kindLabel(StepKind(k)), false);
        }
        if (m_errors)
            chip(KindStyle::errorColor(dark), tr("Error"), true);
    }

private:
    std::array<bool, StepKindCount> m_kinds {};
    bool m_errors = false;
};

TimelinePanel::TimelinePanel(QWidget* parent)
    : QWidget(parent)
{
    m_view = new TimelineView;
    m_legend = new TimelineLegend;

    auto* bar = new QToolBar;
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->setIconSize(QSize(16, 16));
    m_modeCombo = new QComboBox;
    m_modeCombo->addItem(tr("Waterfall"), int(TimelineMode::Waterfall));
    m_modeCombo->addItem(tr("Flame"), int(TimelineMode::Flame));
    m_modeCombo->setToolTip(tr("Waterfall: one row per step in causal order. Flame: steps stacked under their "
                               "parents (Ctrl+1 / Ctrl+2)"));
    bar->addWidget(m_modeCombo);
    connect(m_modeCombo, &QComboBox::currentIndexChanged, this,
        [this](int index) { m_view->setMode(TimelineMode(m_modeCombo->itemData(index).toInt())); });
    for (const auto& [key, mode] : { std::pair { Qt::CTRL | Qt::Key_1, 0 }, std::pair { Qt::CTRL | Qt::Key_2, 1 } }) {
        auto* action = new QAction(this);
        action->setShortcut(QKeySequence(key));
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, [this, mode = mode] { m_modeCombo->setCurrentIndex(mode); });
        addAction(action);
    }

    const auto addViewAction = [&](const QString& text, const QString& tip, const QKeySequence& key, auto slot) {
        auto* action = bar->addAction(text);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, m_view, slot);
        addAction(action);
        return action;
    };
    addViewAction(tr("Fit"), tr("Fit the whole run"), QKeySequence(Qt::Key_0), &TimelineView::fitToRun);
    addViewAction(tr("+"), tr("Zoom in; Ctrl+wheel or drag over a range to zoom there"), QKeySequence(Qt::Key_Plus),
        &TimelineView::zoomIn);
    addViewAction(tr("−"), tr("Zoom out"), QKeySequence(Qt::Key_Minus), &TimelineView::zoomOut);
    m_criticalAction = bar->addAction(tr("Critical path"));
    m_criticalAction->setCheckable(true);
    m_criticalAction->setShortcut(QKeySequence(Qt::Key_C));
    m_criticalAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_criticalAction->setToolTip(tr("Highlight the chain of steps that set the run's end-to-end latency, with "
                                    "self time per step (C)"));
    connect(m_criticalAction, &QAction::toggled, m_view, &TimelineView::setCriticalPathVisible);
    addAction(m_criticalAction);
    bar->addSeparator();

    using Move = StepNavigator::Move;
    addMove(bar, tr("◀ Prev"), tr("Previous step in causal order"), QKeySequence(Qt::Key_Up), Move::Previous);
    addMove(bar, tr("Next ▶"), tr("Next step in causal order"), QKeySequence(Qt::Key_Down), Move::Next);
    addMove(bar, tr("Parent"), tr("Out to the parent step"), QKeySequence(Qt::Key_Left), Move::Parent);
    addMove(bar, tr("Child"), tr("Into the first child step"), QKeySequence(Qt::Key_Right), Move::FirstChild);
    bar->addSeparator();
    addMove(bar, tr("Error ▶"), tr("Next error"), QKeySequence(Qt::Key_E), Move::NextError);
    addMove(bar, tr("LLM ▶"), tr("Next LLM call"), QKeySequence(Qt::Key_L), Move::NextLlm);
    addMove(bar, tr("Tool ▶"), tr("Next tool call"), QKeySequence(Qt::Key_T), Move::NextTool);
    // The backward searches have keys but no buttons: the toolbar stays short.
    addMove(nullptr, {}, {}, QKeySequence(Qt::SHIFT | Qt::Key_E), Move::PreviousError);
    addMove(nullptr, {}, {}, QKeySequence(Qt::SHIFT | Qt::Key_L), Move::PreviousLlm);
    addMove(nullptr, {}, {}, QKeySequence(Qt::SHIFT | Qt::Key_T), Move::PreviousTool);
    addMove(nullptr, {}, {}, QKeySequence(Qt::Key_Home), Move::First);
    addMove(nullptr, {}, {}, QKeySequence(Qt::Key_End), Move::Last);

    m_position = new QLabel;
    m_position->setContentsMargins(12, 0, 8, 0);
    auto* spacer = new QWidget;
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    bar->addWidget(m_position);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_legend);
    layout->addWidget(m_view, 1);

    connect(m_view, &TimelineView::currentStepChanged, this, [this](int step) {
        updatePosition();
        emit currentStepChanged(step);
    });
    setTrace(nullptr, nullptr);
}

QAction* TimelinePanel::addMove(
    QToolBar* bar, const QString& text, const QString& tip, const QKeySequence& key, StepNavigator::Move move)
{
    auto* action = new QAction(text, this);
    action->setShortcut(key);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    if (!tip.isEmpty())
        action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    connect(action, &QAction::triggered, this, [this, move] { step(move); });
    // On the panel too: the shortcut context is the widgets an action is in, and the keys must work wherever
    // the focus is inside the panel, not only on the toolbar.
    addAction(action);
    if (bar)
        bar->addAction(action);
    m_moves.append(action);
    return action;
}

void TimelinePanel::updateTrace(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout)
{
    showTrace(std::move(snapshot), std::move(layout), true);
}

void TimelinePanel::setTrace(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout)
{
    showTrace(std::move(snapshot), std::move(layout), false);
}

void TimelinePanel::showTrace(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout, bool grown)
{
    if (snapshot)
        m_navigator.emplace(snapshot);
    else
        m_navigator.reset();
    m_legend->setTrace(snapshot.get());
    if (grown)
        m_view->updateTrace(std::move(snapshot), std::move(layout));
    else
        m_view->setTrace(std::move(snapshot), std::move(layout));
    for (QAction* action : std::as_const(m_moves))
        action->setEnabled(m_navigator.has_value());
    updatePosition();
}

void TimelinePanel::clear()
{
    setTrace(nullptr, nullptr);
}

void TimelinePanel::setCurrentStep(int step)
{
    m_view->setCurrentStep(step);
}

int TimelinePanel::currentStep() const
{
    return m_view->currentStep();
}

void TimelinePanel::step(StepNavigator::Move move)
{
    if (!m_navigator)
        return;
    const int target = m_navigator->move(m_view->currentStep(), move);
    if (target >= 0)
        m_view->setCurrentStep(target);
}

QString TimelinePanel::positionText() const
{
    return m_position->text();
}

void TimelinePanel::updatePosition()
{
    if (!m_navigator) {
        m_position->clear();
        return;
    }
    const int current = m_view->currentStep();
    m_position->setText(current < 0
            ? Format::count(m_navigator->count(), tr("step"), tr("steps"))
            : tr("Step %1 of %2")
                  .arg(Format::tokens(m_navigator->position(current) + 1), Format::tokens(m_navigator->count())));
}

} // namespace Tracelight
