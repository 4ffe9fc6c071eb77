#!/usr/bin/env python3
"""Derives refund-agent-retry-loop.otlp.json (the "bad run") from refund-agent.otlp.json (the "good run").

Version 1.5.0 of the same support agent retries the declined refund instead of looking for another payment
method: after the first failed issue_refund, the refunds agent makes three more rounds of
[chat -> execute_tool issue_refund (fails) -> POST (fails)], each round 4 s, then carries on as in 1.4.2.
Everything else is the good run with new trace and span ids and shifted times. Run from this folder:

    python3 make-retry-loop-sample.py > refund-agent-retry-loop.otlp.json
"""
import copy
import hashlib
import json
import sys

GOOD = json.load(open("refund-agent.otlp.json"))
TRACE = "b4d0c0de5e7a11f0a1b2c3d4e5f60718"
ROUNDS = 3
ROUND_NS = 4_000_000_000
LOOP_AFTER = "dcd2a8ceac3508ff"  # the first failed issue_refund: the rounds start after it ends
CHAT, TOOL, POST = "823600fc890fa61d", "dcd2a8ceac3508ff", "9cdee8866f698302"


def new_id(old, salt=""):
    return hashlib.sha256((old + salt).encode()).hexdigest()[:16]


bad = copy.deepcopy(GOOD)
for res in bad["resourceSpans"]:
    for attr in res["resource"]["attributes"]:
        if attr["key"] == "service.version":
            attr["value"]["stringValue"] = "1.5.0"
    for scope in res["scopeSpans"]:
        spans = scope["spans"]
        by_id = {s["spanId"]: s for s in spans}
        loop_end = int(by_id[LOOP_AFTER]["endTimeUnixNano"])
        originals = {k: copy.deepcopy(by_id[k]) for k in (CHAT, TOOL, POST)}
        base = int(originals[CHAT]["startTimeUnixNano"])
        extra = []
        for r in range(ROUNDS):
            offset = loop_end + 100_000_000 + r * ROUND_NS - base
            ids = {k: new_id(k, "round%d" % r) for k in originals}
            for k, span in originals.items():
                s = copy.deepcopy(span)
                s["spanId"] = ids[k]
                if s.get("parentSpanId") in ids:
                    s["parentSpanId"] = ids[s["parentSpanId"]]
                s["startTimeUnixNano"] = str(int(s["startTimeUnixNano"]) + offset)
                s["endTimeUnixNano"] = str(int(s["endTimeUnixNano"]) + offset)
                for e in s.get("events", []):
                    e["timeUnixNano"] = str(int(e["timeUnixNano"]) + offset)
                extra.append(s)
        shift = ROUNDS * ROUND_NS
        for s in spans:
            if int(s["startTimeUnixNano"]) > loop_end:
                s["startTimeUnixNano"] = str(int(s["startTimeUnixNano"]) + shift)
                for e in s.get("events", []):
                    e["timeUnixNano"] = str(int(e["timeUnixNano"]) + shift)
            if int(s["endTimeUnixNano"]) > loop_end:
                s["endTimeUnixNano"] = str(int(s["endTimeUnixNano"]) + shift)
        spans.extend(extra)
        mapping = {s["spanId"]: new_id(s["spanId"]) for s in spans}
        for s in spans:
            s["traceId"] = TRACE
            s["spanId"] = mapping[s["spanId"]]
            if s.get("parentSpanId"):
                s["parentSpanId"] = mapping.get(s["parentSpanId"], s["parentSpanId"])
        spans.sort(key=lambda s: int(s["startTimeUnixNano"]))
json.dump(bad, sys.stdout, indent=1)
sys.stdout.write("\n")
