#include "searchdialog.h"

#include "kindstyle.h"
#include "snippetdelegate.h"

#include <format.h>
#include <modelroles.h>
#include <searchindex.h>
#include <searchresultmodel.h>
#include <tracesearch.h>
#include <tracestore.h>

#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace Tracelight {

namespace {
constexpr int HitLimit = 500;

struct SearchResult
{
    std::vector<SearchHit> hits;
    SearchIndexState index;
};

} // namespace

SearchDialog::SearchDialog(const QString& databasePath, QWidget* parent)
    : QDialog(parent)
    , m_databasePath(databasePath)
{
    setWindowTitle(tr("Search All Runs"));
    resize(900, 520);
    m_edit = new QLineEdit;
    m_edit->setPlaceholderText(
        tr("Search prompts, completions, tool arguments and results — words, \"a phrase\", prefix*"));
    m_edit->setClearButtonEnabled(true);
    m_status = new QLabel;
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_model = new SearchResultModel(this);
    m_view = new QTableView;
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_view->setItemDelegateForColumn(SearchResultModel::SnippetColumn, new SnippetDelegate(m_view));
    QHeaderView* header = m_view->horizontalHeader();
    header->resizeSection(SearchResultModel::TraceColumn, 180);
    header->resizeSection(SearchResultModel::StepColumn, 200);
    header->resizeSection(
        SearchResultModel::FieldColumn, fontMetrics().horizontalAdvance(QStringLiteral("tool_arguments")) + 16);
    header->setStretchLastSection(true);
    header->setHighlightSections(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_edit);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(200);
    connect(m_debounce, &QTimer::timeout, this, &SearchDialog::runSearch);
    connect(m_edit, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_edit, &QLineEdit::returnPressed, this, [this] {
        if (m_model->rowCount() > 0) {
            m_view->setFocus();
            if (!m_view->currentIndex().isValid())
                m_view->setCurrentIndex(m_model->index(0, 0));
        }
    });
    connect(m_view, &QTableView::activated, this, &SearchDialog::openCurrent);
    m_status->setText(tr("Type to search every run in the cache."));
}

void SearchDialog::setQuery(const QString& text)
{
    m_edit->setText(text);
    m_edit->selectAll();
    m_edit->setFocus();
    m_debounce->stop();
    runSearch();
}

void SearchDialog::runSearch()
{
    const QString text = m_edit->text().trimmed();
    if (text.isEmpty()) {
        m_searchJob.cancel();
        m_model->setHits({});
        m_status->setText(tr("Type to search every run in the cache."));
        return;
    }
    m_status->setText(tr("Searching…"));
    m_searchJob.run(
        [query = text.toStdString()](const JobContext& job) {
            Sql::Database& db = job.store().database();
            return SearchResult { TraceSearch::search(db, query, HitLimit), SearchIndex::state(db) };
        },
        [this](const SearchResult& result) {
            const std::vector<SearchHit>& hits = result.hits;
            m_model->setHits(hits);
            QString status;
            if (hits.empty())
                status = tr("No step matches.");
            else
                status = int(hits.size()) >= HitLimit
                    ? tr("The best %1 matches; refine the search to see others. Enter opens a match.").arg(HitLimit)
                    : tr("%n match(es), best first. Enter or double-click opens one.", nullptr, int(hits.size()));
            // Never partial in silence: the steps imported last are searchable once the index has them.
            if (!result.index.complete())
                status = tr("The search index is still being built (%1 of %2 steps); matches in the rest are not "
                            "shown yet. ")
                             .arg(Format::tokens(result.index.indexed), Format::tokens(result.index.total))
                    + status;
            m_status->setText(status);
            emit searchFinished(int(hits.size()));
        },
        [this](const QString& error) {
            m_model->setHits({});
            m_status->setText(tr("Search failed: %1").arg(error));
            emit searchFinished(0);
        });
}

void SearchDialog::openCurrent()
{
    const SearchHit* hit = m_model->hitAt(m_view->currentIndex().row());
    if (hit)
        emit stepRequested(QString::fromStdString(hit->traceId), QString::fromStdString(hit->spanId));
}

} // namespace Tracelight
