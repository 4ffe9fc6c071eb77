#pragma once

#include <Qt>

namespace Tracelight {

// Roles shared by the item models and the delegates that paint them (GammaRay's modelroles.h idea).
enum ModelRole
{
    SortRole = Qt::UserRole + 1, // raw value for sorting (numbers as numbers)
    TraceIdRole,
    ServiceRole,
    VersionRole,
    HasErrorsRole,
    KindRole, // StepKind as int
    StatusRole, // StepStatus as int
    SpanIdRole,
    StepIndexRole, // index into the TraceSnapshot
    DepthRole,
    SnippetRole, // search snippet with TraceSearch match markers
    AttributePathRole, // "span.gen_ai.request.model", "resource.service.name", "events[0].name"
    AttributeValueRole, // the whole value as text (the display is cut)
    AttributeJsonRole, // the value as JSON
    PathRole, // a file's absolute path
    ImportStateRole, // CodingSession::State as int
    FindingsRole, // how many findings the cache holds for a run
    FindingSeverityRole, // the most severe of them (FindingSeverity as int), -1 for none
    AnnotationsRole, // how many annotations people added to a run and its steps
    SessionIdRole, // the session or conversation a run belongs to
};

} // namespace Tracelight
