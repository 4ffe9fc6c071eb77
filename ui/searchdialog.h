#pragma once

#include <jobtracker.h>

#include <QDialog>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace Tracelight {

class SearchResultModel;

// Find in the whole cache (Ctrl+Shift+F): full-text search over prompts, completions, tool arguments and
// results, run on a worker thread as the user types; opening a hit selects its run and step.
class SearchDialog final : public QDialog
{
    Q_OBJECT
public:
    SearchDialog(const QString& databasePath, QWidget* parent = nullptr);

    void setQuery(const QString& text);
    SearchResultModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }

signals:
    void stepRequested(const QString& traceId, const QString& spanId);
    void searchFinished(int hits);

private:
    void runSearch();
    void openCurrent();

    QString m_databasePath;
    QLineEdit* m_edit = nullptr;
    QLabel* m_status = nullptr;
    QTableView* m_view = nullptr;
    SearchResultModel* m_model = nullptr;
    QTimer* m_debounce = nullptr;
    JobTracker m_searchJob { this, m_databasePath.toStdString() };
};

} // namespace Tracelight
