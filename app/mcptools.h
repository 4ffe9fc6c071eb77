#pragma once

#include "mcpserver.h"

#include <QStringList>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

namespace Tracelight {
class TraceStore;
}

namespace Tracelight::Cli {

// What `tracelight mcp` serves: tools and run resources over the cache, read-only (README "Let agents read the
// traces"). The cache is opened read-only on the first request that needs it, so a server configured before
// anything was imported starts and says what to do. Trace text in the text results is delimited as data.
class McpTools final : public Mcp::Handler
{
public:
    // source: serve only the runs imported from this source (a file's path or name, a folder, or an importer such
    // as otlp-http for the collector); empty for every run.
    McpTools(std::string databasePath, std::string source);
    ~McpTools() override;

    std::string instructions() override;
    nlohmann::json tools() override;
    nlohmann::json callTool(
        const std::string& name, const nlohmann::json& arguments, Mcp::RequestContext& context) override;
    nlohmann::json listResources(const std::string& cursor, Mcp::RequestContext& context) override;
    nlohmann::json resourceTemplates() override;
    nlohmann::json readResource(const std::string& uri, Mcp::RequestContext& context) override;
    void interrupt() override;

    // The markers around trace text in text results: "<<<TRACE DATA 1a2b3c4d>>>" … "<<<END TRACE DATA 1a2b3c4d>>>",
    // with a random id a session, so that no text in a trace can close the block early.
    std::string dataBlock(const std::string& text) const;

private:
    struct Call;
    TraceStore& store();
    // The runs the source allows (nullopt: all), read once a call.
    const std::optional<std::unordered_set<std::string>>& allowed(Call& call);

    nlohmann::json listRuns(Call& call);
    nlohmann::json getRun(Call& call);
    nlohmann::json getStep(Call& call);
    nlohmann::json search(Call& call);
    nlohmann::json compareRuns(Call& call);
    nlohmann::json findIssues(Call& call);
    nlohmann::json stats(Call& call);

    std::string m_path;
    std::string m_source;
    std::string m_nonce;
    std::mutex m_storeMutex; // guards m_store's creation against interrupt() from the reading thread
    std::unique_ptr<TraceStore> m_store;
};

int mcpCommand(const QStringList& arguments);

} // namespace Tracelight::Cli
