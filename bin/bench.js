#!/usr/bin/env node
// `npm run bench [-- flags]`: presence under load (`presence-conformance bench`,
// harness/bench/engine/); `npm run bench:suite [-- --runs N --only PREFIX]`
// (or `npm run bench -- --suite ...`): the suite's wall-time benchmark,
// harness/bench/bench.ts. Plain node flags: the bench parses many /sync
// answers, and V8's default young generation keeps that cheap.
import { register } from 'tsx/esm/api';

register();
const argv = process.argv.slice(2);
if (argv[0] === '--suite') {
  const { bench } = await import('../harness/bench/bench.ts');
  process.exitCode = await bench(argv.slice(1));
} else {
  const { main } = await import('../harness/cli/main.ts');
  const code = await main(['bench', ...argv]);
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2_000).unref();
}
