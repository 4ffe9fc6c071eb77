#pragma once

#include <toolcalls.h>

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace Tracelight {

class ToolCallModel;
class ToolSummaryModel;

// The tool calls of the open run: a per-tool summary above every call. Sortable, filterable, copyable (Ctrl+C) and
// exportable as CSV; activating a call selects its step.
class ToolCallPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit ToolCallPanel(QWidget* parent = nullptr);

    void setCalls(std::vector<ToolCallRow> calls, std::int64_t runDurationNs);
    void clear();
    ToolCallModel* callModel() const { return m_calls; }
    ToolSummaryModel* summaryModel() const { return m_summary; }
    QTableView* callView() const { return m_callView; }
    // The calls shown (filter and sort applied) as CSV.
    QString callsCsv() const;
    void exportCsv();
    void copySelection();

signals:
    void stepActivated(int step);

private:
    ToolCallModel* m_calls = nullptr;
    ToolSummaryModel* m_summary = nullptr;
    QSortFilterProxyModel* m_callProxy = nullptr;
    QSortFilterProxyModel* m_summaryProxy = nullptr;
    QTableView* m_callView = nullptr;
    QTableView* m_summaryView = nullptr;
    QLineEdit* m_filter = nullptr;
    QLabel* m_count = nullptr;
};

} // namespace Tracelight
