#pragma once

#include <stepsink.h>

#include <QAbstractItemModel>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <vector>

namespace TestUtils {

inline QString corpusDir()
{
    return QStringLiteral(TRACELIGHT_CORPUS_DIR);
}
inline QString sourceDir()
{
    return QStringLiteral(TRACELIGHT_SOURCE_DIR);
}
inline QString samplePath()
{
    return sourceDir() + QStringLiteral("/resources/samples/refund-agent.otlp.json");
}
inline bool haveCorpus()
{
    return QFile::exists(corpusDir() + QStringLiteral("/SOURCES.md"));
}

inline void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(bytes);
}

inline QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

// Collects what an importer delivers, for tests that do not need the database.
class MemorySink final : public Tracelight::StepSink
{
public:
    void beginFile(const std::string&, const std::string& format, std::int64_t) override
    {
        pending.clear();
        this->format = format;
        ++begun;
    }
    void addSteps(Tracelight::StepBatch&& batch) override
    {
        ++batches;
        for (auto& step : batch)
            pending.push_back(std::move(step));
    }
    Tracelight::FileImportStats commitFile(const std::string&) override
    {
        Tracelight::FileImportStats stats;
        stats.spans = static_cast<std::int64_t>(pending.size());
        for (auto& step : pending)
            steps.push_back(std::move(step));
        pending.clear();
        ++committed;
        return stats;
    }
    void rollbackFile() override
    {
        pending.clear();
        ++rolledBack;
    }

    std::vector<Tracelight::Step> steps;
    std::vector<Tracelight::Step> pending;
    std::string format;
    int begun = 0;
    int batches = 0;
    int committed = 0;
    int rolledBack = 0;
};

// Counts computed from an OTLP JSON or JSON Lines file with Qt's own JSON parser, independently of the
// importer under test: spans, distinct (trace, span) pairs, distinct traces, spans with status code 2.
struct OtlpCounts
{
    int spans = 0;
    int uniqueSpans = 0;
    int traces = 0;
    int errors = 0;
};

inline OtlpCounts countOtlp(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QByteArray all = file.readAll();
    QList<QByteArray> documents;
    QJsonParseError error {};
    QJsonDocument::fromJson(all, &error);
    if (error.error == QJsonParseError::NoError)
        documents << all;
    else
        documents = all.split('\n');
    OtlpCounts counts;
    QSet<QString> traces;
    QSet<QString> spans;
    for (const QByteArray& document : documents) {
        if (document.trimmed().isEmpty())
            continue;
        QJsonObject root = QJsonDocument::fromJson(document).object();
        if (root.contains(QStringLiteral("result")))
            root = root.value(QStringLiteral("result")).toObject();
        for (const auto resourceSpans : root.value(QStringLiteral("resourceSpans")).toArray()) {
            for (const auto scopeSpans : resourceSpans.toObject().value(QStringLiteral("scopeSpans")).toArray()) {
                for (const auto spanValue : scopeSpans.toObject().value(QStringLiteral("spans")).toArray()) {
                    const QJsonObject span = spanValue.toObject();
                    const QString trace = span.value(QStringLiteral("traceId")).toString().toLower();
                    ++counts.spans;
                    traces.insert(trace);
                    spans.insert(trace + QLatin1Char('/') + span.value(QStringLiteral("spanId")).toString().toLower());
                    if (span.value(QStringLiteral("status")).toObject().value(QStringLiteral("code")).toInt() == 2)
                        ++counts.errors;
                }
            }
        }
    }
    counts.traces = static_cast<int>(traces.size());
    counts.uniqueSpans = static_cast<int>(spans.size());
    return counts;
}

// A text dump of a model (tree rows indented by depth), for comparing with expected lines.
inline void dumpRows(
    const QAbstractItemModel& model, const QModelIndex& parent, int depth, int columns, QStringList& lines)
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        QStringList cells;
        for (int column = 0; column < columns; ++column)
            cells << model.index(row, column, parent).data().toString();
        lines << QString(depth * 2, QLatin1Char(' ')) + cells.join(QStringLiteral(" | "));
        dumpRows(model, model.index(row, 0, parent), depth + 1, columns, lines);
    }
}

inline QStringList dumpModel(const QAbstractItemModel& model, int columns)
{
    QStringList lines;
    dumpRows(model, {}, 0, columns, lines);
    return lines;
}

} // namespace TestUtils
