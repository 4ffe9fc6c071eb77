#include "inspectorpanel.h"

#include "stepdetailview.h"

#include <attributetreemodel.h>
#include <modelroles.h>

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace Tracelight {

InspectorPanel::InspectorPanel(QWidget* parent)
    : QWidget(parent)
{
    m_detail = new StepDetailView;
    m_attributes = new AttributeTreeModel(this);
    m_attributeProxy = new QSortFilterProxyModel(this);
    m_attributeProxy->setSourceModel(m_attributes);
    m_attributeProxy->setRecursiveFilteringEnabled(true);
    m_attributeProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_attributeProxy->setFilterKeyColumn(-1);
    m_attributeView = new QTreeView;
    m_attributeView->setModel(m_attributeProxy);
    m_attributeView->setUniformRowHeights(true);
    m_attributeView->setAlternatingRowColors(true);
    m_attributeView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_attributeView->header()->resizeSection(AttributeTreeModel::KeyColumn, 240);
    m_attributeView->header()->setStretchLastSection(true);
    m_attributeFilter = new QLineEdit;
    m_attributeFilter->setPlaceholderText(tr("Filter attributes by key or value"));
    m_attributeFilter->setClearButtonEnabled(true);
    connect(m_attributeFilter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_attributeProxy->setFilterFixedString(text);
        if (!text.isEmpty())
            m_attributeView->expandAll();
    });
    connect(m_attributeView, &QTreeView::customContextMenuRequested, this, &InspectorPanel::showAttributeMenu);

    auto* attributesPage = new QWidget;
    auto* attributesLayout = new QVBoxLayout(attributesPage);
    attributesLayout->setContentsMargins(0, 4, 0, 0);
    attributesLayout->addWidget(m_attributeFilter);
    attributesLayout->addWidget(m_attributeView, 1);

    m_mode = new QComboBox;
    m_mode->addItem(tr("Pretty"), int(StepHtml::Mode::Pretty));
    m_mode->addItem(tr("Raw"), int(StepHtml::Mode::Raw));
    m_mode->addItem(tr("Markdown"), int(StepHtml::Mode::Markdown));
    m_mode->setToolTip(tr("Pretty: JSON indented and coloured. Raw: texts exactly as recorded. Markdown: text "
                          "rendered as Markdown (no HTML, links inert, no remote images)."));
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int index) {
        const auto mode = StepHtml::Mode(m_mode->itemData(index).toInt());
        m_detail->setMode(mode);
        QSettings().setValue(QStringLiteral("inspector/mode"), index);
    });

    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_detail, tr("Conversation"));
    m_tabs->addTab(attributesPage, tr("Attributes"));
    m_tabs->setCornerWidget(m_mode, Qt::TopRightCorner);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    m_mode->setCurrentIndex(std::clamp(QSettings().value(QStringLiteral("inspector/mode"), 0).toInt(), 0, 2));
}

void InspectorPanel::showStep(const std::optional<StepDetail>& detail, std::optional<std::int64_t> selfTimeNs,
    const QString& agent, StepHtml::StepFindings findings)
{
    m_detail->showStep(detail, selfTimeNs, agent, std::move(findings));
    m_attributes->setStep(detail ? &*detail : nullptr);
    m_attributeView->expandToDepth(0);
}

void InspectorPanel::showTrace(const TraceSummary& trace)
{
    m_detail->showTrace(trace);
    m_attributes->setStep(nullptr);
}

void InspectorPanel::showPlaceholder(const QString& text)
{
    m_detail->showPlaceholder(text);
    m_attributes->setStep(nullptr);
}

void InspectorPanel::setMode(StepHtml::Mode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

void InspectorPanel::showAttributeMenu(const QPoint& pos)
{
    const QModelIndex index = m_attributeView->indexAt(pos);
    if (!index.isValid())
        return;
    QMenu menu;
    const auto copy = [](const QVariant& value) { QApplication::clipboard()->setText(value.toString()); };
    menu.addAction(tr("Copy Value"), this, [&] { copy(index.data(AttributeValueRole)); });
    menu.addAction(tr("Copy Path"), this, [&] { copy(index.data(AttributePathRole)); });
    menu.addAction(tr("Copy as JSON"), this, [&] { copy(index.data(AttributeJsonRole)); });
    menu.exec(m_attributeView->viewport()->mapToGlobal(pos));
}

} // namespace Tracelight
