#pragma once

#include <findings.h>

#include <QWidget>

class QLabel;
class QTableView;

namespace Tracelight {

class FindingsModel;

// The findings of the open run: what went wrong, how much it wasted, and the steps it points at. Activating a
// finding (double click, Enter) selects its first step; the steps of a finding are listed in its tooltip.
class FindingsPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit FindingsPanel(QWidget* parent = nullptr);

    void setFindings(std::vector<Finding> findings);
    void clear();
    FindingsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }

signals:
    void stepRequested(const QString& spanId);

private:
    FindingsModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_summary = nullptr;
};

} // namespace Tracelight
