#pragma once

#include <findings.h>
#include <jobtracker.h>

#include <runcomparison.h>
#include <timelinelayout.h>

#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QTableView;
class QTextBrowser;

namespace Tracelight {

class AlignmentModel;
class ComparisonSummaryModel;
class TimelineView;

// Two runs side by side: the summary of deltas, the aligned steps (same / changed / added / removed), both
// timelines on a shared time scale, and a split inspector with a word-level diff of the selected pair. The
// comparison is computed in model/ on a worker thread (RunComparison); this window only shows it.
class CompareWindow final : public QWidget
{
    Q_OBJECT
public:
    CompareWindow(const QString& databasePath, const QString& traceA, const QString& traceB, QWidget* parent = nullptr);

    AlignmentModel* alignmentModel() const { return m_alignment; }
    ComparisonSummaryModel* summaryModel() const { return m_summary; }
    // Findings of B that A has nothing like; -1 until loaded.
    int newFindingCount() const { return m_newFindingCount; }
    QString newFindingsText() const;
    QTableView* alignmentView() const { return m_alignmentView; }
    QTextBrowser* diffView() const { return m_diff; }
    TimelineView* timelineA() const { return m_timelineA; }
    TimelineView* timelineB() const { return m_timelineB; }
    void selectPair(int row);

signals:
    void loaded();
    void pairShown();
    // Open a step of one of the runs in the main window.
    void stepRequested(const QString& traceId, const QString& spanId);

private:
    void load();
    void applyTimeScale();
    void showPair(int row);
    void showNewFindings(const std::vector<Finding>& findings);

    QString m_databasePath;
    QString m_traceA;
    QString m_traceB;
    std::shared_ptr<const RunComparison> m_comparison;
    TimelineLayoutPtr m_layoutA;
    TimelineLayoutPtr m_layoutB;
    AlignmentModel* m_alignment = nullptr;
    ComparisonSummaryModel* m_summary = nullptr;
    QLabel* m_header = nullptr;
    QLabel* m_newFindings = nullptr; // what B does wrong that A did not
    int m_newFindingCount = -1;
    QLabel* m_labelA = nullptr;
    QLabel* m_labelB = nullptr;
    QCheckBox* m_sharedScale = nullptr;
    QTableView* m_summaryView = nullptr;
    QTableView* m_alignmentView = nullptr;
    TimelineView* m_timelineA = nullptr;
    TimelineView* m_timelineB = nullptr;
    QTextBrowser* m_diff = nullptr;
    JobTracker m_loadJob { this, m_databasePath.toStdString() };
    JobTracker m_pairJob { this, m_databasePath.toStdString() };
    bool m_syncing = false;
};

} // namespace Tracelight
