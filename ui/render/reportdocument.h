#pragma once

#include <auditreport.h>
#include <tracesnapshot.h>

#include <QByteArray>
#include <QString>

namespace Tracelight {

// The painted parts of an audit report: the timeline picture and the PDF. Needs a QGuiApplication (the offscreen
// platform is enough), like `tracelight render`.
namespace ReportDocument {

// The waterfall of the trace as a PNG, as tall as its rows (at most 3000 pixels).
QByteArray timelinePng(const TraceSnapshotPtr& snapshot, int width = 1200);

// A paginated A4 PDF: a title page (context, integrity line, redaction), then totals, sources, the timeline, the
// steps table (its header repeated on every page it spans) and every decision with its texts wrapped in monospace.
// Every page but the title page has a header (trace name and id) and a footer ("Page n of N").
bool writePdf(const AuditReport& report, const QByteArray& timelinePng, const QString& path, QString& error);

// Writes the report as format (pdf, html, json or md), whole or not at all.
bool write(const AuditReport& report, const QByteArray& timelinePng, const QString& format, const QString& path,
    QString& error);

} // namespace ReportDocument

} // namespace Tracelight
