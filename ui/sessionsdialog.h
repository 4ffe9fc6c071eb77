#pragma once

#include <jobtracker.h>

#include <QDialog>
#include <QStringList>

#include <atomic>
#include <memory>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace Tracelight {

class SessionListModel;

// File → Open Coding-Agent Sessions…: the sessions Claude Code, Codex CLI and Gemini CLI left in their usual
// folders, with project, start, first prompt, size and whether the cache has them already. The folders are scanned
// on a worker thread, reading only the head of each file; the chosen sessions are imported by the caller.
class SessionsDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit SessionsDialog(QString databasePath, QWidget* parent = nullptr);
    ~SessionsDialog() override;

    // Scans the folders again (the dialog scans once when it opens).
    void rescan();
    QStringList selectedPaths() const;
    // Selects the sessions not imported yet and those that grew since.
    void selectNew();
    SessionListModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }

signals:
    void scanFinished(int sessions);

private:
    void updateSelectionSummary();

    QString m_databasePath;
    SessionListModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_locations = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_overlay = nullptr;
    QLineEdit* m_filter = nullptr;
    QCheckBox* m_hideImported = nullptr;
    QPushButton* m_selectNew = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    JobTracker m_scanJob { this, m_databasePath.toStdString() };
};

} // namespace Tracelight
