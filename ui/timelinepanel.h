#pragma once

#include "timelinerenderer.h"

#include <stepnavigator.h>

#include <QWidget>

#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QToolBar;

namespace Tracelight {

class TimelineLegend;
class TimelineView;

// The timeline with its toolbar: view mode, zoom, critical path, and the debugger-like stepping moves, each an
// action with a shortcut that works while the panel has focus and a tooltip that names its key.
class TimelinePanel final : public QWidget
{
    Q_OBJECT
public:
    explicit TimelinePanel(QWidget* parent = nullptr);

    void setTrace(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout);
    // The same run grown (live): the view keeps its zoom, scroll and current step.
    void updateTrace(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout);
    void clear();
    void setCurrentStep(int step);
    int currentStep() const;
    TimelineView* view() const { return m_view; }
    // Applies one stepping move to the current step.
    void step(StepNavigator::Move move);
    QString positionText() const;

signals:
    void currentStepChanged(int step);

private:
    // grown: the same run with more steps (the view keeps its place), else another run.
    void showTrace(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout, bool grown);
    QAction* addMove(
        QToolBar* bar, const QString& text, const QString& tip, const QKeySequence& key, StepNavigator::Move move);
    void updatePosition();

    TimelineView* m_view = nullptr;
    TimelineLegend* m_legend = nullptr;
    QComboBox* m_modeCombo = nullptr;
    QAction* m_criticalAction = nullptr;
    QLabel* m_position = nullptr;
    std::optional<StepNavigator> m_navigator;
    QList<QAction*> m_moves;
};

} // namespace Tracelight
