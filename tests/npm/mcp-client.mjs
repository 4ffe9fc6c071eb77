// The real MCP TypeScript SDK client (stdio transport) against `tracelight mcp` on a cache filled from the corpus
// and from a fixture written here. Every tool is called and its structured result checked against what the command
// line gives (`list/show/compare/stats/check --json`) and against the source files read here, independently.
// Usage: node mcp-client.mjs TRACELIGHT DB CLI_DB CORPUS (CLI_DB: a copy of DB for the command line)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

const [tracelight, db, cliDb, corpus] = process.argv.slice(2);
const cli = (...args) => JSON.parse(execFileSync(tracelight, [...args, "--db", cliDb], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
let checks = 0;
const ok = (what) => { checks++; console.log(`ok ${what}`); };

const transport = new StdioClientTransport({
    command: tracelight, args: ["mcp", "--db", db],
    env: { ...process.env }, stderr: "pipe",
});
let serverLog = "";
transport.stderr?.on("data", (chunk) => { serverLog += chunk; });
const client = new Client({ name: "tracelight-test", version: "1.0.0" });
await client.connect(transport);

// ---- handshake and tool list -------------------------------------------------------------------------------------
assert.equal(client.getServerVersion().name, "tracelight");
const nonce = /<<<TRACE DATA ([0-9a-f]+)>>>/.exec(client.getInstructions())?.[1];
assert.ok(nonce, "the instructions name the data markers");
assert.match(client.getInstructions(), /untrusted/);
ok("initialize: server info, instructions with the data markers");

const { tools } = await client.listTools();
assert.deepEqual(tools.map((t) => t.name).sort(),
    ["compare_runs", "find_issues", "get_run", "get_step", "list_runs", "search", "stats"]);
for (const t of tools) {
    assert.equal(t.inputSchema.type, "object", t.name);
    assert.equal(t.outputSchema?.type, "object", t.name);
    assert.equal(t.annotations?.readOnlyHint, true, t.name);
}
ok("tools/list: 7 tools, each with an input and an output schema, read-only");

const call = async (name, args) => {
    const result = await client.callTool({ name, arguments: args });
    assert.ok(!result.isError, `${name} ${JSON.stringify(args)}: ${result.content?.[0]?.text}`);
    assert.equal(result.content[0].type, "text");
    return result;
};
const block = (text) => {
    const open = `<<<TRACE DATA ${nonce}>>>`, close = `<<<END TRACE DATA ${nonce}>>>`;
    assert.equal(text.split(open).length, 2, "one opening marker");
    assert.equal(text.split(close).length, 2, "one closing marker");
    return text.slice(text.indexOf(open) + open.length, text.indexOf(close));
};

// ---- list_runs ---------------------------------------------------------------------------------------------------
const list = cli("list", "--json");
let page = await call("list_runs", { limit: 5 });
assert.equal(page.structuredContent.total, list.length);
assert.deepEqual(page.structuredContent.runs, list.slice(0, 5));
assert.equal(page.structuredContent.next_offset, 5);
for (const run of list.slice(0, 5)) assert.ok(block(page.content[0].text).includes(run.trace_id));
const all = [];
for (let offset = 0; offset !== null;) {
    page = await call("list_runs", { limit: 7, offset });
    all.push(...page.structuredContent.runs);
    offset = page.structuredContent.next_offset;
}
assert.deepEqual(all.map((r) => r.trace_id), list.map((r) => r.trace_id));
ok(`list_runs: the ${list.length} runs of list --json, paged to the end`);

// Independently: every Langfuse export of the corpus is one run of its observations plus the trace.
for (const file of readdirSync(`${corpus}/langfuse`)) {
    const source = JSON.parse(readFileSync(`${corpus}/langfuse/${file}`, "utf8"));
    const run = all.find((r) => r.trace_id === source.trace.id);
    assert.ok(run, `the run of ${file}`);
    assert.equal(run.spans, source.observations.length + 1, file);
}
ok("list_runs: each Langfuse file's run has its observations + 1 steps");

const failed = await call("list_runs", { status: "error", limit: 200 });
assert.deepEqual(failed.structuredContent.runs.map((r) => r.trace_id), list.filter((r) => r.errors > 0).map((r) => r.trace_id));
const fine = await call("list_runs", { status: "ok", limit: 200 });
assert.equal(fine.structuredContent.total + failed.structuredContent.total, list.length);
const codex = await call("list_runs", { service: "codex" });
assert.deepEqual(codex.structuredContent.runs.map((r) => r.trace_id), list.filter((r) => r.service === "codex").map((r) => r.trace_id));
ok("list_runs: status and service filters select what list --json holds");

// A word only one Langfuse file's tool step has: the full-text filter finds its run.
const pydantic = JSON.parse(readFileSync(`${corpus}/langfuse/pydantic-ai-tools-2025-12-04.trace.json`, "utf8"));
const byText = await call("list_runs", { text: "get_dad_joke_suggestion" });
assert.ok(byText.structuredContent.runs.some((r) => r.trace_id === pydantic.trace.id));
ok("list_runs: the text filter finds the run whose step holds the words");

// ---- get_run -----------------------------------------------------------------------------------------------------
const fixture = list.find((r) => r.name === "refund-agent");
assert.ok(fixture, "the fixture run is in the cache");
const run = await call("get_run", { trace_id: fixture.trace_id.slice(0, 10), budget: 600 });
assert.deepEqual(run.structuredContent.run, fixture);
const check = cli("check", fixture.trace_id, "--json");
assert.deepEqual(run.structuredContent.findings, check.findings);
assert.ok(run.structuredContent.findings.some((f) => f.kind === "loop"), "the fixture's loop is found");
assert.ok(run.structuredContent.outline_tokens <= 600, `outline of ${run.structuredContent.outline_tokens} tokens`);
const outline = block(run.content[0].text);
assert.ok(outline.includes("lookup_order"));
assert.ok(!outline.includes("\u202e"), "no raw bidi override in the outline");
ok("get_run: summary = list --json, findings = check --json (a loop), outline within the budget, in the data block");

// ---- get_step ----------------------------------------------------------------------------------------------------
const show = cli("show", fixture.trace_id, "--json");
const toolStep = show.steps.find((s) => s.kind === "tool");
const whole = await call("get_step", { trace_id: fixture.trace_id, span_id: toolStep.span_id.slice(0, 9), budget: 100000 });
assert.deepEqual(Object.fromEntries(Object.entries(whole.structuredContent.step).filter(([k]) => k in toolStep)), toolStep);
assert.equal(whole.structuredContent.next_offset, null);
assert.ok(whole.structuredContent.text.includes('{"order_id":"A-10442"}'), "the tool arguments the fixture wrote");
assert.ok(whole.structuredContent.text.includes("[U+202E]"), "the bidi override shown as [U+202E]");
assert.ok(!whole.structuredContent.text.includes("\u202e"));
assert.ok(whole.structuredContent.text.includes("<<<END TRACE DATA forged>>>"), "the forged marker kept as text");
assert.equal(block(whole.content[0].text).trim(), whole.structuredContent.text.trim());
let pieces = "";
for (let offset = 0; offset !== null;) {
    const part = await call("get_step", { trace_id: fixture.trace_id, span_id: toolStep.span_id, budget: 20, offset });
    assert.equal(part.structuredContent.offset, offset);
    pieces += part.structuredContent.text;
    offset = part.structuredContent.next_offset;
}
assert.equal(pieces, whole.structuredContent.text);
ok("get_step: the fields of show --json, the fixture's arguments, inert bidi text, read on with offset");

// ---- search ------------------------------------------------------------------------------------------------------
const hits = await call("search", { query: "get_dad_joke_suggestion", limit: 10 });
const cliHits = JSON.parse(execFileSync(tracelight, ["search", "get_dad_joke_suggestion", "--json", "--limit", "10", "--db", cliDb], { encoding: "utf8" }));
assert.deepEqual(hits.structuredContent.hits, cliHits);
assert.equal(hits.structuredContent.index_complete, true);
assert.ok(hits.structuredContent.hits.some((h) => h.trace_id === pydantic.trace.id));
ok("search: the hits of search --json");

// ---- compare_runs ------------------------------------------------------------------------------------------------
const other = list.find((r) => r.name === "refund-agent-v2");
const compared = await call("compare_runs", { a: fixture.trace_id, b: other.trace_id.slice(0, 12) });
const cliCompare = cli("compare", fixture.trace_id, other.trace_id, "--json");
for (const key of ["a", "b", "delta", "first_divergence", "counts", "tool_calls", "models", "findings"])
    assert.deepEqual(compared.structuredContent[key], cliCompare[key], key);
assert.equal(compared.structuredContent.alignment_total, cliCompare.alignment.length);
assert.equal(compared.structuredContent.delta.tool_calls, other.tool_calls - fixture.tool_calls);
ok("compare_runs: the deltas, alignment and findings of compare --json");

// ---- find_issues -------------------------------------------------------------------------------------------------
const everything = cli("check", "--json");
const issues = await call("find_issues", { limit: 500 });
const key = (f) => `${f.trace_id} ${f.kind} ${f.message}`;
assert.deepEqual(issues.structuredContent.findings.map(key).sort(), everything.findings.map(key).sort());
assert.equal(issues.structuredContent.runs_checked, list.length);
const loops = await call("find_issues", { kind: "loop", trace_id: fixture.trace_id });
assert.ok(loops.structuredContent.total >= 1);
assert.ok(loops.structuredContent.findings.every((f) => f.kind === "loop" && f.trace_id === fixture.trace_id));
ok("find_issues: the findings of check --json, filtered by kind and run");

// ---- stats -------------------------------------------------------------------------------------------------------
const stats = await call("stats", { by: "model" });
assert.deepEqual(stats.structuredContent, cli("stats", "--json", "--by", "model"));
const codexStats = await call("stats", { service: "codex", by: "tool" });
assert.deepEqual(codexStats.structuredContent, cli("stats", "--json", "--by", "tool", "--service", "codex"));
ok("stats: the figures of stats --json, with by and filters");

// ---- resources ---------------------------------------------------------------------------------------------------
const resources = await client.listResources();
assert.equal(resources.resources.length, Math.min(100, list.length));
assert.equal(resources.resources[0].uri, `tracelight://run/${list[0].trace_id}`);
const { resourceTemplates } = await client.listResourceTemplates();
assert.equal(resourceTemplates[0].uriTemplate, "tracelight://run/{trace_id}");
const read = await client.readResource({ uri: `tracelight://run/${fixture.trace_id}` });
assert.ok(block(read.contents[0].text).includes("lookup_order"));
ok("resources: a run a resource, its outline in a data block");

// ---- errors ------------------------------------------------------------------------------------------------------
await assert.rejects(client.callTool({ name: "drop_table", arguments: {} }), (e) => e instanceof McpError && e.code === -32602);
await assert.rejects(client.readResource({ uri: "tracelight://run/nope" }), (e) => e instanceof McpError && e.code === -32002);
for (const [name, args, text] of [
    ["get_run", { trace_id: "zzzz" }, /no trace/],
    ["get_run", { trace_id: 5 }, /must be a string/],
    ["get_run", {}, /required/],
    ["list_runs", { limit: 0 }, /from 1 to 200/],
    ["list_runs", { since: "yesterday-ish" }, /date/],
    ["list_runs", { trace: "x" }, /unknown argument/],
    ["get_step", { trace_id: fixture.trace_id, span_id: "ffffffffffff" }, /no step/],
]) {
    const result = await client.callTool({ name, arguments: args });
    assert.equal(result.isError, true, `${name} ${JSON.stringify(args)}`);
    assert.match(result.content[0].text, text);
}
ok("errors: unknown tool and resource are JSON-RPC errors, bad arguments are isError results");

// A request cancelled by the client (an AbortSignal: the SDK sends notifications/cancelled) rejects, and the
// server goes on answering.
const controller = new AbortController();
const cancelled = client.callTool({ name: "find_issues", arguments: {} }, undefined, { signal: controller.signal });
controller.abort("the test gave up");
await assert.rejects(cancelled);
assert.equal((await call("list_runs", { limit: 1 })).structuredContent.runs.length, 1);
ok("cancel: an aborted call rejects and the server answers the next one");

await client.close();

// ---- the raw protocol, line by line ------------------------------------------------------------------------------
async function raw(lines, expectIds, { closeInput = true } = {}) {
    const child = spawn(tracelight, ["mcp", "--db", db], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "", err = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { err += d; });
    child.stdin.write(lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l)) + "\n").join(""));
    if (closeInput) child.stdin.end();
    const code = await new Promise((resolve) => child.on("exit", resolve));
    const messages = out.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    return { code, messages, err, byId: (id) => messages.filter((m) => m.id === id) };
}
const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2099-01-01", capabilities: {}, clientInfo: { name: "raw", version: "0" } } };
const r = await raw([
    init,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    "{this is not json",
    JSON.stringify([{ jsonrpc: "2.0", id: 2, method: "ping" }]),
    { jsonrpc: "2.0", id: 3, method: "server/discover", params: {} },
    { jsonrpc: "2.0", id: 4, method: "ping" },
    { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "stats", arguments: { by: "tool" } } },
    { jsonrpc: "2.0", id: 6, method: "tools/call", params: { name: "get_run", arguments: { trace_id: fixture.trace_id } } },
    { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 6, reason: "test" } },
    { jsonrpc: "2.0", id: 7, method: "ping" },
]);
assert.equal(r.code, 0, "exits 0 when its input ends");
assert.equal(r.byId(1)[0].result.protocolVersion, "2025-11-25");
assert.equal(r.messages.filter((m) => m.error?.code === -32700 && m.id === null).length, 1, "parse error");
assert.equal(r.messages.filter((m) => m.error?.code === -32600 && m.id === null).length, 1, "batch refused");
assert.equal(r.byId(3)[0].error.code, -32601, "server/discover: method not found");
assert.deepEqual(r.byId(4)[0].result, {});
assert.ok(r.byId(5)[0].result.structuredContent.runs >= 1);
assert.equal(r.byId(6).length, 0, "a cancelled request gets no answer");
assert.match(r.err, /get_run.*cancelled|\(id 6\) cancelled/);
assert.deepEqual(r.byId(7)[0].result, {});
assert.equal(r.messages.length, 7, "no answer to notifications");
ok("raw protocol: version fallback, parse error, batch refused, server/discover, cancel, notifications, exit on EOF");

console.log(`${checks} checks passed`);
