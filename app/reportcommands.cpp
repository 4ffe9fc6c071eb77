#include "reportcommands.h"

#include "clisupport.h"

#include <auditreport.h>
#include <fileimport.h>
#include <integrityhash.h>
#include <redactor.h>
#include <reportdocument.h>
#include <reportintegrity.h>
#include <tracesnapshot.h>
#include <tracewriter.h>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <iostream>

namespace Tracelight::Cli {

int reportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption format(
        QStringLiteral("format"), QStringLiteral("pdf, html, json or md."), QStringLiteral("FORMAT"));
    const QCommandLineOption output(QStringList { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The report file to write."), QStringLiteral("FILE"));
    const QCommandLineOption redact(QStringLiteral("redact"),
        QStringLiteral("Replace e-mail addresses, phone numbers, card numbers, API keys and tokens and IP addresses "
                       "by placeholders such as [EMAIL#1]."));
    const QCommandLineOption pattern(QStringLiteral("redact-pattern"),
        QStringLiteral("Also redact what this regular expression matches (repeatable; implies --redact)."),
        QStringLiteral("RE"));
    const QCommandLineOption compare(QStringLiteral("compare"),
        QStringLiteral("Add a step-by-step comparison with another trace."), QStringLiteral("OTHER_TRACE"));
    parser.addOptions({ format, output, redact, pattern, compare });
    if (!parse(parser, arguments,
            QStringLiteral("Write an audit report of a trace: context, timeline, every decision in causal order, "
                           "errors, tokens and cost, sources, and an integrity hash that tracelight verify checks."),
            QStringLiteral("TRACE_ID"), QStringLiteral("The trace to report on (a unique prefix is enough).")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    const QString formatName = parser.value(format);
    static const QStringList formats
        = { QStringLiteral("pdf"), QStringLiteral("html"), QStringLiteral("json"), QStringLiteral("md") };
    if (parser.positionalArguments().size() != 1 || !parser.isSet(output) || !formats.contains(formatName)) {
        err(QStringLiteral("tracelight report: give one TRACE_ID, --format pdf|html|json|md and -o FILE "
                           "(see tracelight report --help)"));
        return ExitUsage;
    }
    std::optional<Redactor> redactor;
    if (parser.isSet(redact) || parser.isSet(pattern)) {
        redactor.emplace(parser.values(pattern));
        if (!redactor->errors().isEmpty()) {
            err(QStringLiteral("tracelight report: ") + redactor->errors().join(QStringLiteral("; ")));
            return ExitUsage;
        }
    }

    TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
    std::string error;
    const auto trace = findTrace(store, parser.positionalArguments().front().toStdString(), error);
    std::optional<TraceSummary> other;
    if (trace && parser.isSet(compare))
        other = findTrace(store, parser.value(compare).toStdString(), error);
    if (!trace || (parser.isSet(compare) && !other)) {
        std::cerr << "tracelight report: " << error << '\n';
        return ExitFailure;
    }
    const auto report = AuditReport::build(
        store, trace->traceId, redactor ? &*redactor : nullptr, other ? std::string_view(other->traceId) : "");
    if (!report) {
        std::cerr << "tracelight report: trace " << trace->traceId << " vanished from the cache\n";
        return ExitFailure;
    }

    const QString path = parser.value(output);
    QString writeError;
    // Only the painted formats need the timeline picture.
    const QByteArray png = formatName == QLatin1String("html") || formatName == QLatin1String("pdf")
        ? ReportDocument::timelinePng(TraceSnapshot::build(*trace, store.steps(trace->traceId)))
        : QByteArray();
    const bool ok = ReportDocument::write(*report, png, formatName, path, writeError);
    if (!ok) {
        err(QStringLiteral("tracelight report: cannot write %1: %2").arg(path, writeError));
        return ExitFailure;
    }
    out(QStringLiteral("%1: %2 report of trace %3, %4 steps, sha256 %5%6")
            .arg(path, formatName, QString::fromStdString(report->traceId))
            .arg(report->steps.size())
            .arg(QString::fromStdString(report->integrity.hash()),
                report->redacted ? QStringLiteral(", redacted") : QString()));
    return ExitOk;
}

int verifyCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption traceFile(QStringLiteral("trace"),
        QStringLiteral("Recompute the hash from this original trace file (imported into a temporary cache) "
                       "instead of the cache."),
        QStringLiteral("FILE"));
    parser.addOption(traceFile);
    if (!parse(parser, arguments,
            QStringLiteral("Check an audit report against the trace it describes. Exit status: 0 match, 1 mismatch "
                           "(what differs is printed), 2 usage error or unreadable report."),
            QStringLiteral("REPORT"), QStringLiteral("A report written by tracelight report (json, html, md or pdf).")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    if (parser.positionalArguments().size() != 1 || (parser.isSet(traceFile) && parser.isSet(QStringLiteral("db")))) {
        err(QStringLiteral("tracelight verify: give one REPORT, and --db DB or --trace FILE (see tracelight verify "
                           "--help)"));
        return ExitUsage;
    }
    const QString reportPath = parser.positionalArguments().front();
    QFile file(reportPath);
    if (!file.open(QIODevice::ReadOnly)) {
        err(QStringLiteral("tracelight verify: cannot read %1: %2").arg(reportPath, file.errorString()));
        return ExitUsage;
    }
    const QByteArray content = file.readAll();
    std::string error;
    std::optional<ReportIntegrity> claimed;
    if (content.startsWith("%PDF")) {
        QProcess pdftotext;
        pdftotext.start(QStringLiteral("pdftotext"), { reportPath, QStringLiteral("-") });
        if (!pdftotext.waitForFinished(60000) || pdftotext.exitCode() != 0) {
            err(QStringLiteral("tracelight verify: pdftotext (poppler-utils) could not read %1").arg(reportPath));
            return ExitUsage;
        }
        claimed = ReportIntegrity::readPdfText(QString::fromUtf8(pdftotext.readAllStandardOutput()), error);
    } else {
        claimed = ReportIntegrity::read(content, error);
    }
    if (!claimed) {
        std::cout << "mismatch: " << reportPath.toStdString() << ": " << error << '\n';
        return ExitFailure;
    }
    if (claimed->self == ReportIntegrity::SelfCheck::Mismatch) {
        std::cout << "mismatch: the report file was edited (its report-sha256 does not match its content)\n";
        return ExitFailure;
    }

    IntegrityHash actual;
    std::string where;
    if (parser.isSet(traceFile)) {
        QTemporaryDir dir;
        if (!dir.isValid()) {
            err(QStringLiteral("tracelight verify: cannot create a temporary folder"));
            return ExitFailure;
        }
        TraceStore store(dir.filePath(QStringLiteral("verify.sqlite")).toStdString());
        {
            TraceWriter writer(store);
            const ImportOutcome outcome = importFile(parser.value(traceFile).toStdString(), writer, ImportContext());
            if (!outcome.ok()) {
                std::cerr << "tracelight verify: " << outcome.error.toString() << '\n';
                return ExitUsage;
            }
        }
        actual = IntegrityHash::compute(store, claimed->traceId);
        where = "the trace file " + parser.value(traceFile).toStdString();
    } else {
        TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
        actual = IntegrityHash::compute(store, claimed->traceId);
        where = "the cache " + store.path();
    }
    if (!actual.found()) {
        std::cout << "mismatch: trace " << claimed->traceId << " is not in " << where << '\n';
        return ExitFailure;
    }
    if (actual.hash() == claimed->hash) {
        std::cout << "match: trace " << claimed->traceId << ", " << actual.steps().size() << " steps, sha256 "
                  << actual.hash() << " (" << where << ")\n";
        return ExitOk;
    }
    std::cout << "mismatch: trace " << claimed->traceId << ": the report says sha256 " << claimed->hash << ", " << where
              << " gives " << actual.hash() << '\n';
    for (const std::string& line : IntegrityHash::differences(claimed->steps, actual.steps()))
        std::cout << "  " << line << '\n';
    return ExitFailure;
}

} // namespace Tracelight::Cli
