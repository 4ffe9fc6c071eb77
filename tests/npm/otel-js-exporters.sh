#!/usr/bin/env bash
# Real OpenTelemetry JS SDK exporters (pinned versions from npm) send a small agent's spans to `tracelight serve`,
# over OTLP/HTTP in JSON and protobuf and over OTLP/gRPC, each with and without gzip; the cache is then checked with
# `tracelight show --json`.
# Usage: otel-js-exporters.sh TRACELIGHT_BINARY. Exits 77 (CTest SKIP_RETURN_CODE) when npm cannot be reached.
set -euo pipefail
tracelight=$1
source "$(dirname "$0")/common.sh"
cp "$here/agent.mjs" "$work/"
npm_install @opentelemetry/api@1.9.0 @opentelemetry/sdk-trace-node@2.0.1 \
    @opentelemetry/resources@2.0.1 @opentelemetry/exporter-trace-otlp-http@0.202.0 \
    @opentelemetry/exporter-trace-otlp-proto@0.202.0 @opentelemetry/exporter-trace-otlp-grpc@0.202.0

for mode in "json none" "json gzip" "proto none" "proto gzip" "grpc none" "grpc gzip"; do
    read -r encoding compression <<<"$mode"
    db="$work/$encoding-$compression.sqlite"
    log="$work/$encoding-$compression.log"
    start_serve "$db" "$log"
    url="http://127.0.0.1:$port/v1/traces"
    [[ $encoding == grpc ]] && url="http://127.0.0.1:$grpc_port"
    trace_id=$(cd "$work" && node agent.mjs "$encoding" "$compression" "$url")
    stop_serve
    "$tracelight" show --db "$db" "$trace_id" --json >"$work/show.json"
    # What agent.mjs made: 1 agent, 2 llm (120+200 input, 30+45 output tokens), 1 tool call get_weather.
    node -e '
        const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const by = (k) => d.steps.filter((s) => s.kind === k);
        const sum = (k) => by("llm").reduce((a, s) => a + s[k], 0);
        const checks = [
            [d.steps.length, 4, "steps"], [by("agent").length, 1, "agent steps"], [by("llm").length, 2, "llm steps"],
            [by("tool").length, 1, "tool steps"], [sum("input_tokens"), 320, "input tokens"],
            [sum("output_tokens"), 75, "output tokens"], [by("tool")[0]?.tool_name, "get_weather", "tool name"],
            [by("agent")[0]?.agent_name, "weather", "agent name"], [d.steps[0].service, "npm-agent", "service"],
            [by("llm")[0]?.model, "gpt-4o-mini", "model"]];
        let ok = true;
        for (const [got, want, what] of checks) {
            if (got !== want) { console.log(`FAIL ${process.argv[2]}: ${what}: got ${got}, want ${want}`); ok = false; }
        }
        if (!ok) process.exit(1);
        console.log(`ok ${process.argv[2]}: 4 steps, 320/75 tokens, tool get_weather`);
    ' "$work/show.json" "$encoding $compression"
done
