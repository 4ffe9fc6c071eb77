#pragma once

#include "stephtml.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QSortFilterProxyModel;
class QTabWidget;
class QTreeView;

namespace Tracelight {

class AttributeTreeModel;
class StepDetailView;

// The reasoning-and-prompt inspector: the step's conversation (Pretty / Raw / Markdown) and every raw attribute
// in a searchable tree with copy value / path / JSON.
class InspectorPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit InspectorPanel(QWidget* parent = nullptr);

    StepDetailView* detailView() const { return m_detail; }
    AttributeTreeModel* attributeModel() const { return m_attributes; }
    QTreeView* attributeView() const { return m_attributeView; }

    void showStep(const std::optional<StepDetail>& detail, std::optional<std::int64_t> selfTimeNs, const QString& agent,
        StepHtml::StepFindings findings = {});
    void showTrace(const TraceSummary& trace);
    void showPlaceholder(const QString& text);
    void setMode(StepHtml::Mode mode);

private:
    void showAttributeMenu(const QPoint& pos);

    QComboBox* m_mode = nullptr;
    QTabWidget* m_tabs = nullptr;
    StepDetailView* m_detail = nullptr;
    AttributeTreeModel* m_attributes = nullptr;
    QSortFilterProxyModel* m_attributeProxy = nullptr;
    QTreeView* m_attributeView = nullptr;
    QLineEdit* m_attributeFilter = nullptr;
};

} // namespace Tracelight
