#pragma once

#include "chunkreader.h"
#include "importcontext.h"
#include "importissue.h"

#include <step.h>
#include <stepsink.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// Thrown by an importer for a problem that stops the file; the file is then rolled back whole.
class ImportFailure : public std::runtime_error
{
public:
    ImportFailure(std::string where, const std::string& message)
        : std::runtime_error(message)
        , m_where(std::move(where))
    { }
    const std::string& where() const { return m_where; }

private:
    std::string m_where;
};

// One file being imported: the reader, where the steps go, and what the importer has to say about the file.
class ImportJob
{
public:
    ImportJob(std::string file, ChunkReader& reader, StepSink& sink, const ImportContext& context);

    const std::string& file() const { return m_file; }
    ChunkReader& reader() { return m_reader; }
    const ImportContext& context() const { return m_context; }

    // Queues a converted step; batches go to the sink once releasable (see holdBatches).
    void addStep(Step&& step);
    // While held, steps wait in memory (an importer still waiting for data the steps share, such as an OTLP
    // resource that comes after its spans). Releasing flushes what waited.
    void holdBatches(bool hold);
    void flush();

    void warn(std::string where, std::string message);
    // Text formats: from here on the reader repairs what is not UTF-8 (ChunkReader::repairText) and every line
    // with repairs gets a warning naming it. The one UTF-8 policy of every text importer.
    void repairInvalidText();
    // The same for another file the importer reads along with this one.
    void repairInvalidText(ChunkReader& reader, const std::string& file);
    // A warning about another file the importer reads along with this one (a session's sub-agent logs).
    void warnInFile(std::string file, std::string where, std::string message);
    std::int64_t spans() const { return m_spans; }
    std::vector<ImportIssue> takeWarnings();

private:
    std::string m_file;
    ChunkReader& m_reader;
    StepSink& m_sink;
    const ImportContext& m_context;
    StepBatch m_batch;
    bool m_hold = false;
    std::int64_t m_spans = 0;
    std::int64_t m_suppressedWarnings = 0;
    std::vector<ImportIssue> m_warnings;
};

// nlohmann's parse error text without its "[json.exception.parse_error.101] parse error at line 1, column 2: "
// prefix: the position it gives is relative to one JSON value, and importers name the absolute place themselves.
std::string jsonParseErrorText(const std::string& what);

// A file format. Importers turn bytes into steps and know nothing of widgets or the database.
class Importer
{
public:
    virtual ~Importer() = default;
    // Short stable name used by `import --format` and recorded with the source ("otlp-json").
    virtual std::string_view name() const = 0;
    virtual std::string_view description() const = 0;
    // How sure the importer is, from the first bytes of the file, that it can read it: 0 (no) to 100.
    virtual int probe(std::string_view head) const = 0;
    // Reads the whole file into job; throws ImportFailure for a problem that stops the file.
    virtual void read(ImportJob& job) = 0;
    // Text formats have what is not UTF-8 repaired before they read it (ImportJob::repairInvalidText); binary ones
    // repair their strings themselves.
    virtual bool readsText() const { return true; }
};

// Every importer, in probing order.
const std::vector<std::unique_ptr<Importer>>& importers();
Importer* importerByName(std::string_view name);

} // namespace Tracelight
