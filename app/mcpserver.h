#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

// The Model Context Protocol over stdio (trace-formats-2026.md section 8): JSON-RPC 2.0, a message a line; the
// handshake era (initialize, answered with 2025-11-25 or the client's 2025-06-18, 2025-03-26, 2024-11-05). Requests
// run one at a time on the calling thread while a reading thread keeps reading, so that a cancellation
// (notifications/cancelled) reaches the request that runs: it is interrupted and gets no answer.
namespace Tracelight::Mcp {

// A JSON-RPC error answer: -32602 invalid params, -32002 resource not found, …
struct ProtocolError : std::runtime_error
{
    ProtocolError(int code, const std::string& message)
        : std::runtime_error(message)
        , code(code)
    { }
    int code;
};

// Thrown by a request that notices it was cancelled.
struct Cancelled
{
};

// What a running request can ask of the server.
class RequestContext
{
public:
    RequestContext(const std::atomic<bool>& cancelled,
        std::function<void(double progress, std::optional<double> total, const std::string& message)> progress)
        : m_cancelled(cancelled)
        , m_progress(std::move(progress))
    { }
    bool cancelled() const { return m_cancelled.load(); }
    void checkCancelled() const
    {
        if (cancelled())
            throw Cancelled();
    }
    // A notifications/progress, when the request asked for them (a progressToken); nothing otherwise.
    void progress(double done, std::optional<double> total, const std::string& message) const
    {
        if (m_progress)
            m_progress(done, total, message);
    }

private:
    const std::atomic<bool>& m_cancelled;
    std::function<void(double, std::optional<double>, const std::string&)> m_progress;
};

// What the server serves.
class Handler
{
public:
    virtual ~Handler() = default;
    virtual std::string instructions() = 0;
    virtual nlohmann::json tools() = 0; // the Tool list
    // A CallToolResult ({content, structuredContent, isError?}); ProtocolError for an unknown tool.
    virtual nlohmann::json callTool(const std::string& name, const nlohmann::json& arguments, RequestContext& context)
        = 0;
    // {resources, nextCursor?}; ProtocolError(-32602) for a bad cursor.
    virtual nlohmann::json listResources(const std::string& cursor, RequestContext& context) = 0;
    virtual nlohmann::json resourceTemplates() = 0;
    // {contents}; ProtocolError(-32002) when there is no such resource.
    virtual nlohmann::json readResource(const std::string& uri, RequestContext& context) = 0;
    // Called from the reading thread: make what runs now stop soon (it then checks RequestContext::cancelled).
    virtual void interrupt() = 0;
};

class Server
{
public:
    static constexpr const char* LatestVersion = "2025-11-25";

    Server(Handler& handler, std::istream& in, std::ostream& out, std::ostream& log, std::string version);
    // Serves until the input ends (the requests read by then are answered first); returns the exit code.
    int run();

private:
    void readLoop();
    void handle(const nlohmann::json& message);
    nlohmann::json dispatch(const std::string& method, const nlohmann::json& params, RequestContext& context);
    void send(const nlohmann::json& message);
    void sendError(const nlohmann::json& id, int code, const std::string& message);

    Handler& m_handler;
    std::istream& m_in;
    std::ostream& m_out;
    std::ostream& m_log;
    std::string m_version;

    std::mutex m_mutex; // guards everything below, and writing to m_out
    std::condition_variable m_ready;
    std::deque<nlohmann::json> m_queue;
    bool m_inputEnded = false;
    std::optional<nlohmann::json> m_running; // the id of the request being handled
    std::atomic<bool> m_cancelRunning = false;
    std::vector<nlohmann::json> m_cancelledWaiting; // ids cancelled before they started
    std::mutex m_writeMutex;
    std::string m_logLevel = "info";
};

} // namespace Tracelight::Mcp
