#include "codingagentfixtures.h"

#include <fileimport.h>
#include <sessiondiscovery.h>
#include <sessionlistmodel.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QAbstractItemModelTester>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Tracelight;
using namespace CodingAgentFixtures;

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QString S(const char* text)
{
    return QString::fromUtf8(text);
}

QStringList L(std::initializer_list<const char*> items)
{
    QStringList list;
    for (const char* item : items)
        list << QString::fromUtf8(item);
    return list;
}

ImportOutcome importInto(const QString& file, TestUtils::MemorySink& sink)
{
    return importFile(file.toStdString(), sink);
}

// The steps of every trace in a cache, as comparable lines.
QStringList cacheLines(TraceStore& store)
{
    QStringList lines;
    for (const TraceSummary& trace : store.traces()) {
        for (const StepRecord& s : store.steps(trace.traceId)) {
            lines << QStringLiteral("%1 %2 <- %3 | %4 | %5 | %6..%7 | %8 | %9/%10")
                         .arg(qs(trace.traceId), qs(s.spanId), qs(s.parentId), qs(s.name))
                         .arg(int(s.kind))
                         .arg(s.startNs)
                         .arg(s.endNs)
                         .arg(int(s.status))
                         .arg(s.tokens.input.value_or(-1))
                         .arg(s.tokens.output.value_or(-1));
        }
    }
    lines.sort();
    return lines;
}

json claudeLine(const char* type, const char* uuid, const char* parent, const char* time, json message, json extra = {})
{
    json line = { { "type", type }, { "uuid", uuid }, { "parentUuid", parent ? json(parent) : json() },
        { "sessionId", "11111111-2222-3333-4444-555555555555" }, { "timestamp", time }, { "version", "2.1.30" },
        { "cwd", "/work/demo" }, { "isSidechain", false }, { "message", std::move(message) } };
    if (extra.is_object())
        line.update(extra);
    return line;
}

json assistant(const char* id, json content, int input, int cacheWrite, int cacheRead, int output)
{
    return { { "id", id }, { "model", "claude-sonnet-4-5-20250929" }, { "role", "assistant" },
        { "content", json::array({ std::move(content) }) },
        { "usage",
            { { "input_tokens", input }, { "cache_creation_input_tokens", cacheWrite },
                { "cache_read_input_tokens", cacheRead }, { "output_tokens", output } } } };
}

json codexLine(const char* time, const char* type, json payload)
{
    return { { "timestamp", time }, { "type", type }, { "payload", std::move(payload) } };
}

json tokenCount(int input, int cached, int output, int reasoning, int totalInput, int totalCached, int totalOutput,
    int totalReasoning)
{
    auto usage = [](int i, int c, int o, int r) {
        return json { { "input_tokens", i }, { "cached_input_tokens", c }, { "output_tokens", o },
            { "reasoning_output_tokens", r }, { "total_tokens", i + o } };
    };
    return { { "type", "token_count" },
        { "info",
            { { "last_token_usage", usage(input, cached, output, reasoning) },
                { "total_token_usage", usage(totalInput, totalCached, totalOutput, totalReasoning) } } } };
}

// UUIDv7 ids carry their creation time in their first 48 bits (ms): Codex turn ids made at these times.
// python3 -c "print('%012x' % 1767225601000)" → 019b76daabe8 (2026-01-01T00:00:01Z)
const char* parentTurn = "019b76da-abe8-7000-8000-000000000001"; // 00:00:01, before the child existed (00:00:02)
const char* childTurn = "019b76da-b3b8-7000-8000-000000000002"; // 00:00:03, the child's own
const char* parentThread = "019b76da-a800-7000-8000-0000000000aa";
const char* childThread = "019b76da-afd0-7000-8000-0000000000bb";

} // namespace

class TestCodingAgents : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("TZ", "UTC");
    }

    // Every file of corpus/coding-agents, read in place. Expected values come from the files themselves through
    // jq (the commands are beside each row), never from this importer.
    void corpusFile_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("humans");
        QTest::addColumn<int>("llm");
        QTest::addColumn<QString>("tools");
        QTest::addColumn<QStringList>("agents");
        QTest::addColumn<qint64>("input");
        QTest::addColumn<qint64>("output");
        QTest::addColumn<qint64>("cacheRead");
        QTest::addColumn<qint64>("cacheWrite");
        QTest::addColumn<qint64>("reasoning");
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus at TRACELIGHT_CORPUS_DIR");

        // Claude Code. One usage per message id (+ requestId), the line with the most output tokens; our input
        // = input + cache write + cache read. Over the session file and the agent files read with it:
        //   jq -s -c '[.[] | select(.type=="assistant" and .message.model!="<synthetic>")
        //     | {id: (.message.id + "|" + (.requestId // "")), u: .message.usage}] | group_by(.id)
        //     | map(max_by(.u.output_tokens)) | {llm: length,
        //       input: (map(.u.input_tokens + (.u.cache_creation_input_tokens // 0) + (.u.cache_read_input_tokens //
        //       0)) | add), output: (map(.u.output_tokens) | add), cacheRead: (map(.u.cache_read_input_tokens // 0) |
        //       add), cacheWrite: (map(.u.cache_creation_input_tokens // 0) | add)}' FILES
        // Tool calls: jq -s -c '[.[] | select(.type=="assistant") | .message.content[] | select(.type=="tool_use")
        //   | .name] | group_by(.) | map({(.[0]): length}) | add' FILES
        // Prompts (human steps): user lines of the session file, not isMeta/isCompactSummary, without tool_result
        //   blocks, not "[Request interrupted…": jq -s '[.[] | select(.type=="user" and (.isMeta|not)
        //   and (.isCompactSummary|not) and (.isSidechain|not)) | .message.content | select(type=="string"
        //   or (map(.type) | index("tool_result") | not))] | length' FILE  (2.1.4: 4, one of them the interrupt)
        // Sub-agents: jq -c 'select(.toolUseResult.agentId) | {tool: .message.content[0].tool_use_id,
        //   agent: .toolUseResult.agentId}' FILE; 2.0.64's agent files are warm-ups with no spawning call.

        // FILES = session + agent-36541525 + agent-50243ee8 (found beside it, same sessionId)
        QTest::newRow("claude 2.0.64 session + warm-up agents")
            << corpus("claude-code-2.0.64-bedrock-legacy-layout.session.jsonl") << S("claude-code") << 3 << 9
            << S("Bash:1,Edit:1,Read:1,Write:3") << L({ "agent-36541525<-session", "agent-50243ee8<-session" })
            << qint64(285689) << qint64(1046) << qint64(214627) << qint64(54148) << qint64(0);
        QTest::newRow("claude 2.0.64 warm-up agent alone")
            << corpus("claude-code-2.0.64-bedrock-legacy-layout.agent-36541525.jsonl") << S("claude-code") << 0 << 1
            << QString() << L({ "agent-36541525<-session" }) << qint64(16979) << qint64(3) << qint64(0) << qint64(16976)
            << qint64(0);
        QTest::newRow("claude 2.0.64 bedrock-model agent alone")
            << corpus("claude-code-2.0.64-bedrock-legacy-layout.agent-50243ee8.jsonl") << S("claude-code") << 0 << 1
            << QString() << L({ "agent-50243ee8<-session" }) << qint64(16878) << qint64(237) << qint64(0) << qint64(0)
            << qint64(0);
        // Two Task calls whose transcripts are not in the corpus: the agents still hang under their calls.
        QTest::newRow("claude 2.1.4 summaries, Task without transcripts")
            << corpus("claude-code-2.1.4-summary-records.jsonl") << S("claude-code") << 3 << 5 << S("Task:2,Write:1")
            << L({ "agent-a46b9c3<-toolu_bdrk_017jZYsgmFDt9ud8x578t3Zx",
                   "agent-a693a87<-toolu_bdrk_0173E8p3RpvZR9nGfxQ29YBN" })
            << qint64(170226) << qint64(4509) << qint64(22912) << qint64(147267) << qint64(0);
        // FILES = session + agent-a485154
        QTest::newRow("claude 2.1.7 session + Task sub-agent")
            << corpus("claude-code-2.1.7-task-subagent.session.jsonl") << S("claude-code") << 1 << 17
            << S("Bash:9,Glob:5,Grep:3,Read:15,Task:1,Write:1")
            << L({ "agent-a485154<-toolu_bdrk_019PUUtqzQg8U5ogfuyQ7yLV" }) << qint64(594586) << qint64(11944)
            << qint64(315323) << qint64(273493) << qint64(0);
        QTest::newRow("claude 2.1.7 sub-agent alone")
            << corpus("claude-code-2.1.7-task-subagent.agent-a485154.jsonl") << S("claude-code") << 0 << 6
            << S("Bash:3,Glob:3,Grep:3,Read:11") << L({ "agent-a485154<-session" }) << qint64(212744) << qint64(1845)
            << qint64(91980) << qint64(115531) << qint64(0);

        // Codex: one llm step per token_count with info; tokens from last_token_usage:
        //   jq -s -c '[.[] | select(.type=="event_msg" and .payload.type=="token_count" and .payload.info != null)
        //     | .payload.info.last_token_usage] | {llm: length, input: (map(.input_tokens)|add),
        //     output: (map(.output_tokens)|add), cacheRead: (map(.cached_input_tokens)|add),
        //     reasoning: (map(.reasoning_output_tokens)|add)}' FILE
        //   (equal to the last total_token_usage: 6055836 / 4929536 / 9118 / 1759)
        // Tools: jq -s -c '[.[] | select(.type=="response_item" and (.payload.type
        //   | test("^(function_call|custom_tool_call|web_search_call|local_shell_call)$"))) | (.payload.name //
        //   "web_search")] | group_by(.) | map({(.[0]): length}) | add' FILE
        // Prompts: jq -s '[.[] | select(.type=="event_msg" and .payload.type=="user_message")] | length' FILE
        QTest::newRow("codex 0.125.0") << corpus("codex-0.125.0-tui-rollout.jsonl") << S("codex") << 2 << 66
                                       << S("apply_patch:3,exec_command:43,update_plan:2,web_search:3,write_stdin:54")
                                       << QStringList() << qint64(6055836) << qint64(9118) << qint64(4929536)
                                       << qint64(0) << qint64(1759);

        // Gemini CLI: one llm step per "gemini" message; input = input + tool, output = output + thoughts:
        //   jq -c '{turns: ([.messages[] | select(.type=="user")] | length), llm: ([.messages[]
        //     | select(.type=="gemini")] | length), input: ([.messages[] | select(.type=="gemini")
        //     | .tokens.input + .tokens.tool] | add), output: ([.messages[] | select(.type=="gemini")
        //     | .tokens.output + .tokens.thoughts] | add), cacheRead: ([.messages[] | select(.type=="gemini")
        //     | .tokens.cached] | add), reasoning: ([.messages[] | select(.type=="gemini") | .tokens.thoughts]
        //     | add)}' FILE
        // Tools: jq -c '[.messages[] | .toolCalls[]? | .name] | group_by(.) | map({(.[0]): length}) | add' FILE
        QTest::newRow("gemini 2025-12 legacy json")
            << corpus("gemini-cli-2025-12-session-legacy.json") << S("gemini-cli") << 3 << 11
            << S("list_directory:1,read_file:7,replace:1,write_file:1") << QStringList() << qint64(101630)
            << qint64(4227) << qint64(56538) << qint64(0) << qint64(1493);
        // delegate_to_agent: jq -r '.messages[] | .toolCalls[]? | select(.name=="delegate_to_agent") | .id' FILE
        QTest::newRow("gemini 2026-01 delegate_to_agent")
            << corpus("gemini-cli-2026-01-session-delegate-agent.json") << S("gemini-cli") << 5 << 9
            << S("delegate_to_agent:1,read_file:6,search_file_content:1,write_file:3,write_todos:3")
            << L({ "agent-delegate_to_agent-1768561360282-f3e15e35f2c3d<-"
                   "delegate_to_agent-1768561360282-f3e15e35f2c3d" })
            << qint64(87418) << qint64(4355) << qint64(62117) << qint64(0) << qint64(2914);
        // logs.json: prompts only. jq length FILE
        QTest::newRow("gemini logs.json")
            << corpus("gemini-cli-2025-12-logs.json") << S("gemini-cli") << 3 << 0 << QString() << QStringList()
            << qint64(0) << qint64(0) << qint64(0) << qint64(0) << qint64(0);
    }

    void corpusFile()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(int, humans);
        QFETCH(int, llm);
        QFETCH(QString, tools);
        QFETCH(QStringList, agents);
        QFETCH(qint64, input);
        QFETCH(qint64, output);
        QFETCH(qint64, cacheRead);
        QFETCH(qint64, cacheWrite);
        QFETCH(qint64, reasoning);

        TestUtils::MemorySink sink;
        const ImportOutcome outcome = importInto(file, sink);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(qs(outcome.format), format);
        QVERIFY2(outcome.warnings.empty(), outcome.warnings.empty() ? "" : outcome.warnings.front().toString().c_str());
        const Counts c = count(sink.steps);
        QCOMPARE(c.duplicateIds, 0);
        QCOMPARE(c.humans, humans);
        if (!file.endsWith(QLatin1String("logs.json")))
            QCOMPARE(c.turns, humans); // one turn per prompt
        QCOMPARE(c.llm, llm);
        QCOMPARE(names(c.toolNames), tools);
        QCOMPARE(c.agentParents, agents);
        QCOMPARE(c.input, input);
        QCOMPARE(c.output, output);
        QCOMPARE(c.cacheRead, cacheRead);
        QCOMPARE(c.cacheWrite, cacheWrite);
        QCOMPARE(c.reasoning, reasoning);
        // Every step is in one trace; every parent is in it too, except the session root a sub-agent's log
        // imported alone waits for.
        std::set<std::string> traces;
        std::set<std::string> ids;
        for (const Step& s : sink.steps) {
            traces.insert(s.traceId);
            ids.insert(s.spanId);
            QVERIFY2(s.startNs > 0, s.spanId.c_str());
        }
        QCOMPARE(int(traces.size()), 1);
        for (const Step& s : sink.steps)
            QVERIFY2(s.parentId.empty() || ids.count(s.parentId) || s.parentId == "session", s.spanId.c_str());

        // Through the cache: the trace's own figures add up to the same.
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(file.toStdString(), writer).ok());
        const auto summaries = store.traces();
        QCOMPARE(int(summaries.size()), 1);
        QCOMPARE(summaries.front().llmCalls, llm);
        QCOMPARE(summaries.front().toolCalls, c.tools);
        QCOMPARE(summaries.front().tokens.input, input);
        QCOMPARE(summaries.front().tokens.output, output);
        QCOMPARE(summaries.front().tokens.cacheRead, cacheRead);
        QVERIFY(!summaries.front().costUsd); // no price table yet: unknown, not 0
    }

    void claudeToolResultsAndErrors()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        TestUtils::MemorySink sink;
        QVERIFY(importInto(corpus("claude-code-2.1.4-summary-records.jsonl"), sink).ok());
        std::map<std::string, const Step*> byId;
        for (const Step& s : sink.steps)
            byId[s.spanId] = &s;
        // The rejected Write: is_error on its tool_result (line 21), the call on line 20.
        const Step* write = byId.at("toolu_bdrk_01SKk2dM5q1c8gecaoatnwJn");
        QCOMPARE(write->status, StepStatus::Error);
        QVERIFY(qs(write->statusMessage).startsWith(QStringLiteral("The user doesn't want to proceed")));
        QCOMPARE(write->toolName, std::string("Write"));
        QVERIFY(qs(write->toolArguments).contains(QStringLiteral("available-tools.md")));
        // 09:54:05.685 → 09:56:00.742 (jq -r 'select(.uuid=="ad42bc75…" or .uuid=="284a0ce2…") | .timestamp')
        QCOMPARE(write->endNs - write->startNs, Q_INT64_C(115057000000));
        // Thinking is reasoning content of the response; the interrupt is an error event.
        const Step* thinking = byId.at("msg_bdrk_014RskBfdCcjpXBXvqvTntW3");
        QVERIFY(qs(thinking->outputMessages).contains(QStringLiteral("\"type\":\"reasoning\"")));
        QVERIFY(qs(thinking->outputText).contains(QStringLiteral("explore more of the current repository")));
        int interrupts = 0;
        int summaries = 0;
        for (const Step& s : sink.steps) {
            interrupts += s.kind == StepKind::Event && s.name == "interrupted by user" && s.status == StepStatus::Error;
            summaries += s.kind == StepKind::Event && s.operation == "summary";
        }
        QCOMPARE(interrupts, 1);
        QCOMPARE(summaries, 16); // jq -s '[.[] | select(.type=="summary")] | length' FILE
    }

    // One API response written as three lines, each repeating the usage: counted once. Fails if usage is summed
    // per line.
    void claudeRepeatedUsageCountedOnce()
    {
        const QString file = m_dir.filePath(QStringLiteral("repeated/11111111-2222-3333-4444-555555555555.jsonl"));
        const json prompt = { { "role", "user" }, { "content", "list the files" } };
        writeLines(file,
            {
                claudeLine("user", "u1", nullptr, "2026-02-01T10:00:00.000Z", prompt),
                claudeLine("assistant", "a1", "u1", "2026-02-01T10:00:02.000Z",
                    assistant("msg_A", { { "type", "thinking" }, { "thinking", "look first" }, { "signature", "x" } },
                        10, 100, 1000, 8),
                    { { "requestId", "req_1" } }),
                claudeLine("assistant", "a2", "a1", "2026-02-01T10:00:02.500Z",
                    assistant("msg_A", { { "type", "text" }, { "text", "Listing." } }, 10, 100, 1000, 8),
                    { { "requestId", "req_1" } }),
                claudeLine("assistant", "a3", "a2", "2026-02-01T10:00:03.000Z",
                    assistant("msg_A",
                        { { "type", "tool_use" }, { "id", "toolu_1" }, { "name", "Bash" },
                            { "input", { { "command", "ls" } } } },
                        10, 100, 1000, 120),
                    { { "requestId", "req_1" } }),
                claudeLine("user", "u2", "a3", "2026-02-01T10:00:05.000Z",
                    { { "role", "user" },
                        { "content",
                            json::array({ { { "type", "tool_result" }, { "tool_use_id", "toolu_1" },
                                { "content", "a.txt\nb.txt" }, { "is_error", false } } }) } }),
                claudeLine("assistant", "a4", "u2", "2026-02-01T10:00:07.000Z",
                    assistant("msg_B", { { "type", "text" }, { "text", "Two files." } }, 5, 0, 1200, 30),
                    { { "requestId", "req_2" } }),
                // The same line again (a resumed session replays lines with their uuids): not counted.
                claudeLine("assistant", "a4", "u2", "2026-02-01T10:00:07.000Z",
                    assistant("msg_B", { { "type", "text" }, { "text", "Two files." } }, 5, 0, 1200, 30),
                    { { "requestId", "req_2" } }),
                // A /btw aside replays msg_A under a new request id: a response of its own.
                claudeLine("assistant", "a5", "a4", "2026-02-01T10:00:09.000Z",
                    assistant("msg_A", { { "type", "text" }, { "text", "Aside." } }, 1, 0, 0, 7),
                    { { "requestId", "req_3" } }),
            });
        TestUtils::MemorySink sink;
        const ImportOutcome outcome = importInto(file, sink);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        const Counts c = count(sink.steps);
        QCOMPARE(c.llm, 3);
        // By hand: msg_A/req_1 once (10 + 100 + 1000 in, 120 out, the largest of 8, 8, 120), msg_B once
        // (5 + 0 + 1200, 30), msg_A/req_3 (1, 7).
        QCOMPARE(c.input, qint64(1110 + 1205 + 1));
        QCOMPARE(c.output, qint64(120 + 30 + 7));
        QCOMPARE(c.cacheRead, qint64(1000 + 1200));
        QCOMPARE(c.cacheWrite, qint64(100));
        // Summing every line's usage would give 3 × 1110 + 2 × 1205 + 1 in and 8 + 8 + 120 + 30 + 30 + 7 out.
        QVERIFY(c.input != 3 * 1110 + 2 * 1205 + 1);
        QVERIFY(c.output != 8 + 8 + 120 + 30 + 30 + 7);
        // The three lines are one step with all three blocks, timed from the prompt to its last line.
        const auto first
            = std::find_if(sink.steps.begin(), sink.steps.end(), [](const Step& s) { return s.spanId == "msg_A"; });
        QVERIFY(first != sink.steps.end());
        QVERIFY(qs(first->outputMessages).contains(QStringLiteral("look first")));
        QVERIFY(qs(first->outputMessages).contains(QStringLiteral("tool_call")));
        QCOMPARE(first->endNs - first->startNs, Q_INT64_C(3000000000));
        QCOMPARE(first->provider, std::string("anthropic"));
        QCOMPARE(c.tools, 1);
        QCOMPARE(c.humans, 1);
    }

    // A compaction: the boundary and the summary that follows it are events; the prompt after it opens a turn.
    void claudeCompaction()
    {
        const QString file = m_dir.filePath(QStringLiteral("compact/11111111-2222-3333-4444-555555555555.jsonl"));
        writeLines(file,
            {
                claudeLine(
                    "user", "u1", nullptr, "2026-02-01T10:00:00.000Z", { { "role", "user" }, { "content", "one" } }),
                claudeLine("assistant", "a1", "u1", "2026-02-01T10:00:02.000Z",
                    assistant("msg_1", { { "type", "text" }, { "text", "ok" } }, 3, 0, 0, 2)),
                claudeLine("system", "s1", nullptr, "2026-02-01T10:05:00.000Z", nullptr,
                    { { "subtype", "compact_boundary" }, { "content", "Conversation compacted" },
                        { "compactMetadata", { { "trigger", "auto" }, { "preTokens", 155000 } } },
                        { "logicalParentUuid", "a1" } }),
                claudeLine("user", "u2", "s1", "2026-02-01T10:05:00.100Z",
                    { { "role", "user" }, { "content", "This session is being continued… Summary: said ok." } },
                    { { "isCompactSummary", true } }),
                claudeLine(
                    "user", "u3", "u2", "2026-02-01T10:06:00.000Z", { { "role", "user" }, { "content", "two" } }),
                claudeLine("assistant", "a2", "u3", "2026-02-01T10:06:01.000Z",
                    assistant("msg_2", { { "type", "text" }, { "text", "ok again" } }, 3, 0, 0, 3)),
            });
        TestUtils::MemorySink sink;
        QVERIFY(importInto(file, sink).ok());
        QStringList events;
        for (const Step& s : sink.steps) {
            if (s.kind == StepKind::Event)
                events << qs(s.name);
        }
        events.sort();
        QCOMPARE(events, L({ "compaction (auto), 155000 tokens before", "compaction summary" }));
        const Counts c = count(sink.steps);
        QCOMPARE(c.humans, 2); // the summary is no prompt
        QCOMPARE(c.turns, 2);
        QCOMPARE(c.llm, 2);
    }

    // Codex: tokens come from last_token_usage, a repeated token_count is not a new response, and a child rollout's
    // copy of its parent's history is skipped. Each assertion fails if running totals or the copy were counted.
    void codexTotalsAndCopiedHistory()
    {
        const QString folder = m_dir.filePath(QStringLiteral("codex/sessions/2026/01/01"));
        const QString parentFile = folder + QStringLiteral("/rollout-2026-01-01T00-00-00-")
            + QLatin1String(parentThread) + QStringLiteral(".jsonl");
        const QString childFile = folder + QStringLiteral("/rollout-2026-01-01T00-00-02-") + QLatin1String(childThread)
            + QStringLiteral(".jsonl");
        const json parentMeta = { { "id", parentThread }, { "timestamp", "2026-01-01T00:00:00.000Z" },
            { "cli_version", "0.150.0" }, { "model_provider", "openai" }, { "cwd", "/w" }, { "source", "cli" } };
        writeLines(parentFile,
            {
                codexLine("2026-01-01T00:00:00.000Z", "session_meta", parentMeta),
                codexLine(
                    "2026-01-01T00:00:01.000Z", "event_msg", { { "type", "task_started" }, { "turn_id", parentTurn } }),
                codexLine("2026-01-01T00:00:01.000Z", "turn_context", { { "model", "gpt-5" } }),
                codexLine("2026-01-01T00:00:01.100Z", "response_item",
                    { { "type", "message" }, { "role", "user" },
                        { "content", json::array({ { { "type", "input_text" }, { "text", "hello" } } }) } }),
                codexLine(
                    "2026-01-01T00:00:01.100Z", "event_msg", { { "type", "user_message" }, { "message", "hello" } }),
                codexLine("2026-01-01T00:00:02.000Z", "response_item",
                    { { "type", "function_call" }, { "name", "spawn_agent" }, { "call_id", "call_spawn" },
                        { "arguments", "{\"message\":\"count files\"}" } }),
                codexLine("2026-01-01T00:00:02.100Z", "event_msg", tokenCount(1000, 0, 50, 10, 1000, 0, 50, 10)),
                // The same report again: not another response.
                codexLine("2026-01-01T00:00:02.200Z", "event_msg", tokenCount(1000, 0, 50, 10, 1000, 0, 50, 10)),
                codexLine("2026-01-01T00:00:02.300Z", "response_item",
                    { { "type", "function_call_output" }, { "call_id", "call_spawn" },
                        { "output", std::string("{\"agent_id\":\"") + childThread + "\"}" } }),
                codexLine("2026-01-01T00:00:09.000Z", "response_item",
                    { { "type", "message" }, { "role", "assistant" },
                        { "content", json::array({ { { "type", "output_text" }, { "text", "done" } } }) } }),
                codexLine("2026-01-01T00:00:09.100Z", "event_msg", tokenCount(2000, 800, 30, 0, 3000, 800, 80, 10)),
                codexLine("2026-01-01T00:00:09.200Z", "event_msg",
                    { { "type", "task_complete" }, { "turn_id", parentTurn } }),
            });
        json childMeta = {
            { "id", childThread }, { "timestamp", "2026-01-01T00:00:02.000Z" }, { "cli_version", "0.150.0" },
            { "source",
                { { "subagent",
                    { { "thread_spawn",
                        { { "parent_thread_id", parentThread }, { "depth", 1 }, { "agent_role", "explorer" } } } } } } }
        };
        writeLines(childFile,
            {
                codexLine("2026-01-01T00:00:02.000Z", "session_meta", childMeta),
                // A copy of the parent's history, restamped: its meta, its turn, its token count.
                codexLine("2026-01-01T00:00:02.010Z", "session_meta", parentMeta),
                codexLine(
                    "2026-01-01T00:00:02.010Z", "event_msg", { { "type", "task_started" }, { "turn_id", parentTurn } }),
                codexLine("2026-01-01T00:00:02.010Z", "response_item",
                    { { "type", "message" }, { "role", "user" },
                        { "content", json::array({ { { "type", "input_text" }, { "text", "hello" } } }) } }),
                codexLine("2026-01-01T00:00:02.010Z", "event_msg", tokenCount(1000, 0, 50, 10, 1000, 0, 50, 10)),
                // The child's own work.
                codexLine(
                    "2026-01-01T00:00:03.000Z", "event_msg", { { "type", "task_started" }, { "turn_id", childTurn } }),
                codexLine("2026-01-01T00:00:03.000Z", "turn_context", { { "model", "gpt-5-mini" } }),
                codexLine("2026-01-01T00:00:03.100Z", "response_item",
                    { { "type", "message" }, { "role", "user" },
                        { "content", json::array({ { { "type", "input_text" }, { "text", "count files" } } }) } }),
                codexLine("2026-01-01T00:00:04.000Z", "response_item",
                    { { "type", "function_call" }, { "name", "exec_command" }, { "call_id", "call_c1" },
                        { "arguments", "{\"cmd\":\"ls | wc -l\"}" } }),
                codexLine("2026-01-01T00:00:04.100Z", "event_msg", tokenCount(500, 100, 20, 5, 1500, 100, 70, 15)),
                codexLine("2026-01-01T00:00:05.000Z", "response_item",
                    { { "type", "function_call_output" }, { "call_id", "call_c1" },
                        { "output", "Process exited with code 0\nOutput:\n3\n" } }),
                codexLine("2026-01-01T00:00:06.000Z", "response_item",
                    { { "type", "message" }, { "role", "assistant" },
                        { "content", json::array({ { { "type", "output_text" }, { "text", "3 files" } } }) } }),
                codexLine("2026-01-01T00:00:06.100Z", "event_msg", tokenCount(600, 500, 10, 0, 2100, 600, 80, 15)),
                codexLine(
                    "2026-01-01T00:00:06.200Z", "event_msg", { { "type", "task_complete" }, { "turn_id", childTurn } }),
            });

        TestUtils::MemorySink sink;
        const ImportOutcome outcome = importInto(parentFile, sink);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        const Counts c = count(sink.steps);
        // By hand, last_token_usage of the four responses: parent 1000 + 2000, child 500 + 600.
        QCOMPARE(c.llm, 4);
        QCOMPARE(c.input, qint64(1000 + 2000 + 500 + 600));
        QCOMPARE(c.output, qint64(50 + 30 + 20 + 10));
        QCOMPARE(c.cacheRead, qint64(0 + 800 + 100 + 600 - 100)); // 0, 800, 100, 500
        QCOMPARE(c.reasoning, qint64(10 + 0 + 5 + 0));
        // Running totals summed: 1000 + 3000 + 1500 + 2100; the copied token_count counted: + 1000.
        QVERIFY(c.input != 1000 + 3000 + 1500 + 2100);
        QVERIFY(c.input != 1000 + 2000 + 500 + 600 + 1000);
        QCOMPARE(c.humans, 1); // the child's "count files" is its parent's message, not a person's
        QCOMPARE(c.turns, 2); // one per thread: the copied parent turn is not a turn of the child
        QCOMPARE(
            c.agentParents, QStringList { QStringLiteral("agent-%1<-call_spawn").arg(QLatin1String(childThread)) });
        QCOMPARE(names(c.toolNames), QStringLiteral("exec_command:1,spawn_agent:1"));
        for (const Step& s : sink.steps)
            QCOMPARE(s.traceId, std::string(parentThread));

        // The child on its own joins its parent's trace, under the session root, with only its own work.
        TestUtils::MemorySink childSink;
        QVERIFY(importInto(childFile, childSink).ok());
        const Counts child = count(childSink.steps);
        QCOMPARE(child.llm, 2);
        QCOMPARE(child.input, qint64(500 + 600));
        QCOMPARE(
            child.agentParents, QStringList { QStringLiteral("agent-%1<-session").arg(QLatin1String(childThread)) });
        QCOMPARE(childSink.steps.front().traceId, std::string(parentThread));

        // A folder with both: the child is left to its parent.
        const ImportPlan plan = planImport({ folder.toStdString() });
        QCOMPARE(int(plan.files.size()), 1);
        QCOMPARE(qs(plan.files.front()), QFileInfo(parentFile).absoluteFilePath());
        QCOMPARE(int(plan.notes.size()), 1);
        QVERIFY(qs(plan.notes.front().message).contains(QStringLiteral("imported with its session")));
    }

    // Rollouts from before September 2025: bare lines, no timestamps per item, running totals only.
    void codexOlderForms()
    {
        const QString bare = m_dir.filePath(
            QStringLiteral("old/rollout-2025-08-01T10-00-00-0198aaaa-0000-7000-8000-000000000001.jsonl"));
        writeLines(bare,
            {
                { { "id", "0198aaaa-0000-7000-8000-000000000001" }, { "timestamp", "2025-08-01T10:00:00.000Z" },
                    { "instructions", nullptr } },
                { { "record_type", "state" } },
                { { "type", "message" }, { "role", "user" },
                    { "content",
                        json::array({ { { "type", "input_text" },
                            { "text", "<environment_context>cwd</environment_context>" } } }) } },
                { { "type", "message" }, { "role", "user" },
                    { "content", json::array({ { { "type", "input_text" }, { "text", "say hi" } } }) } },
                { { "type", "message" }, { "role", "assistant" },
                    { "content", json::array({ { { "type", "output_text" }, { "text", "hi" } } }) } },
            });
        TestUtils::MemorySink sink;
        const ImportOutcome outcome = importInto(bare, sink);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(qs(outcome.format), QStringLiteral("codex"));
        Counts c = count(sink.steps);
        QCOMPARE(c.humans, 1); // the environment context is not a prompt
        QCOMPARE(c.llm, 1);
        QCOMPARE(c.input, qint64(0)); // no usage recorded

        // Totals only: each response is the difference from the one before (100, then 250 − 100).
        const QString totals = m_dir.filePath(
            QStringLiteral("old/rollout-2025-10-01T10-00-00-0199bbbb-0000-7000-8000-000000000002.jsonl"));
        auto totalOnly = [](int input, int output) {
            return json { { "type", "token_count" },
                { "info", { { "total_token_usage", { { "input_tokens", input }, { "output_tokens", output } } } } } };
        };
        writeLines(totals,
            {
                codexLine("2025-10-01T10:00:00.000Z", "session_meta",
                    { { "id", "0199bbbb-0000-7000-8000-000000000002" }, { "timestamp", "2025-10-01T10:00:00.000Z" } }),
                codexLine(
                    "2025-10-01T10:00:01.000Z", "event_msg", { { "type", "user_message" }, { "message", "one" } }),
                codexLine("2025-10-01T10:00:02.000Z", "response_item",
                    { { "type", "message" }, { "role", "assistant" },
                        { "content", json::array({ { { "type", "output_text" }, { "text", "1" } } }) } }),
                codexLine("2025-10-01T10:00:02.100Z", "event_msg", totalOnly(100, 10)),
                codexLine(
                    "2025-10-01T10:00:03.000Z", "event_msg", { { "type", "user_message" }, { "message", "two" } }),
                codexLine("2025-10-01T10:00:04.000Z", "response_item",
                    { { "type", "message" }, { "role", "assistant" },
                        { "content", json::array({ { { "type", "output_text" }, { "text", "2" } } }) } }),
                codexLine("2025-10-01T10:00:04.100Z", "event_msg", totalOnly(250, 25)),
            });
        TestUtils::MemorySink totalsSink;
        QVERIFY(importInto(totals, totalsSink).ok());
        c = count(totalsSink.steps);
        QCOMPARE(c.llm, 2);
        QCOMPARE(c.input, qint64(250)); // 100 + 150, not 100 + 250
        QCOMPARE(c.output, qint64(25));
        QCOMPARE(c.humans, 2);
        QCOMPARE(c.turns, 2); // without task events a prompt starts a turn
    }

    // The append-only JSONL form: the last copy of a message wins, $rewindTo drops messages, $set updates metadata.
    void geminiJsonl()
    {
        const QString file = m_dir.filePath(QStringLiteral("gemini/chats/session-2026-05-01T10-00-aaaaaaaa.jsonl"));
        auto gemini = [](const char* id, const char* time, const char* text, int input) {
            return json { { "id", id }, { "timestamp", time }, { "type", "gemini" }, { "content", text },
                { "model", "gemini-3-pro" },
                { "tokens",
                    { { "input", input }, { "output", 5 }, { "cached", 0 }, { "thoughts", 2 }, { "tool", 0 },
                        { "total", input + 7 } } } };
        };
        auto user = [](const char* id, const char* time, const char* text) {
            return json { { "id", id }, { "timestamp", time }, { "type", "user" }, { "content", text } };
        };
        writeLines(file,
            {
                { { "sessionId", "aaaaaaaa-1111-2222-3333-444444444444" }, { "projectHash", "abc" },
                    { "startTime", "2026-05-01T10:00:00.000Z" }, { "kind", "main" } },
                user("m1", "2026-05-01T10:00:00.000Z", "first"),
                gemini("m2", "2026-05-01T10:00:02.000Z", "", 100), // rewritten below with its tool call
                user("m3", "2026-05-01T10:00:10.000Z", "dropped by the rewind"),
                gemini("m4", "2026-05-01T10:00:12.000Z", "dropped too", 400),
                { { "$rewindTo", "m3" } },
                [&] {
                    json m2 = gemini("m2", "2026-05-01T10:00:02.000Z", "read it", 110);
                    m2["toolCalls"] = json::array(
                        { { { "id", "read_file-1" }, { "name", "read_file" }, { "args", { { "file_path", "a.txt" } } },
                            { "status", "error" }, { "timestamp", "2026-05-01T10:00:03.000Z" },
                            { "result",
                                json::array({ { { "functionResponse",
                                    { { "id", "read_file-1" }, { "name", "read_file" },
                                        { "response", { { "error", "no such file" } } } } } } }) } } });
                    return m2;
                }(),
                { { "$set", { { "summary", "reads a file" } } } },
                user("m5", "2026-05-01T10:01:00.000Z", "second"),
                gemini("m6", "2026-05-01T10:01:02.000Z", "ok", 200),
            },
            "{\"id\": \"m7\", \"type\": \"gem"); // cut while being written
        TestUtils::MemorySink sink;
        const ImportOutcome outcome = importInto(file, sink);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(int(outcome.warnings.size()), 1);
        QVERIFY(qs(outcome.warnings.front().where).startsWith(QStringLiteral("line 11 ")));
        const Counts c = count(sink.steps);
        QCOMPARE(c.humans, 2); // m1, m5
        QCOMPARE(c.llm, 2); // m2 (its last copy) and m6
        QCOMPARE(c.input, qint64(110 + 200));
        QCOMPARE(c.output, qint64(7 + 7));
        QCOMPARE(names(c.toolNames), QStringLiteral("read_file:1"));
        const auto tool = std::find_if(
            sink.steps.begin(), sink.steps.end(), [](const Step& s) { return s.spanId == "read_file-1"; });
        QCOMPARE(tool->status, StepStatus::Error);
        QCOMPARE(tool->toolResult, std::string("no such file"));
    }

    // A bad line in the middle and a cut last line: a warning names the file and the line, the rest imports.
    void malformedLines_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("badLine");
        QTest::addColumn<int>("humans");
        QTest::addColumn<int>("llm");
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        // Line 3 is one of four lines of msg_bdrk_013SY… (the response survives); the cut last line is the only
        // line of msg_bdrk_01RHTZ…: 7 − 1 responses (jq -c 'select(.type=="assistant") | .message.id' FILE).
        QTest::newRow("claude") << corpus("claude-code-2.0.64-bedrock-legacy-layout.session.jsonl") << 3 << 3 << 6;
        // Line 9 is a function_call; its output still makes a step. The cut last line is task_complete.
        QTest::newRow("codex") << corpus("codex-0.125.0-tui-rollout.jsonl") << 9 << 2 << 66;
    }

    void malformedLines()
    {
        QFETCH(QString, source);
        QFETCH(int, badLine);
        QFETCH(int, humans);
        QFETCH(int, llm);
        QFile in(source);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = in.readAll().split('\n');
        if (lines.back().isEmpty())
            lines.removeLast();
        lines[badLine - 1] = "{\"type\": \"assistant\", \"message\": {oops";
        lines.back().chop(lines.back().size() / 2);
        const QString file = m_dir.filePath(QStringLiteral("bad-") + QFileInfo(source).fileName());
        TestUtils::writeFile(file, lines.join('\n'));

        TestUtils::MemorySink sink;
        const ImportOutcome outcome = importInto(file, sink);
        QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
        QCOMPARE(int(outcome.warnings.size()), 2);
        QCOMPARE(qs(outcome.warnings[0].file), file);
        QVERIFY2(qs(outcome.warnings[0].toString()).contains(QStringLiteral(": line %1 (byte ").arg(badLine)),
            outcome.warnings[0].toString().c_str());
        QVERIFY(qs(outcome.warnings[0].message).contains(QStringLiteral("not valid JSON")));
        QVERIFY(qs(outcome.warnings[1].toString()).contains(QStringLiteral(": line %1 (byte ").arg(lines.size())));
        QVERIFY(qs(outcome.warnings[1].message).contains(QStringLiteral("incomplete")));
        const Counts c = count(sink.steps);
        QCOMPARE(c.humans, humans);
        QCOMPARE(c.llm, llm);
    }

    // A legacy Gemini session is one JSON document: cut, it cannot be read, and the cache stays as it was.
    void truncatedGeminiDocumentFails()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        QFile in(corpus("gemini-cli-2025-12-session-legacy.json"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray all = in.readAll();
        const QString file = m_dir.filePath(QStringLiteral("cut-session.json"));
        TestUtils::writeFile(file, all.left(all.size() / 2));
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        TraceWriter writer(store);
        const ImportOutcome outcome = importFile(file.toStdString(), writer);
        QCOMPARE(outcome.status, ImportOutcome::Status::Failed);
        QVERIFY2(qs(outcome.error.where).startsWith(QStringLiteral("line ")), outcome.error.toString().c_str());
        QVERIFY(qs(outcome.error.message).contains(QStringLiteral("truncated")));
        QVERIFY(store.traces().empty());
    }

    // A session imported while it was shorter, then again whole, ends up exactly as a session imported whole once.
    void growingSessionAddsOnlyWhatIsNew_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("prefixBytes");
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        QTest::newRow("claude, cut mid-response, sub-agent complete") << S("claude217") << 60000;
        QTest::newRow("claude, cut before the Task result") << S("claude217") << 20000;
        QTest::newRow("codex, cut mid-turn") << S("codex") << 300000;
        QTest::newRow("gemini json, first 6 messages") << S("gemini2025") << 6;
    }

    void growingSessionAddsOnlyWhatIsNew()
    {
        QFETCH(QString, name);
        QFETCH(int, prefixBytes);
        QTemporaryDir dir;
        const Home home = makeHome(dir.filePath(QStringLiteral("home")));
        const QString whole = name == QLatin1String("claude217") ? home.claude217
            : name == QLatin1String("codex")                     ? home.codex
                                                                 : home.gemini2025;
        QFile in(whole);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray all = in.readAll();
        in.close();
        QByteArray prefix = all.left(prefixBytes);
        if (name == QLatin1String("gemini2025")) {
            json document = json::parse(all.toStdString());
            document["messages"].erase(document["messages"].begin() + prefixBytes, document["messages"].end());
            prefix = QByteArray::fromStdString(document.dump(2));
        }
        TraceStore grown(dir.filePath(QStringLiteral("grown.sqlite")).toStdString());
        TraceStore once(dir.filePath(QStringLiteral("once.sqlite")).toStdString());
        {
            TraceWriter writer(grown);
            TestUtils::writeFile(whole, prefix);
            const ImportOutcome first = importFile(whole.toStdString(), writer);
            QVERIFY2(first.ok(), first.error.toString().c_str());
            TestUtils::writeFile(whole, all);
            const ImportOutcome second = importFile(whole.toStdString(), writer);
            QVERIFY(second.ok());
            QVERIFY(second.newSpans > 0);
            QVERIFY2(second.newSpans < second.spans, "the steps already imported are not new again");
        }
        {
            TraceWriter writer(once);
            QVERIFY(importFile(whole.toStdString(), writer).ok());
        }
        const QStringList expected = cacheLines(once);
        QVERIFY(expected.size() > 10);
        QCOMPARE(cacheLines(grown), expected);
    }

    // A whole home folder: sessions of the three CLIs, sub-agent logs left to their sessions, other files skipped.
    void folderImport()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        QTemporaryDir dir;
        const Home home = makeHome(dir.filePath(QStringLiteral("home")));
        const ImportPlan plan = planImport({ home.root.toStdString() });
        QStringList files;
        for (const std::string& file : plan.files)
            files << QFileInfo(qs(file)).fileName();
        QCOMPARE(files,
            L({ "e9fb405b-169f-40eb-9396-7e75076f045d.jsonl", "9eda1058-9706-484a-b992-d03f9cfa2546.jsonl",
                "4c2ddfdc-b619-4525-8d03-1950fb1b0257.jsonl",
                "rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl",
                "session-2026-01-16T11-01-37b7abef.json", "session-2025-12-01T21-45-5b959dae.json", "logs.json" }));
        QStringList notes;
        for (const ImportIssue& note : plan.notes)
            notes << QFileInfo(qs(note.file)).fileName() + QStringLiteral(": ")
                    + qs(note.message).section(QLatin1Char(','), 0, 0);
        QCOMPARE(notes,
            L({ "agent-a485154.jsonl: skipped: a sub-agent log", "agent-36541525.jsonl: skipped: a sub-agent log",
                "agent-50243ee8.jsonl: skipped: a sub-agent log",
                "settings.json: skipped: not a trace or session format Tracelight reads" }));

        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        TraceWriter writer(store);
        std::int64_t logsNew = -1;
        for (const std::string& file : plan.files) {
            const ImportOutcome outcome = importFile(file, writer);
            QVERIFY2(outcome.ok(), outcome.error.toString().c_str());
            if (QFileInfo(qs(file)).fileName() == QLatin1String("logs.json"))
                logsNew = outcome.newSpans;
        }
        QCOMPARE(logsNew, 0); // its prompts are the session's, by the ids both give them
        const auto traces = store.traces();
        QCOMPARE(int(traces.size()), 6);
        const auto claude = store.trace("e9fb405b-169f-40eb-9396-7e75076f045d");
        QVERIFY(claude);
        QCOMPARE(claude->llmCalls, 17); // with the sub-agent's 6, found in <session>/subagents/
        QCOMPARE(claude->service, std::string("claude-code"));
        QCOMPARE(claude->version, std::string("2.1.7"));
        QCOMPARE(claude->agent, std::string("Claude Code"));
        const auto gemini = store.trace("5b959dae-8655-4cd1-b10f-720b8c336ea2");
        QCOMPARE(gemini->spans, 28);
        // The same folder through the command line: one line per session, a note per file left out.
        QProcess process;
        process.start(QStringLiteral(TRACELIGHT_BINARY),
            { QStringLiteral("import"), QStringLiteral("--db"), dir.filePath(QStringLiteral("cli.sqlite")),
                home.root });
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        QCOMPARE(process.readAllStandardOutput().trimmed().split('\n').size(), 7);
        QCOMPARE(process.readAllStandardError().count("note: "), 4);
    }

    void sessionDiscovery()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        QTemporaryDir dir;
        const Home home = makeHome(dir.filePath(QStringLiteral("home")));
        const QByteArray savedHome = qgetenv("HOME");
        qputenv("HOME", home.root.toUtf8());
        qunsetenv("CLAUDE_CONFIG_DIR");
        qunsetenv("CODEX_HOME");
        const std::vector<SessionLocation> locations = defaultSessionLocations();
        std::vector<CodingSession> sessions = discoverSessions(locations);
        qputenv("HOME", savedHome);
        QCOMPARE(int(locations.size()), 3);

        // One imported as it is now, one imported while it was shorter.
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        {
            TraceWriter writer(store);
            QVERIFY(importFile(home.claude2064.toStdString(), writer).ok());
            QFile codex(home.codex);
            QVERIFY(codex.open(QIODevice::ReadOnly));
            const QByteArray all = codex.readAll();
            codex.close();
            TestUtils::writeFile(home.codex, all.left(100000));
            QVERIFY(importFile(home.codex.toStdString(), writer).ok());
            TestUtils::writeFile(home.codex, all);
        }
        markImported(sessions, store.sources());

        SessionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSessions(std::move(sessions));
        // Newest first. Projects are the ends of the working directories the logs name (the Gemini CLI ones name
        // none: their project folder). Sizes include the sub-agent logs (ls -l): 17659 + 20420 + 1953, 164996 + 346552.
        const QStringList expected = L({
            "Codex CLI | …/codemie-ai/codemie-code | 2026-05-11 08:26 | show tools | 730.3 KB | Grown since import",
            "Gemini CLI | 907f20644716c92a | 2026-01-16 11:01 | show tools | 63.2 KB | ",
            "Claude Code | …/codemie-ai/codemie-code | 2026-01-14 19:20 | @\"solution-architect (agent)\" analyze "
            "existing CLI command and create specification for adding missing CLI commands. follow best practices in "
            "CLI to add valuable commands | 499.6 KB | ",
            "Claude Code | …/user/repo | 2026-01-11 09:53 | show tools and store response in file | 129.5 KB | ",
            "Claude Code | /tmp/private | 2025-12-10 19:37 | create hello.py, md and js | 39.1 KB | Imported",
            "Gemini CLI | fb8e242a6fbbb5c4 | 2025-12-01 21:45 | hi | 86.2 KB | ",
        });
        QCOMPARE(TestUtils::dumpModel(model, SessionListModel::ColumnCount), expected);
        QCOMPARE(model.sessionAt(4)->subagents, 2);
        QCOMPARE(model.sessionAt(2)->subagents, 1);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestCodingAgents)
#include "tst_codingagents.moc"
