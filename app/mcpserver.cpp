#include "mcpserver.h"

#include <algorithm>
#include <chrono>
#include <istream>
#include <ostream>
#include <thread>

namespace Tracelight::Mcp {

namespace {

using json = nlohmann::json;

constexpr int ParseError = -32700;
constexpr int InvalidRequest = -32600;
constexpr int MethodNotFound = -32601;
constexpr int InvalidParams = -32602;
constexpr int InternalError = -32603;

// A line longer than this is not read as a message (a client bug or an attack, not a request).
constexpr std::size_t MaxMessageBytes = 16 * 1024 * 1024;

// The reading thread's note that a line was not JSON, handled in order with the messages.
constexpr const char* ParseFailure = "\x01parse-failure";

const std::vector<std::string> knownVersions = { "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05" };

bool isValidId(const json& id)
{
    return id.is_string() || id.is_number_integer() || id.is_number_unsigned();
}

} // namespace

Server::Server(Handler& handler, std::istream& in, std::ostream& out, std::ostream& log, std::string version)
    : m_handler(handler)
    , m_in(in)
    , m_out(out)
    , m_log(log)
    , m_version(std::move(version))
{ }

int Server::run()
{
    std::thread reader([this] { readLoop(); });
    for (;;) {
        json message;
        {
            std::unique_lock lock(m_mutex);
            m_ready.wait(lock, [this] { return !m_queue.empty() || m_inputEnded; });
            if (m_queue.empty())
                break;
            message = std::move(m_queue.front());
            m_queue.pop_front();
            // Running from now on, for the reader: a cancellation that arrives while it is set reaches it.
            if (message.is_object() && message.contains("method") && message.contains("id")) {
                m_running = message["id"];
                m_cancelRunning = false;
            }
        }
        handle(message);
        std::lock_guard lock(m_mutex);
        m_running.reset();
    }
    reader.join();
    return 0;
}

void Server::readLoop()
{
    std::string line;
    while (std::getline(m_in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        json message
            = line.size() > MaxMessageBytes ? json(json::value_t::discarded) : json::parse(line, nullptr, false);
        if (message.is_discarded()) {
            message = json { { ParseFailure,
                line.size() > MaxMessageBytes ? "a message longer than 16 MiB" : "not JSON: " + line.substr(0, 80) } };
        } else if (message.is_object() && message.value("method", json()) == "notifications/cancelled") {
            // Handled here, not queued: the request it names may be running right now.
            const json params = message.value("params", json::object());
            const json id = params.is_object() ? params.value("requestId", json()) : json();
            std::lock_guard lock(m_mutex);
            if (m_running && *m_running == id) {
                m_cancelRunning = true;
                m_handler.interrupt();
            } else if (std::any_of(m_queue.begin(), m_queue.end(), [&](const json& queued) {
                           return queued.is_object() && queued.value("id", json()) == id;
                       })) {
                m_cancelledWaiting.push_back(id);
            }
            continue; // an id that is unknown or already answered is ignored, as the protocol says
        }
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(std::move(message));
        }
        m_ready.notify_one();
    }
    {
        std::lock_guard lock(m_mutex);
        m_inputEnded = true;
    }
    m_ready.notify_one();
}

void Server::send(const json& message)
{
    const std::string text = message.dump(-1, ' ', false, json::error_handler_t::replace);
    std::lock_guard lock(m_writeMutex);
    m_out << text << '\n';
    m_out.flush();
}

void Server::sendError(const json& id, int code, const std::string& message)
{
    send({ { "jsonrpc", "2.0" }, { "id", id }, { "error", { { "code", code }, { "message", message } } } });
}

void Server::handle(const json& message)
{
    if (message.is_object() && message.contains(ParseFailure)) {
        sendError(nullptr, ParseError, "Parse error: " + message[ParseFailure].get<std::string>());
        return;
    }
    if (message.is_array()) {
        sendError(nullptr, InvalidRequest, "Invalid request: batches are not part of MCP since 2025-06-18");
        return;
    }
    if (!message.is_object()) {
        sendError(nullptr, InvalidRequest, "Invalid request: a message is a JSON object");
        return;
    }
    const bool hasId = message.contains("id");
    const json id = message.value("id", json());
    if (!message.contains("method")) {
        // A response to a request of ours: we send none, so there is nothing to match it with.
        if (!message.contains("result") && !message.contains("error"))
            sendError(hasId && isValidId(id) ? id : json(), InvalidRequest, "Invalid request: no method");
        return;
    }
    if (message.value("jsonrpc", json()) != "2.0" || !message["method"].is_string() || (hasId && !isValidId(id))) {
        if (hasId)
            sendError(isValidId(id) ? id : json(), InvalidRequest,
                "Invalid request: needs \"jsonrpc\": \"2.0\", a string method and a string or integer id");
        return;
    }
    const std::string method = message["method"].get<std::string>();
    const json params = message.value("params", json::object());
    if (!hasId) {
        // Notifications get no answer: initialized, cancelled (handled by the reader), roots/list_changed, …
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        const auto cancelled = std::find(m_cancelledWaiting.begin(), m_cancelledWaiting.end(), id);
        if (cancelled != m_cancelledWaiting.end() || m_cancelRunning) {
            if (cancelled != m_cancelledWaiting.end())
                m_cancelledWaiting.erase(cancelled);
            m_cancelRunning = false;
            m_log << "tracelight mcp: " << method << " (id " << id.dump() << ") cancelled before it started"
                  << std::endl;
            return;
        }
    }
    json progressToken;
    if (params.is_object() && params.contains("_meta") && params["_meta"].is_object())
        progressToken = params["_meta"].value("progressToken", json());
    std::function<void(double, std::optional<double>, const std::string&)> progress;
    if (progressToken.is_string() || progressToken.is_number()) {
        progress = [this, progressToken](double done, std::optional<double> total, const std::string& text) {
            json p { { "progressToken", progressToken }, { "progress", done } };
            if (total)
                p["total"] = *total;
            if (!text.empty())
                p["message"] = text;
            send({ { "jsonrpc", "2.0" }, { "method", "notifications/progress" }, { "params", p } });
        };
    }
    RequestContext context(m_cancelRunning, progress);
    const auto started = std::chrono::steady_clock::now();
    std::optional<json> result;
    std::optional<std::pair<int, std::string>> error;
    try {
        if (!params.is_object())
            throw ProtocolError(InvalidParams, "params must be an object");
        result = dispatch(method, params, context);
    } catch (const Cancelled&) {
    } catch (const ProtocolError& e) {
        error = { e.code, e.what() };
    } catch (const std::exception& e) {
        error = { InternalError, std::string("Internal error: ") + e.what() };
    }
    bool cancelled = false;
    {
        std::lock_guard lock(m_mutex);
        m_running.reset();
        cancelled = m_cancelRunning.exchange(false);
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::string what = method;
    if (method == "tools/call" && params.is_object() && params.value("name", json()).is_string())
        what += ' ' + params["name"].get<std::string>();
    if (cancelled) {
        // The client gave up on it: no answer, as the protocol says.
        m_log << "tracelight mcp: " << what << " (id " << id.dump() << ") cancelled after " << ms.count() << " ms"
              << std::endl;
        return;
    }
    if (m_logLevel == "debug" || m_logLevel == "info")
        m_log << "tracelight mcp: " << what << " (id " << id.dump() << ") " << ms.count() << " ms"
              << (error ? ", error: " + error->second : std::string()) << std::endl;
    if (error)
        sendError(id, error->first, error->second);
    else if (result)
        send({ { "jsonrpc", "2.0" }, { "id", id }, { "result", *result } });
    else
        sendError(id, InternalError, "Internal error: the request stopped without an answer");
}

json Server::dispatch(const std::string& method, const json& params, RequestContext& context)
{
    const auto stringParam = [&](const char* name, bool required) -> std::string {
        const json value = params.value(name, json());
        if (value.is_string())
            return value.get<std::string>();
        if (required || !value.is_null())
            throw ProtocolError(InvalidParams, std::string("params.") + name + " must be a string");
        return {};
    };
    if (method == "initialize") {
        const std::string requested = stringParam("protocolVersion", true);
        const bool known = std::find(knownVersions.begin(), knownVersions.end(), requested) != knownVersions.end();
        return { { "protocolVersion", known ? requested : std::string(LatestVersion) },
            { "capabilities",
                { { "tools", { { "listChanged", false } } }, { "resources", { { "listChanged", false } } },
                    { "logging", json::object() } } },
            { "serverInfo",
                { { "name", "tracelight" }, { "title", "Tracelight" }, { "version", m_version },
                    { "description", "The agent runs in the user's Tracelight cache, read-only" } } },
            { "instructions", m_handler.instructions() } };
    }
    if (method == "ping")
        return json::object();
    if (method == "logging/setLevel") {
        static const std::vector<std::string> levels
            = { "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency" };
        const std::string level = stringParam("level", true);
        if (std::find(levels.begin(), levels.end(), level) == levels.end())
            throw ProtocolError(InvalidParams, "unknown log level \"" + level + "\"");
        m_logLevel = level;
        return json::object();
    }
    if (method == "tools/list")
        return { { "tools", m_handler.tools() } };
    if (method == "tools/call") {
        const std::string name = stringParam("name", true);
        const json arguments = params.value("arguments", json::object());
        if (!arguments.is_object() && !arguments.is_null())
            throw ProtocolError(InvalidParams, "params.arguments must be an object");
        return m_handler.callTool(name, arguments.is_null() ? json::object() : arguments, context);
    }
    if (method == "resources/list")
        return m_handler.listResources(stringParam("cursor", false), context);
    if (method == "resources/templates/list")
        return { { "resourceTemplates", m_handler.resourceTemplates() } };
    if (method == "resources/read")
        return m_handler.readResource(stringParam("uri", true), context);
    // server/discover (the stateless 2026-07-28 era) included: answering "not found" makes a dual-era client fall
    // back to initialize.
    throw ProtocolError(MethodNotFound, "Method not found: " + method);
}

} // namespace Tracelight::Mcp
