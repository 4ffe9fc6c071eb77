#pragma once

#include "codingsession.h"

#include <QAbstractTableModel>

#include <vector>

namespace Tracelight {

// The coding-agent sessions found on disk, one row each, for the "Open coding-agent sessions" dialog.
class SessionListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        AgentColumn,
        ProjectColumn,
        StartColumn,
        PromptColumn,
        SizeColumn,
        StateColumn,
        ColumnCount
    };

    explicit SessionListModel(QObject* parent = nullptr);

    void setSessions(std::vector<CodingSession> sessions);
    const CodingSession* sessionAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<CodingSession> m_sessions;
};

} // namespace Tracelight
