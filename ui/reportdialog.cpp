#include "reportdialog.h"

#include "reportdocument.h"

#include <auditreport.h>
#include <redactor.h>
#include <reportwriter.h>
#include <tracesnapshot.h>
#include <tracestore.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace Tracelight {

struct ReportDialog::Built
{
    std::optional<AuditReport> report;
    QByteArray png;
    QString error;
};

ReportDialog::ReportDialog(const QString& databasePath, const QString& traceId, QWidget* parent)
    : QDialog(parent)
    , m_databasePath(databasePath)
    , m_traceId(traceId)
    , m_format(new QComboBox(this))
    , m_redact(
          new QCheckBox(tr("Redact e-mail addresses, phone and card numbers, keys and tokens, IP addresses"), this))
    , m_patterns(new QPlainTextEdit(this))
    , m_preview(new QTextBrowser(this))
    , m_status(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Export Report"));
    m_format->addItem(tr("PDF"), QStringLiteral("pdf"));
    m_format->addItem(tr("HTML (single file)"), QStringLiteral("html"));
    m_format->addItem(tr("Markdown"), QStringLiteral("md"));
    m_format->addItem(tr("JSON"), QStringLiteral("json"));
    m_patterns->setPlaceholderText(tr("Extra patterns to redact, one regular expression a line"));
    m_patterns->setMaximumHeight(70);
    m_preview->setOpenLinks(false);
    auto* form = new QFormLayout;
    form->addRow(tr("Format:"), m_format);
    form->addRow(QString(), m_redact);
    form->addRow(tr("Patterns:"), m_patterns);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ReportDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_redact, &QCheckBox::toggled, this, &ReportDialog::rebuild);
    // Typing a pattern rebuilds once the typing pauses.
    auto* typing = new QTimer(this);
    typing->setSingleShot(true);
    typing->setInterval(400);
    connect(typing, &QTimer::timeout, this, &ReportDialog::rebuild);
    connect(m_patterns, &QPlainTextEdit::textChanged, typing, qOverload<>(&QTimer::start));
    resize(900, 700);
    rebuild();
}

ReportDialog::~ReportDialog() = default;

void ReportDialog::rebuild()
{
    QStringList patterns;
    if (m_redact->isChecked()) {
        for (const QString& line : m_patterns->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            patterns << line.trimmed();
    }
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(false);
    m_status->setText(tr("Building the report…"));
    const bool redact = m_redact->isChecked();
    m_buildJob.run(
        [id = m_traceId.toStdString(), redact, patterns](const JobContext& job) {
            auto built = std::make_shared<Built>();
            std::optional<Redactor> redactor;
            if (redact) {
                redactor.emplace(patterns);
                if (!redactor->errors().isEmpty()) {
                    built->error = redactor->errors().join(QStringLiteral("; "));
                    return std::shared_ptr<const Built>(built);
                }
            }
            TraceStore& store = job.store();
            built->report = AuditReport::build(store, id, redactor ? &*redactor : nullptr);
            if (!built->report) {
                built->error = tr("The trace is no longer in the cache.");
                return std::shared_ptr<const Built>(built);
            }
            if (const auto summary = store.trace(id))
                built->png = ReportDocument::timelinePng(TraceSnapshot::build(*summary, store.steps(id)));
            return std::shared_ptr<const Built>(built);
        },
        [this](std::shared_ptr<const Built> built) {
            m_built = std::move(built);
            if (!m_built->report) {
                m_status->setText(m_built->error);
                m_preview->clear();
                m_previewHtml.clear();
                Q_EMIT previewUpdated();
                return;
            }
            // The preview shows the HTML report; QTextBrowser shows its markup and nothing of it runs.
            m_previewHtml = QString::fromStdString(ReportWriter::html(*m_built->report));
            m_preview->setHtml(m_previewHtml);
            m_status->setText(tr("%1 steps, integrity SHA-256 %2%3")
                                  .arg(m_built->report->steps.size())
                                  .arg(QString::fromStdString(m_built->report->integrity.hash()),
                                      m_built->report->redacted ? tr(", redacted") : QString()));
            m_buttons->button(QDialogButtonBox::Save)->setEnabled(true);
            Q_EMIT previewUpdated();
        },
        [this](const QString& error) {
            m_built.reset();
            m_status->setText(tr("Cannot build the report: %1").arg(error));
            m_preview->clear();
            m_previewHtml.clear();
            Q_EMIT previewUpdated();
        });
}

bool ReportDialog::saveTo(const QString& path, QString& error)
{
    if (!m_built || !m_built->report) {
        error = tr("The report is not ready.");
        return false;
    }
    return ReportDocument::write(*m_built->report, m_built->png, m_format->currentData().toString(), path, error);
}

void ReportDialog::save()
{
    const QString format = m_format->currentData().toString();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Report"),
        QStringLiteral("report-%1.%2").arg(m_traceId.left(12), format),
        tr("%1 (*.%2)").arg(m_format->currentText(), format));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveTo(path, error)) {
        QMessageBox::warning(this, tr("Export Report"), tr("Cannot write %1: %2").arg(path, error));
        return;
    }
    accept();
}

} // namespace Tracelight
