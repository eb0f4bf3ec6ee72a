import { describe, expect, it } from 'vitest';
import { InterruptibleGroup, type Interruptible } from './interrupts.js';

class Member implements Interruptible {
  readonly calls: string[] = [];
  async interrupt(reason: string): Promise<void> {
    this.calls.push(`interrupt ${reason}`);
  }
  async kill(): Promise<void> {
    this.calls.push('kill');
  }
}

describe('InterruptibleGroup: Ctrl-C over runs side by side', () => {
  it('interrupts and kills every member under way, not those that ended, and says which ended interrupted', async () => {
    const group = new InterruptibleGroup();
    const [done, a, b] = [new Member(), new Member(), new Member()];
    const early = await group.with(done, async () => 'early');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = [group.with(a, () => gate.then(() => 'a')), group.with(b, () => gate.then(() => 'b'))];
    expect(group.stopped).toBe(false);
    await group.interrupt('SIGINT');
    await group.kill();
    release();
    expect(await Promise.all(running)).toEqual([{ result: 'a', interrupted: true }, { result: 'b', interrupted: true }]);
    expect(early).toEqual({ result: 'early', interrupted: false });
    expect(group.stopped).toBe(true);
    expect([done.calls, a.calls, b.calls]).toEqual([[], ['interrupt SIGINT', 'kill'], ['interrupt SIGINT', 'kill']]);
  });

  it('stops at once a member that joins after the signal', async () => {
    const group = new InterruptibleGroup();
    await group.interrupt('SIGTERM');
    const late = new Member();
    expect(await group.with(late, async () => 1)).toEqual({ result: 1, interrupted: true });
    expect(late.calls).toEqual(['interrupt SIGTERM']);
  });
});
