/**
 * The echo server in a process of its own (`node --import tsx
 * echo-server-main.ts`), so the harness's CPU figure against it is the
 * harness's alone. Prints `{"url": ...}` on its first stdout line once it
 * listens; stops when its stdin closes, so it never outlives the bench that
 * started it (even one killed with SIGKILL), or on SIGTERM/SIGINT.
 */
import { EchoServer } from './echo-server.js';

const server = await new EchoServer().start();
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
