/**
 * The echo server in a process of its own (`node --import tsx
 * echo-server-main.ts`), so the harness's CPU figure against it is the
 * harness's alone. Prints `{"url": ...}` on its first stdout line once it
 * listens; stops when its stdin closes, so it never outlives the bench that
 * started it (even one killed with SIGKILL), or on SIGTERM/SIGINT.
 */
import { EchoServer } from './echo-server.js';

const server = new EchoServer();
// Once per kind of request: the bench's parent shows it (an engine asking something the echo server does not answer).
const told = new Set<string>();
server.onUnrecognised = (request) => {
  const kind = request.replace(/![^/]+|@[^/]+|%21[^/]+|%40[^/]+/g, '{id}');
  if (!told.has(kind)) process.stderr.write(`unrecognised: ${kind}\n`);
  told.add(kind);
};
await server.start();
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server.stop().finally(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
