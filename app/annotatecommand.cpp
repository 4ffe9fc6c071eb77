#include "annotatecommand.h"

#include "clisupport.h"

#include <annotationstore.h>
#include <schema.h>
#include <tracesnapshot.h>

#include <QDateTime>
#include <QFile>
#include <QSaveFile>

#include <iostream>

namespace Tracelight::Cli {

namespace {

std::int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The annotations of another cache, read-only; none from a cache older than annotations.
std::vector<Annotation> annotationsOfCache(const std::string& path)
{
    Sql::Database db(path, Sql::Database::Mode::ReadOnly);
    if (Schema::version(db) < 6)
        return {};
    return AnnotationStore::all(db);
}

// The annotations of an export, line by line; throws naming the line that is wrong.
std::vector<Annotation> annotationsOfExport(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw StoreError(path.toStdString() + ": " + file.errorString().toStdString());
    std::vector<Annotation> out;
    std::int64_t line = 0;
    while (!file.atEnd()) {
        ++line;
        const QByteArray text = file.readLine().trimmed();
        if (text.isEmpty())
            continue;
        std::string error;
        auto a = annotationFromJson(std::string_view(text.constData(), std::size_t(text.size())), error);
        if (!a)
            throw StoreError(path.toStdString() + ": line " + std::to_string(line) + ": " + error);
        out.push_back(std::move(*a));
    }
    return out;
}

} // namespace

int annotateCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption label(QStringLiteral("label"),
        QStringLiteral("A label, for example correct, wrong, \"root cause\", hallucination, \"policy violation\" "
                       "(\"\" removes it)."),
        QStringLiteral("L"));
    const QCommandLineOption rating(
        QStringLiteral("rating"), QStringLiteral("A rating from 1 to 5 (0 removes it)."), QStringLiteral("N"));
    const QCommandLineOption note(
        QStringLiteral("note"), QStringLiteral("A free note (\"\" removes it)."), QStringLiteral("TEXT"));
    const QCommandLineOption author(QStringLiteral("author"),
        QStringLiteral("Whose annotation (default: $TRACELIGHT_AUTHOR, else your login name)."),
        QStringLiteral("NAME"));
    const QCommandLineOption remove(QStringLiteral("delete"), QStringLiteral("Delete the annotation."));
    parser.addOptions({ label, rating, note, author, remove, jsonOption() });
    if (!parse(parser, arguments,
            QStringLiteral("Annotate a run (or one of its steps): a label, a rating, a note. What you set replaces "
                           "what you had set there; the rest stays. Kept apart from the imported data."),
            QStringLiteral("TRACE_ID [SPAN_ID]"),
            QStringLiteral("The run (a unique prefix is enough) and, for a step, its span id (a unique prefix).")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    const QStringList positional = parser.positionalArguments();
    const bool changes = parser.isSet(label) || parser.isSet(rating) || parser.isSet(note);
    if (positional.isEmpty() || positional.size() > 2 || changes == parser.isSet(remove)) {
        err(QStringLiteral("tracelight annotate: give TRACE_ID [SPAN_ID] and --label, --rating or --note, or "
                           "--delete (see tracelight annotate --help)"));
        return ExitUsage;
    }
    std::optional<int> ratingValue;
    if (parser.isSet(rating)) {
        bool ok = false;
        const int value = parser.value(rating).toInt(&ok);
        if (!ok || value < 0 || value > 5) {
            err(QStringLiteral("tracelight annotate: --rating is 1 to 5 (0 removes it), not \"%1\"")
                    .arg(parser.value(rating)));
            return ExitUsage;
        }
        if (value > 0)
            ratingValue = value;
    }

    TraceStore store(databasePath(parser));
    std::string error;
    const auto trace = findTrace(store, positional.front().toStdString(), error);
    if (!trace) {
        std::cerr << "tracelight annotate: " << error << '\n';
        return ExitFailure;
    }
    std::string spanId;
    if (positional.size() == 2) {
        const std::string wanted = positional.at(1).toStdString();
        const auto snapshot = TraceSnapshot::build(*trace, store.steps(trace->traceId));
        int found = snapshot->indexOf(wanted);
        for (int i = 0; found < 0 && i < snapshot->size(); ++i) {
            if (snapshot->step(i).spanId.rfind(wanted, 0) != 0)
                continue;
            for (int j = i + 1; j < snapshot->size(); ++j)
                if (snapshot->step(j).spanId.rfind(wanted, 0) == 0) {
                    std::cerr << "tracelight annotate: the span id prefix \"" << wanted << "\" is ambiguous\n";
                    return ExitFailure;
                }
            found = i;
        }
        if (found < 0) {
            std::cerr << "tracelight annotate: no step \"" << wanted << "\" in trace " << trace->traceId << '\n';
            return ExitFailure;
        }
        spanId = snapshot->step(found).spanId;
    }
    const std::string who = parser.isSet(author) ? parser.value(author).toStdString() : defaultAnnotationAuthor();
    const std::string where = trace->traceId + (spanId.empty() ? std::string() : " step " + spanId);
    if (parser.isSet(remove)) {
        if (!AnnotationStore::remove(store.database(), trace->traceId, spanId, who)) {
            std::cerr << "tracelight annotate: " << who << " has no annotation on " << where << '\n';
            return ExitFailure;
        }
        std::cout << "deleted " << who << "'s annotation on " << where << '\n';
        return ExitOk;
    }
    Annotation a = AnnotationStore::find(store.database(), trace->traceId, spanId, who).value_or(Annotation {});
    a.traceId = trace->traceId;
    a.spanId = spanId;
    a.author = who;
    if (parser.isSet(label))
        a.label = parser.value(label).trimmed().toStdString();
    if (parser.isSet(rating))
        a.rating = ratingValue;
    if (parser.isSet(note))
        a.note = parser.value(note).toStdString();
    a.updatedMs = nowMs();
    if (a.createdMs == 0)
        a.createdMs = a.updatedMs;
    if (const std::string problem = annotationProblem(a); !problem.empty()) {
        std::cerr << "tracelight annotate: " << problem << '\n';
        return ExitUsage;
    }
    if (a.empty())
        AnnotationStore::remove(store.database(), a.traceId, a.spanId, a.author);
    else
        AnnotationStore::set(store.database(), a);
    if (parser.isSet(QStringLiteral("json")))
        std::cout << annotationToJson(a) << '\n';
    else
        std::cout << (a.empty() ? "cleared " : "annotated ") << where << (a.label.empty() ? "" : ": " + a.label)
                  << (a.rating ? " (" + std::to_string(*a.rating) + "/5)" : std::string()) << '\n';
    return ExitOk;
}

int annotationsCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption output(QStringList { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("export: the file to write (default: standard output)."), QStringLiteral("FILE"));
    parser.addOption(output);
    if (!parse(parser, arguments,
            QStringLiteral("export: every annotation of the cache as JSON Lines ({trace_id, span_id, label, rating, "
                           "note, created, author, updated}).\nimport: merge annotations from exports or other "
                           "caches; for each run, step and author the one updated last wins."),
            QStringLiteral("export|import [FILE…]"), QStringLiteral("What to do, and for import the files.")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    if ((action != QLatin1String("export") || positional.size() != 1)
        && (action != QLatin1String("import") || positional.size() < 2)) {
        err(QStringLiteral("tracelight annotations: give export [-o FILE], or import FILE… "
                           "(see tracelight annotations --help)"));
        return ExitUsage;
    }
    if (action == QLatin1String("export")) {
        TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
        std::string lines;
        const std::vector<Annotation> all = AnnotationStore::all(store.database());
        for (const Annotation& a : all)
            lines += annotationToJson(a) + '\n';
        const QString path = parser.value(output);
        if (path.isEmpty() || path == QLatin1String("-")) {
            std::cout << lines;
            return std::cout ? ExitOk : ExitFailure;
        }
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(lines.data(), qint64(lines.size())) < 0 || !file.commit()) {
            err(QStringLiteral("tracelight annotations: cannot write %1: %2").arg(path, file.errorString()));
            return ExitFailure;
        }
        std::cout << path.toStdString() << ": " << all.size() << " annotations\n";
        return ExitOk;
    }
    std::vector<Annotation> incoming;
    for (const QString& path : positional.mid(1)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            err(QStringLiteral("tracelight annotations: %1: %2").arg(path, file.errorString()));
            return ExitFailure;
        }
        const bool isCache = file.peek(16) == QByteArray("SQLite format 3\0", 16);
        file.close();
        std::vector<Annotation> some = isCache ? annotationsOfCache(path.toStdString()) : annotationsOfExport(path);
        incoming.insert(incoming.end(), std::make_move_iterator(some.begin()), std::make_move_iterator(some.end()));
    }
    TraceStore store(databasePath(parser));
    const AnnotationStore::MergeResult result = AnnotationStore::merge(store.database(), incoming);
    std::int64_t elsewhere = 0;
    for (const Annotation& a : incoming)
        elsewhere += store.trace(a.traceId) ? 0 : 1;
    std::cout << result.added << " added, " << result.updated << " updated, " << result.unchanged << " unchanged";
    if (elsewhere > 0)
        std::cout << " (" << elsewhere << " of runs not in this cache: kept for when they are imported)";
    std::cout << '\n';
    return ExitOk;
}

} // namespace Tracelight::Cli
