#pragma once

#include <jobtracker.h>

#include <tracesnapshot.h>

#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QLineEdit;
class QTimer;

namespace Tracelight {

// Find in the open trace (Ctrl+F): matches step names, models, tools and error messages at once, and prompts,
// completions, tool arguments and results through the cache's full-text index on a worker thread. Enter / F3
// go to the next match in causal order, Shift+Enter / Shift+F3 to the previous one, Esc closes.
class FindBar final : public QWidget
{
    Q_OBJECT
public:
    using Matches = std::shared_ptr<const std::vector<std::uint8_t>>; // one flag per step

    FindBar(const QString& databasePath, QWidget* parent = nullptr);

    void setTrace(TraceSnapshotPtr snapshot);
    void activate(); // show, focus, select the text
    void setText(const QString& text);
    int matchCount() const { return int(m_order.size()); }
    QString statusText() const;
    void next();
    void previous();
    void setCurrentStep(int step) { m_current = step; }

signals:
    void matchesChanged(const Tracelight::FindBar::Matches& matches);
    void stepRequested(int step);
    void closed();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void search();
    void setMatches(std::vector<std::uint8_t> flags);
    void go(int direction);

    QString m_databasePath;
    TraceSnapshotPtr m_snapshot;
    QLineEdit* m_edit = nullptr;
    QLabel* m_status = nullptr;
    QTimer* m_debounce = nullptr;
    std::vector<int> m_order; // matching steps in causal order
    std::vector<int> m_position; // causal position of each step
    int m_current = -1;
    JobTracker m_searchJob { this, m_databasePath.toStdString() };
};

} // namespace Tracelight
