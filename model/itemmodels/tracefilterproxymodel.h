#pragma once

#include <QSortFilterProxyModel>

namespace Tracelight {

// Filters the trace list by free text (run name, trace id, service, agent), service, version and status (errors,
// findings, annotations).
class TraceFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class StatusFilter
    {
        Any,
        WithErrors,
        WithoutErrors,
        WithFindings,
        Annotated, // a person annotated the run or a step of it
        NotReviewed, // nobody did yet
    };

    explicit TraceFilterProxyModel(QObject* parent = nullptr);

    void setText(const QString& text);
    void setService(const QString& service); // empty: any
    void setVersion(const QString& version); // empty: any
    void setStatus(StatusFilter status);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
    QString m_service;
    QString m_version;
    StatusFilter m_status = StatusFilter::Any;
};

} // namespace Tracelight
