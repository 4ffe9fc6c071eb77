// genotlp: writes a synthetic but realistic OTLP JSON Lines file of AI agent traces for benchmarks.
//
//   genotlp [--phoenix] OUT.jsonl SPANS [SPANS_PER_LINE=500] [SEED=1]
//
// Each line is one ExportTraceServiceRequest ({"resourceSpans":[...]}) holding SPANS_PER_LINE spans (the last line may
// hold fewer). Spans form agent runs of ~50-200 spans: an invoke_agent root with chat, execute_tool and retrieval
// (+ embeddings) children and occasionally nested agents, carrying OpenTelemetry GenAI attributes (v1.37+) with
// gen_ai.input.messages / gen_ai.output.messages / tool arguments and results as JSON strings. About 2% of spans fail
// (status code 2 plus an "exception" event). Spans of a trace are emitted in end-time order (children before
// parents), as a BatchSpanProcessor would export them, and a trace may straddle two lines. The output is fully
// deterministic for a given SEED (std::mt19937_64 with our own range mapping, so it does not depend on the standard
// library's distributions). Std-only C++20; no Qt, no third-party libraries.
//
// With --phoenix the same spans are written as Arize Phoenix span JSON Lines instead: one span per line as Phoenix's
// span JSON encoder writes it (context ids, span_kind, ISO 8601 times, status code, events), the same attributes
// nested the way Phoenix nests dotted keys, plus openinference.span.kind. The two files differ only in format, so
// the benchmark compares the importers per MB on the same content.
//
// Prints one line on stdout: "spans=N traces=T bytes=B".

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using u64 = std::uint64_t;
using i64 = std::int64_t;

// ----------------------------------------------------------------------------------------------------------- random

class Rng
{
public:
    explicit Rng(u64 seed)
        : g_(seed)
    { }
    u64 next() { return g_(); }
    // Integer in [lo, hi]. The modulo bias is negligible for our ranges and keeps the output library-independent.
    i64 range(i64 lo, i64 hi) { return lo + static_cast<i64>(g_() % static_cast<u64>(hi - lo + 1)); }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(g_() % n); }
    double unit() { return static_cast<double>(g_() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return unit() < p; }
    template <class T, std::size_t N> const T& pick(const T (&a)[N]) { return a[below(N)]; }

private:
    std::mt19937_64 g_;
};

// ------------------------------------------------------------------------------------------------------------- json

void appendEscaped(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default: {
            const char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            out.append(u, 6);
        }
        }
    }
    out.append(s.data() + run, s.size() - run);
}

void appendQuoted(std::string& out, std::string_view s)
{
    out += '"';
    appendEscaped(out, s);
    out += '"';
}

template <class T> void appendInt(std::string& out, T v)
{
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void appendFixed(std::string& out, double v, int precision)
{
    char buf[48];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, precision);
    out.append(buf, r.ptr);
}

void appendHex(std::string& out, Rng& r, int bytes)
{
    static constexpr char hex[] = "0123456789abcdef";
    while (bytes > 0) {
        u64 v = r.next();
        for (int i = 0; i < 8 && bytes > 0; ++i, --bytes, v >>= 8) {
            out += hex[(v >> 4) & 15];
            out += hex[v & 15];
        }
    }
}

void appendAlnum(std::string& out, Rng& r, int n)
{
    static constexpr char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < n; ++i)
        out += chars[r.below(sizeof chars - 1)];
}

// One attribute: its key, its type ('s' string, 'i' int, 'd' double, 'b' bool, 'a' string array of one) and its value
// as JSON text (quoted for strings). Kept structured so that each writer can lay it out in its own format.
struct Attr
{
    std::string key;
    char type;
    std::string value;
};
using AttrList = std::vector<Attr>;

// Appends attributes to a list.
class Attrs
{
public:
    explicit Attrs(AttrList& out)
        : out_(out)
    { }
    void str(std::string_view k, std::string_view v)
    {
        std::string text;
        appendQuoted(text, v);
        out_.push_back({ std::string(k), 's', std::move(text) });
    }
    void i64v(std::string_view k, i64 v)
    {
        std::string text;
        appendInt(text, v);
        out_.push_back({ std::string(k), 'i', std::move(text) });
    }
    void dbl(std::string_view k, double v, int precision)
    {
        std::string text;
        appendFixed(text, v, precision);
        out_.push_back({ std::string(k), 'd', std::move(text) });
    }
    void boolean(std::string_view k, bool v) { out_.push_back({ std::string(k), 'b', v ? "true" : "false" }); }
    void strArray(std::string_view k, std::string_view v)
    {
        std::string text;
        appendQuoted(text, v);
        out_.push_back({ std::string(k), 'a', std::move(text) });
    }

private:
    AttrList& out_;
};

// OTLP KeyValue objects (the text between '[' and ']').
void appendOtlpAttrs(std::string& out, const AttrList& list)
{
    bool first = true;
    for (const Attr& a : list) {
        if (!first)
            out += ',';
        first = false;
        out += "{\"key\":";
        appendQuoted(out, a.key);
        out += ",\"value\":";
        switch (a.type) {
        case 's':
            out += "{\"stringValue\":";
            out += a.value;
            out += "}}";
            break;
        case 'i':
            out += "{\"intValue\":\"";
            out += a.value;
            out += "\"}}";
            break;
        case 'd':
            out += "{\"doubleValue\":";
            out += a.value;
            out += "}}";
            break;
        case 'b':
            out += "{\"boolValue\":";
            out += a.value;
            out += "}}";
            break;
        default:
            out += "{\"arrayValue\":{\"values\":[{\"stringValue\":";
            out += a.value;
            out += "}]}}}";
        }
    }
}

// Phoenix's nested attribute object: the dotted keys split into nested objects ({"gen_ai":{"usage":{…}}}).
void appendNested(
    std::string& out, const std::vector<const Attr*>& sorted, std::size_t begin, std::size_t end, std::size_t offset)
{
    out += '{';
    for (std::size_t i = begin; i < end;) {
        const std::string& key = sorted[i]->key;
        const std::size_t dot = key.find('.', offset);
        if (i > begin)
            out += ',';
        appendQuoted(
            out, std::string_view(key).substr(offset, dot == std::string::npos ? std::string::npos : dot - offset));
        out += ':';
        if (dot == std::string::npos) {
            const Attr& a = *sorted[i];
            if (a.type == 'a') {
                out += '[';
                out += a.value;
                out += ']';
            } else {
                out += a.value;
            }
            ++i;
            continue;
        }
        const std::string_view group = std::string_view(key).substr(0, dot + 1);
        std::size_t j = i;
        while (j < end && std::string_view(sorted[j]->key).starts_with(group))
            ++j;
        appendNested(out, sorted, i, j, dot + 1);
        i = j;
    }
    out += '}';
}

void appendPhoenixAttrs(std::string& out, const AttrList& list)
{
    std::vector<const Attr*> sorted;
    sorted.reserve(list.size());
    for (const Attr& a : list)
        sorted.push_back(&a);
    std::sort(sorted.begin(), sorted.end(), [](const Attr* x, const Attr* y) { return x->key < y->key; });
    appendNested(out, sorted, 0, sorted.size(), 0);
}

// ------------------------------------------------------------------------------------------------------------- text

constexpr std::string_view kWords[] = { "the", "a", "to", "of", "and", "in", "for", "on", "with", "is", "that", "it",
    "this", "we", "you", "your", "our", "can", "will", "should", "please", "order", "account", "customer", "refund",
    "payment", "invoice", "shipping", "delivery", "package", "address", "report", "summary", "data", "table", "query",
    "result", "results", "file", "document", "policy", "update", "request", "ticket", "issue", "error", "problem",
    "question", "answer", "details", "information", "system", "service", "team", "manager", "review", "change",
    "version", "release", "feature", "bug", "test", "tests", "build", "deploy", "branch", "function", "method", "value",
    "number", "amount", "price", "total", "discount", "subscription", "plan", "trial", "renewal", "cancel", "confirm",
    "check", "verify", "find", "search", "look", "open", "close", "create", "send", "email", "message", "reply",
    "schedule", "meeting", "calendar", "tomorrow", "today", "yesterday", "week", "month", "quarter", "revenue",
    "growth", "forecast", "market", "competitor", "product", "pricing", "region", "sales", "lead", "pipeline",
    "contract", "renewal", "support", "agent", "tool", "model", "context", "prompt", "tokens", "latency", "cost",
    "budget", "approve", "approved", "pending", "failed", "succeeded", "retry", "again", "after", "before", "because",
    "however", "also", "only", "still", "already", "soon", "quickly", "carefully", "exactly", "about", "around",
    "between", "within", "without", "new", "old", "first", "last", "next", "previous", "latest", "important", "urgent",
    "small", "large", "missing", "duplicate", "correct", "wrong", "available", "current", "recent", "weather", "rain",
    "forecast", "city", "travel", "flight", "hotel", "booking", "seat", "luggage", "warranty", "return", "exchange",
    "store", "credit", "card", "bank", "transfer", "balance", "statement", "charge", "charged", "twice", "once",
    "several", "many", "few", "more", "less", "better", "worse", "likely", "unlikely", "possible", "impossible" };

// Strings that exercise escaping and UTF-8 handling inside the (doubly) embedded JSON.
constexpr std::string_view kSpice[]
    = { "\"quoted\"", "C:\\Users\\dana\\report.txt", "na\xc3\xafve", "caf\xc3\xa9", "\xe2\x80\x94", "\xe2\x86\x92",
          "\xe2\x9c\x93", "\xf0\x9f\x99\x82", "1,024", "e.g.", "(see above)", "\tindented", "50%", "<b>bold</b>",
          "a\\b", "it's", "M\xc3\xbcnchen", "\xe6\x9d\xb1\xe4\xba\xac", "$89.99", "{not: json}", "line\r\nbreak",
          "100\xc2\xb0"
          "F" };

constexpr std::string_view kCities[] = { "Portland", "Tacoma", "Berlin", "Lisbon", "Osaka", "Toronto", "Nairobi",
    "Santiago", "Melbourne", "Reykjavik", "Austin", "Lyon" };
constexpr std::string_view kDomains[] = { "example.com", "fastmail.com", "gmail.com", "acme.io", "northwind.io" };
constexpr std::string_view kNames[] = { "dana", "li.wei", "a.okafor", "marta", "j.silva", "priya", "tom.h", "noor" };

void sentence(std::string& out, Rng& r)
{
    const int n = static_cast<int>(r.range(5, 17));
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            out += ' ';
        if (i > 0 && r.chance(0.03)) {
            out += r.pick(kSpice);
        } else {
            const std::size_t pos = out.size();
            out += r.pick(kWords);
            if (i == 0 && out[pos] >= 'a' && out[pos] <= 'z')
                out[pos] = static_cast<char>(out[pos] - 'a' + 'A');
        }
        if (i + 1 < n && r.chance(0.06))
            out += ',';
    }
    static constexpr const char* ends[] = { ".", ".", ".", ".", "?", "!" };
    out += r.pick(ends);
}

void paragraph(std::string& out, Rng& r, std::size_t approxChars)
{
    const std::size_t begin = out.size();
    while (out.size() - begin < approxChars) {
        if (out.size() > begin)
            out += r.chance(0.12) ? "\n\n" : " ";
        sentence(out, r);
    }
}

std::string paragraph(Rng& r, std::size_t lo, std::size_t hi)
{
    std::string s;
    paragraph(s, r, static_cast<std::size_t>(r.range(static_cast<i64>(lo), static_cast<i64>(hi))));
    return s;
}

std::string phrase(Rng& r, int lo, int hi)
{
    std::string s;
    const int n = static_cast<int>(r.range(lo, hi));
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            s += ' ';
        s += r.pick(kWords);
    }
    return s;
}

// ------------------------------------------------------------------------------------------------------ vocabularies

struct Model
{
    const char* request;
    const char* response;
};

struct Provider
{
    const char* name;
    const char* server;
    const char* finishToolCall; // raw provider finish reason
    const char* finishStop;
    Model models[3];
};

constexpr Provider kProviders[] = {
    { "openai", "api.openai.com", "tool_calls", "stop",
        { { "gpt-4o", "gpt-4o-2024-08-06" }, { "gpt-4o-mini", "gpt-4o-mini-2024-07-18" },
            { "gpt-4.1", "gpt-4.1-2025-04-14" } } },
    { "anthropic", "api.anthropic.com", "tool_use", "end_turn",
        { { "claude-sonnet-4-5", "claude-sonnet-4-5-20250929" }, { "claude-haiku-4-5", "claude-haiku-4-5-20251001" },
            { "claude-opus-4-1", "claude-opus-4-1-20250805" } } },
    { "gcp.gemini", "generativelanguage.googleapis.com", "STOP", "STOP",
        { { "gemini-2.5-flash", "gemini-2.5-flash" }, { "gemini-2.5-pro", "gemini-2.5-pro" },
            { "gemini-2.5-flash-lite", "gemini-2.5-flash-lite" } } },
};

struct Service
{
    const char* name;
    const char* version;
    const char* scope;
    const char* scopeVersion;
    int provider;
    const char* agents[4];
};

constexpr Service kServices[] = {
    { "support-agent", "1.4.2", "opentelemetry.instrumentation.openai_agents", "0.1.4", 0,
        { "triage", "refunds", "billing", "shipping" } },
    { "research-assistant", "0.9.0", "opentelemetry.instrumentation.langchain", "0.47.3", 1,
        { "planner", "researcher", "writer", "critic" } },
    { "code-review-bot", "2.1.0", "opentelemetry.instrumentation.anthropic", "0.47.3", 1,
        { "reviewer", "fixer", "tester", "explainer" } },
    { "sales-copilot", "3.0.7", "opentelemetry.instrumentation.google_genai", "0.4b0", 2,
        { "assistant", "crm", "scheduler", "forecaster" } },
};

enum class Arg
{
    Phrase,
    Text,
    Id,
    Int,
    Email,
    Path,
    Url,
    City,
    Date,
    Sql,
    Expr
};
enum class Res
{
    Records,
    Document,
    Record
};

struct ArgSpec
{
    const char* name;
    Arg kind;
};

struct ToolDef
{
    const char* name;
    const char* description;
    Res result;
    ArgSpec args[3];
    int argCount;
};

constexpr ToolDef kTools[] = {
    { "search_web", "Search the public web and return the top results.", Res::Records,
        { { "query", Arg::Phrase }, { "max_results", Arg::Int } }, 2 },
    { "fetch_url", "Download a web page and return its readable text.", Res::Document, { { "url", Arg::Url } }, 1 },
    { "lookup_customer", "Find customer accounts by email address.", Res::Records, { { "email", Arg::Email } }, 1 },
    { "get_order", "Load an order with its items, payment method and charges.", Res::Record,
        { { "order_id", Arg::Id } }, 1 },
    { "run_sql", "Run a read-only SQL query against the analytics warehouse.", Res::Records, { { "query", Arg::Sql } },
        1 },
    { "read_file", "Read a file from the workspace.", Res::Document, { { "path", Arg::Path } }, 1 },
    { "write_file", "Write a file in the workspace.", Res::Record, { { "path", Arg::Path }, { "content", Arg::Text } },
        2 },
    { "get_weather", "Get the weather forecast for a city and date.", Res::Record,
        { { "city", Arg::City }, { "date", Arg::Date } }, 2 },
    { "send_email", "Send an email on behalf of the user.", Res::Record,
        { { "to", Arg::Email }, { "subject", Arg::Phrase }, { "body", Arg::Text } }, 3 },
    { "create_ticket", "Create a support ticket.", Res::Record,
        { { "title", Arg::Phrase }, { "description", Arg::Text } }, 2 },
    { "calculator", "Evaluate an arithmetic expression.", Res::Record, { { "expression", Arg::Expr } }, 1 },
    { "list_events", "List calendar events for a day.", Res::Records,
        { { "date", Arg::Date }, { "calendar_id", Arg::Id } }, 2 },
};

constexpr const char* kDataSources[] = { "kb-support", "docs-index", "crm-notes", "code-search" };

struct ErrorKind
{
    const char* type;
    const char* message;
    const char* frame; // innermost frame
};

constexpr ErrorKind kToolErrors[] = {
    { "TimeoutError", "operation timed out after 30.0 seconds", "asyncio/timeouts.py\", line 115, in __aexit__" },
    { "HTTPError", "503 Server Error: Service Unavailable for url",
        "requests/models.py\", line 1024, in raise_for_status" },
    { "ValueError", "invalid literal for int() with base 10: 'n/a'", "app/tools/parsing.py\", line 42, in to_int" },
    { "PermissionError", "[Errno 13] Permission denied: '/data/exports/report.csv'",
        "app/tools/files.py\", line 77, in write_file" },
    { "KeyError", "'customer_id'", "app/tools/crm.py\", line 131, in lookup" },
    { "PaymentGatewayError", "card declined (decline_code=expired_card)",
        "app/clients/payments.py\", line 143, in create_refund" },
};

constexpr ErrorKind kChatErrors[] = {
    { "RateLimitError", "Error code: 429 - Rate limit reached for requests",
        "openai/_base_client.py\", line 1047, in request" },
    { "APITimeoutError", "Request timed out.", "httpx/_transports/default.py\", line 118, in map_httpcore_exceptions" },
    { "InternalServerError", "Error code: 500 - The server had an error while processing your request",
        "openai/_base_client.py\", line 1047, in request" },
};

constexpr ErrorKind kAgentErrors[] = {
    { "MaxTurnsExceeded", "Max turns (10) exceeded", "agents/run.py\", line 498, in run" },
    { "InputGuardrailTripwireTriggered", "Guardrail InputGuardrail triggered tripwire",
        "agents/run.py\", line 1187, in _run_input_guardrails" },
};

constexpr ErrorKind kRetrievalErrors[] = {
    { "ConnectionError", "could not connect to vector store at vectors.internal:6333",
        "qdrant_client/http/api_client.py\", line 96, in send" },
};

// --------------------------------------------------------------------------------------------------------- the trace

constexpr u64 kMs = 1'000'000;
constexpr int kInternal = 1;
constexpr int kClient = 3;

struct Span
{
    std::string spanId;
    std::string parentId;
    std::string name;
    int kind = kInternal;
    u64 start = 0;
    u64 end = 0;
    AttrList attrs;
    bool hasEvent = false; // one "exception" event
    u64 eventTime = 0;
    AttrList eventAttrs;
    std::string statusMessage;
    bool error = false;
};

struct ToolCall
{
    const ToolDef* def = nullptr;
    std::string id;
    std::string args; // JSON object text
};

struct Agent
{
    std::string name;
    const Model* model;
    std::string systemJson; // gen_ai.system_instructions value
    std::string firstUser; // rendered message object
    std::vector<std::string> history; // rendered message objects after the first user message
    i64 prevInputTokens = 0;
};

class TraceGen
{
public:
    TraceGen(Rng& rng, double errorRate)
        : r_(rng)
        , errorRate_(errorRate)
    { }

    // Generates one complete trace of exactly `budget` spans starting at `start` (ns).
    void generate(int serviceIdx, int budget, u64 start)
    {
        spans_.clear();
        service_ = &kServices[serviceIdx];
        provider_ = &kProviders[service_->provider];
        traceId_.clear();
        appendHex(traceId_, r_, 16);
        conversationId_ = "conv_";
        appendHex(conversationId_, r_, 12);
        userId_ = "usr_";
        appendInt(userId_, r_.range(100000, 9999999));
        cursor_ = start;
        std::string userText = paragraph(r_, 80, 500);
        runAgent(std::string(), 0, budget, userText, service_->agents[0]);
        std::stable_sort(spans_.begin(), spans_.end(), [](const Span& a, const Span& b) { return a.end < b.end; });
    }

    const std::vector<Span>& spans() const { return spans_; }
    const std::string& traceId() const { return traceId_; }

private:
    u64 ms(i64 lo, i64 hi) { return static_cast<u64>(r_.range(lo, hi)) * kMs + static_cast<u64>(r_.range(0, 999999)); }

    std::size_t newSpan(const std::string& parent, std::string name, int kind, u64 start)
    {
        Span s;
        appendHex(s.spanId, r_, 8);
        s.parentId = parent;
        s.name = std::move(name);
        s.kind = kind;
        s.start = start;
        s.error = r_.chance(errorRate_);
        spans_.push_back(std::move(s));
        return spans_.size() - 1;
    }

    template <std::size_t N> void fail(Span& s, const ErrorKind (&kinds)[N])
    {
        const ErrorKind& e = r_.pick(kinds);
        Attrs(s.attrs).str("error.type", e.type);
        s.statusMessage = std::string(e.type) + ": " + e.message;
        std::string trace = "Traceback (most recent call last):\n";
        const int frames = static_cast<int>(r_.range(2, 6));
        for (int i = 0; i < frames; ++i) {
            trace += "  File \"/app/.venv/lib/python3.12/site-packages/";
            trace += r_.pick(kWords);
            trace += '/';
            trace += r_.pick(kWords);
            trace += ".py\", line ";
            appendInt(trace, r_.range(12, 1900));
            trace += ", in ";
            trace += r_.pick(kWords);
            trace += "_";
            trace += r_.pick(kWords);
            trace += "\n    ";
            trace += phrase(r_, 3, 9);
            trace += "\n";
        }
        trace += "  File \"/app/.venv/lib/python3.12/site-packages/";
        trace += e.frame;
        trace += "\n    raise ";
        trace += e.type;
        trace += "(msg)\n";
        trace += e.type;
        trace += ": ";
        trace += e.message;
        trace += '\n';
        s.hasEvent = true;
        s.eventTime = s.end - static_cast<u64>(r_.range(1, 400)) * 1000;
        Attrs a(s.eventAttrs);
        a.str("exception.type", e.type);
        a.str("exception.message", e.message);
        a.str("exception.stacktrace", trace);
        a.boolean("exception.escaped", false);
    }

    std::string userMessage(std::string_view text)
    {
        std::string m = "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":";
        appendQuoted(m, text);
        m += "}]}";
        return m;
    }

    std::string argValue(Arg kind)
    {
        std::string v;
        switch (kind) {
        case Arg::Phrase:
            appendQuoted(v, phrase(r_, 2, 8));
            break;
        case Arg::Text:
            appendQuoted(v, paragraph(r_, 80, 600));
            break;
        case Arg::Id: {
            std::string id = r_.chance(0.5) ? "A-" : "id_";
            appendInt(id, r_.range(10000, 99999));
            appendQuoted(v, id);
            break;
        }
        case Arg::Int:
            appendInt(v, r_.range(1, 20));
            break;
        case Arg::Email: {
            std::string e(r_.pick(kNames));
            e += '@';
            e += r_.pick(kDomains);
            appendQuoted(v, e);
            break;
        }
        case Arg::Path: {
            std::string p = "/workspace/";
            p += r_.pick(kWords);
            p += '/';
            p += r_.pick(kWords);
            p += r_.chance(0.5) ? ".md" : ".py";
            appendQuoted(v, p);
            break;
        }
        case Arg::Url: {
            std::string u = "https://";
            u += r_.pick(kDomains);
            u += '/';
            u += r_.pick(kWords);
            u += '/';
            u += r_.pick(kWords);
            u += "?q=";
            u += r_.pick(kWords);
            appendQuoted(v, u);
            break;
        }
        case Arg::City:
            appendQuoted(v, r_.pick(kCities));
            break;
        case Arg::Date: {
            std::string d = "2025-";
            const i64 m = r_.range(1, 12), day = r_.range(1, 28);
            if (m < 10)
                d += '0';
            appendInt(d, m);
            d += '-';
            if (day < 10)
                d += '0';
            appendInt(d, day);
            appendQuoted(v, d);
            break;
        }
        case Arg::Sql: {
            std::string q = "SELECT ";
            q += r_.pick(kWords);
            q += "_id, sum(amount) AS total FROM ";
            q += r_.pick(kWords);
            q += "s WHERE region = '";
            q += r_.pick(kCities);
            q += "' AND created_at >= '2025-07-01'\nGROUP BY 1 ORDER BY total DESC LIMIT ";
            appendInt(q, r_.range(5, 50));
            appendQuoted(v, q);
            break;
        }
        case Arg::Expr: {
            std::string x = "(";
            appendInt(x, r_.range(10, 5000));
            x += " * 0.";
            appendInt(x, r_.range(10, 99));
            x += ") / ";
            appendInt(x, r_.range(2, 24));
            appendQuoted(v, x);
            break;
        }
        }
        return v;
    }

    ToolCall makeCall()
    {
        ToolCall c;
        c.def = &r_.pick(kTools);
        c.id = "call_";
        appendAlnum(c.id, r_, 24);
        c.args = "{";
        for (int i = 0; i < c.def->argCount; ++i) {
            if (i > 0)
                c.args += ',';
            appendQuoted(c.args, c.def->args[i].name);
            c.args += ':';
            c.args += argValue(c.def->args[i].kind);
        }
        c.args += '}';
        return c;
    }

    std::string toolResult(const ToolDef& def)
    {
        std::string o;
        switch (def.result) {
        case Res::Records: {
            o = "{\"status\":\"ok\",\"results\":[";
            const int n = static_cast<int>(r_.range(1, 5));
            for (int i = 0; i < n; ++i) {
                if (i > 0)
                    o += ',';
                o += "{\"id\":\"rec_";
                appendHex(o, r_, 4);
                o += "\",\"title\":";
                appendQuoted(o, phrase(r_, 2, 7));
                o += ",\"score\":";
                appendFixed(o, 0.5 + r_.unit() * 0.5, 4);
                o += ",\"snippet\":";
                appendQuoted(o, paragraph(r_, 60, 260));
                o += '}';
            }
            o += "],\"elapsed_ms\":";
            appendInt(o, r_.range(3, 900));
            o += '}';
            break;
        }
        case Res::Document:
            o = "{\"title\":";
            appendQuoted(o, phrase(r_, 2, 7));
            o += ",\"content\":";
            appendQuoted(o, paragraph(r_, 300, 1800));
            o += ",\"truncated\":";
            o += r_.chance(0.2) ? "true" : "false";
            o += '}';
            break;
        case Res::Record:
            o = "{\"id\":\"";
            appendAlnum(o, r_, 10);
            o += "\",\"status\":\"";
            o += r_.chance(0.8) ? "ok" : "pending";
            o += "\",\"amount\":";
            appendFixed(o, static_cast<double>(r_.range(100, 99999)) / 100.0, 2);
            o += ",\"note\":";
            appendQuoted(o, paragraph(r_, 40, 300));
            o += ",\"updated_at\":\"2025-10-";
            appendInt(o, r_.range(10, 28));
            o += "T09:12:03Z\"}";
            break;
        }
        return o;
    }

    // Builds gen_ai.input.messages: the first user message plus as many of the latest history entries as fit.
    std::string inputMessages(const Agent& a)
    {
        const std::size_t cap = static_cast<std::size_t>(r_.range(1400, 4600));
        std::size_t used = 0, first = a.history.size();
        while (first > 0 && used + a.history[first - 1].size() <= cap) {
            used += a.history[first - 1].size();
            --first;
        }
        // Do not start the window with tool responses whose tool calls were cut off.
        while (first < a.history.size() && a.history[first].starts_with("{\"role\":\"tool\"")) {
            ++first;
        }
        std::string m = "[";
        m += a.firstUser;
        for (std::size_t i = first; i < a.history.size(); ++i) {
            m += ',';
            m += a.history[i];
        }
        m += ']';
        return m;
    }

    // Emits one chat span; `output` is the assistant message object without finish_reason.
    void chat(Agent& a, const std::string& parent, const std::string& outputParts, bool toolCall)
    {
        const u64 start = cursor_ + ms(15, 220);
        const std::size_t idx = newSpan(parent, std::string("chat ") + a.model->request, kClient, start);
        const std::string input = inputMessages(a);
        std::string output = "[{\"role\":\"assistant\",\"parts\":";
        output += outputParts;
        output += ",\"finish_reason\":";
        output += toolCall ? "\"tool_call\"}]" : "\"stop\"}]";
        const i64 hidden = r_.range(150, 1800); // tool definitions and framing the instrumentation did not record
        const i64 inTok = static_cast<i64>((a.systemJson.size() + input.size()) / 4) + hidden;
        const i64 outTok = static_cast<i64>(outputParts.size() / 4) + r_.range(1, 20);
        Span& s = spans_[idx];
        s.end = start + ms(800 + std::min<i64>(outTok * 6, 1500), 2400 + std::min<i64>(outTok * 6, 1600));
        Attrs at(s.attrs);
        at.str("gen_ai.operation.name", "chat");
        at.str("gen_ai.provider.name", provider_->name);
        at.str("gen_ai.request.model", a.model->request);
        at.dbl("gen_ai.request.temperature", static_cast<double>(r_.range(0, 10)) / 10.0, 1);
        at.i64v("gen_ai.request.max_tokens", r_.chance(0.5) ? 1024 : 4096);
        at.str("gen_ai.conversation.id", conversationId_);
        at.str("server.address", provider_->server);
        at.i64v("server.port", 443);
        if (s.error) {
            fail(s, kChatErrors);
        } else {
            std::string rid = "chatcmpl-";
            appendAlnum(rid, r_, 29);
            at.str("gen_ai.response.id", rid);
            at.str("gen_ai.response.model", a.model->response);
            at.strArray("gen_ai.response.finish_reasons", toolCall ? provider_->finishToolCall : provider_->finishStop);
            at.i64v("gen_ai.usage.input_tokens", inTok);
            at.i64v("gen_ai.usage.output_tokens", outTok);
            if (a.prevInputTokens >= 1024 && r_.chance(0.6))
                at.i64v("gen_ai.usage.cache_read.input_tokens", std::min(inTok, a.prevInputTokens / 128 * 128));
        }
        at.str("gen_ai.system_instructions", a.systemJson);
        at.str("gen_ai.input.messages", input);
        if (!s.error)
            at.str("gen_ai.output.messages", output);
        a.prevInputTokens = inTok;
        cursor_ = s.end;
    }

    void tools(Agent& a, const std::string& parent, int count)
    {
        std::vector<ToolCall> calls;
        std::string parts = "[";
        if (r_.chance(0.3)) {
            parts += "{\"type\":\"text\",\"content\":";
            appendQuoted(parts, paragraph(r_, 30, 200));
            parts += "},";
        }
        for (int i = 0; i < count; ++i) {
            calls.push_back(makeCall());
            if (i > 0)
                parts += ',';
            parts += "{\"type\":\"tool_call\",\"id\":\"";
            parts += calls.back().id;
            parts += "\",\"name\":\"";
            parts += calls.back().def->name;
            parts += "\",\"arguments\":";
            parts += calls.back().args;
            parts += '}';
        }
        parts += ']';
        chat(a, parent, parts, true);
        a.history.push_back("{\"role\":\"assistant\",\"parts\":" + parts + "}");

        const u64 base = cursor_;
        u64 latest = base;
        for (const ToolCall& c : calls) {
            // Parallel calls start within a few ms of each other and overlap.
            const u64 start = base + ms(2, 30);
            const std::size_t idx = newSpan(parent, std::string("execute_tool ") + c.def->name, kInternal, start);
            Span& s = spans_[idx];
            s.end = start + (r_.chance(0.05) ? ms(900, 4800) : ms(50, 899));
            Attrs at(s.attrs);
            at.str("gen_ai.operation.name", "execute_tool");
            at.str("gen_ai.tool.name", c.def->name);
            at.str("gen_ai.tool.type", "function");
            at.str("gen_ai.tool.call.id", c.id);
            at.str("gen_ai.tool.description", c.def->description);
            at.str("gen_ai.tool.call.arguments", c.args);
            std::string response;
            if (s.error) {
                fail(s, kToolErrors);
                response = "\"An error occurred while running the tool. Please try again. Error: ";
                appendEscaped(response, s.statusMessage);
                response += '"';
            } else {
                response = toolResult(*c.def);
                at.str("gen_ai.tool.call.result", response);
            }
            a.history.push_back("{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"" + c.id
                + "\",\"response\":" + response + "}]}");
            latest = std::max(latest, s.end);
        }
        cursor_ = latest;
    }

    void retrieval(Agent& a, const std::string& parent)
    {
        const char* source = r_.pick(kDataSources);
        const u64 start = cursor_ + ms(5, 120);
        const std::size_t idx = newSpan(parent, std::string("retrieval ") + source, kClient, start);
        const std::string query = phrase(r_, 4, 12);

        const u64 embStart = start + ms(1, 15);
        const std::size_t emb = newSpan(spans_[idx].spanId, "embeddings text-embedding-3-small", kClient, embStart);
        {
            Span& e = spans_[emb];
            e.end = embStart + ms(40, 260);
            Attrs at(e.attrs);
            at.str("gen_ai.operation.name", "embeddings");
            at.str("gen_ai.provider.name", "openai");
            at.str("gen_ai.request.model", "text-embedding-3-small");
            at.str("server.address", "api.openai.com");
            at.i64v("server.port", 443);
            at.i64v("gen_ai.embeddings.dimension.count", 1536);
            if (e.error) {
                fail(e, kChatErrors);
            } else {
                at.str("gen_ai.response.model", "text-embedding-3-small");
                at.i64v("gen_ai.usage.input_tokens", static_cast<i64>(query.size() / 4 + 1));
            }
        }
        Span& s = spans_[idx];
        s.end = spans_[emb].end + ms(30, 700);
        Attrs at(s.attrs);
        at.str("gen_ai.operation.name", "retrieval");
        at.str("gen_ai.data_source.id", source);
        at.str("gen_ai.retrieval.query.text", query);
        std::string context = "Context:\n";
        if (s.error) {
            fail(s, kRetrievalErrors);
            context += "(retrieval failed)";
        } else {
            std::string docs = "[";
            const int n = static_cast<int>(r_.range(2, 5));
            double score = 0.95 - r_.unit() * 0.1;
            for (int i = 0; i < n; ++i) {
                const std::string content = paragraph(r_, 120, 420);
                std::string id = source;
                id += '-';
                appendInt(id, r_.range(100, 9999));
                if (i > 0)
                    docs += ',';
                docs += "{\"id\":";
                appendQuoted(docs, id);
                docs += ",\"score\":";
                appendFixed(docs, score, 4);
                docs += ",\"content\":";
                appendQuoted(docs, content);
                docs += '}';
                score -= 0.02 + r_.unit() * 0.08;
                context += '[';
                context += id;
                context += "] ";
                context += content;
                context += '\n';
            }
            docs += ']';
            at.str("gen_ai.retrieval.documents", docs);
        }
        a.history.push_back(userMessage(context));
        cursor_ = s.end;
    }

    // Emits an agent subtree of exactly `budget` spans; returns the agent's final answer.
    std::string runAgent(const std::string& parent, int depth, int budget, const std::string& task, const char* name)
    {
        const u64 start = cursor_ + (parent.empty() ? 0 : ms(2, 40));
        const std::size_t idx = newSpan(parent, std::string("invoke_agent ") + name, kInternal, start);
        const std::string spanId = spans_[idx].spanId;
        cursor_ = start + ms(1, 30);

        Agent a;
        a.name = name;
        a.model = &provider_->models[r_.below(3)];
        {
            std::string sys = "You are the ";
            sys += name;
            sys += " agent of ";
            sys += service_->name;
            sys += ". ";
            paragraph(sys, r_, static_cast<std::size_t>(r_.range(300, 1200)));
            a.systemJson = "[{\"type\":\"text\",\"content\":";
            appendQuoted(a.systemJson, sys);
            a.systemJson += "}]";
        }
        a.firstUser = userMessage(task);

        std::string answer;
        if (budget >= 2) {
            int rem = budget - 2; // the root span and the final chat are reserved
            while (rem > 0) {
                if (rem == 1) {
                    std::string parts = "[{\"type\":\"text\",\"content\":";
                    appendQuoted(parts, paragraph(r_, 40, 300));
                    parts += "}]";
                    chat(a, spanId, parts, false);
                    a.history.push_back("{\"role\":\"assistant\",\"parts\":" + parts + "}");
                    rem = 0;
                    break;
                }
                const int avail = rem - 1; // spans left after this step's chat
                if (depth < 2 && avail >= 4 && r_.chance(0.10)) {
                    const int sub = std::min(avail, static_cast<int>(r_.range(4, 30)));
                    const char* subName = service_->agents[1 + r_.below(3)];
                    ToolCall handoff;
                    handoff.id = "call_";
                    appendAlnum(handoff.id, r_, 24);
                    const std::string subTask = paragraph(r_, 60, 300);
                    std::string parts = "[{\"type\":\"tool_call\",\"id\":\"" + handoff.id + "\",\"name\":\"transfer_to_"
                        + subName + "\",\"arguments\":{\"task\":";
                    appendQuoted(parts, subTask);
                    parts += "}}]";
                    chat(a, spanId, parts, true);
                    a.history.push_back("{\"role\":\"assistant\",\"parts\":" + parts + "}");
                    const std::string subAnswer = runAgent(spanId, depth + 1, sub, subTask, subName);
                    std::string resp = "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\""
                        + handoff.id + "\",\"response\":";
                    appendQuoted(resp, subAnswer);
                    resp += "}]}";
                    a.history.push_back(std::move(resp));
                    rem -= 1 + sub;
                } else if (r_.chance(0.15)) {
                    retrieval(a, spanId);
                    rem -= 2;
                } else {
                    const double p = r_.unit();
                    const int k = std::min(avail, p < 0.6 ? 1 : (p < 0.85 ? 2 : 3));
                    tools(a, spanId, k);
                    rem -= 1 + k;
                }
            }
            answer = paragraph(r_, 200, 1200);
            std::string parts = "[{\"type\":\"text\",\"content\":";
            appendQuoted(parts, answer);
            parts += "}]";
            chat(a, spanId, parts, false);
        } else {
            answer = paragraph(r_, 40, 200);
        }

        Span& s = spans_[idx];
        s.end = cursor_ + ms(1, 40);
        cursor_ = s.end;
        Attrs at(s.attrs);
        at.str("gen_ai.operation.name", "invoke_agent");
        at.str("gen_ai.provider.name", provider_->name);
        at.str("gen_ai.agent.name", name);
        at.str("gen_ai.request.model", a.model->request);
        at.str("gen_ai.conversation.id", conversationId_);
        if (depth == 0)
            at.str("user.id", userId_);
        if (s.error)
            fail(s, kAgentErrors);
        at.str("gen_ai.input.messages", "[" + a.firstUser + "]");
        if (!s.error) {
            std::string out = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":";
            appendQuoted(out, answer);
            out += "}],\"finish_reason\":\"stop\"}]";
            at.str("gen_ai.output.messages", out);
        }
        return answer;
    }

    Rng& r_;
    double errorRate_;
    const Service* service_ = nullptr;
    const Provider* provider_ = nullptr;
    std::vector<Span> spans_;
    std::string traceId_;
    std::string conversationId_;
    std::string userId_;
    u64 cursor_ = 0;
};

// ------------------------------------------------------------------------------------------------------------ output

class Writer
{
public:
    Writer(std::FILE* f, int spansPerLine)
        : f_(f)
        , perLine_(spansPerLine)
    {
        buf_.reserve(kFlushAt + (1u << 20));
    }

    void add(int service, const std::string& traceId, const Span& s)
    {
        if (inLine_ == 0) {
            buf_ += "{\"resourceSpans\":[";
            service_ = -1;
        }
        if (service != service_) {
            if (service_ >= 0)
                buf_ += "]}]},";
            const Service& sv = kServices[service];
            buf_ += "{\"resource\":{\"attributes\":[";
            AttrList attrs;
            Attrs at(attrs);
            at.str("service.name", sv.name);
            at.str("service.version", sv.version);
            appendOtlpAttrs(buf_, attrs);
            buf_ += "]},\"scopeSpans\":[{\"scope\":{\"name\":";
            appendQuoted(buf_, sv.scope);
            buf_ += ",\"version\":";
            appendQuoted(buf_, sv.scopeVersion);
            buf_ += "},\"spans\":[";
            service_ = service;
        } else {
            buf_ += ',';
        }
        buf_ += "{\"traceId\":\"";
        buf_ += traceId;
        buf_ += "\",\"spanId\":\"";
        buf_ += s.spanId;
        buf_ += '"';
        if (!s.parentId.empty()) {
            buf_ += ",\"parentSpanId\":\"";
            buf_ += s.parentId;
            buf_ += '"';
        }
        buf_ += ",\"flags\":257,\"name\":";
        appendQuoted(buf_, s.name);
        buf_ += ",\"kind\":";
        appendInt(buf_, s.kind);
        buf_ += ",\"startTimeUnixNano\":\"";
        appendInt(buf_, s.start);
        buf_ += "\",\"endTimeUnixNano\":\"";
        appendInt(buf_, s.end);
        buf_ += "\",\"attributes\":[";
        appendOtlpAttrs(buf_, s.attrs);
        buf_ += ']';
        if (s.hasEvent) {
            buf_ += ",\"events\":[{\"timeUnixNano\":\"";
            appendInt(buf_, s.eventTime);
            buf_ += "\",\"name\":\"exception\",\"attributes\":[";
            appendOtlpAttrs(buf_, s.eventAttrs);
            buf_ += "]}]";
        }
        if (s.error) {
            buf_ += ",\"status\":{\"message\":";
            appendQuoted(buf_, s.statusMessage);
            buf_ += ",\"code\":2}}";
        } else {
            buf_ += ",\"status\":{}}";
        }
        if (++inLine_ == perLine_)
            endLine();
        if (buf_.size() >= kFlushAt)
            flush();
    }

    bool finish()
    {
        if (inLine_ > 0)
            endLine();
        flush();
        return std::fflush(f_) == 0 && !std::ferror(f_);
    }

    u64 bytes() const { return bytes_; }

private:
    static constexpr std::size_t kFlushAt = 8u << 20;

    void endLine()
    {
        buf_ += "]}]}]}\n";
        inLine_ = 0;
        service_ = -1;
    }

    void flush()
    {
        if (!buf_.empty()) {
            std::fwrite(buf_.data(), 1, buf_.size(), f_);
            bytes_ += buf_.size();
            buf_.clear();
        }
    }

    std::FILE* f_;
    int perLine_;
    int inLine_ = 0;
    int service_ = -1;
    std::string buf_;
    u64 bytes_ = 0;
};

// ISO 8601 UTC with microseconds and "+00:00", as Phoenix's encoder writes datetimes.
void appendIsoTime(std::string& out, u64 ns)
{
    const i64 seconds = static_cast<i64>(ns / 1'000'000'000u);
    const u64 micros = (ns / 1000u) % 1'000'000u;
    // Civil date from days since 1970-01-01 (H. Hinnant's civil_from_days).
    const i64 z = seconds / 86400 + 719468;
    const i64 era = z / 146097;
    const i64 doe = z - era * 146097;
    const i64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const i64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const i64 mp = (5 * doy + 2) / 153;
    const i64 day = doy - (153 * mp + 2) / 5 + 1;
    const i64 month = mp < 10 ? mp + 3 : mp - 9;
    const i64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const i64 sod = seconds % 86400;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06llu+00:00",
        static_cast<long long>(year), static_cast<long long>(month), static_cast<long long>(day),
        static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60), static_cast<long long>(sod % 60),
        static_cast<unsigned long long>(micros));
    out += buf;
}

// Phoenix span JSON Lines: one span per line in the shape of Phoenix's span JSON encoder, the same attributes
// nested the way Phoenix nests dotted keys, plus the openinference.span.kind Phoenix derives span_kind from.
class PhoenixWriter
{
public:
    explicit PhoenixWriter(std::FILE* f)
        : f_(f)
    {
        buf_.reserve(kFlushAt + (1u << 20));
    }

    void add(int, const std::string& traceId, const Span& s)
    {
        const char* kind = "CHAIN";
        for (const Attr& a : s.attrs) {
            if (a.key != "gen_ai.operation.name")
                continue;
            kind = a.value == "\"chat\""        ? "LLM"
                : a.value == "\"execute_tool\"" ? "TOOL"
                : a.value == "\"invoke_agent\"" ? "AGENT"
                : a.value == "\"retrieval\""    ? "RETRIEVER"
                : a.value == "\"embeddings\""   ? "EMBEDDING"
                                                : "CHAIN";
        }
        AttrList attrs = s.attrs;
        Attrs(attrs).str("openinference.span.kind", kind);
        buf_ += "{\"name\":";
        appendQuoted(buf_, s.name);
        buf_ += ",\"context\":{\"trace_id\":\"";
        buf_ += traceId;
        buf_ += "\",\"span_id\":\"";
        buf_ += s.spanId;
        buf_ += "\"},\"span_kind\":\"";
        buf_ += kind;
        buf_ += "\",\"parent_id\":";
        if (s.parentId.empty()) {
            buf_ += "null";
        } else {
            buf_ += '"';
            buf_ += s.parentId;
            buf_ += '"';
        }
        buf_ += ",\"start_time\":\"";
        appendIsoTime(buf_, s.start);
        buf_ += "\",\"end_time\":\"";
        appendIsoTime(buf_, s.end);
        buf_ += s.error ? "\",\"status_code\":\"ERROR\",\"status_message\":"
                        : "\",\"status_code\":\"OK\",\"status_message\":";
        appendQuoted(buf_, s.error ? s.statusMessage : std::string());
        buf_ += ",\"attributes\":";
        appendPhoenixAttrs(buf_, attrs);
        buf_ += ",\"events\":[";
        if (s.hasEvent) {
            buf_ += "{\"name\":\"exception\",\"timestamp\":\"";
            appendIsoTime(buf_, s.eventTime);
            buf_ += "\",\"attributes\":";
            appendPhoenixAttrs(buf_, s.eventAttrs);
            buf_ += '}';
        }
        buf_ += "],\"conversation\":null}\n";
        if (buf_.size() >= kFlushAt)
            flush();
    }

    bool finish()
    {
        flush();
        return std::fflush(f_) == 0 && !std::ferror(f_);
    }

    u64 bytes() const { return bytes_; }

private:
    static constexpr std::size_t kFlushAt = 8u << 20;

    void flush()
    {
        if (!buf_.empty()) {
            std::fwrite(buf_.data(), 1, buf_.size(), f_);
            bytes_ += buf_.size();
            buf_.clear();
        }
    }

    std::FILE* f_;
    std::string buf_;
    u64 bytes_ = 0;
};

bool parseU64(const char* s, u64& out)
{
    const char* end = s + std::strlen(s);
    auto r = std::from_chars(s, end, out);
    return r.ec == std::errc() && r.ptr == end;
}

template <typename Out> int generate(Out& out, std::FILE* f, const char* path, u64 total, u64 seed, bool singleTrace)
{
    Rng rng(seed);
    TraceGen gen(rng, 0.02);
    u64 written = 0, traces = 0;
    u64 traceStart = 1'760'000'000'000'000'000ull; // 2025-10-09T08:53:20Z
    while (written < total) {
        const u64 left = total - written;
        int budget
            = singleTrace ? static_cast<int>(std::min<u64>(left, 1u << 30)) : static_cast<int>(rng.range(50, 200));
        if (static_cast<u64>(budget) > left)
            budget = static_cast<int>(left);
        const int service = static_cast<int>(rng.below(std::size(kServices)));
        gen.generate(service, budget, traceStart);
        for (const Span& s : gen.spans())
            out.add(service, gen.traceId(), s);
        written += static_cast<u64>(budget);
        ++traces;
        traceStart += static_cast<u64>(rng.range(200, 30'000)) * kMs + static_cast<u64>(rng.range(0, 999'999));
    }
    const bool ok = out.finish();
    if (std::fclose(f) != 0 || !ok) {
        std::fprintf(stderr, "genotlp: write error on %s\n", path);
        return 1;
    }
    std::printf("spans=%llu traces=%llu bytes=%llu\n", static_cast<unsigned long long>(written),
        static_cast<unsigned long long>(traces), static_cast<unsigned long long>(out.bytes()));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    bool phoenix = false;
    bool singleTrace = false; // one run of SPANS spans (the million-step trace of issue 17)
    while (argc > 1 && argv[1][0] == '-' && argv[1][1] == '-') {
        if (std::strcmp(argv[1], "--phoenix") == 0)
            phoenix = true;
        else if (std::strcmp(argv[1], "--single-trace") == 0)
            singleTrace = true;
        else
            break;
        --argc;
        ++argv;
    }
    if (argc < 3 || argc > 5) {
        std::fprintf(
            stderr, "usage: genotlp [--phoenix] [--single-trace] OUT.jsonl SPANS [SPANS_PER_LINE=500] [SEED=1]\n");
        return 2;
    }
    u64 total = 0, perLine = 500, seed = 1;
    if (!parseU64(argv[2], total) || (argc > 3 && (!parseU64(argv[3], perLine) || perLine == 0 || perLine > 1u << 30))
        || (argc > 4 && !parseU64(argv[4], seed))) {
        std::fprintf(stderr, "genotlp: invalid number\n");
        return 2;
    }
    std::FILE* f = std::fopen(argv[1], "wb");
    if (!f) {
        std::perror(argv[1]);
        return 1;
    }
    if (phoenix) {
        PhoenixWriter out(f);
        return generate(out, f, argv[1], total, seed, singleTrace);
    }
    Writer out(f, static_cast<int>(perLine));
    return generate(out, f, argv[1], total, seed, singleTrace);
}
