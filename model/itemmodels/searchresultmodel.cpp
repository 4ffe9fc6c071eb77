#include "searchresultmodel.h"

#include "format.h"
#include "modelroles.h"

namespace Tracelight {

SearchResultModel::SearchResultModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void SearchResultModel::setHits(std::vector<SearchHit> hits)
{
    beginResetModel();
    m_hits = std::move(hits);
    endResetModel();
}

const SearchHit* SearchResultModel::hitAt(int row) const
{
    return row >= 0 && row < int(m_hits.size()) ? &m_hits[std::size_t(row)] : nullptr;
}

int SearchResultModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

int SearchResultModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString SearchResultModel::plainSnippet(const std::string& snippet)
{
    QString text = Format::fromUtf8(snippet);
    text.remove(QLatin1Char(TraceSearch::SnippetOpen));
    text.remove(QLatin1Char(TraceSearch::SnippetClose));
    return text.simplified();
}

QVariant SearchResultModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SearchHit& hit = m_hits[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TraceColumn:
            return Format::plainToolTip(Format::fromUtf8(hit.traceName.empty() ? hit.traceId : hit.traceName));
        case StepColumn:
            return Format::plainToolTip(Format::fromUtf8(hit.stepName));
        case FieldColumn:
            return Format::plainToolTip(Format::fromUtf8(hit.field));
        case SnippetColumn:
            return Format::plainToolTip(plainSnippet(hit.snippet));
        }
        break;
    case SnippetRole:
        // With the markers, simplified to one line, for the delegate that paints the matches.
        return Format::fromUtf8(hit.snippet).simplified();
    case TraceIdRole:
        return Format::fromUtf8(hit.traceId);
    case SpanIdRole:
        return Format::fromUtf8(hit.spanId);
    case KindRole:
        return int(hit.kind);
    default:
        break;
    }
    return {};
}

QVariant SearchResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TraceColumn:
        return tr("Run");
    case StepColumn:
        return tr("Step");
    case FieldColumn:
        return tr("Where");
    case SnippetColumn:
        return tr("Match");
    }
    return {};
}

} // namespace Tracelight
