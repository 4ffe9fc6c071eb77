#pragma once

// Small exports written from trace-formats.md sections 6a, 6b and 7 for tst_productimport. In a header of their own:
// moc does not read multi-line raw strings holding quotes reliably.
#include <QByteArray>

namespace ProductFixtures {

// LangSmith: two ingest batches as the Python SDK sends them, one per line. The agent (a chain named like an
// agent) is posted open and patched on the next line; its chat model and tool runs are posted complete, the
// model's input and output in LangChain's serialized form.
inline const QByteArray langSmithBatches = R"({"post":[
 {"id":"a0000000-0000-4000-8000-000000000001","trace_id":"a0000000-0000-4000-8000-000000000001","name":"AgentExecutor",
  "run_type":"chain","start_time":"2025-01-01T12:00:00.000000","dotted_order":"20250101T120000000000Za0000000-0000-4000-8000-000000000001",
  "inputs":{"input":"Refund order 42"},"extra":{"metadata":{"thread_id":"thread-7","user_id":"u-1"}},"tags":["prod"]},
 {"id":"a0000000-0000-4000-8000-000000000002","trace_id":"a0000000-0000-4000-8000-000000000001",
  "parent_run_id":"a0000000-0000-4000-8000-000000000001","name":"ChatOpenAI","run_type":"llm",
  "start_time":"2025-01-01T12:00:01.000000Z","end_time":"2025-01-01T12:00:02.500000Z",
  "dotted_order":"20250101T120000000000Za0000000-0000-4000-8000-000000000001.20250101T120001000000Za0000000-0000-4000-8000-000000000002",
  "extra":{"metadata":{"ls_provider":"openai","ls_model_name":"gpt-4o"},"invocation_params":{"model":"gpt-4o","temperature":0}},
  "inputs":{"messages":[[
    {"lc":1,"type":"constructor","id":["langchain","schema","messages","SystemMessage"],"kwargs":{"content":"You are a refunds agent."}},
    {"lc":1,"type":"constructor","id":["langchain","schema","messages","HumanMessage"],"kwargs":{"content":"Refund order 42"}}]]},
  "outputs":{"generations":[[{"text":"","generation_info":{"finish_reason":"tool_calls"},"message":
    {"lc":1,"type":"constructor","id":["langchain","schema","messages","AIMessage"],"kwargs":{"content":"",
     "tool_calls":[{"name":"issue_refund","args":{"order":42},"id":"call_1","type":"tool_call"}],
     "usage_metadata":{"input_tokens":120,"output_tokens":30,"total_tokens":150,
       "input_token_details":{"cache_read":100},"output_token_details":{"reasoning":12}}}}}]],
   "llm_output":{"model_name":"gpt-4o-2024-08-06"}}},
 {"id":"a0000000-0000-4000-8000-000000000003","trace_id":"a0000000-0000-4000-8000-000000000001",
  "parent_run_id":"a0000000-0000-4000-8000-000000000001","name":"issue_refund","run_type":"tool",
  "start_time":"2025-01-01T12:00:03Z","end_time":"2025-01-01T12:00:04Z",
  "dotted_order":"20250101T120000000000Za0000000-0000-4000-8000-000000000001.20250101T120003000000Za0000000-0000-4000-8000-000000000003",
  "inputs":{"input":"{\"order\": 42}"},"error":"PaymentGatewayError: card declined","outputs":null}
],"patch":[]}
{"patch":[{"id":"a0000000-0000-4000-8000-000000000001","trace_id":"a0000000-0000-4000-8000-000000000001",
  "dotted_order":"20250101T120000000000Za0000000-0000-4000-8000-000000000001","end_time":"2025-01-01T12:00:05.000000",
  "outputs":{"output":"The refund failed: card declined."},"inputs":{},"extra":{"metadata":{"revision_id":"r9"}}}]}
)";

// Langfuse: the public API's {"data": [...]} list with one full trace: a wrapper GENERATION around the client's
// GENERATION, a failing TOOL, a SPAN named after the tool the model called, an EVENT, and scores.
inline const QByteArray langfuseList = R"({"data":[{"id":"t-1","name":"support","timestamp":"2025-02-02T10:00:00.000Z",
 "latency":4.5,"sessionId":"s-1","userId":"u-9","input":"Where is my parcel?","output":{"answer":"On its way"},
 "metadata":"{\"resourceAttributes\":{\"service.name\":\"support-bot\",\"service.version\":\"2.1\"}}",
 "tags":["beta"],"scores":[{"id":"sc-1","name":"helpfulness","value":0.9,"source":"EVAL","comment":"good",
   "timestamp":"2025-02-02T10:00:05.000Z","observationId":null},
   {"id":"sc-2","name":"tone","value":1,"stringValue":"polite","observationId":"o-gen","timestamp":"2025-02-02T10:00:06.000Z"}],
 "observations":[
  {"id":"o-sdk","traceId":"t-1","type":"GENERATION","name":"OpenAIChat.invoke","startTime":"2025-02-02T10:00:00.100Z",
   "endTime":"2025-02-02T10:00:02.000Z","model":"gpt-4o","usageDetails":{"input":500,"output":40,"total":540},
   "costDetails":{"total":0.5},"input":"{\"messages\": [\"role='user' content='hi'\"]}","output":null},
  {"id":"o-gen","traceId":"t-1","parentObservationId":"o-sdk","type":"GENERATION","name":"chat gpt-4o",
   "startTime":"2025-02-02T10:00:00.200Z","endTime":"2025-02-02T10:00:01.900Z","model":"gpt-4o-2024-08-06",
   "usageDetails":{"input":300,"input_cache_read":200,"output":20,"output_reasoning":10,"total":530},
   "costDetails":{"input":0.001,"output":0.002},
   "input":[{"role":"developer","content":"Be brief."},{"role":"user","content":"Where is my parcel?"}],
   "output":{"role":"assistant","content":"","tool_calls":[{"id":"call_9","type":"function",
     "function":{"name":"track_parcel","arguments":"{\"id\":\"P1\"}"}}]}},
  {"id":"o-span","traceId":"t-1","type":"SPAN","name":"track_parcel","startTime":"2025-02-02T10:00:02.000Z",
   "endTime":"2025-02-02T10:00:03.000Z","input":"{\"id\":\"P1\"}","output":"in transit","metadata":{"node":"tools"}},
  {"id":"o-tool","traceId":"t-1","parentObservationId":"o-span","type":"TOOL","name":"carrier_api",
   "startTime":"2025-02-02T10:00:02.100Z","endTime":"2025-02-02T10:00:02.900Z","level":"ERROR",
   "statusMessage":"HTTP 503 from carrier","input":{"id":"P1"},"output":null},
  {"id":"o-event","traceId":"t-1","type":"EVENT","name":"handoff-requested","startTime":"2025-02-02T10:00:03.500Z",
   "input":{"reason":"customer asked"}}
 ]}],"meta":{"page":1,"totalItems":1}})";

// OpenAI Agents SDK: the BatchTraceProcessor payload with a trace and one span of every span_data type.
inline const QByteArray agentsPayload = R"({"data":[
 {"object":"trace","id":"trace_0123456789abcdef0123456789abcdef","workflow_name":"Refund flow","group_id":"conv-42",
  "metadata":{"user_id":"u-7","plan":"pro"}},
 {"object":"trace.span","id":"span_000000000000000000000001","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":null,"started_at":"2025-03-03T09:00:00.000000+00:00","ended_at":"2025-03-03T09:00:09.000000+00:00",
  "span_data":{"type":"agent","name":"Triage","handoffs":["Refunds"],"tools":["lookup"],"output_type":"str"},"error":null},
 {"object":"trace.span","id":"span_000000000000000000000002","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":"span_000000000000000000000001","started_at":"2025-03-03T09:00:00.500000+00:00",
  "ended_at":"2025-03-03T09:00:01.500000+00:00","span_data":{"type":"generation","model":"gpt-4o-mini",
  "model_config":{"temperature":0.2},"input":[{"role":"system","content":"Route the user."},{"role":"user","content":"Refund please"}],
  "output":[{"role":"assistant","content":null,"tool_calls":[{"id":"call_a","type":"function","function":{"name":"lookup","arguments":"{\"order\":42}"}}]}],
  "usage":{"input_tokens":80,"output_tokens":12,"input_tokens_details":{"cached_tokens":64},"output_tokens_details":{"reasoning_tokens":4}}},"error":null},
 {"object":"trace.span","id":"span_000000000000000000000003","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":"span_000000000000000000000001","started_at":"2025-03-03T09:00:02+00:00","ended_at":"2025-03-03T09:00:02.200000+00:00",
  "span_data":{"type":"function","name":"lookup","input":"{\"order\":42}","output":"{'status': 'paid'}","mcp_data":null},"error":null},
 {"object":"trace.span","id":"span_000000000000000000000004","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":"span_000000000000000000000001","started_at":"2025-03-03T09:00:02.300000+00:00","ended_at":"2025-03-03T09:00:02.300000+00:00",
  "span_data":{"type":"handoff","from_agent":"Triage","to_agent":"Refunds"},"error":null},
 {"object":"trace.span","id":"span_000000000000000000000005","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":null,"started_at":"2025-03-03T09:00:03+00:00","ended_at":"2025-03-03T09:00:08+00:00",
  "span_data":{"type":"agent","name":"Refunds","handoffs":[],"tools":["refund"],"output_type":"str"},"error":null},
 {"object":"trace.span","id":"span_000000000000000000000006","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":"span_000000000000000000000005","started_at":"2025-03-03T09:00:03.100000+00:00","ended_at":"2025-03-03T09:00:03.200000+00:00",
  "span_data":{"type":"guardrail","name":"no_pii","triggered":false},"error":null},
 {"object":"trace.span","id":"span_000000000000000000000007","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":"span_000000000000000000000005","started_at":"2025-03-03T09:00:03.300000+00:00","ended_at":"2025-03-03T09:00:05+00:00",
  "span_data":{"type":"custom","name":"turn","data":{"sdk_span_type":"turn","turn":1,"agent_name":"Refunds",
   "usage":{"input_tokens":999,"output_tokens":99}}},"error":null},
 {"object":"trace.span","id":"span_000000000000000000000008","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":"span_000000000000000000000007","started_at":"2025-03-03T09:00:03.400000+00:00","ended_at":"2025-03-03T09:00:04+00:00",
  "span_data":{"type":"response","response_id":"resp_1","usage":{"input_tokens":200,"output_tokens":20,
   "input_tokens_details":{"cached_tokens":0},"output_tokens_details":{"reasoning_tokens":0}}},"error":null},
 {"object":"trace.span","id":"span_000000000000000000000009","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":"span_000000000000000000000007","started_at":"2025-03-03T09:00:04.100000+00:00","ended_at":"2025-03-03T09:00:04.900000+00:00",
  "span_data":{"type":"function","name":"refund","input":"{\"order\":42}","output":null,"mcp_data":null},
  "error":{"message":"Error running tool","data":{"tool_name":"refund","error":"card declined"}}},
 {"object":"trace.span","id":"span_00000000000000000000000a","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":"span_000000000000000000000005","started_at":"2025-03-03T09:00:05.100000+00:00","ended_at":"2025-03-03T09:00:05.200000+00:00",
  "span_data":{"type":"mcp_tools","server":"payments","result":["refund","status"]},"error":null},
 {"object":"trace.span","id":"span_00000000000000000000000b","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":"span_000000000000000000000005","started_at":"2025-03-03T09:00:05.300000+00:00","ended_at":"2025-03-03T09:00:06+00:00",
  "span_data":{"type":"transcription","input":{"data":"UklGRg==","format":"pcm"},"output":"I want a refund","model":"gpt-4o-transcribe","model_config":{}},"error":null},
 {"object":"trace.span","id":"span_00000000000000000000000c","trace_id":"trace_0123456789abcdef0123456789abcdef",
  "parent_id":"span_000000000000000000000005","started_at":"2025-03-03T09:00:06.100000+00:00","ended_at":"2025-03-03T09:00:07+00:00",
  "span_data":{"type":"speech","input":"Your refund failed.","output":{"data":"UklGRg==","format":"pcm"},"model":"gpt-4o-mini-tts",
   "model_config":{},"first_content_at":"2025-03-03T09:00:06.500000+00:00"},"error":null}
]})";

} // namespace ProductFixtures
