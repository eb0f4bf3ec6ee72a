import { benchCommand } from './commands/bench.js';
import { compareCommand } from './commands/compare.js';
import { runCommand } from './commands/run.js';
import { selfcheckCommand } from './commands/selfcheck.js';
import { fail } from './output.js';
import { HarnessError } from '../errors.js';

/** The CLI's commands; each parses its own flags and resolves to an exit code. */
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  selfcheck: selfcheckCommand,
  compare: compareCommand,
  bench: benchCommand,
  help: () => runCommand(['--help']),
};

/** Entry point of `presence-conformance`; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  const name = first === undefined || first.startsWith('-') ? 'run' : first;
  const command = COMMANDS[name];
  if (!command) return fail(new HarnessError(`unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')} (see --help)`));
  return command(name === first ? argv.slice(1) : argv);
}
