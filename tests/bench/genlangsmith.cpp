// genlangsmith: writes a synthetic but realistic LangSmith ingest file for benchmarks.
//
//   genlangsmith OUT.jsonl RUNS [SEED=1]
//
// One JSON object per line, as the LangSmith SDK batches runs: {"post": [...], "patch": [...]}. Each trace is an agent
// run (a chain named like an agent) of 50-200 runs: chat model runs that carry the growing conversation (OpenAI-style
// messages, usage_metadata with cache reads and reasoning, ls_* metadata), tool runs with JSON arguments and results,
// and retriever runs. The agent is posted open on one line and patched with its end and output on the next, so the
// importer's post/patch merge is exercised; the other runs are posted complete. About 2% of tool runs fail. Runs are
// about 3 KB each, like genotlp's spans, so that MB/s compare. Deterministic for a given SEED; std-only C++20.
//
// Prints one line on stdout: "runs=N traces=T bytes=B".

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using u64 = std::uint64_t;
using i64 = std::int64_t;

class Rng
{
public:
    explicit Rng(u64 seed)
        : m_g(seed)
    { }
    u64 next() { return m_g(); }
    i64 range(i64 lo, i64 hi) { return lo + static_cast<i64>(m_g() % static_cast<u64>(hi - lo + 1)); }
    bool chance(double p) { return static_cast<double>(m_g() >> 11) * (1.0 / 9007199254740992.0) < p; }
    template <class T, std::size_t N> const T& pick(const T (&a)[N]) { return a[m_g() % N]; }

private:
    std::mt19937_64 m_g;
};

void escaped(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;
        }
    }
    out += '"';
}

void number(std::string& out, i64 v)
{
    char buffer[24];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
    out.append(buffer, r.ptr);
}

constexpr std::string_view kWords[] = { "the", "a", "to", "of", "and", "in", "for", "on", "with", "is", "that", "it",
    "order", "account", "customer", "refund", "payment", "invoice", "shipping", "delivery", "package", "address",
    "report", "summary", "data", "query", "result", "policy", "update", "request", "ticket", "issue", "error", "please",
    "question", "answer", "details", "system", "service", "review", "change", "version", "release", "feature", "bug",
    "price", "total", "discount", "subscription", "plan", "renewal", "cancel", "confirm", "check", "verify", "search",
    "email", "message", "schedule", "meeting", "tomorrow", "today", "week", "revenue", "forecast", "market", "contract",
    "support", "agent", "tool", "model", "context", "tokens", "latency", "cost", "approved", "pending", "failed",
    "retry", "because", "however", "already", "important", "urgent", "missing", "duplicate", "caf\xc3\xa9",
    "M\xc3\xbcnchen", "\xe2\x80\x94", "\"quoted\"", "C:\\Users\\dana", "50%" };

constexpr std::string_view kAgents[] = { "TriageAgent", "RefundsAgent", "ResearchAgent", "BillingAgent" };
constexpr std::string_view kModels[] = { "gpt-4o", "gpt-4o-mini", "gpt-4.1", "o3-mini" };
constexpr std::string_view kTools[] = { "lookup_order", "issue_refund", "search_kb", "send_email", "get_invoice" };

std::string text(Rng& r, std::size_t chars)
{
    std::string s;
    while (s.size() < chars) {
        if (!s.empty())
            s += r.chance(0.1) ? "\n\n" : " ";
        const int words = static_cast<int>(r.range(5, 16));
        for (int i = 0; i < words; ++i) {
            if (i > 0)
                s += ' ';
            s += r.pick(kWords);
        }
        s += '.';
    }
    return s;
}

// The first n bytes of s, backed off to a UTF-8 boundary.
std::string prefix(const std::string& s, std::size_t n)
{
    if (n >= s.size())
        return s;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    return s.substr(0, n);
}

std::string uuid(Rng& r)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string s;
    u64 a = r.next(), b = r.next();
    for (int i = 0; i < 32; ++i) {
        const u64 v = i < 16 ? a >> (i * 4) : b >> ((i - 16) * 4);
        s += hex[v & 15];
        if (i == 7 || i == 11 || i == 15 || i == 19)
            s += '-';
    }
    return s;
}

// Microseconds since the epoch → "2025-10-09T08:53:20.123456+00:00" and the dotted_order form.
std::string iso(i64 us, bool compact)
{
    const i64 seconds = us / 1'000'000, micros = us % 1'000'000;
    i64 days = seconds / 86400, rest = seconds % 86400;
    // civil_from_days (Howard Hinnant)
    days += 719468;
    const i64 era = days / 146097, doe = days - era * 146097;
    const i64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const i64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    const i64 d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
    char buffer[48];
    std::snprintf(buffer, sizeof buffer,
        compact ? "%04lld%02lld%02lldT%02lld%02lld%02lld%06lldZ"
                : "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lld+00:00",
        static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
        static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60),
        static_cast<long long>(micros));
    return buffer;
}

struct Run
{
    std::string id;
    i64 startUs = 0;
    i64 endUs = 0;
};

class Writer
{
public:
    explicit Writer(std::FILE* file)
        : m_file(file)
    { }
    void line(const std::string& text)
    {
        m_bytes += text.size() + 1;
        std::fwrite(text.data(), 1, text.size(), m_file);
        std::fputc('\n', m_file);
    }
    u64 bytes() const { return m_bytes; }

private:
    std::FILE* m_file;
    u64 m_bytes = 0;
};

// The fields every run has; the caller appends inputs/outputs and closes the object.
void runHead(
    std::string& out, const Run& run, const Run& root, std::string_view name, std::string_view type, bool withEnd)
{
    out += "{\"id\":\"" + run.id + "\",\"trace_id\":\"" + root.id + "\",";
    if (run.id != root.id)
        out += "\"parent_run_id\":\"" + root.id + "\",";
    out += "\"name\":";
    escaped(out, name);
    out += ",\"run_type\":\"" + std::string(type) + "\",\"start_time\":\"" + iso(run.startUs, false) + "\",";
    if (withEnd)
        out += "\"end_time\":\"" + iso(run.endUs, false) + "\",";
    out += "\"dotted_order\":\"" + iso(root.startUs, true) + root.id;
    if (run.id != root.id) {
        out += '.';
        out += iso(run.startUs, true);
        out += run.id;
    }
    out += "\",\"session_name\":\"default\",\"tags\":[\"bench\"],";
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: %s OUT.jsonl RUNS [SEED=1]\n", argv[0]);
        return 2;
    }
    const i64 total = std::strtoll(argv[2], nullptr, 10);
    Rng r(argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1);
    std::FILE* file = std::fopen(argv[1], "wb");
    if (!file || total <= 0) {
        std::fprintf(stderr, "genlangsmith: cannot write %s or bad RUNS\n", argv[1]);
        return 1;
    }
    Writer writer(file);
    i64 written = 0, traces = 0;
    i64 clock = 1'760'000'000'000'000; // µs, 2025-10-09T08:53:20Z
    while (written < total) {
        const i64 budget = std::min<i64>(r.range(50, 200), total - written);
        const std::string agent(r.pick(kAgents));
        const std::string model(r.pick(kModels));
        const std::string system = text(r, 600);
        Run root { uuid(r), clock, 0 };
        i64 t = clock + r.range(1000, 5000);
        std::vector<std::string> history; // the conversation so far, as OpenAI message JSON
        const std::string question = text(r, 160);
        std::string post("{\"post\":[");
        const auto append = [&](const std::string& run) {
            if (post.back() != '[')
                post += ',';
            post += run;
        };
        {
            std::string out;
            runHead(out, root, root, agent, "chain", false);
            out += "\"inputs\":{\"input\":";
            escaped(out, question);
            out += "},\"extra\":{\"metadata\":{\"thread_id\":\"thread-" + std::to_string(traces % 997)
                + "\",\"user_id\":\"u-" + std::to_string(traces % 31)
                + "\"},\"runtime\":{\"sdk\":\"langsmith-py\",\"sdk_version\":\"0.4.1\"}}}";
            append(out);
        }
        std::string lastTool = "lookup_order";
        for (i64 i = 1; i < budget; ++i) {
            const i64 kind = i % 3; // llm, tool, llm/retriever …
            Run run { uuid(r), t, 0 };
            std::string out;
            if (kind == 1 || (kind == 0 && r.chance(0.3))) {
                run.endUs = t + r.range(300'000, 4'000'000);
                runHead(out, run, root, "ChatOpenAI", "llm", true);
                out += "\"inputs\":{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":";
                escaped(out, system);
                out += "},{\"role\":\"user\",\"content\":";
                escaped(out, question);
                out += "}";
                // The recent part of the conversation, as agents resend it with each call.
                for (std::size_t h = history.size() > 4 ? history.size() - 4 : 0; h < history.size(); ++h)
                    out += "," + history[h];
                out += "]},\"outputs\":{\"id\":\"chatcmpl-" + run.id.substr(0, 12) + "\",\"model\":\"" + model
                    + "-2025\",\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\",\"message\":{\"role\":"
                      "\"assistant\",\"content\":";
                const std::string answer = text(r, static_cast<std::size_t>(r.range(200, 700)));
                escaped(out, answer);
                lastTool = std::string(r.pick(kTools));
                const std::string call = "call_" + run.id.substr(0, 8);
                out += ",\"tool_calls\":[{\"id\":\"" + call + "\",\"type\":\"function\",\"function\":{\"name\":\""
                    + lastTool + "\",\"arguments\":\"{\\\"order_id\\\": " + std::to_string(r.range(1000, 99999))
                    + "}\"}}]}}],";
                const i64 in = r.range(800, 6000), cached = in / 2, out_ = r.range(20, 600);
                out += "\"usage_metadata\":{\"input_tokens\":";
                number(out, in);
                out += ",\"output_tokens\":";
                number(out, out_);
                out += ",\"total_tokens\":";
                number(out, in + out_);
                out += ",\"input_token_details\":{\"cache_read\":";
                number(out, cached);
                out += "},\"output_token_details\":{\"reasoning\":";
                number(out, out_ / 4);
                out += "}}},\"extra\":{\"metadata\":{\"ls_provider\":\"openai\",\"ls_model_name\":\"" + model
                    + "\",\"ls_model_type\":\"chat\",\"ls_temperature\":0.2},\"invocation_params\":{\"model\":\""
                    + model
                    + "\",\"temperature\":0.2,\"stream\":false}},\"serialized\":{\"name\":\"ChatOpenAI\"},\"events\":[]"
                      "}";
                std::string message("{\"role\":\"assistant\",\"content\":");
                escaped(message, prefix(answer, 300));
                message += ",\"tool_calls\":[{\"id\":\"" + call + "\",\"type\":\"function\",\"function\":{\"name\":\""
                    + lastTool + "\",\"arguments\":\"{}\"}}]}";
                history.push_back(std::move(message));
            } else if (kind == 2) {
                run.endUs = t + r.range(20'000, 900'000);
                runHead(out, run, root, lastTool, "tool", true);
                out += "\"inputs\":{\"input\":\"{\\\"order_id\\\": " + std::to_string(r.range(1000, 99999)) + "}\"},";
                const std::string result = text(r, static_cast<std::size_t>(r.range(300, 1500)));
                if (r.chance(0.02)) {
                    out += "\"error\":\"ToolException: upstream timed out\",\"outputs\":null,";
                } else {
                    out += "\"outputs\":{\"output\":";
                    escaped(out, result);
                    out += "},";
                }
                out += "\"extra\":{\"metadata\":{\"tool_version\":\"1.2\"}},\"serialized\":{\"name\":\"" + lastTool
                    + "\",\"description\":\"Looks things up.\"},\"events\":[]}";
                std::string message("{\"role\":\"tool\",\"tool_call_id\":\"call\",\"content\":");
                escaped(message, prefix(result, 300));
                message += "}";
                history.push_back(std::move(message));
            } else {
                run.endUs = t + r.range(50'000, 700'000);
                runHead(out, run, root, "VectorStoreRetriever", "retriever", true);
                out += "\"inputs\":{\"query\":";
                escaped(out, text(r, 80));
                out += "},\"outputs\":{\"documents\":[";
                for (int d = 0; d < 3; ++d) {
                    out += d ? ",{\"page_content\":" : "{\"page_content\":";
                    escaped(out, text(r, 400));
                    out += ",\"metadata\":{\"source\":\"kb/" + std::to_string(r.range(1, 500))
                        + ".md\"},\"type\":\"Document\"}";
                }
                out += "]},\"extra\":{\"metadata\":{\"ls_retriever_name\":\"vectorstore\"}},\"events\":[]}";
            }
            append(out);
            t = run.endUs + r.range(1000, 50'000);
        }
        post += "],\"patch\":[]}";
        writer.line(post);
        root.endUs = t + r.range(1000, 9000);
        std::string patch = "{\"post\":[],\"patch\":[{\"id\":\"" + root.id + "\",\"trace_id\":\"" + root.id
            + "\",\"end_time\":\"" + iso(root.endUs, false) + "\",\"dotted_order\":\"" + iso(root.startUs, true)
            + root.id + "\",\"outputs\":{\"output\":";
        escaped(patch, text(r, 400));
        patch += "}}]}";
        writer.line(patch);
        written += budget;
        ++traces;
        clock = t + r.range(200'000, 30'000'000);
    }
    if (std::fclose(file) != 0) {
        std::fprintf(stderr, "genlangsmith: write error on %s\n", argv[1]);
        return 1;
    }
    std::printf("runs=%lld traces=%lld bytes=%llu\n", static_cast<long long>(written), static_cast<long long>(traces),
        static_cast<unsigned long long>(writer.bytes()));
    return 0;
}
