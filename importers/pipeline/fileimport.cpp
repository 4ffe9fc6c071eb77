#include "fileimport.h"

#include "importer.h"
#include "pipelinedsink.h"

#include <stepsink.h>

#include <chrono>
#include <cmath>

namespace Tracelight {

namespace {

std::string formatList()
{
    std::string list;
    for (const auto& importer : importers())
        list += (list.empty() ? "" : ", ") + std::string(importer->name());
    return list;
}

bool looksBinary(std::string_view head)
{
    const std::string_view sample = head.substr(0, 4096);
    return sample.find('\0') != std::string_view::npos;
}

} // namespace

std::vector<std::string> formatNames()
{
    std::vector<std::string> names;
    for (const auto& importer : importers())
        names.emplace_back(importer->name());
    return names;
}

ImportOutcome importFile(const std::string& path, StepSink& target, const ImportContext& context)
{
    PipelinedSink sink(target);
    const auto started = std::chrono::steady_clock::now();
    ImportOutcome outcome;
    outcome.file = path;
    auto failed = [&](std::string where, std::string message) {
        outcome.status = ImportOutcome::Status::Failed;
        outcome.error = { ImportIssue::Severity::Error, path, std::move(where), std::move(message) };
        outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return outcome;
    };

    ChunkReader reader;
    if (const std::string error = reader.open(path); !error.empty())
        return failed({}, "cannot open: " + error);
    outcome.bytes = reader.size();
    const std::string_view head = reader.buffered();

    Importer* importer = nullptr;
    if (!context.forcedFormat.empty()) {
        importer = importerByName(context.forcedFormat);
        if (!importer)
            return failed({}, "unknown format \"" + context.forcedFormat + "\"; known formats: " + formatList());
    } else {
        if (head.find_first_not_of(" \t\r\n") == std::string_view::npos)
            return failed({}, "the file is empty");
        int best = 0;
        for (const auto& candidate : importers()) {
            const int confidence = candidate->probe(head);
            if (confidence > best) {
                best = confidence;
                importer = candidate.get();
            }
        }
        if (!importer) {
            return failed("byte 0",
                looksBinary(head) ? "binary data, not a trace format Tracelight reads (" + formatList() + ")"
                                  : "not a trace format Tracelight recognizes (" + formatList() + ")");
        }
    }
    outcome.format = std::string(importer->name());

    const double size = std::max<double>(1.0, static_cast<double>(reader.size()));
    ImportJob job(path, reader, sink, context);
    if (importer->readsText())
        job.repairInvalidText();
    double lastReported = -1.0;
    reader.setChunkCallback([&](std::int64_t offset) {
        if (context.cancelled()) {
            reader.stop();
            return;
        }
        const double fraction = std::min(1.0, static_cast<double>(offset) / size);
        if (context.progress && fraction - lastReported >= 0.001) {
            lastReported = fraction;
            context.progress(fraction, job.spans());
        }
    });

    try {
        sink.beginFile(path, outcome.format, reader.size());
        importer->read(job);
        if (!context.cancelled())
            job.flush();
        if (context.cancelled()) {
            sink.rollbackFile();
            outcome.status = ImportOutcome::Status::Cancelled;
            outcome.warnings = job.takeWarnings();
            outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            return outcome;
        }
        reader.drainIsBlank();
        outcome.sha256 = reader.sha256Hex();
        const FileImportStats stats = sink.commitFile(outcome.sha256);
        outcome.spans = stats.spans;
        outcome.newSpans = stats.newSpans;
        outcome.traces = stats.traces;
        outcome.alreadyImported = stats.alreadyImported;
    } catch (const ImportFailure& failure) {
        sink.rollbackFile();
        outcome.warnings = job.takeWarnings();
        if (context.cancelled()) {
            outcome.status = ImportOutcome::Status::Cancelled;
            return outcome;
        }
        return failed(failure.where(), failure.what());
    } catch (const std::exception& error) {
        // The cache refused a write (disk full, locked, …) or the importer hit something unforeseen: the
        // file still goes back whole, and the message says what happened.
        try {
            sink.rollbackFile();
        } catch (...) { }
        outcome.warnings = job.takeWarnings();
        return failed(reader.location(), error.what());
    }
    outcome.warnings = job.takeWarnings();
    if (context.progress)
        context.progress(1.0, outcome.spans);
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return outcome;
}

} // namespace Tracelight
