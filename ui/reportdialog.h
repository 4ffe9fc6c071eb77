#pragma once

#include <jobtracker.h>

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;
class QTextBrowser;

namespace Tracelight {

struct AuditReport;

// File → Export Report…: the format, redaction and its extra patterns, a preview of the HTML report, and Save.
// The report is built on a worker thread with its own read-only connection; a rebuild that a newer one overtook is
// dropped (generation number).
class ReportDialog final : public QDialog
{
    Q_OBJECT
public:
    ReportDialog(const QString& databasePath, const QString& traceId, QWidget* parent = nullptr);
    ~ReportDialog() override;

    // For tests: the preview's HTML source and the format chosen.
    QString previewHtml() const { return m_previewHtml; }
    QComboBox* formatBox() const { return m_format; }
    QCheckBox* redactBox() const { return m_redact; }
    QPlainTextEdit* patternsEdit() const { return m_patterns; }

    // Writes the current report to path in the chosen format; false with error on failure.
    bool saveTo(const QString& path, QString& error);

Q_SIGNALS:
    void previewUpdated();

private:
    struct Built;
    void rebuild();
    void save();

    QString m_databasePath;
    QString m_traceId;
    QComboBox* m_format;
    QCheckBox* m_redact;
    QPlainTextEdit* m_patterns;
    QTextBrowser* m_preview;
    QLabel* m_status;
    QDialogButtonBox* m_buttons;
    QString m_previewHtml;
    std::shared_ptr<const Built> m_built;
    JobTracker m_buildJob { this, m_databasePath.toStdString() };
};

} // namespace Tracelight
