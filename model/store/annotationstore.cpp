#include "annotationstore.h"

#include <algorithm>

namespace Tracelight {

namespace {

constexpr std::string_view Columns
    = "trace_id, span_id, author, label, rating, note, created_ms, updated_ms FROM annotations ";

Annotation read(const Sql::Statement& row)
{
    Annotation a;
    a.traceId = std::string(row.text(0));
    a.spanId = std::string(row.text(1));
    a.author = std::string(row.text(2));
    a.label = std::string(row.text(3));
    if (const auto rating = row.optInt64(4))
        a.rating = int(*rating);
    a.note = std::string(row.text(5));
    a.createdMs = row.int64(6);
    a.updatedMs = row.int64(7);
    return a;
}

void write(Sql::Database& db, const Annotation& a)
{
    auto upsert = db.prepare(
        "INSERT INTO annotations(trace_id, span_id, author, label, rating, note, created_ms, updated_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(trace_id, span_id, author) DO UPDATE SET "
        "label = excluded.label, rating = excluded.rating, note = excluded.note, updated_ms = excluded.updated_ms");
    upsert.bind(1, a.traceId)
        .bind(2, a.spanId)
        .bind(3, a.author)
        .bind(4, a.label)
        .bind(5, a.rating ? std::optional<std::int64_t>(*a.rating) : std::nullopt)
        .bind(6, a.note)
        .bind(7, a.createdMs)
        .bind(8, a.updatedMs)
        .run();
}

} // namespace

void AnnotationStore::set(Sql::Database& db, const Annotation& a)
{
    if (const std::string problem = annotationProblem(a); !problem.empty())
        throw StoreError("cannot store the annotation: " + problem);
    Sql::Transaction transaction(db);
    write(db, a);
    transaction.commit();
}

bool AnnotationStore::remove(
    Sql::Database& db, std::string_view traceId, std::string_view spanId, std::string_view author)
{
    auto statement = db.prepare("DELETE FROM annotations WHERE trace_id = ?1 AND span_id = ?2 AND author = ?3");
    statement.bind(1, traceId).bind(2, spanId).bind(3, author).run();
    return db.changes() > 0;
}

std::optional<Annotation> AnnotationStore::find(
    const Sql::Database& db, std::string_view traceId, std::string_view spanId, std::string_view author)
{
    auto query = db.prepare("SELECT " + std::string(Columns) + "WHERE trace_id = ?1 AND span_id = ?2 AND author = ?3");
    query.bind(1, traceId).bind(2, spanId).bind(3, author);
    if (!query.step())
        return std::nullopt;
    return read(query);
}

std::vector<Annotation> AnnotationStore::forTrace(const Sql::Database& db, std::string_view traceId)
{
    auto query = db.prepare("SELECT " + std::string(Columns) + "WHERE trace_id = ?1 ORDER BY span_id, author");
    query.bind(1, traceId);
    std::vector<Annotation> out;
    while (query.step())
        out.push_back(read(query));
    return out;
}

std::vector<Annotation> AnnotationStore::all(const Sql::Database& db)
{
    auto query = db.prepare("SELECT " + std::string(Columns) + "ORDER BY trace_id, span_id, author");
    std::vector<Annotation> out;
    while (query.step())
        out.push_back(read(query));
    return out;
}

AnnotationStore::MergeResult AnnotationStore::merge(Sql::Database& db, const std::vector<Annotation>& incoming)
{
    MergeResult result;
    Sql::Transaction transaction(db);
    for (const Annotation& a : incoming) {
        if (const std::string problem = annotationProblem(a); !problem.empty())
            throw StoreError("cannot merge the annotation of " + a.traceId + ": " + problem);
        const auto ours = find(db, a.traceId, a.spanId, a.author);
        if (ours && ours->updatedMs >= a.updatedMs) {
            ++result.unchanged;
            continue;
        }
        Annotation merged = a;
        if (ours)
            merged.createdMs = std::min(ours->createdMs, a.createdMs);
        write(db, merged);
        ++(ours ? result.updated : result.added);
    }
    transaction.commit();
    return result;
}

} // namespace Tracelight
