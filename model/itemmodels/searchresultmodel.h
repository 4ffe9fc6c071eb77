#pragma once

#include "tracesearch.h"

#include <QAbstractTableModel>

namespace Tracelight {

// Full-text search hits, best first. The snippet column keeps TraceSearch's match markers for the delegate
// that paints them bold; SnippetTextRole gives the plain text.
class SearchResultModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        TraceColumn,
        StepColumn,
        FieldColumn,
        SnippetColumn,
        ColumnCount
    };

    explicit SearchResultModel(QObject* parent = nullptr);
    void setHits(std::vector<SearchHit> hits);
    const SearchHit* hitAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The snippet without markers, on one line.
    static QString plainSnippet(const std::string& snippet);

private:
    std::vector<SearchHit> m_hits;
};

} // namespace Tracelight
