#pragma once

#include "runcomparison.h"
#include "versioncomparison.h"

#include <QAbstractTableModel>

#include <memory>

namespace Tracelight {

// The aligned steps of two runs, one row per pair: A's step, what happened, B's step, and the deltas.
class AlignmentModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        AColumn,
        OpColumn,
        BColumn,
        DurationDeltaColumn,
        TokensDeltaColumn,
        ColumnCount
    };
    enum Role
    {
        OpRole = Qt::UserRole + 100, // RunComparison::Op as int
        AStepRole, // step index in A, -1 when added
        BStepRole,
    };

    explicit AlignmentModel(QObject* parent = nullptr);
    void setComparison(std::shared_ptr<const RunComparison> comparison);
    const std::shared_ptr<const RunComparison>& comparison() const { return m_comparison; }
    // The row of the pair holding step a of run A (or b of run B), -1 when none.
    int rowOfA(int step) const;
    int rowOfB(int step) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const RunComparison> m_comparison;
    std::vector<int> m_rowOfA;
    std::vector<int> m_rowOfB;
};

// The headline figures of two runs (or two versions) side by side with b − a.
class ComparisonSummaryModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        FigureColumn,
        AColumn,
        BColumn,
        DeltaColumn,
        ColumnCount
    };
    enum Role
    {
        // +1 when B is worse on this figure (slower, costlier, more errors), -1 when better, 0 otherwise.
        VerdictRole = Qt::UserRole + 110,
    };

    explicit ComparisonSummaryModel(QObject* parent = nullptr);
    void setComparison(const RunComparison& comparison);
    void setVersions(const VersionStats& v1, const VersionStats& v2);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    struct Row
    {
        QString figure;
        QString a;
        QString b;
        QString delta;
        int verdict = 0;
    };

private:
    void setRows(std::vector<Row> rows, QString aHeader, QString bHeader);
    std::vector<Row> m_rows;
    QString m_aHeader;
    QString m_bHeader;
};

} // namespace Tracelight
