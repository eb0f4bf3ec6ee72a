import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * action.yml read as GitHub reads it, and its shell steps run as a runner
 * would run them: there is no runner here, so the `uses:` steps are only
 * described and the `run:` steps are executed by bash with the `${{ }}`
 * expressions substituted and fake GITHUB_* files in a folder of the test's.
 */

export const ACTION_FILE = fileURLToPath(new URL('../../action.yml', import.meta.url));

export interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}

export interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
}

export interface CompositeAction {
  name: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export async function readAction(file = ACTION_FILE): Promise<CompositeAction> {
  return parse(await readFile(file, 'utf8')) as CompositeAction;
}

/** What a step run as a script left: its exit code and output, and every step output written to GITHUB_OUTPUT so far. */
export interface StepRun {
  name: string;
  code: number;
  stdout: string;
  stderr: string;
}

export interface ScriptRun {
  steps: StepRun[];
  /** steps.<id>.outputs.<name>, as the runner would expose them. */
  outputs: Record<string, Record<string, string>>;
  /** The job summary the steps appended. */
  summary: string;
  /** The `uses:` steps that would have run, with their `with:` substituted. */
  used: Array<{ uses: string; with: Record<string, string> }>;
}

export interface ScriptOptions {
  /** The caller's `with:` (defaults fill the rest). */
  with: Record<string, string>;
  /** The runner's folder for this job: the workspace, RUNNER_TEMP and the GITHUB_* files are made in it. */
  dir: string;
  /** GITHUB_ACTION_PATH: where the action (the suite) is checked out. */
  actionPath: string;
  /** Extra environment (a PATH with fake tools first, say). */
  env?: NodeJS.ProcessEnv;
}

/** `${{ inputs.x }}`, `${{ steps.id.outputs.y }}`: the expressions this action uses; anything else is refused, so the test notices a new one. */
function substitute(text: string, inputs: Record<string, string>, outputs: ScriptRun['outputs']): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) {
      if (!(input[1]! in inputs)) throw new Error(`action.yml uses an undeclared input: ${expression}`);
      return inputs[input[1]!]!;
    }
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (output) return outputs[output[1]!]?.[output[2]!] ?? '';
    throw new Error(`action.yml uses an expression the script runner does not know: ${expression}`);
  });
}

/** A step's `if:` as the runner decides it here: `always()` runs after a failure, no condition only while every step succeeded. */
function shouldRun(step: ActionStep, failed: boolean): boolean {
  if (step.if === undefined) return !failed;
  if (step.if.trim() === 'always()') return true;
  throw new Error(`action.yml step ${step.name ?? step.uses}: the script runner knows only if: always(), got ${step.if}`);
}

/** Parses a GITHUB_OUTPUT file (name=value lines; the action writes no multi-line values). */
function outputLines(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

/** Runs action.yml's steps in order with the given inputs, as its runner would. */
export async function runAsScript(action: CompositeAction, options: ScriptOptions): Promise<ScriptRun> {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, options.with[name] ?? input.default ?? '']));
  for (const name of Object.keys(options.with)) if (!(name in action.inputs)) throw new Error(`with: ${name} is no input of action.yml`);
  const workspace = path.join(options.dir, 'workspace');
  const temp = path.join(options.dir, 'runner-temp');
  await mkdir(workspace, { recursive: true });
  await mkdir(temp, { recursive: true });
  const summaryFile = path.join(options.dir, 'step-summary.md');
  await writeFile(summaryFile, '');
  const result: ScriptRun = { steps: [], outputs: {}, summary: '', used: [] };
  let failed = false;
  for (const [i, step] of action.runs.steps.entries()) {
    if (!shouldRun(step, failed)) continue;
    const name = step.name ?? step.uses ?? `step ${i}`;
    if (step.uses) {
      result.used.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), inputs, result.outputs)])) });
      continue;
    }
    if (step.shell !== 'bash' || step.run === undefined) throw new Error(`action.yml step ${name}: a composite run step needs shell: bash`);
    const outputFile = path.join(options.dir, `output-${i}`);
    await writeFile(outputFile, '');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), inputs, result.outputs)])),
      GITHUB_ACTION_PATH: options.actionPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_ENV: path.join(options.dir, 'env'),
      GITHUB_PATH: path.join(options.dir, 'path'),
      RUNNER_TEMP: temp,
      FORCE_COLOR: '0',
    };
    // The runner's own invocation of `shell: bash`.
    const run = await bash(['--noprofile', '--norc', '-eo', 'pipefail', '-c', substitute(step.run, inputs, result.outputs)], workspace, env);
    result.steps.push({ name, ...run });
    if (step.id) result.outputs[step.id] = outputLines(await readFile(outputFile, 'utf8'));
    if (run.code !== 0) failed = true;
  }
  result.summary = await readFile(summaryFile, 'utf8');
  return result;
}

function bash(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
