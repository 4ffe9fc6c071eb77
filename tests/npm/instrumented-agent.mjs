// A tiny tool-calling agent on the real `openai` npm client, instrumented by OpenInference or OpenLLMetry, against a
// fake OpenAI-compatible server on 127.0.0.1 (no internet, no model). Spans go over OTLP/HTTP protobuf to the URL given.
// Usage: node instrumented-agent.mjs openinference|openllmetry OTLP_URL. Prints the trace id.
// Call 1 answers with a get_weather tool call (usage 50/10/60); the tool runs locally inside a span; call 2, whose
// messages hold the tool result, answers with text (usage 70/15/85).
import http from 'node:http';
import OpenAI from 'openai';
import { trace } from '@opentelemetry/api';
import { NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OpenAIInstrumentation as OpenInference } from '@arizeai/openinference-instrumentation-openai';
import { OpenAIInstrumentation as OpenLLMetry } from '@traceloop/instrumentation-openai';

const [client, url] = process.argv.slice(2);

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const request = JSON.parse(body);
    const second = request.messages.some((m) => m.role === 'tool');
    const message = second
      ? { role: 'assistant', content: 'It is sunny and 22 °C in Tokyo.' }
      : { role: 'assistant', content: null, tool_calls: [{ id: 'call_weather_1', type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } }] };
    const usage = second ? { prompt_tokens: 70, completion_tokens: 15, total_tokens: 85 }
                         : { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: second ? 'chatcmpl-2' : 'chatcmpl-1', object: 'chat.completion', created: 1700000000,
      model: request.model, choices: [{ index: 0, message, finish_reason: second ? 'stop' : 'tool_calls' }], usage }));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': `npm-${client}` }),
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url }))],
});
provider.register();
if (client === 'openinference') {
  const instrumentation = new OpenInference();
  instrumentation.setTracerProvider(provider);
  instrumentation.manuallyInstrument({ OpenAI });
} else if (client === 'openllmetry') {
  const instrumentation = new OpenLLMetry({ traceContent: true });
  instrumentation.setTracerProvider(provider);
  instrumentation.manuallyInstrument(OpenAI);
} else {
  throw new Error(`unknown client ${client}`);
}

const openai = new OpenAI({ apiKey: 'test-key', baseURL: `http://127.0.0.1:${server.address().port}/v1` });
const tracer = trace.getTracer('npm-instrumented-agent', '1.0.0');
const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Current weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];

let traceId = '';
await tracer.startActiveSpan('weather agent', async (agent) => {
  traceId = agent.spanContext().traceId;
  const messages = [{ role: 'user', content: 'What is the weather in Tokyo?' }];
  const first = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
  const call = first.choices[0].message.tool_calls[0];
  messages.push(first.choices[0].message);
  const result = tracer.startActiveSpan('execute_tool get_weather', { attributes: {
    'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': call.function.name,
    'gen_ai.tool.call.id': call.id } }, (span) => {
    const { city } = JSON.parse(call.function.arguments);
    span.end();
    return `sunny, 22 °C in ${city}`;
  });
  messages.push({ role: 'tool', tool_call_id: call.id, content: result });
  await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
  agent.end();
});
await provider.forceFlush();
await provider.shutdown();
server.close();
console.log(traceId);
