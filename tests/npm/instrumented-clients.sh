#!/usr/bin/env bash
# Real LLM-client instrumentations from npm (pinned): the `openai` client instrumented by OpenInference and by
# OpenLLMetry runs a small tool-calling agent against a fake OpenAI-compatible server (instrumented-agent.mjs), and
# exports OTLP/HTTP protobuf to `tracelight serve`; the cache is then checked with `show`, `list` and `search --json`.
# Usage: instrumented-clients.sh TRACELIGHT_BINARY. Exits 77 (CTest SKIP_RETURN_CODE) when npm cannot be reached.
set -euo pipefail
tracelight=$1
source "$(dirname "$0")/common.sh"
cp "$here/instrumented-agent.mjs" "$work/"
npm_install openai@6.49.0 \
    @arizeai/openinference-instrumentation-openai@4.2.7 @traceloop/instrumentation-openai@0.27.0 \
    @opentelemetry/api@1.9.0 @opentelemetry/sdk-trace-node@2.0.1 @opentelemetry/resources@2.0.1 \
    @opentelemetry/exporter-trace-otlp-proto@0.202.0

for client in openinference openllmetry; do
    db="$work/$client.sqlite"
    log="$work/$client.log"
    start_serve "$db" "$log"
    trace_id=$(cd "$work" && node instrumented-agent.mjs "$client" "http://127.0.0.1:$port/v1/traces")
    stop_serve
    "$tracelight" show --db "$db" "$trace_id" --json >"$work/show.json"
    "$tracelight" list --db "$db" --json >"$work/list.json"
    "$tracelight" search --db "$db" get_weather --json --trace "$trace_id" >"$work/search.json"
    # What the agent did: 2 chat calls on gpt-4o-mini (the fake server's usage: 50/10 then 70/15, so the trace is
    # 120 in / 25 out with no double counting), between them the tool get_weather, whose call the first answer holds.
# The tool step is the agent's own execute_tool span: neither instrumentation makes one.
    node -e '
        const fs = require("fs");
        const read = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
        const d = read(process.argv[1]), list = read(process.argv[2]), hits = read(process.argv[3]);
        const trace = (Array.isArray(list) ? list : list.traces).find((t) => t.trace_id === d.trace_id);
        const llm = d.steps.filter((s) => s.kind === "llm").sort((a, b) => a.start_ns - b.start_ns);
        const tools = d.steps.filter((s) => s.kind === "tool");
        const checks = [
            [llm.length, 2, "llm steps"], [llm.map((s) => s.model).join(), "gpt-4o-mini,gpt-4o-mini", "models"],
            [llm.map((s) => s.input_tokens).join(), "50,70", "input tokens"],
            [llm.map((s) => s.output_tokens).join(), "10,15", "output tokens"],
            [tools.length, 1, "tool steps"], [tools[0]?.tool_name, "get_weather", "tool name"],
            [trace?.input_tokens, 120, "trace input tokens"], [trace?.output_tokens, 25, "trace output tokens"],
            [trace?.llm_calls, 2, "trace llm calls"], [trace?.tool_calls, 1, "trace tool calls"],
            [hits.some((h) => h.span_id === llm[0]?.span_id && h.field === "output"), true,
                "get_weather in the first llm step output (its tool call)"]];
        let ok = true;
        for (const [got, want, what] of checks) {
            if (got !== want) { console.log(`FAIL ${process.argv[4]}: ${what}: got ${got}, want ${want}`); ok = false; }
        }
        if (!ok) {
            console.log(JSON.stringify(d, null, 1));
            console.log(JSON.stringify(hits, null, 1));
            process.exit(1);
        }
        console.log(`ok ${process.argv[4]}: 2 llm steps 50/10 + 70/15, trace 120/25, tool get_weather`);
    ' "$work/show.json" "$work/list.json" "$work/search.json" "$client"
done
