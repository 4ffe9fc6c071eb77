#pragma once

#include "timelinerenderer.h"

#include <findings.h>

#include <QAbstractScrollArea>

#include <memory>

namespace Tracelight {

// The timeline of one trace: one widget painting only its viewport through TimelineRenderer (house style
// point 9). Zoom with Ctrl+wheel, pinch, +/- or a drag over the ruler or the rows; pan with Shift+wheel, a
// middle-button drag or the overview strip; 0 fits the run.
class TimelineView final : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    void setTrace(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout);
    // The same run grown (live): keeps the zoom, or the fit widened to the run when the user has not zoomed, the
    // vertical scroll and the current step (by span id); marks are cleared until they are set again.
    void updateTrace(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout);
    void clear();
    const TraceSnapshotPtr& snapshot() const { return m_snapshot; }

    TimelineMode mode() const { return m_state.mode; }
    void setMode(TimelineMode mode);
    bool criticalPathVisible() const { return m_state.criticalPath; }
    void setCriticalPathVisible(bool visible);

    int currentStep() const { return m_state.current; }
    void setMatches(std::shared_ptr<const std::vector<std::uint8_t>> matches);
    const std::shared_ptr<const std::vector<std::uint8_t>>& matches() const { return m_state.matches; }
    // Marks the steps the open run's findings point at.
    void setFindings(const std::vector<Finding>& findings);
    // Bookmarks the steps with these span ids (the annotated ones).
    void setAnnotated(const std::vector<std::string>& spanIds);
    // Selects a step and scrolls it into view; emits currentStepChanged only when the step changes.
    void setCurrentStep(int step);

    const TimeAxis& axis() const { return m_state.axis; }
    void setAxis(const TimeAxis& axis);
    void zoomIn();
    void zoomOut();
    void fitToRun();
    void zoomToStep(int step);

    // The step drawn under a viewport point, -1 for none.
    int stepAt(const QPoint& viewportPoint) const;

signals:
    void currentStepChanged(int step);
    void modeChanged(TimelineMode mode);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;

private:
    enum class Drag
    {
        None,
        Pending,
        Select,
        Pan,
        Overview,
    };
    QRect area() const;
    void updateScrollBars();
    void ensureVisible(int step);
    void zoomAt(double timeX, double factor);
    void centreOverviewAt(int x);
    QString toolTipFor(int step) const;

    TraceSnapshotPtr m_snapshot;
    TimelineLayoutPtr m_layout;
    std::unique_ptr<TimelineRenderer> m_renderer;
    TimelineState m_state;
    bool m_fitted = true; // follow resizes while the user has not zoomed
    bool m_syncingScrollBars = false;
    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    QPoint m_lastPos;
};

} // namespace Tracelight
