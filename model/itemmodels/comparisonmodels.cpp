#include "comparisonmodels.h"

#include "format.h"

#include <set>

namespace Tracelight {

namespace {

QString signedText(double value, const QString& text)
{
    if (value > 0)
        return QStringLiteral("+") + text;
    return text;
}

QString signedDuration(std::int64_t ns)
{
    return ns < 0 ? QStringLiteral("−") + Format::duration(-ns) : signedText(double(ns), Format::duration(ns));
}

QString signedCount(std::int64_t n)
{
    return n < 0 ? QStringLiteral("−") + Format::tokens(-n) : signedText(double(n), Format::tokens(n));
}

int verdict(double delta, bool higherIsWorse = true)
{
    if (delta == 0)
        return 0;
    return (delta > 0) == higherIsWorse ? 1 : -1;
}

} // namespace

AlignmentModel::AlignmentModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void AlignmentModel::setComparison(std::shared_ptr<const RunComparison> comparison)
{
    beginResetModel();
    m_comparison = std::move(comparison);
    m_rowOfA.clear();
    m_rowOfB.clear();
    if (m_comparison) {
        m_rowOfA.assign(std::size_t(m_comparison->a().size()), -1);
        m_rowOfB.assign(std::size_t(m_comparison->b().size()), -1);
        const auto& pairs = m_comparison->alignment();
        for (std::size_t r = 0; r < pairs.size(); ++r) {
            if (pairs[r].a >= 0)
                m_rowOfA[std::size_t(pairs[r].a)] = int(r);
            if (pairs[r].b >= 0)
                m_rowOfB[std::size_t(pairs[r].b)] = int(r);
        }
    }
    endResetModel();
}

int AlignmentModel::rowOfA(int step) const
{
    return step >= 0 && step < int(m_rowOfA.size()) ? m_rowOfA[std::size_t(step)] : -1;
}

int AlignmentModel::rowOfB(int step) const
{
    return step >= 0 && step < int(m_rowOfB.size()) ? m_rowOfB[std::size_t(step)] : -1;
}

int AlignmentModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_comparison ? 0 : int(m_comparison->alignment().size());
}

int AlignmentModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlignmentModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunComparison::Pair& p = m_comparison->alignment()[std::size_t(index.row())];
    const StepRecord* a = p.a >= 0 ? &m_comparison->a().step(p.a) : nullptr;
    const StepRecord* b = p.b >= 0 ? &m_comparison->b().step(p.b) : nullptr;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case AColumn:
            return a ? Format::kindLabel(a->kind) + QStringLiteral("  ") + Format::fromUtf8(a->name) : QString();
        case BColumn:
            return b ? Format::kindLabel(b->kind) + QStringLiteral("  ") + Format::fromUtf8(b->name) : QString();
        case OpColumn:
            switch (p.op) {
            case RunComparison::Op::Same:
                return QStringLiteral("=");
            case RunComparison::Op::Changed:
                return QStringLiteral("≠");
            case RunComparison::Op::Added:
                return QStringLiteral("+");
            case RunComparison::Op::Removed:
                return QStringLiteral("−");
            }
            break;
        case DurationDeltaColumn:
            if (a && b)
                return signedDuration(b->durationNs() - a->durationNs());
            return Format::duration((a ? a : b)->durationNs());
        case TokensDeltaColumn: {
            const auto tokens = [](const StepRecord* s) { return s->tokens.total(); };
            if (a && b)
                return tokens(a) || tokens(b) ? signedCount(tokens(b) - tokens(a)) : QString();
            const std::int64_t t = tokens(a ? a : b);
            return t ? Format::tokens(t) : QString();
        }
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == OpColumn)
            return QString::fromLatin1(RunComparison::opName(p.op));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == OpColumn)
            return QVariant::fromValue(Qt::AlignCenter);
        if (index.column() >= DurationDeltaColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case OpRole:
        return int(p.op);
    case AStepRole:
        return p.a;
    case BStepRole:
        return p.b;
    default:
        break;
    }
    return {};
}

QVariant AlignmentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AColumn:
        return tr("Run A");
    case OpColumn:
        return QString();
    case BColumn:
        return tr("Run B");
    case DurationDeltaColumn:
        return tr("Δ duration");
    case TokensDeltaColumn:
        return tr("Δ tokens");
    }
    return {};
}

ComparisonSummaryModel::ComparisonSummaryModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ComparisonSummaryModel::setRows(std::vector<Row> rows, QString aHeader, QString bHeader)
{
    beginResetModel();
    m_rows = std::move(rows);
    m_aHeader = std::move(aHeader);
    m_bHeader = std::move(bHeader);
    endResetModel();
}

void ComparisonSummaryModel::setComparison(const RunComparison& c)
{
    const TraceSummary& a = c.a().summary();
    const TraceSummary& b = c.b().summary();
    std::vector<Row> rows;
    const auto count = [&](const QString& figure, std::int64_t x, std::int64_t y, bool higherIsWorse = true) {
        rows.push_back({ figure, Format::tokens(x), Format::tokens(y),
            y == x ? QStringLiteral("0") : signedCount(y - x), verdict(double(y - x), higherIsWorse) });
    };
    rows.push_back({ tr("Duration"), Format::duration(a.endNs - a.startNs), Format::duration(b.endNs - b.startNs),
        signedDuration((b.endNs - b.startNs) - (a.endNs - a.startNs)),
        verdict(double((b.endNs - b.startNs) - (a.endNs - a.startNs))) });
    count(tr("Steps"), a.spans, b.spans);
    count(tr("LLM calls"), a.llmCalls, b.llmCalls);
    count(tr("Tool calls"), a.toolCalls, b.toolCalls);
    count(tr("Input tokens"), a.tokens.input, b.tokens.input);
    count(tr("Output tokens"), a.tokens.output, b.tokens.output);
    QString costDelta;
    int costVerdict = 0;
    if (a.costUsd && b.costUsd) {
        const double d = *b.costUsd - *a.costUsd;
        costDelta = (d > 0 ? QStringLiteral("+") : d < 0 ? QStringLiteral("−") : QString()) + Format::cost(std::abs(d));
        costVerdict = verdict(d);
    }
    rows.push_back({ tr("Cost"), Format::cost(a.costUsd), Format::cost(b.costUsd), costDelta, costVerdict });
    count(tr("Errors"), a.errors, b.errors);
    rows.push_back({ tr("Version"), Format::fromUtf8(a.version), Format::fromUtf8(b.version), QString(), 0 });
    const auto join = [](const std::vector<std::string>& list) {
        QStringList out;
        for (const std::string& s : list)
            out << Format::fromUtf8(s);
        return out.join(QStringLiteral(", "));
    };
    rows.push_back({ tr("Models"), join(c.modelsA()), join(c.modelsB()),
        c.modelsA() == c.modelsB() ? QString() : tr("differ"), 0 });
    rows.push_back({ tr("Steps aligned"), QString(), QString(),
        tr("%1 same, %2 changed, %3 added, %4 removed")
            .arg(c.count(RunComparison::Op::Same))
            .arg(c.count(RunComparison::Op::Changed))
            .arg(c.count(RunComparison::Op::Added))
            .arg(c.count(RunComparison::Op::Removed)),
        0 });
    for (const auto& [tool, counts] : c.toolCalls()) {
        if (counts.a != counts.b || counts.a > 0)
            count(tr("  %1 calls").arg(Format::fromUtf8(tool)), counts.a, counts.b);
    }
    setRows(std::move(rows), tr("A: %1").arg(Format::fromUtf8(a.traceId.substr(0, 8))),
        tr("B: %1").arg(Format::fromUtf8(b.traceId.substr(0, 8))));
}

void ComparisonSummaryModel::setVersions(const VersionStats& v1, const VersionStats& v2)
{
    std::vector<Row> rows;
    const auto percent = [](double r) { return QStringLiteral("%1 %").arg(r * 100, 0, 'f', 1); };
    const auto ms = [](double value) { return Format::duration(std::int64_t(value * 1e6)); };
    rows.push_back(
        { tr("Runs"), QString::number(v1.runs), QString::number(v2.runs), signedCount(v2.runs - v1.runs), 0 });
    rows.push_back({ tr("Runs with errors"), percent(v1.errorRate), percent(v2.errorRate),
        signedText(
            v2.errorRate - v1.errorRate, QStringLiteral("%1 pts").arg((v2.errorRate - v1.errorRate) * 100, 0, 'f', 1)),
        verdict(v2.errorRate - v1.errorRate) });
    rows.push_back({ tr("p50 latency"), ms(v1.p50DurationMs), ms(v2.p50DurationMs),
        signedDuration(std::int64_t((v2.p50DurationMs - v1.p50DurationMs) * 1e6)),
        verdict(v2.p50DurationMs - v1.p50DurationMs) });
    rows.push_back({ tr("p95 latency"), ms(v1.p95DurationMs), ms(v2.p95DurationMs),
        signedDuration(std::int64_t((v2.p95DurationMs - v1.p95DurationMs) * 1e6)),
        verdict(v2.p95DurationMs - v1.p95DurationMs) });
    QString costDelta;
    int costVerdict = 0;
    if (v1.medianCostUsd && v2.medianCostUsd) {
        const double d = *v2.medianCostUsd - *v1.medianCostUsd;
        costDelta = (d > 0 ? QStringLiteral("+") : d < 0 ? QStringLiteral("−") : QString()) + Format::cost(std::abs(d));
        costVerdict = verdict(d);
    }
    rows.push_back(
        { tr("Median cost"), Format::cost(v1.medianCostUsd), Format::cost(v2.medianCostUsd), costDelta, costVerdict });
    rows.push_back({ tr("Median tokens"), Format::tokens(std::int64_t(v1.medianTokens)),
        Format::tokens(std::int64_t(v2.medianTokens)), signedCount(std::int64_t(v2.medianTokens - v1.medianTokens)),
        verdict(v2.medianTokens - v1.medianTokens) });
    rows.push_back({ tr("LLM calls per run"), QString::number(v1.llmCallsPerRun, 'f', 1),
        QString::number(v2.llmCallsPerRun, 'f', 1),
        signedText(
            v2.llmCallsPerRun - v1.llmCallsPerRun, QString::number(v2.llmCallsPerRun - v1.llmCallsPerRun, 'f', 1)),
        verdict(v2.llmCallsPerRun - v1.llmCallsPerRun) });
    rows.push_back({ tr("Tool calls per run"), QString::number(v1.toolCallsPerRun, 'f', 1),
        QString::number(v2.toolCallsPerRun, 'f', 1),
        signedText(
            v2.toolCallsPerRun - v1.toolCallsPerRun, QString::number(v2.toolCallsPerRun - v1.toolCallsPerRun, 'f', 1)),
        verdict(v2.toolCallsPerRun - v1.toolCallsPerRun) });
    std::set<std::string> tools;
    for (const auto& [name, t] : v1.tools)
        tools.insert(name);
    for (const auto& [name, t] : v2.tools)
        tools.insert(name);
    for (const std::string& name : tools) {
        const auto rate = [&](const VersionStats& v) -> std::optional<double> {
            const auto it = v.tools.find(name);
            if (it == v.tools.end() || it->second.calls == 0)
                return std::nullopt;
            return double(it->second.calls - it->second.errors) / it->second.calls;
        };
        const auto r1 = rate(v1);
        const auto r2 = rate(v2);
        rows.push_back({ tr("  %1 success").arg(Format::fromUtf8(name)), r1 ? percent(*r1) : QStringLiteral("–"),
            r2 ? percent(*r2) : QStringLiteral("–"),
            r1 && r2 ? signedText(*r2 - *r1, QStringLiteral("%1 pts").arg((*r2 - *r1) * 100, 0, 'f', 1)) : QString(),
            r1 && r2 ? verdict(*r2 - *r1, false) : 0 });
    }
    setRows(std::move(rows), Format::fromUtf8(v1.version), Format::fromUtf8(v2.version));
}

int ComparisonSummaryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ComparisonSummaryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ComparisonSummaryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[std::size_t(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case FigureColumn:
            return row.figure;
        case AColumn:
            return row.a;
        case BColumn:
            return row.b;
        case DeltaColumn:
            return row.delta;
        }
    } else if (role == VerdictRole) {
        return row.verdict;
    } else if (role == Qt::TextAlignmentRole && index.column() != FigureColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant ComparisonSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FigureColumn:
        return QString();
    case AColumn:
        return m_aHeader;
    case BColumn:
        return m_bHeader;
    case DeltaColumn:
        return tr("B − A");
    }
    return {};
}

} // namespace Tracelight
