// OTLP/gRPC abuse over raw HTTP/2 with Node's own http2 module (no package needed): a wrong content type, a frame
// cut short, a message larger than its frame says, a second message in a unary call, and garbage bytes; after each,
// a well-formed Export is still answered OK. Usage: node grpc-abuse.mjs PORT
import http2 from 'node:http2';

const port = process.argv[2];
const path = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

// One request; resolves with the HTTP status, grpc-status and grpc-message (from headers or trailers).
function request(headers, chunks) {
  return new Promise((resolve) => {
    const client = http2.connect(`http://127.0.0.1:${port}`);
    client.on('error', () => {});
    const stream = client.request({ ':method': 'POST', ':path': path, te: 'trailers', ...headers });
    const result = { status: 0, grpcStatus: undefined, grpcMessage: '' };
    const take = (h) => {
      if (h[':status']) result.status = h[':status'];
      if (h['grpc-status'] !== undefined) result.grpcStatus = Number(h['grpc-status']);
      if (h['grpc-message'] !== undefined) result.grpcMessage = decodeURIComponent(h['grpc-message']);
    };
    stream.on('response', take);
    stream.on('trailers', take);
    stream.on('data', () => {});
    const done = () => { client.close(); resolve(result); };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
}

// A gRPC length-prefixed message: flag 0, 4-byte big-endian length, then the bytes.
function frame(bytes, declared = bytes.length) {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(declared, 1);
  return Buffer.concat([header, bytes]);
}

const grpc = { 'content-type': 'application/grpc' };
const empty = frame(Buffer.alloc(0)); // an empty ExportTraceServiceRequest
let failed = false;
async function check(what, headers, chunks, expect) {
  const r = await request(headers, chunks);
  const ok = expect(r);
  console.log(`${ok ? 'ok' : 'FAIL'} ${what}: HTTP ${r.status}, grpc-status ${r.grpcStatus} ${r.grpcMessage}`);
  if (!ok) failed = true;
  const after = await request(grpc, [empty]);
  if (after.grpcStatus !== 0) {
    console.log(`FAIL after ${what}: a well-formed Export got grpc-status ${after.grpcStatus}`);
    failed = true;
  }
}

await check('a well-formed empty Export', grpc, [empty], (r) => r.status === 200 && r.grpcStatus === 0);
// gRPC C++ 1.51 takes the call whatever its content type (and keeps the header from the application): it is
// answered, and the server goes on.
await check('content type text/plain', { 'content-type': 'text/plain' }, [empty],
  (r) => r.status === 415 || r.grpcStatus !== undefined);
await check('a frame cut short', grpc, [frame(Buffer.from('0a02', 'hex'), 100)],
  (r) => r.grpcStatus !== undefined && r.grpcStatus !== 0);
await check('bytes that are no ExportTraceServiceRequest', grpc, [frame(Buffer.from('0affffffff0f6a756e6b', 'hex'))],
  (r) => r.grpcStatus === 3); // INVALID_ARGUMENT
await check('two messages in a unary call', grpc, [empty, empty],
  (r) => r.grpcStatus !== undefined);
// gRPC C++ 1.51 passes such a message on as it is (here: an empty request with an unknown field, so OK); the
// collector must answer it either way.
await check('a compressed flag without grpc-encoding', grpc, [Buffer.concat([Buffer.from([1, 0, 0, 0, 2]), Buffer.from('xx')])],
  (r) => r.grpcStatus !== undefined);
process.exit(failed ? 1 : 0);
