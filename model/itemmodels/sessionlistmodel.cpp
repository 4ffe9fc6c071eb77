#include "sessionlistmodel.h"

#include "format.h"
#include "modelroles.h"

#include <QDateTime>

namespace Tracelight {

namespace {

// The end of a working directory, where the project's name is: "…/codemie-ai/codemie-code".
QString shortProject(const std::string& project)
{
    const QString path = Format::fromUtf8(project);
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() <= 2)
        return path;
    return QStringLiteral("…/") + parts.mid(parts.size() - 2).join(QLatin1Char('/'));
}

} // namespace

SessionListModel::SessionListModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void SessionListModel::setSessions(std::vector<CodingSession> sessions)
{
    beginResetModel();
    m_sessions = std::move(sessions);
    endResetModel();
}

const CodingSession* SessionListModel::sessionAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_sessions.size()) ? &m_sessions[std::size_t(row)] : nullptr;
}

int SessionListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_sessions.size());
}

int SessionListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionListModel::data(const QModelIndex& index, int role) const
{
    const CodingSession* s = index.isValid() ? sessionAt(index.row()) : nullptr;
    if (!s)
        return {};
    switch (role) {
    case PathRole:
        return Format::fromUtf8(s->path);
    case ImportStateRole:
        return static_cast<int>(s->state);
    case Qt::ToolTipRole: {
        QString tip = Format::fromUtf8(s->project) + QLatin1Char('\n') + Format::fromUtf8(s->path);
        if (s->subagents > 0)
            tip += tr("\n%n sub-agent log(s) imported with it", nullptr, s->subagents);
        if (!s->firstPrompt.empty())
            tip += QStringLiteral("\n\n") + Format::fromUtf8(s->firstPrompt).left(600);
        return Format::plainToolTip(tip);
    }
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        switch (index.column()) {
        case StartColumn:
            return qlonglong(s->startNs);
        case SizeColumn:
            return qlonglong(s->bytes);
        case StateColumn:
            return static_cast<int>(s->state);
        default:
            return data(index, Qt::DisplayRole).toString().toLower();
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case AgentColumn:
            return Format::fromUtf8(s->agent);
        case ProjectColumn:
            return shortProject(s->project);
        case StartColumn:
            // Local time to the minute: a listing, not a measurement.
            return s->startNs > 0
                ? QDateTime::fromMSecsSinceEpoch(s->startNs / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                : QString();
        case PromptColumn:
            return Format::fromUtf8(s->firstPrompt).simplified();
        case SizeColumn:
            return Format::bytes(s->bytes);
        case StateColumn:
            switch (s->state) {
            case CodingSession::State::Imported:
                return tr("Imported");
            case CodingSession::State::Grown:
                return tr("Grown since import");
            case CodingSession::State::New:
                break;
            }
            return QString();
        }
    }
    return {};
}

QVariant SessionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AgentColumn:
        return tr("Agent");
    case ProjectColumn:
        return tr("Project");
    case StartColumn:
        return tr("Started");
    case PromptColumn:
        return tr("First prompt");
    case SizeColumn:
        return tr("Size");
    case StateColumn:
        return tr("Status");
    }
    return {};
}

} // namespace Tracelight
