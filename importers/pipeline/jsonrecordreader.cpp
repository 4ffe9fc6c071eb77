#include "jsonrecordreader.h"

#include <jsonfield.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace Tracelight {

using nlohmann::json;

namespace {

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix: that
// position is relative to one JSON value, and the caller names the absolute line and byte.
std::string parseErrorText(const std::string& what)
{
    std::string text = what;
    if (const auto column = text.find("column "); column != std::string::npos) {
        if (const auto colon = text.find(": ", column); colon != std::string::npos)
            text = text.substr(colon + 2);
    } else if (const auto bracket = text.find("] "); bracket != std::string::npos) {
        text = text.substr(bracket + 2);
    }
    // nlohmann quotes what it last read, which can be a whole prompt: keep the start of it.
    if (text.size() > 240)
        text = text.substr(0, 240) + "…'";
    if (text.find("UTF-8") != std::string::npos || text.find("surrogate") != std::string::npos)
        text = "invalid UTF-8 text (the file must be UTF-8 JSON): " + text;
    return text;
}

class Handler
{
public:
    Handler(ImportJob& job, JsonRecordReader::Client& client)
        : m_job(job)
        , m_client(client)
    { }

    bool null() { return scalar(json()); }
    bool boolean(bool value) { return scalar(json(value)); }
    bool number_integer(json::number_integer_t value) { return scalar(json(value)); }
    bool number_unsigned(json::number_unsigned_t value) { return scalar(json(value)); }
    bool number_float(json::number_float_t value, const std::string&) { return scalar(json(value)); }
    bool string(std::string& value) { return scalar(json(std::move(value))); }
    bool binary(json::binary_t&) { return scalar(json()); }
    bool key(std::string& key)
    {
        if (m_skipDepth == 0)
            m_key = std::move(key);
        return true;
    }
    bool start_object(std::size_t) { return open(false); }
    bool start_array(std::size_t) { return open(true); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error)
    {
        if (!m_failure) {
            std::string message = parseErrorText(error.what());
            if (m_job.reader().atEnd() && !m_job.context().cancelled())
                message = "the file ends in the middle of its JSON (truncated?): " + message;
            m_failure = ImportFailure(m_job.reader().location(), message);
        }
        return false;
    }

    const std::optional<ImportFailure>& failure() const { return m_failure; }

private:
    struct Frame
    {
        int role;
        bool isArray;
    };

    bool checkCancel() { return (++m_events & 0xfff) != 0 || !m_job.context().cancelled(); }

    int parentRole() const { return m_frames.empty() ? JsonRecordReader::DocumentRole : m_frames.back().role; }
    const std::string& memberKey() const
    {
        static const std::string none;
        return m_frames.empty() || m_frames.back().isArray ? none : m_key;
    }

    bool open(bool isArray)
    {
        // A record nested deeper than any trace format needs is refused here, before anything walks it.
        if (++m_depth > JsonField::MaxNesting) {
            m_failure = ImportFailure(m_job.reader().location(),
                "the JSON nests deeper than " + std::to_string(JsonField::MaxNesting) + " levels");
            return false;
        }
        if (m_skipDepth > 0) {
            ++m_skipDepth;
            return checkCancel();
        }
        if (!m_domStack.empty()) {
            json& parent = *m_domStack.back();
            json* child = parent.is_array() ? &parent.emplace_back(isArray ? json::array() : json::object())
                                            : &(parent[m_key] = isArray ? json::array() : json::object());
            m_domStack.push_back(child);
            return checkCancel();
        }
        const JsonRecordReader::Node node = m_client.open(parentRole(), memberKey(), isArray);
        switch (node.action) {
        case JsonRecordReader::Action::Skip:
            m_skipDepth = 1;
            break;
        case JsonRecordReader::Action::Walk:
            m_frames.push_back({ node.role, isArray });
            break;
        case JsonRecordReader::Action::Capture:
            m_captureRole = node.role;
            m_captureKey = memberKey();
            m_captureOffset = std::max<std::int64_t>(0, m_job.reader().offset() - 1);
            m_dom = isArray ? json::array() : json::object();
            m_domStack.push_back(&m_dom);
            break;
        }
        return checkCancel();
    }

    bool close()
    {
        --m_depth;
        if (m_skipDepth > 0) {
            --m_skipDepth;
            return true;
        }
        if (m_domStack.size() > 1) {
            m_domStack.pop_back();
            return true;
        }
        if (m_domStack.size() == 1) {
            m_domStack.clear();
            json record = std::move(m_dom);
            m_dom = json();
            m_client.record(m_captureRole, m_captureKey, std::move(record), m_captureOffset);
            return checkCancel();
        }
        const int role = m_frames.back().role;
        m_frames.pop_back();
        m_client.close(role);
        return true;
    }

    bool scalar(json&& value)
    {
        if (m_skipDepth > 0)
            return true;
        if (!m_domStack.empty()) {
            json& parent = *m_domStack.back();
            if (parent.is_array())
                parent.push_back(std::move(value));
            else
                parent[m_key] = std::move(value);
            return true;
        }
        m_client.scalar(parentRole(), memberKey(), std::move(value));
        return true;
    }

    ImportJob& m_job;
    JsonRecordReader::Client& m_client;
    std::vector<Frame> m_frames;
    std::string m_key;
    int m_skipDepth = 0;
    int m_depth = 0; // arrays and objects open, of any kind
    json m_dom;
    std::vector<json*> m_domStack;
    int m_captureRole = 0;
    std::string m_captureKey;
    std::int64_t m_captureOffset = 0;
    std::optional<ImportFailure> m_failure;
    std::uint64_t m_events = 0;
};

} // namespace

std::int64_t JsonRecordReader::read(ImportJob& job, Client& client)
{
    ChunkReader& reader = job.reader();
    std::int64_t values = 0;
    while (true) {
        reader.skipWhitespace();
        if (reader.atEnd())
            break;
        ++values;
        Handler handler(job, client);
        const bool parsed = json::sax_parse(reader.begin(), reader.end(), &handler, json::input_format_t::json,
            /*strict=*/false);
        if (job.context().cancelled())
            return values;
        if (handler.failure())
            throw *handler.failure();
        if (!parsed)
            throw ImportFailure(reader.location(), "the JSON could not be read");
    }
    return values;
}

} // namespace Tracelight
