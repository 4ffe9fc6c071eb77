#include "versioncomparewindow.h"

#include "agentgraphpanel.h"
#include "verdictdelegate.h"

#include <comparisonmodels.h>
#include <format.h>
#include <tracestore.h>

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <set>

namespace Tracelight {

VersionCompareWindow::VersionCompareWindow(const QString& databasePath, QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_databasePath(databasePath)
{
    setWindowTitle(tr("Compare Versions"));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(900, 700);
    m_service = new QComboBox;
    m_v1 = new QComboBox;
    m_v2 = new QComboBox;
    for (QComboBox* combo : { m_service, m_v1, m_v2 })
        combo->setMinimumContentsLength(12);
    m_status = new QLabel;
    m_status->setForegroundRole(QPalette::PlaceholderText);
    auto* choices = new QHBoxLayout;
    choices->addWidget(new QLabel(tr("Service")));
    choices->addWidget(m_service);
    choices->addSpacing(16);
    choices->addWidget(new QLabel(tr("Version A")));
    choices->addWidget(m_v1);
    choices->addWidget(new QLabel(tr("against B")));
    choices->addWidget(m_v2);
    choices->addStretch(1);

    m_summary = new ComparisonSummaryModel(this);
    m_table = new QTableView;
    m_table->setModel(m_summary);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    m_table->setItemDelegateForColumn(ComparisonSummaryModel::DeltaColumn, new VerdictDelegate(m_table));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);

    m_runs1 = new QListWidget;
    m_runs2 = new QListWidget;
    auto* runs = new QSplitter(Qt::Horizontal);
    for (QListWidget* list : { m_runs1, m_runs2 }) {
        list->setToolTip(tr("The runs behind the figures; double-click opens one"));
        connect(list, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit traceRequested(item->data(Qt::UserRole).toString()); });
        runs->addWidget(list);
    }
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(runs);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    m_graph = new AgentGraphPanel(databasePath);
    connect(m_graph, &AgentGraphPanel::stepRequested, this,
        [this](const QString& traceId, const QString&) { emit traceRequested(traceId); });
    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(splitter, tr("Figures"));
    m_tabs->addTab(m_graph, tr("Agent graph"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &VersionCompareWindow::updateGraph);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(choices);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_status);

    connect(m_service, &QComboBox::currentIndexChanged, this, &VersionCompareWindow::loadChoices);
    connect(m_v1, &QComboBox::currentIndexChanged, this, &VersionCompareWindow::compare);
    connect(m_v2, &QComboBox::currentIndexChanged, this, &VersionCompareWindow::compare);

    m_servicesJob.run(
        [](const JobContext& job) {
            QStringList list;
            std::set<std::string> unique;
            for (const TraceSummary& t : job.store().traces())
                unique.insert(t.service);
            for (const std::string& s : unique)
                list << Format::fromUtf8(s);
            return list;
        },
        [this](const QStringList& list) {
            const QSignalBlocker blocker(m_service);
            m_service->addItem(tr("All services"));
            m_service->addItems(list);
            loadChoices();
        },
        [this](const QString& error) { m_status->setText(tr("Cannot read the cache: %1").arg(error)); });
}

void VersionCompareWindow::setVersions(const QString& service, const QString& v1, const QString& v2)
{
    m_service->setCurrentIndex(std::max(0, m_service->findText(service)));
    m_v1->setCurrentText(v1);
    m_v2->setCurrentText(v2);
    compare();
}

void VersionCompareWindow::loadChoices()
{
    const std::string service = m_service->currentIndex() > 0 ? m_service->currentText().toStdString() : std::string();
    m_versionsJob.run(
        [service](const JobContext& job) {
            QStringList list;
            for (const std::string& v : VersionComparison::versions(job.store(), service))
                list << Format::fromUtf8(v);
            return list;
        },
        [this](const QStringList& versions) {
            const QSignalBlocker b1(m_v1);
            const QSignalBlocker b2(m_v2);
            m_v1->clear();
            m_v2->clear();
            m_v1->addItems(versions);
            m_v2->addItems(versions);
            // The two newest versions, older first.
            if (versions.size() >= 2) {
                m_v1->setCurrentIndex(int(versions.size()) - 2);
                m_v2->setCurrentIndex(int(versions.size()) - 1);
            }
            m_status->setText(
                versions.size() < 2 ? tr("The cache holds fewer than two versions of this service.") : QString());
            compare();
        },
        [this](const QString& error) { m_status->setText(tr("Cannot read the cache: %1").arg(error)); });
}

void VersionCompareWindow::showGraph()
{
    m_tabs->setCurrentWidget(m_graph);
    updateGraph();
}

void VersionCompareWindow::updateGraph()
{
    if (!m_graphStale || m_tabs->currentWidget() != m_graph)
        return;
    m_graphStale = false;
    StatsFilter before;
    StatsFilter after;
    before.service = after.service
        = m_service->currentIndex() > 0 ? m_service->currentText().toStdString() : std::string();
    before.version = m_v1->currentText().toStdString();
    after.version = m_v2->currentText().toStdString();
    m_graph->showDifference(before, after, tr("%1 against %2").arg(m_v2->currentText(), m_v1->currentText()));
}

void VersionCompareWindow::compare()
{
    if (m_v1->currentText().isEmpty() || m_v2->currentText().isEmpty())
        return;
    m_graphStale = true;
    updateGraph();
    const std::string service = m_service->currentIndex() > 0 ? m_service->currentText().toStdString() : std::string();
    m_compareJob.run(
        [service, v1 = m_v1->currentText().toStdString(), v2 = m_v2->currentText().toStdString()](
            const JobContext& job) {
            TraceStore& store = job.store();
            return std::pair { VersionComparison::stats(store, v1, service),
                VersionComparison::stats(store, v2, service) };
        },
        [this](const std::pair<VersionStats, VersionStats>& stats) {
            m_summary->setVersions(stats.first, stats.second);
            for (const auto& [list, v] :
                { std::pair { m_runs1, &stats.first }, std::pair { m_runs2, &stats.second } }) {
                list->clear();
                for (const std::string& id : v->traceIds) {
                    auto* item = new QListWidgetItem(
                        tr("%1  (version %2)").arg(Format::fromUtf8(id), Format::fromUtf8(v->version)));
                    item->setData(Qt::UserRole, Format::fromUtf8(id));
                    list->addItem(item);
                }
            }
            emit compared();
        },
        [this](const QString& error) {
            m_status->setText(tr("Cannot compare the versions: %1").arg(error));
            emit compared();
        });
}
} // namespace Tracelight
