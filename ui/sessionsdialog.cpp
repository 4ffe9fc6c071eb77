#include "sessionsdialog.h"

#include <format.h>
#include <modelroles.h>
#include <sessiondiscovery.h>
#include <sessionlistmodel.h>
#include <tracestore.h>

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace Tracelight {

namespace {

struct ScanResult
{
    std::vector<SessionLocation> locations;
    std::vector<CodingSession> sessions;
};

// Filters by text over every column, can hide imported sessions, and greys them out.
class SessionFilterProxy final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setHideImported(bool hide)
    {
        m_hideImported = hide;
        invalidateFilter();
    }

    QVariant data(const QModelIndex& index, int role) const override
    {
        if (role == Qt::ForegroundRole
            && index.data(ImportStateRole).toInt() == static_cast<int>(CodingSession::State::Imported))
            return QApplication::palette().brush(QPalette::PlaceholderText);
        return QSortFilterProxyModel::data(index, role);
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        const QModelIndex first = sourceModel()->index(row, 0, parent);
        if (m_hideImported && first.data(ImportStateRole).toInt() == static_cast<int>(CodingSession::State::Imported))
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }

private:
    bool m_hideImported = false;
};

QString tildePath(const std::string& path)
{
    const QString text = QString::fromStdString(path);
    const QString home = QDir::homePath();
    return text.startsWith(home + QLatin1Char('/')) ? QStringLiteral("~") + text.mid(home.size()) : text;
}

} // namespace

SessionsDialog::SessionsDialog(QString databasePath, QWidget* parent)
    : QDialog(parent)
    , m_databasePath(std::move(databasePath))
    , m_model(new SessionListModel(this))
{
    setWindowTitle(tr("Open Coding-Agent Sessions"));
    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(8);

    auto* intro = new QLabel(tr("Sessions that Claude Code, Codex CLI and Gemini CLI wrote on this computer. "
                                "Sub-agent logs come with their session. A session imported before adds only "
                                "what it gained since."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_locations = new QLabel;
    m_locations->setWordWrap(true);
    m_locations->setTextFormat(Qt::PlainText);
    m_locations->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_locations);

    auto* filterRow = new QHBoxLayout;
    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter by agent, project or prompt…"));
    m_filter->setClearButtonEnabled(true);
    m_hideImported = new QCheckBox(tr("Hide imported"));
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_hideImported);
    layout->addLayout(filterRow);

    auto* proxy = new SessionFilterProxy(this);
    m_proxy = proxy;
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view = new QTableView;
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(SessionListModel::StartColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    QHeaderView* header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(SessionListModel::PromptColumn, QHeaderView::Stretch);
    const QFontMetrics metrics = fontMetrics();
    header->resizeSection(SessionListModel::AgentColumn, metrics.horizontalAdvance(QStringLiteral("Claude Code")) + 24);
    header->resizeSection(
        SessionListModel::ProjectColumn, metrics.horizontalAdvance(QStringLiteral("…/codemie-ai/codemie-code")) + 24);
    header->resizeSection(
        SessionListModel::StartColumn, metrics.horizontalAdvance(QStringLiteral("2026-01-14 19:20")) + 24);
    header->resizeSection(SessionListModel::SizeColumn, metrics.horizontalAdvance(QStringLiteral("999.9 MB")) + 24);
    header->resizeSection(
        SessionListModel::StateColumn, metrics.horizontalAdvance(QStringLiteral("Grown since import")) + 24);
    layout->addWidget(m_view, 1);

    m_overlay = new QLabel(m_view->viewport());
    m_overlay->setAlignment(Qt::AlignCenter);
    m_overlay->setWordWrap(true);
    m_overlay->setForegroundRole(QPalette::PlaceholderText);
    auto* overlayLayout = new QVBoxLayout(m_view->viewport());
    overlayLayout->addWidget(m_overlay);

    auto* bottom = new QHBoxLayout;
    m_selectNew = new QPushButton(tr("Select New"));
    m_selectNew->setToolTip(tr("Select the sessions not imported yet and those that grew since"));
    m_status = new QLabel;
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    // Room for the longest label it takes ("Import 12 Sessions"), so it never gets cut.
    m_buttons->button(QDialogButtonBox::Ok)
        ->setMinimumWidth(fontMetrics().horizontalAdvance(tr("Import %1 Sessions").arg(999)) + 32);
    bottom->addWidget(m_selectNew);
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_buttons);
    layout->addLayout(bottom);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_hideImported, &QCheckBox::toggled, this, [proxy](bool hide) { proxy->setHideImported(hide); });
    connect(m_selectNew, &QPushButton::clicked, this, &SessionsDialog::selectNew);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_view, &QTableView::doubleClicked, this, &QDialog::accept);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &SessionsDialog::updateSelectionSummary);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &SessionsDialog::updateSelectionSummary);

    resize(1100, 560);
    rescan();
}

SessionsDialog::~SessionsDialog() = default; // the tracker cancels a scan still running

void SessionsDialog::rescan()
{
    m_overlay->setText(tr("Looking for sessions…"));
    m_overlay->show();
    m_locations->setText(tr("Looking in the usual folders…"));
    m_scanJob.run(
        [](const JobContext& job) {
            ScanResult result;
            result.locations = defaultSessionLocations();
            result.sessions = discoverSessions(result.locations, job.cancelFlag());
            try {
                if (QFileInfo::exists(QString::fromStdString(job.databasePath())))
                    markImported(result.sessions, job.store().sources());
            } catch (const std::exception&) {
                // An unreadable cache: every session shows as new, and importing says what is wrong.
            }
            return result;
        },
        [this](ScanResult result) {
            QStringList folders;
            for (const SessionLocation& location : result.locations)
                folders << tildePath(location.path);
            m_locations->setText(folders.isEmpty()
                    ? tr("None of the usual folders exists (~/.claude/projects, ~/.codex/sessions, ~/.gemini/tmp).")
                    : tr("Looked in %1").arg(folders.join(QStringLiteral("  ·  "))));
            const int count = static_cast<int>(result.sessions.size());
            m_model->setSessions(std::move(result.sessions));
            m_overlay->setText(tr("<h3>No sessions found</h3><p>Claude Code, Codex CLI and Gemini CLI keep their "
                                  "sessions in the folders above.<br>Use <b>File → Open Traces</b> for files kept "
                                  "elsewhere.</p>"));
            m_overlay->setVisible(count == 0);
            m_view->sortByColumn(
                m_view->horizontalHeader()->sortIndicatorSection(), m_view->horizontalHeader()->sortIndicatorOrder());
            emit scanFinished(count);
        },
        [this](const QString& error) {
            m_locations->setText(tr("Cannot look for sessions: %1").arg(error));
            m_overlay->setText(tr("<h3>Cannot look for sessions</h3>"));
            m_overlay->show();
            emit scanFinished(0);
        });
}

QStringList SessionsDialog::selectedPaths() const
{
    QStringList paths;
    for (const QModelIndex& index : m_view->selectionModel()->selectedRows())
        paths << index.data(PathRole).toString();
    return paths;
}

void SessionsDialog::selectNew()
{
    QItemSelection selection;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(ImportStateRole).toInt() != static_cast<int>(CodingSession::State::Imported))
            selection.select(index, m_proxy->index(row, SessionListModel::ColumnCount - 1));
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void SessionsDialog::updateSelectionSummary()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    qint64 bytes = 0;
    for (const QModelIndex& index : rows) {
        if (const CodingSession* session = m_model->sessionAt(m_proxy->mapToSource(index).row()))
            bytes += session->bytes;
    }
    const int total = m_model->rowCount();
    m_status->setText(rows.isEmpty()
            ? (total == 1 ? tr("1 session found") : tr("%1 sessions found").arg(total))
            : tr("%1 of %2 selected  ·  %3").arg(rows.size()).arg(total).arg(Format::bytes(bytes)));
    QPushButton* import = m_buttons->button(QDialogButtonBox::Ok);
    import->setText(rows.isEmpty() ? tr("Import")
            : rows.size() == 1     ? tr("Import 1 Session")
                                   : tr("Import %1 Sessions").arg(rows.size()));
    import->setEnabled(!rows.isEmpty());
}

} // namespace Tracelight
