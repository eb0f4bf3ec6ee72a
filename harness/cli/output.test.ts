import { describe, expect, it } from 'vitest';
import { targetLines } from './output.js';

describe('targetLines: each console line of runs side by side says whose it is', () => {
  it('prefixes the run\'s lines with its target, once, and leaves blank lines blank', () => {
    const lines: string[] = [];
    const synapse = targetLines('synapse', (line) => lines.push(line));
    const pair = targetLines('synapse+synapse', (line) => lines.push(line));
    synapse('gate: passed');
    synapse('[synapse] starting Synapse 1.163.2');
    synapse('');
    pair('[synapse, peer] starting Synapse 1.163.2');
    pair('[synapse+synapse] federation proxy on 127.0.0.1:1');
    expect(lines).toEqual([
      '[synapse] gate: passed',
      '[synapse] starting Synapse 1.163.2',
      '',
      '[synapse+synapse] [synapse, peer] starting Synapse 1.163.2',
      '[synapse+synapse] federation proxy on 127.0.0.1:1',
    ]);
  });
});
