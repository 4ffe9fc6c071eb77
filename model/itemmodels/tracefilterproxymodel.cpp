#include "tracefilterproxymodel.h"

#include "modelroles.h"
#include "tracelistmodel.h"

namespace Tracelight {

TraceFilterProxyModel::TraceFilterProxyModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SortRole);
    setDynamicSortFilter(true);
}

void TraceFilterProxyModel::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

void TraceFilterProxyModel::setService(const QString& service)
{
    if (service == m_service)
        return;
    m_service = service;
    invalidateFilter();
}

void TraceFilterProxyModel::setVersion(const QString& version)
{
    if (version == m_version)
        return;
    m_version = version;
    invalidateFilter();
}

void TraceFilterProxyModel::setStatus(StatusFilter status)
{
    if (status == m_status)
        return;
    m_status = status;
    invalidateFilter();
}

bool TraceFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, TraceListModel::NameColumn, sourceParent);
    if (!m_service.isEmpty() && index.data(ServiceRole).toString() != m_service)
        return false;
    if (!m_version.isEmpty() && index.data(VersionRole).toString() != m_version)
        return false;
    const bool hasErrors = index.data(HasErrorsRole).toBool();
    if (m_status == StatusFilter::WithFindings && index.data(FindingsRole).toLongLong() == 0)
        return false;
    const bool annotated = index.data(AnnotationsRole).toLongLong() > 0;
    if ((m_status == StatusFilter::Annotated && !annotated) || (m_status == StatusFilter::NotReviewed && annotated))
        return false;
    if ((m_status == StatusFilter::WithErrors && !hasErrors) || (m_status == StatusFilter::WithoutErrors && hasErrors))
        return false;
    if (m_text.isEmpty())
        return true;
    for (const QVariant& value : { index.data(Qt::DisplayRole), index.data(TraceIdRole), index.data(ServiceRole),
             index.siblingAtColumn(TraceListModel::VersionColumn).data() }) {
        if (value.toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace Tracelight
