#pragma once

#include <annotation.h>

#include <QDialog>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;

namespace Tracelight {

// Edits one annotation (a person's label, rating and note on a run or a step). The labels offered are the user's
// set (Settings "annotations/labels", the defaults until edited); a label typed in joins the set.
class AnnotationDialog final : public QDialog
{
    Q_OBJECT
public:
    enum Outcome
    {
        Saved = QDialog::Accepted,
        Deleted = 2,
    };

    // target: what is annotated, as the user reads it ("run checkout-agent", "step lookup_order").
    AnnotationDialog(const Annotation& current, const QString& target, QWidget* parent = nullptr);

    // What to store: the current annotation with the dialog's label, rating and note.
    Annotation annotation() const;

    // The user's label set.
    static QStringList labels();
    static void setLabels(const QStringList& labels);

private:
    Annotation m_annotation;
    QComboBox* m_label = nullptr;
    QSpinBox* m_rating = nullptr;
    QPlainTextEdit* m_note = nullptr;
};

} // namespace Tracelight
