#include "annotationdialog.h"

#include <format.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Tracelight {

namespace {

const QString LabelsKey = QStringLiteral("annotations/labels");

} // namespace

QStringList AnnotationDialog::labels()
{
    QStringList defaults;
    for (const std::string& label : defaultAnnotationLabels())
        defaults << QString::fromStdString(label);
    return QSettings().value(LabelsKey, defaults).toStringList();
}

void AnnotationDialog::setLabels(const QStringList& labels)
{
    QSettings().setValue(LabelsKey, labels);
}

AnnotationDialog::AnnotationDialog(const Annotation& current, const QString& target, QWidget* parent)
    : QDialog(parent)
    , m_annotation(current)
{
    setWindowTitle(tr("Annotate"));
    auto* layout = new QVBoxLayout(this);
    auto* heading = new QLabel(tr("Annotation by <b>%1</b> on %2")
                                   .arg(Format::fromUtf8(current.author).toHtmlEscaped(), target.toHtmlEscaped()));
    heading->setTextFormat(Qt::RichText);
    heading->setWordWrap(true);
    layout->addWidget(heading);

    auto* form = new QFormLayout;
    m_label = new QComboBox;
    m_label->setEditable(true);
    m_label->addItem(QString());
    m_label->addItems(labels());
    m_label->setCurrentText(Format::fromUtf8(current.label));
    m_label->setToolTip(tr("A label from your set, or a new one (it joins the set); empty for none"));
    form->addRow(tr("&Label:"), m_label);
    m_rating = new QSpinBox;
    m_rating->setRange(0, 5);
    m_rating->setSpecialValueText(tr("none"));
    m_rating->setSuffix(tr(" of 5"));
    m_rating->setValue(current.rating.value_or(0));
    form->addRow(tr("&Rating:"), m_rating);
    m_note = new QPlainTextEdit;
    m_note->setPlainText(Format::fromUtf8(current.note));
    m_note->setTabChangesFocus(true);
    m_note->setPlaceholderText(tr("What you found (plain text)"));
    form->addRow(tr("&Note:"), m_note);
    layout->addLayout(form);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    if (!current.empty()) {
        QPushButton* remove = buttons->addButton(tr("&Delete"), QDialogButtonBox::DestructiveRole);
        connect(remove, &QPushButton::clicked, this, [this] { done(Deleted); });
    }
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        const QString label = m_label->currentText().trimmed();
        if (!label.isEmpty()) {
            QStringList set = labels();
            if (!set.contains(label)) {
                set << label;
                setLabels(set);
            }
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    m_label->setFocus();
    resize(460, 320);
}

Annotation AnnotationDialog::annotation() const
{
    Annotation a = m_annotation;
    a.label = m_label->currentText().trimmed().toStdString();
    a.rating = m_rating->value() > 0 ? std::optional<int>(m_rating->value()) : std::nullopt;
    a.note = m_note->toPlainText().toStdString();
    return a;
}

} // namespace Tracelight
