// A tiny "agent" traced with the OpenTelemetry JS SDK: an invoke_agent span, two chat spans with gen_ai usage, and an
// execute_tool span, exported over OTLP/HTTP or OTLP/gRPC to the URL given.
// Usage: node agent.mjs json|proto|grpc gzip|none URL
// Prints the trace id.
import { trace } from '@opentelemetry/api';
import { NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter as HttpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';

const [encoding, compression, url] = process.argv.slice(2);
const Exporter = { proto: ProtoExporter, grpc: GrpcExporter }[encoding] ?? HttpExporter;
const exporter = new Exporter({ url, compression: compression === 'gzip' ? 'gzip' : 'none' });
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'npm-agent', 'service.version': '0.1.0' }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
provider.register();
const tracer = trace.getTracer('npm-agent-test', '1.0.0');

let traceId = '';
tracer.startActiveSpan('invoke_agent weather', { attributes: {
  'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'weather' } }, (agent) => {
  traceId = agent.spanContext().traceId;
  const chat = (inputTokens, outputTokens) => {
    const span = tracer.startSpan('chat gpt-4o-mini', { kind: 2, attributes: {
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': inputTokens, 'gen_ai.usage.output_tokens': outputTokens } });
    span.end();
  };
  chat(120, 30);
  const tool = tracer.startSpan('execute_tool get_weather', { attributes: {
    'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.call.id': 'call_1' } });
  tool.end();
  chat(200, 45);
  agent.end();
});
await provider.forceFlush();
await provider.shutdown();
console.log(traceId);
