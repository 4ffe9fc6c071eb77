#include "importer.h"

#include "chrometraceimporter.h"
#include "codingagentimporters.h"
#include "inspectaiimporter.h"
#include "jaegerimporter.h"
#include "langfuseimporter.h"
#include "langsmithimporter.h"
#include "openaiagentsimporter.h"
#include "otlpjsonimporter.h"
#include "otlpprotoimporter.h"
#include "phoenixjsonlimporter.h"
#include "sweagentimporter.h"

namespace Tracelight {

namespace {
constexpr std::size_t batchSize = 1000;
constexpr std::size_t maxWarnings = 50;
} // namespace

ImportJob::ImportJob(std::string file, ChunkReader& reader, StepSink& sink, const ImportContext& context)
    : m_file(std::move(file))
    , m_reader(reader)
    , m_sink(sink)
    , m_context(context)
{
    m_batch.reserve(batchSize);
}

void ImportJob::addStep(Step&& step)
{
    m_batch.push_back(std::move(step));
    ++m_spans;
    if (!m_hold && m_batch.size() >= batchSize)
        flush();
}

void ImportJob::holdBatches(bool hold)
{
    m_hold = hold;
    if (!hold && m_batch.size() >= batchSize)
        flush();
}

void ImportJob::flush()
{
    if (m_batch.empty())
        return;
    m_sink.addSteps(std::move(m_batch));
    m_batch = {};
    m_batch.reserve(batchSize);
}

void ImportJob::warn(std::string where, std::string message)
{
    warnInFile(m_file, std::move(where), std::move(message));
}

void ImportJob::repairInvalidText()
{
    repairInvalidText(m_reader, m_file);
}

void ImportJob::repairInvalidText(ChunkReader& reader, const std::string& file)
{
    reader.repairText([this, file](const Utf8::RepairPlace& place) {
        warnInFile(file, "line " + std::to_string(place.line) + " (byte " + std::to_string(place.offset) + ")",
            std::to_string(place.count)
                + " invalid UTF-8 sequence(s) or lone surrogate escape(s) replaced with U+FFFD");
    });
}

void ImportJob::warnInFile(std::string file, std::string where, std::string message)
{
    if (m_warnings.size() >= maxWarnings) {
        ++m_suppressedWarnings;
        return;
    }
    m_warnings.push_back({ ImportIssue::Severity::Warning, std::move(file), std::move(where), std::move(message) });
}

std::vector<ImportIssue> ImportJob::takeWarnings()
{
    if (m_suppressedWarnings > 0) {
        m_warnings.push_back({ ImportIssue::Severity::Warning, m_file, {},
            std::to_string(m_suppressedWarnings) + " more warnings not shown" });
        m_suppressedWarnings = 0;
    }
    return std::move(m_warnings);
}

std::string jsonParseErrorText(const std::string& what)
{
    const auto column = what.find("column ");
    if (column != std::string::npos) {
        const auto colon = what.find(": ", column);
        if (colon != std::string::npos)
            return what.substr(colon + 2);
    }
    const auto bracket = what.find("] ");
    return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

const std::vector<std::unique_ptr<Importer>>& importers()
{
    static const std::vector<std::unique_ptr<Importer>> all = [] {
        std::vector<std::unique_ptr<Importer>> list;
        list.push_back(std::make_unique<OtlpJsonImporter>());
        list.push_back(std::make_unique<PhoenixJsonlImporter>());
        list.push_back(std::make_unique<OtlpProtoImporter>());
        list.push_back(std::make_unique<ClaudeCodeImporter>());
        list.push_back(std::make_unique<CodexImporter>());
        list.push_back(std::make_unique<GeminiCliImporter>());
        list.push_back(std::make_unique<LangSmithImporter>());
        list.push_back(std::make_unique<LangfuseImporter>());
        list.push_back(std::make_unique<OpenAiAgentsImporter>());
        list.push_back(std::make_unique<JaegerJsonImporter>());
        list.push_back(std::make_unique<ChromeTraceImporter>());
        list.push_back(std::make_unique<SweAgentImporter>());
        list.push_back(std::make_unique<InspectAiImporter>());
        list.push_back(std::make_unique<InspectEvalImporter>());
        return list;
    }();
    return all;
}

Importer* importerByName(std::string_view name)
{
    for (const auto& importer : importers()) {
        if (importer->name() == name)
            return importer.get();
    }
    return nullptr;
}

} // namespace Tracelight
