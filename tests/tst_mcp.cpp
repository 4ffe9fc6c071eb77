// The MCP server's protocol loop with a handler of the test's own (cancellation of a running request, in order
// answers), the run outline that get_run and `show --outline` give, and the helpers that make trace text inert.
// The real client from npm is in npm/mcp-client.sh.
#include <mcpserver.h>
#include <messagetext.h>
#include <runoutline.h>
#include <tracesnapshot.h>
#include <tracestore.h>
#include <tracewriter.h>
#include <utf8.h>

#include <QTemporaryDir>
#include <QTest>

#include <condition_variable>
#include <istream>
#include <mutex>
#include <regex>
#include <sstream>
#include <streambuf>
#include <thread>

using namespace Tracelight;
using nlohmann::json;

namespace {

// Standard input that blocks until the test pushes more, as a pipe does.
class BlockingInput : public std::streambuf
{
public:
    void push(const std::string& text)
    {
        std::lock_guard lock(m_mutex);
        m_pending += text;
        m_ready.notify_all();
    }
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_ready.notify_all();
    }

protected:
    int_type underflow() override
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [this] { return !m_pending.empty() || m_closed; });
        if (m_pending.empty())
            return traits_type::eof();
        m_current = std::move(m_pending);
        m_pending.clear();
        setg(m_current.data(), m_current.data(), m_current.data() + m_current.size());
        return traits_type::to_int_type(m_current.front());
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::string m_pending;
    std::string m_current;
    bool m_closed = false;
};

// A handler whose "block" tool waits until it is interrupted, and whose "echo" tool answers at once.
class TestHandler final : public Mcp::Handler
{
public:
    std::string instructions() override { return "test"; }
    json tools() override { return json::array(); }
    json callTool(const std::string& name, const json& arguments, Mcp::RequestContext& context) override
    {
        if (name == "block") {
            std::unique_lock lock(mutex);
            started = true;
            changed.notify_all();
            changed.wait_for(lock, std::chrono::seconds(20), [this] { return interrupted; });
            context.checkCancelled();
            return { { "content", json::array() }, { "structuredContent", { { "finished", true } } } };
        }
        if (name == "echo")
            return { { "content", json::array() }, { "structuredContent", arguments } };
        throw Mcp::ProtocolError(-32602, "Unknown tool: " + name);
    }
    json listResources(const std::string&, Mcp::RequestContext&) override { return { { "resources", json::array() } }; }
    json resourceTemplates() override { return json::array(); }
    json readResource(const std::string& uri, Mcp::RequestContext&) override
    {
        throw Mcp::ProtocolError(-32002, "Resource not found: " + uri);
    }
    void interrupt() override
    {
        std::lock_guard lock(mutex);
        interrupted = true;
        ++interrupts;
        changed.notify_all();
    }

    std::mutex mutex;
    std::condition_variable changed;
    bool started = false;
    bool interrupted = false;
    int interrupts = 0;
};

std::string line(const json& message)
{
    return message.dump() + "\n";
}

json callMessage(int id, const std::string& tool, json arguments = json::object())
{
    return { { "jsonrpc", "2.0" }, { "id", id }, { "method", "tools/call" },
        { "params", { { "name", tool }, { "arguments", std::move(arguments) } } } };
}

std::vector<json> messages(const std::string& output)
{
    std::vector<json> out;
    std::istringstream lines(output);
    std::string text;
    while (std::getline(lines, text))
        out.push_back(json::parse(text));
    return out;
}

} // namespace

class TestMcp : public QObject
{
    Q_OBJECT

private slots:
    void runningRequestIsInterruptedAndUnanswered()
    {
        BlockingInput input;
        std::istream in(&input);
        std::ostringstream out;
        std::ostringstream log;
        TestHandler handler;
        Mcp::Server server(handler, in, out, log, "test");
        std::thread serving([&] { server.run(); });

        input.push(line({ { "jsonrpc", "2.0" }, { "id", 1 }, { "method", "initialize" },
                       { "params",
                           { { "protocolVersion", "2025-06-18" }, { "capabilities", json::object() },
                               { "clientInfo", { { "name", "t" }, { "version", "0" } } } } } })
            + line(callMessage(2, "block")));
        {
            // The block tool runs: only now does the cancellation arrive.
            std::unique_lock lock(handler.mutex);
            QVERIFY(handler.changed.wait_for(lock, std::chrono::seconds(20), [&] { return handler.started; }));
        }
        input.push(line({ { "jsonrpc", "2.0" }, { "method", "notifications/cancelled" },
            { "params", { { "requestId", 2 }, { "reason", "test" } } } }));
        input.push(line(callMessage(3, "echo", { { "x", 1 } })));
        input.close();
        serving.join();

        const std::vector<json> answers = messages(out.str());
        QCOMPARE(int(answers.size()), 2);
        QCOMPARE(answers[0]["id"].get<int>(), 1);
        QCOMPARE(answers[0]["result"]["protocolVersion"].get<std::string>(), std::string("2025-06-18"));
        QCOMPARE(answers[1]["id"].get<int>(), 3);
        QCOMPARE(answers[1]["result"]["structuredContent"]["x"].get<int>(), 1);
        QCOMPARE(handler.interrupts, 1);
        QVERIFY(log.str().find("(id 2) cancelled after") != std::string::npos);
    }

    void cancellationOfAnUnknownOrFinishedRequestIsIgnored()
    {
        BlockingInput input;
        std::istream in(&input);
        std::ostringstream out;
        std::ostringstream log;
        TestHandler handler;
        Mcp::Server server(handler, in, out, log, "test");
        input.push(line(callMessage(7, "echo", { { "y", 2 } }))
            + line({ { "jsonrpc", "2.0" }, { "method", "notifications/cancelled" },
                { "params", { { "requestId", 99 } } } })
            + line({ { "jsonrpc", "2.0" }, { "id", "s" }, { "method", "tools/call" },
                { "params", { { "name", "nope" } } } })
            + line({ { "jsonrpc", "2.0" }, { "id", 8 }, { "method", "tools/call" }, { "params", "not an object" } })
            + line({ { "jsonrpc", "2.0" }, { "id", 9.5 }, { "method", "ping" } }));
        input.close();
        server.run();
        const std::vector<json> answers = messages(out.str());
        QCOMPARE(int(answers.size()), 4);
        QCOMPARE(answers[0]["result"]["structuredContent"]["y"].get<int>(), 2);
        QCOMPARE(answers[1]["id"].get<std::string>(), std::string("s"));
        QCOMPARE(answers[1]["error"]["code"].get<int>(), -32602);
        QCOMPARE(answers[2]["error"]["code"].get<int>(), -32602);
        QVERIFY(answers[3]["id"].is_null()); // a fractional id is no id
        QCOMPARE(answers[3]["error"]["code"].get<int>(), -32600);
        QCOMPARE(handler.interrupts, 0);
    }

    // 30 rounds of a model call and a search, one of which fails: folded to fit, the failure kept in sight.
    void outlineFoldsRepeatedRoundsAndKeepsFailures()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        auto resource = std::make_shared<Resource>();
        std::vector<Step> steps;
        std::int64_t clock = 0;
        const auto add = [&](const std::string& spanId, const std::string& parent, StepKind kind, std::string name) {
            Step s;
            s.traceId = "outline-run";
            s.spanId = spanId;
            s.parentId = parent;
            s.kind = kind;
            s.name = std::move(name);
            s.startNs = clock * 1'000'000;
            s.endNs = (clock + 10) * 1'000'000;
            s.resource = resource;
            clock += 11;
            steps.push_back(std::move(s));
            return &steps.back();
        };
        add("root-span", "", StepKind::Agent, "agent");
        const int rounds = 30;
        const int failing = 15;
        for (int r = 0; r < rounds; ++r) {
            char llmId[32];
            char toolId[32];
            std::snprintf(llmId, sizeof llmId, "llm-%04d", r);
            std::snprintf(toolId, sizeof toolId, "tool-%04d", r);
            Step* llm = add(llmId, "root-span", StepKind::Llm, "chat");
            llm->tokens.input = 1000;
            llm->tokens.output = 20;
            llm->inputText = "find the order";
            Step* tool = add(toolId, "root-span", StepKind::Tool, "search");
            tool->toolName = "search";
            tool->toolArguments = "{\"q\":\"order " + std::to_string(r) + "\"}";
            tool->toolResult = "nothing\u202e";
            if (r == failing) {
                tool->status = StepStatus::Error;
                tool->statusMessage = "search backend timed out";
            }
        }
        steps.front().endNs = clock * 1'000'000;
        {
            TraceWriter writer(store);
            writer.beginFile("memory:outline", "test", 0);
            writer.addSteps(StepBatch(steps));
            writer.commitFile("sha-outline");
        }
        const auto summary = store.trace("outline-run");
        QVERIFY(summary);
        const auto snapshot = TraceSnapshot::build(*summary, store.steps("outline-run"));

        RunOutline::Options unlimited;
        unlimited.budgetTokens = 0;
        const RunOutline::Result full = RunOutline::build(store, *snapshot, {}, unlimited);
        QCOMPARE(full.stepsShown, 1 + 2 * rounds);
        QCOMPARE(full.stepsFolded, 0);
        QVERIFY(full.text.find("\u202e") == std::string::npos);
        QVERIFY(full.text.find("nothing[U+202E]") != std::string::npos);

        RunOutline::Options small;
        small.budgetTokens = 500;
        const RunOutline::Result folded = RunOutline::build(store, *snapshot, {}, small);
        QVERIFY2(folded.estimatedTokens <= 500, folded.text.c_str());
        QVERIFY(!folded.truncated);
        QCOMPARE(folded.stepsShown + folded.stepsFolded, 1 + 2 * rounds);
        // The failing round has a line of its own, with its message.
        QVERIFY2(folded.text.find("tool-0015 tool search") != std::string::npos, folded.text.c_str());
        QVERIFY(folded.text.find("ERROR \"search backend timed out\"") != std::string::npos);
        // The fold lines count every folded round: two steps each.
        const std::regex fold(R"(… (\d+) more rounds? like the one above \(llm ×(\d+), tool ×(\d+))");
        int foldedRounds = 0;
        for (std::sregex_iterator m(folded.text.begin(), folded.text.end(), fold), end; m != end; ++m) {
            QCOMPARE((*m)[1].str(), (*m)[2].str());
            QCOMPARE((*m)[1].str(), (*m)[3].str());
            foldedRounds += std::stoi((*m)[1].str());
        }
        QVERIFY(foldedRounds > 0);
        QCOMPARE(2 * foldedRounds, folded.stepsFolded);

        // A budget nothing fits in: cut at a line's end, and said so.
        RunOutline::Options tiny;
        tiny.budgetTokens = 60;
        const RunOutline::Result cut = RunOutline::build(store, *snapshot, {}, tiny);
        QVERIFY(cut.truncated);
        QVERIFY(cut.text.find("more lines not shown") != std::string::npos);
    }

    void spanPrefixesAreUnique()
    {
        TraceSummary summary;
        summary.traceId = "t";
        std::vector<StepRecord> records(3);
        records[0].spanId = "call_abcdefgh1";
        records[1].spanId = "call_abcdefgh2";
        records[2].spanId = "L7";
        const auto snapshot = TraceSnapshot::build(summary, records);
        std::vector<std::size_t> lengths = RunOutline::spanPrefixLengths(*snapshot);
        std::map<std::string, std::size_t> byId;
        for (int i = 0; i < snapshot->size(); ++i)
            byId[snapshot->step(i).spanId] = lengths[std::size_t(i)];
        QCOMPARE(byId["call_abcdefgh1"], std::size_t(14));
        QCOMPARE(byId["L7"], std::size_t(8));
    }

    void visibleMakesHiddenCharactersVisible()
    {
        QCOMPARE(Utf8::visible("a\u202eb"), std::string("a[U+202E]b"));
        QCOMPARE(Utf8::visible("\x1b[31mred"), std::string("[U+001B][31mred"));
        QCOMPARE(Utf8::visible("zero\u200bwidth\ufeff"), std::string("zero[U+200B]width[U+FEFF]"));
        QCOMPARE(Utf8::visible("tag\U000E0041"), std::string("tag[U+E0041]"));
        QCOMPARE(Utf8::visible("two\nlines\tok"), std::string("two\nlines\tok"));
        QCOMPARE(Utf8::visible("two\nlines", false), std::string("two[U+000A]lines"));
        QCOMPARE(Utf8::visible(std::string("nul\0byte", 8)), std::string("nul[U+0000]byte"));
        QCOMPARE(Utf8::visible("bad\xff"), std::string("bad\xEF\xBF\xBD"));
        QCOMPARE(Utf8::visible("héllo — 日本"), std::string("héllo — 日本"));
        QCOMPARE(Utf8::inertLine("two\nlines\t\u202e\r", 40), std::string("two lines [U+202E][U+000D]"));
    }

    void messageTextReadsNormalizedMessages()
    {
        const std::string messages = json::array(
            { { { "role", "user" }, { "parts", { { { "type", "text" }, { "content", "refund A-1" } } } } },
                { { "role", "assistant" },
                    { "parts",
                        { { { "type", "tool_call" }, { "name", "refund" },
                            { "arguments", "{\"id\":\"A-1\"}" } } } } } })
                                         .dump();
        QCOMPARE(MessageText::plain(messages),
            std::string("USER: refund A-1\n\nASSISTANT: [tool call refund {\"id\":\"A-1\"}]"));
        QCOMPARE(MessageText::last(messages), std::string("[tool call refund {\"id\":\"A-1\"}]"));
        QCOMPARE(MessageText::plain("not json"), std::string("not json"));
    }
};

QTEST_GUILESS_MAIN(TestMcp)
#include "tst_mcp.moc"
